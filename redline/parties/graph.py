"""Parties: clusters of the same party across lists, and the ownership/affiliation edges between them.

Two entities join one cluster when a primary name of each analyses to the same key (legal forms,
abbreviations and word order aside), their countries and birth years do not contradict, and
they are not two rows of the same list: two Entity List rows never merge, so Huawei's
affiliates stay distinct, while Hikvision's Entity List, NS-CMIC, 1260H, NDAA 889 and FCC rows
become one party.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from redline.parties.names import PLACE, STOP, WORD, AnalysedName, analyse, split_alternatives

# Sources that are bare names gathered from other lists: their rows may be the same party.
NAMES_ONLY_SOURCES = frozenset({"names_csl_meti"})
SUBJECT_SCHEMATA = {"Person", "Company", "Organization", "LegalEntity", "Vessel", "Airplane", "PublicBody"}
NAME_PROPS = ("name", "alias", "previousName", "weakAlias", "abbreviation")
IDENTIFIER_PROPS = (
    "imoNumber", "isinCode", "registrationNumber", "idNumber", "passportNumber", "taxNumber", "leiCode",
    "innCode", "ogrnCode", "swiftBic", "mmsi", "callSign", "vatCode",
)


@dataclass
class Listing:
    source: str
    program: str
    program_id: str
    authority: str
    listed_on: str | None
    snapshot: str

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class Edge:
    relation: str  # as read from this party: "subsidiary of", "parent of", "affiliated with"
    other: int  # index of the other party
    percentage: float | None = None
    source: str = ""


@dataclass
class Party:
    id: str
    schema: str
    caption: str
    entity_ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # every name, primary first
    primary_names: list[str] = field(default_factory=list)
    countries: set[str] = field(default_factory=set)
    birth_years: set[str] = field(default_factory=set)
    identifiers: set[str] = field(default_factory=set)
    listings: list[Listing] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    @property
    def is_person(self) -> bool:
        return self.schema == "Person"

    @property
    def listed(self) -> bool:
        return bool(self.listings)


@dataclass
class SourceEntity:
    data: dict[str, Any]  # FtM entity dict: id, schema, properties
    source: str  # reader source name
    snapshot: str  # snapshot label, cited in results

    def values(self, prop: str) -> list[str]:
        return self.data.get("properties", {}).get(prop, [])


def build_parties(entities: Iterable[SourceEntity]) -> list[Party]:
    subjects: dict[str, SourceEntity] = {}
    sanctions: dict[str, list[SourceEntity]] = defaultdict(list)
    relations: list[SourceEntity] = []
    for ent in entities:
        schema = ent.data["schema"]
        if schema in SUBJECT_SCHEMATA:
            known = subjects.get(ent.data["id"])
            subjects[ent.data["id"]] = merge_entities(known, ent) if known else ent
        elif schema == "Sanction":
            for target in ent.values("entity"):
                sanctions[target].append(ent)
        elif schema in ("Ownership", "UnknownLink", "Directorship", "Associate", "Family"):
            relations.append(ent)

    ids = list(subjects)
    clusters = _Clusters(len(ids))
    by_key: dict[tuple[bool, str], list[int]] = defaultdict(list)
    facts: list[_Facts] = []
    for i, eid in enumerate(ids):
        ent = subjects[eid]
        person = ent.data["schema"] == "Person"
        origins = {(ent.source, (s.values("programId") or [""])[0]) for s in sanctions.get(eid, [])}
        fact = _Facts(
            origins=set() if ent.source in NAMES_ONLY_SOURCES else origins or {(ent.source, "")},
            countries=set(ent.values("country")) | set(ent.values("nationality")) | set(ent.values("jurisdiction")),
            years={d[:4] for d in ent.values("birthDate")},
        )
        facts.append(fact)
        clusters.facts[i] = fact
        for name in (alt for listed in ent.values("name") for alt in split_alternatives(listed)):
            analysed = analyse(name, person=person)
            for key in merge_keys(analysed):
                by_key[(person, key)].append(i)
            if person:
                # Yuri / Yuriy, Alexeyev / Alekseev: one person when the full birth date agrees too.
                for born in {d for d in ent.values("birthDate") if len(d) == 10}:
                    by_key[(person, f"{spelling_key(analysed)}|{born}")].append(i)
    for members in by_key.values():
        for other in members[1:]:
            clusters.union(members[0], other)
    _attach_bare_names(ids, subjects, clusters)

    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(ids)):
        groups[clusters.find(i)].append(i)

    parties: list[Party] = []
    party_of: dict[str, int] = {}
    for members in groups.values():
        members.sort(key=lambda i: (subjects[ids[i]].source in NAMES_ONLY_SOURCES, -len(sanctions.get(ids[i], [])), ids[i]))
        party = _make_party([subjects[ids[i]] for i in members], sanctions)
        for i in members:
            party_of[ids[i]] = len(parties)
        parties.append(party)

    _link(parties, party_of, relations)
    return parties


def merge_entities(first: SourceEntity, second: SourceEntity) -> SourceEntity:
    """One entity published in two formats under one id (OFAC's consolidated list as CSV and
    as XML): every value of both, the first's order first."""
    props = {k: list(v) for k, v in first.data.get("properties", {}).items()}
    for prop, values in second.data.get("properties", {}).items():
        have = props.setdefault(prop, [])
        have.extend(v for v in values if v not in have)
    return SourceEntity({**first.data, "properties": props}, first.source, first.snapshot)


def _attach_bare_names(ids: list[str], subjects: dict[str, SourceEntity], clusters: _Clusters) -> None:
    """A row of a names-only list joins the one party that carries its name as an alias."""
    alias_owner: dict[str, set[int]] = defaultdict(set)
    bare: list[tuple[int, list[str]]] = []
    for i, eid in enumerate(ids):
        ent = subjects[eid]
        person = ent.data["schema"] == "Person"
        if ent.source in NAMES_ONLY_SOURCES:
            bare.append((i, [analyse(n, person=person).key for n in ent.values("name")]))
            continue
        for prop in ("alias", "weakAlias", "previousName"):
            for name in ent.values(prop):
                alias_owner[analyse(name, person=person).key].add(i)
    for i, keys in bare:
        roots = {clusters.find(j) for key in keys for j in alias_owner.get(key, ())}
        if len(roots) == 1:
            clusters.union(roots.pop(), i)


def merge_keys(name: AnalysedName) -> set[str]:
    """Keys under which two names are the same party's: the order-free name, and the name
    without its leading place words ("Zhejiang Dahua Technology" = "Dahua Technology")."""
    keys = {name.key} if name.key else set()
    tokens = list(name.tokens)
    while tokens and tokens[0].kind in (PLACE, STOP):
        tokens.pop(0)
    if len(tokens) < len(name.tokens) and any(t.kind == WORD for t in tokens):
        keys.add(" ".join(sorted(t.text for t in tokens if t.kind != STOP)))
    return keys


_SPELLINGS = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"(?<=[aeiou])y(?=[aeiou])", ""),  # Alekseyev -> Alekseev
        (r"iy\b|yy\b|ii\b", "i"),  # Yuriy, Yurii -> Yuri
        (r"ey\b", "ei"),  # Alexey -> Alexei
        (r"ye", "e"),
        (r"kh", "h"),
        (r"ks", "x"),
        (r"(.)\1", r"\1"),
    )
)


def spelling_key(name: AnalysedName) -> str:
    """The order-free name with common transliteration variants of Cyrillic names folded."""
    words = []
    for token in name.tokens:
        if token.kind == STOP:
            continue
        text = token.text
        for pattern, replacement in _SPELLINGS:
            text = pattern.sub(replacement, text)
        words.append(text)
    return " ".join(sorted(words))


@dataclass
class _Facts:
    origins: set[tuple[str, str]]
    countries: set[str]
    years: set[str]


class _Clusters:
    """Union-find that refuses merges contradicting lists, countries or birth years."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.facts: list[_Facts | None] = [None] * size

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        fa, fb = self.facts[ra], self.facts[rb]
        assert fa is not None and fb is not None
        if fa.origins & fb.origins:
            return  # two rows of the same list are two parties
        if fa.countries and fb.countries and not fa.countries & fb.countries:
            return
        if fa.years and fb.years and not fa.years & fb.years:
            return
        self.parent[rb] = ra
        self.facts[ra] = _Facts(fa.origins | fb.origins, fa.countries | fb.countries, fa.years | fb.years)


def _make_party(members: list[SourceEntity], sanctions: dict[str, list[SourceEntity]]) -> Party:
    first = members[0]
    schemata = {m.data["schema"] for m in members}
    schema = first.data["schema"]
    if len(schemata) > 1:
        specific = [s for s in ("Person", "Vessel", "Airplane", "Company", "Organization", "PublicBody") if s in schemata]
        schema = specific[0] if specific else "LegalEntity"
    party = Party(id=first.data["id"], schema=schema, caption=(first.values("name") or [first.data["id"]])[0])
    seen_names: set[str] = set()
    for m in members:
        party.entity_ids.append(m.data["id"])
        for prop in NAME_PROPS:
            for name in m.values(prop):
                if name not in seen_names:
                    seen_names.add(name)
                    party.names.append(name)
                    if prop == "name":
                        party.primary_names.append(name)
        party.countries.update(m.values("country"), m.values("nationality"), m.values("jurisdiction"))
        party.birth_years.update(d[:4] for d in m.values("birthDate"))
        for prop in IDENTIFIER_PROPS:
            party.identifiers.update(v.replace(" ", "").upper() for v in m.values(prop))
        seen_listings: set[tuple[Any, ...]] = set()
        for s in sanctions.get(m.data["id"], []):
            key = tuple((s.values(p) or [None])[0] for p in ("program", "programId", "authority", "listingDate", "startDate"))
            if key in seen_listings:
                continue  # the same listing read from the list's second format
            seen_listings.add(key)
            party.listings.append(
                Listing(
                    source=m.source,
                    program=(s.values("program") or [""])[0],
                    program_id=(s.values("programId") or [""])[0],
                    authority=(s.values("authority") or [""])[0],
                    listed_on=(s.values("listingDate") or s.values("startDate") or [None])[0],
                    snapshot=m.snapshot,
                )
            )
    return party


def _link(
    parties: list[Party],
    party_of: dict[str, int],
    relations: list[SourceEntity],
) -> None:
    """Turn Ownership and UnknownLink entities into edges between parties."""
    for rel in relations:
        schema = rel.data["schema"]
        if schema == "Ownership":
            ends = (rel.values("asset"), rel.values("owner"))
            forward, backward = "subsidiary of", "parent of"
        else:
            ends = (rel.values("subject"), rel.values("object"))
            role = (rel.values("role") or ["affiliated with"])[0].lower()
            forward = backward = "linked to" if "link" in role else "affiliated with"
        percentage = None
        for value in rel.values("percentage"):
            try:
                percentage = float(str(value).strip("% "))
            except ValueError:
                continue
        for a in ends[0]:
            for b in ends[1]:
                pa, pb = party_of.get(a), party_of.get(b)
                if pa is None or pb is None or pa == pb:
                    continue
                parties[pa].edges.append(Edge(forward, pb, percentage, rel.source))
                parties[pb].edges.append(Edge(backward, pa, percentage, rel.source))

"""Parties: clusters of the same party across lists, and the ownership/affiliation edges between them.

Two entities join one cluster only on strong evidence, and every merge records its evidence
(`Party.merges`, shown by `redline parties clusters --audit`):

- one id: the same entity id in two formats or files, or the same OFAC unique id that the US
  Consolidated Screening List repeats;
- a shared identifier (IMO, registration, tax, passport number...);
- for people, the full name (transliteration variants folded) and the same birth date; where
  one list gives no birth date, a full name of three or more parts ("Sergey Viktorovich
  Chemezov") that no two listed people with different birth dates share; the same full birth date
  and a name the pair score reads as one spelt two ways ('Dmitry Sergeyvich PESKOV' / 'PESKOV, Dmitriy
  Sergeevich', 'Saeed MONTAZER AL-MAHDI' / 'MONTAZEROLMEHDI, Saeed');
- for organisations, the whole name (legal forms and word order aside, the same legal forms read
  first) when it holds a distinctive word or a place ("Aviation Industry Corporation of China"); a
  name of sector words only ("Ministry of Defence") also needs the same country. A name that is
  another's whole name behind leading place words ("Zhejiang Dahua Technology" = "Dahua
  Technology") needs the same country and a rare word in what remains. Never a generic
  remainder: "Xinjiang Corps" and "Africa Corps" share only "corps", "Islamic Revolutionary Guard
  Corps" and Libya's "Revolutionary Guard Corps" only words that dozens of listed names hold;
- a row of a names-only list joins the one detailed party whose name it repeats.

Merges that contradict the facts are refused: two rows of the same list (two Entity List rows
never merge, so Huawei's affiliates stay distinct), different countries, different birth dates,
different IMO numbers (two ships of one name).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from redline.parties.names import NUMBER, PATRONYMIC, PLACE, STOP, WORD, AnalysedName, analyse, fold, split_alternatives, without_short_name
from redline.parties.score import compare
from redline.parties.sources import names_only

# Sources that are bare names gathered from other lists: no facts, no authority of their own.
NAMES_ONLY_SOURCES = frozenset({names_only.SOURCE})
SUBJECT_SCHEMATA = {"Person", "Company", "Organization", "LegalEntity", "Vessel", "Airplane", "PublicBody"}
NAME_PROPS = ("name", "alias", "previousName", "weakAlias", "abbreviation")
IDENTIFIER_PROPS = (
    "imoNumber", "isinCode", "registrationNumber", "idNumber", "passportNumber", "taxNumber", "leiCode",
    "innCode", "ogrnCode", "swiftBic", "mmsi", "callSign", "vatCode",
)
# Evidence that outranks a birth date: two lists' records of one person joined by the publisher's record id or a
# passport or national id number, whatever years they give. The lists disagree on birth dates (the UN and OFAC give
# 'Jaber Al-Jalahmah' 1959, the UK's derived tables 1972); session 42: of 376 identifier merges a year refused, 361
# joined two names that also match as names, and the other 15 aliases of one person ('AL-DIBISKI, Nur Al-Din' /
# 'SALEM NOR ELDIN AMOHAMED AL-DABSKI'). Countries and two rows of one list still refuse.
OUTRANK_BIRTH_DATES = frozenset({"record_id", "identifier"})
UN_REFERENCE = "UN reference"
# An identifier shorter than this, or without a digit, is too likely to be shared by chance.
MIN_IDENTIFIER_LENGTH = 6
# Entity ids that carry a publisher's own record id: (id pattern, namespace). The CSL repeats
# OFAC's SDN and consolidated rows under OFAC's unique ids, which both OFAC files use too.
RECORD_IDS = (
    (re.compile(r"^us-(?:csl|ofac-sdn|ofac-cons)-(\d+)$"), "OFAC uid"),
)
# Given name, patronymic or second given name, surname: a person's name of this many parts is
# a full name that can carry a merge when one side gives no birth date.
FULL_NAME_PARTS = 3
# A word that more distinct listed organisation names than this hold cannot carry a merge once
# the leading place words are gone. Counted over the distinct organisation names of the lists in
# ../shared/data: "dahua" 4, "megvii" 2, "hikvision" 1; "corps" 41, "guard" 31, "revolutionary" 30.
RARE_WORD_MAX_NAMES = 12

EVIDENCE = {
    "same_id": "the same entity id, published in two formats or files",
    "record_id": "the same publisher record id",
    "identifier": "a shared identifier",
    "name_birth_date": "the same full name and birth date",
    "full_name": "the same full name of three or more parts, which no two dated people share; no birth date on one side",
    "spelt_name_birth_date": "the same full birth date and one full name spelt two ways (pair score at least 0.9)",
    "whole_name_form": "the same whole name and legal forms, with a distinctive word or a place",
    "whole_name": "the same whole name, with a distinctive word or a place",
    "whole_name_country": "the same whole name of sector words only, in the same country",
    "place_prefix": "one name is the other's whole name behind place words; same country, a rare word",
    "bare_name": "a names-only row repeating the name of exactly one detailed party",
}


# Sources whose Sanction `provisions` is the entry's licence review policy (the CSL's `license_policy`).
LICENSE_POLICY_SOURCES = ("us_csl",)


@dataclass
class Listing:
    source: str
    program: str
    program_id: str
    authority: str
    listed_on: str | None
    snapshot: str
    license_policy: str | None = None  # the entry's own licence review policy, where the list states one

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()

    @property
    def attributed(self) -> bool:
        """Whether an authority stands behind this listing (a names-only list names none)."""
        return bool(self.authority)


@dataclass
class Edge:
    relation: str  # as read from this party: "subsidiary of", "parent of", "affiliated with"
    other: int  # index of the other party
    percentage: float | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Merge:
    """Why two entities of a cluster are one party: an EVIDENCE kind and the value they share."""

    evidence: str
    key: str
    left: str  # entity id
    right: str  # entity id

    def to_dict(self) -> dict[str, str]:
        return {"evidence": self.evidence, "why": EVIDENCE[self.evidence], "key": self.key, "left": self.left, "right": self.right}


@dataclass
class Party:
    id: str
    schema: str
    caption: str
    entity_ids: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # the source of each entity id, in the same order
    captions: list[str] = field(default_factory=list)  # the first name of each entity id, in the same order
    names: list[str] = field(default_factory=list)  # every name, primary first
    primary_names: list[str] = field(default_factory=list)
    weak_names: set[str] = field(default_factory=set)  # names only ever given as a weakAlias
    countries: set[str] = field(default_factory=set)
    birth_years: set[str] = field(default_factory=set)
    identifiers: set[str] = field(default_factory=set)
    listings: list[Listing] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)

    @property
    def is_person(self) -> bool:
        return self.schema == "Person"

    @property
    def listed(self) -> bool:
        return bool(self.listings)

    @property
    def bare(self) -> bool:
        """Only rows of names-only lists: a name with no facts (schema, country, birth date) to confirm."""
        return bool(self.sources) and all(s in NAMES_ONLY_SOURCES for s in self.sources)


@dataclass
class SourceEntity:
    data: dict[str, Any]  # FtM entity dict: id, schema, properties
    source: str  # reader source name
    snapshot: str  # snapshot label, cited in results

    def values(self, prop: str) -> list[str]:
        return self.data.get("properties", {}).get(prop, [])


def build_parties(entities: Iterable[SourceEntity]) -> list[Party]:
    subjects: dict[str, SourceEntity] = {}
    sanction_rows: dict[str, SourceEntity] = {}  # one Sanction id read from two formats is one listing
    relations: list[SourceEntity] = []
    same_id: dict[str, list[str]] = defaultdict(list)  # id -> every source that published it
    for ent in entities:
        schema = ent.data["schema"]
        if schema in SUBJECT_SCHEMATA:
            known = subjects.get(ent.data["id"])
            subjects[ent.data["id"]] = merge_entities(known, ent) if known else ent
            if ent.source not in same_id[ent.data["id"]]:
                same_id[ent.data["id"]].append(ent.source)
        elif schema == "Sanction":
            known = sanction_rows.get(ent.data["id"])
            sanction_rows[ent.data["id"]] = merge_entities(known, ent) if known else ent
        elif schema in ("Ownership", "UnknownLink", "Directorship", "Associate", "Family"):
            relations.append(ent)

    sanctions: dict[str, list[SourceEntity]] = defaultdict(list)
    for row in sanction_rows.values():
        for target in row.values("entity"):
            sanctions[target].append(row)

    ids = list(subjects)
    clusters = _Clusters(ids)
    for i, eid in enumerate(ids):
        ent = subjects[eid]
        origins = {(ent.source, (s.values("programId") or [""])[0]) for s in sanctions.get(eid, [])}
        dates = set(ent.values("birthDate"))
        clusters.facts[i] = _Facts(
            # A names-only row only ever joins a detailed party (never another row of its list).
            origins=set() if ent.source in NAMES_ONLY_SOURCES else origins or {(ent.source, "")},
            countries={c.lower() for p in ("country", "nationality", "jurisdiction") for c in ent.values(p)},
            years={d[:4] for d in dates},
            dates={d for d in dates if len(d) == 10},
            ships={digits for v in ent.values("imoNumber") if (digits := re.sub(r"\D", "", v))},
        )
    detailed = [i for i, eid in enumerate(ids) if subjects[eid].source not in NAMES_ONLY_SOURCES]
    _merge_detailed(ids, subjects, detailed, clusters, sanctions)
    _attach_bare_names(ids, subjects, clusters)

    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(ids)):
        groups[clusters.find(i)].append(i)

    parties: list[Party] = []
    party_of: dict[str, int] = {}
    for root, members in groups.items():
        members.sort(key=lambda i: (subjects[ids[i]].source in NAMES_ONLY_SOURCES, -len(sanctions.get(ids[i], [])), ids[i]))
        party = _make_party([subjects[ids[i]] for i in members], sanctions)
        party.merges = clusters.merges.get(root, [])
        for i in members:
            if len(same_id[ids[i]]) > 1:
                party.merges.insert(0, Merge("same_id", " + ".join(same_id[ids[i]]), ids[i], ids[i]))
            party_of[ids[i]] = len(parties)
        parties.append(party)

    _link(parties, party_of, relations)
    return parties


def cluster_audit(parties: Iterable[Party], contains: str | None = None) -> list[dict[str, Any]]:
    """Each cluster of more than one entity, with its entities and the evidence of every merge;
    `contains` keeps the clusters with a name holding that text (case aside)."""
    needle = contains.casefold() if contains else None
    out = []
    for party in parties:
        if len(party.entity_ids) < 2 or needle and not any(needle in n.casefold() for n in party.names):
            continue
        out.append({
            "id": party.id,
            "caption": party.caption,
            "schema": party.schema,
            "entities": [{"id": i, "source": s, "name": c} for i, s, c in zip(party.entity_ids, party.sources, party.captions)],
            "merges": [m.to_dict() for m in party.merges],
            "lists": sorted({l.program_id for l in party.listings}),
        })
    out.sort(key=lambda c: (-len(c["entities"]), c["caption"]))
    return out


def merge_entities(first: SourceEntity, second: SourceEntity) -> SourceEntity:
    """One entity published in two formats under one id (OFAC's consolidated list as CSV and
    as XML): every value of both, the first's order first."""
    props = {k: list(v) for k, v in first.data.get("properties", {}).items()}
    for prop, values in second.data.get("properties", {}).items():
        have = props.setdefault(prop, [])
        have.extend(v for v in values if v not in have)
    return SourceEntity({**first.data, "properties": props}, first.source, first.snapshot)


def _name_word_shared(a: SourceEntity, b: SourceEntity) -> bool:
    """Whether two records' names or aliases share a word."""
    person = a.data["schema"] == "Person"

    def words(ent: SourceEntity) -> set[str]:
        return {t.text for name in _names(ent, ("name", "alias")) for t in analyse(name, person=person).tokens if t.kind != STOP}

    return bool(words(a) & words(b))


def _names(ent: SourceEntity, props: tuple[str, ...] = ("name",)) -> Iterable[str]:
    return (alt for prop in props for listed in ent.values(prop) for alt in split_alternatives(listed))


def _org_names(ent: SourceEntity) -> Iterable[str]:
    """An organisation's names, each also without the short name it ends with ('Perm Scientific Industrial
    Instrument-Making Company (PNPPK)' is also the name another list gives without it)."""
    for name in _names(ent):
        yield name
        if long := without_short_name(name):
            yield long


def _merge_detailed(
    ids: list[str], subjects: dict[str, SourceEntity], detailed: list[int], clusters: _Clusters, sanctions: dict[str, list[SourceEntity]]
) -> None:
    """Merge the entities of detailed lists on the evidence kinds, strongest first."""
    keys: dict[str, dict[tuple[Any, ...], list[int]]] = {kind: defaultdict(list) for kind in EVIDENCE}
    prefixes: list[tuple[int, str, str]] = []  # (entity, its whole name, the name behind its place words)
    shown: dict[str, str] = {}  # a name's spelling key -> the name as first read, for the merge's evidence
    org_names: dict[str, AnalysedName] = {}
    for i in detailed:
        ent = subjects[ids[i]]
        person = ent.data["schema"] == "Person"
        for pattern, namespace in RECORD_IDS:
            if found := pattern.match(ids[i]):
                keys["record_id"][(namespace, found.group(1))].append(i)
        for reference in {ref.strip().upper() for sanction in sanctions.get(ids[i], ()) for ref in sanction.values("unscId") if ref.strip()}:
            keys["record_id"][(UN_REFERENCE, reference)].append(i)  # the UN's own record, as the UK's list cites it
        for prop in IDENTIFIER_PROPS:
            for value in ent.values(prop):
                value = re.sub(r"[\s./-]", "", value).upper()
                if prop == "imoNumber":
                    value = value.removeprefix("IMO")  # "IMO 9123456" and "9123456" are one ship
                if len(value) >= MIN_IDENTIFIER_LENGTH and any(ch.isdigit() for ch in value):
                    keys["identifier"][(person, value)].append(i)
        if person:
            # Yuri / Yuriy, Alexeyev / Alekseev: one person when the birth date agrees too (the
            # union refuses two different full dates within one year).
            years = {d[:4] for d in ent.values("birthDate")}
            for name in _names(ent, ("name", "alias")):
                analysed = analyse(name, person=True)
                spelled = spelling_key(analysed)
                shown.setdefault(spelled, analysed.key)
                for year in years:
                    keys["name_birth_date"][(spelled, year)].append(i)
                if sum(t.kind in (WORD, PATRONYMIC) for t in analysed.tokens) >= FULL_NAME_PARTS:
                    keys["full_name"][(spelled,)].append(i)
            continue
        countries = clusters.facts[i].countries  # type: ignore[union-attr]
        craft = _craft(ent)
        for name in _org_names(ent):
            analysed = analyse(name)
            if not analysed.key:
                continue
            spelt = spelling_key(analysed)
            shown.setdefault(spelt, analysed.key)
            if distinctive(analysed):
                if analysed.legal_forms:
                    keys["whole_name_form"][(spelt, craft, *_forms(analysed))].append(i)
                keys["whole_name"][(spelt, craft)].append(i)
                org_names[spelt] = analysed
            else:
                for country in countries:
                    keys["whole_name_country"][(spelt, country, craft)].append(i)
            if (remainder := place_remainder(analysed)) is not None:
                prefixes.append((i, analysed.key, remainder))
    # A whole name with the same legal forms first: where the lists give one name to two firms ('PETROM GMBH
    # INTERNATIONAL TRADE', 'PETROM INTERNACIONAL TRADE, S.L.', each on two lists), each firm's rows join before the
    # name alone would pair the first row read with any other list's. Not a name with no legal form: that says nothing
    # of which firm it is ('Sigma Tech' of Damascus and Russia's 'SIGMA TEKH').
    for kind in ("record_id", "identifier", "name_birth_date", "full_name", "whole_name_form", "whole_name", "whole_name_country"):
        for key, members in keys[kind].items():
            if kind == "full_name" and len({y for m in members for y in clusters.facts[m].years}) > 1:  # type: ignore[union-attr]
                continue  # two people of this name, born in different years: a name alone says not which
            label = " | ".join(shown.get(k, k) if isinstance(k, str) else str(k) for k in key if not isinstance(k, (bool, Craft)))
            for other in members[1:]:
                if key[0] == UN_REFERENCE and not _name_word_shared(subjects[ids[members[0]]], subjects[ids[other]]):
                    continue  # a reference cited wrong: the UK's derived tables give the UN's 'KEMPES SANON' (HTi.009) to Dimitri Herard
                clusters.union(members[0], other, Merge(kind, label, ids[members[0]], ids[other]))
    _merge_spellings_born_on_one_day(ids, subjects, detailed, clusters)
    frequency: Counter[str] = Counter()
    for org_name in org_names.values():
        frequency.update({t.text for t in org_name.tokens if t.kind == WORD})
    for i, whole, remainder in prefixes:
        spelt = _spelt(remainder)
        owners = keys["whole_name"].get((spelt, _craft(subjects[ids[i]])), [])
        if owners and any(frequency[t.text] <= RARE_WORD_MAX_NAMES for t in org_names[spelt].tokens if t.kind == WORD):
            for other in owners:
                clusters.union(other, i, Merge("place_prefix", f"{whole} -> {remainder}", ids[other], ids[i]), same_country=True)


class Craft(StrEnum):
    """What a named non-person is: a ship and an aircraft are never a firm, nor each other, whatever their names ('ORION',
    a tanker, and ORION, a company; 'MERCURY'; 'KPD', an aircraft's registration and a firm's initials)."""

    VESSEL = "Vessel"
    AIRPLANE = "Airplane"
    BODY = ""  # a company, an organisation, a public body, or a legal entity of no stated kind


def _craft(ent: SourceEntity) -> Craft:
    schema = ent.data["schema"]
    return Craft.VESSEL if schema == "Vessel" else Craft.AIRPLANE if schema == "Airplane" else Craft.BODY


SPELT_TWO_WAYS = 0.9  # the pair score of two spellings of one name ('Davood BABAEI' / 'Davoud Babaii' 0.95)
BORN_ON_ONE_DAY_MAX = 12  # people the lists give one full birth date beyond which no pair is compared


def _merge_spellings_born_on_one_day(ids: list[str], subjects: dict[str, SourceEntity], detailed: list[int], clusters: _Clusters) -> None:
    """People with the same full birth date whose full names are one name spelt two ways beyond what
    spelling_key folds ('Saeed MONTAZER AL-MAHDI' / 'MONTAZEROLMEHDI, Saeed'), or one with a part left out ('Herman GREF' /
    'GREF, Herman Oskarovich'): the date narrows the lists to a handful of people, among whom the pair
    score decides."""

    born: dict[str, list[int]] = defaultdict(list)
    for i in detailed:
        ent = subjects[ids[i]]
        if ent.data["schema"] == "Person":
            for date in {d for d in ent.values("birthDate") if len(d) == 10}:
                born[date].append(i)
    for date, members in born.items():
        if not 2 <= len(members) <= BORN_ON_ONE_DAY_MAX:
            continue
        names = {i: [(n, analyse(n, person=True)) for n in _names(subjects[ids[i]])] for i in members}
        for k, a in enumerate(members):
            for b in members[k + 1:]:
                if clusters.find(a) == clusters.find(b):
                    continue
                pair = max(((compare(na, nb).score, ra, rb) for ra, na in names[a] for rb, nb in names[b]), default=(0.0, "", ""))
                if pair[0] >= SPELT_TWO_WAYS:
                    clusters.union(a, b, Merge("spelt_name_birth_date", f"{pair[1]} ~ {pair[2]} | {date}", ids[a], ids[b]))


def distinctive(name: AnalysedName) -> bool:
    """Whether a whole name says whose it is: a word of its own, or a place and another word
    ("Aviation Industry Corporation of China"), not sector words alone ("Ministry of Defence")."""
    words = [t for t in name.tokens if t.kind != STOP]
    return any(t.kind in (WORD, NUMBER) for t in words) or len(words) >= 2 and any(t.kind == PLACE for t in words)


def place_remainder(name: AnalysedName) -> str | None:
    """The key of the name behind the place words it starts with, when there are some and a
    distinctive word remains: "Zhejiang Dahua Technology" -> "dahua technology"."""
    tokens = list(name.tokens)
    dropped = []
    while tokens and tokens[0].kind in (PLACE, STOP):
        dropped.append(tokens.pop(0))
    if not any(t.kind == PLACE for t in dropped) or not any(t.kind == WORD for t in tokens):
        return None
    return " ".join(sorted(t.text for t in tokens if t.kind != STOP))


def _attach_bare_names(ids: list[str], subjects: dict[str, SourceEntity], clusters: _Clusters) -> None:
    """A row of a names-only list joins the one detailed party whose whole name it repeats: first
    among the parties' own names, then among their aliases and former names; with its legal forms
    where the name alone is two parties' ('PETROM GMBH INTERNATIONAL TRADE', 'PETROM INTERNACIONAL
    TRADE, S.L.'). A name that two parties carry at the first level that has one leaves the row
    alone, for review."""
    owners: tuple[dict[tuple[str | bool, ...], set[int]], ...] = (defaultdict(set), defaultdict(set))
    bare: list[int] = []
    for i, eid in enumerate(ids):
        ent = subjects[eid]
        if ent.source in NAMES_ONLY_SOURCES:
            bare.append(i)
            continue
        person = ent.data["schema"] == "Person"
        for tier, props in enumerate((("name",), ("alias", "previousName"))):
            for name in _names(ent, props):
                analysed = analyse(name, person=person)
                if distinctive(analysed) or person and len(analysed.tokens) > 1:
                    owners[tier][(person, analysed.key)].add(i)
                    if analysed.legal_forms:
                        owners[tier][(person, analysed.key, *_forms(analysed))].add(i)
    for i in bare:
        analyses = [(person, analyse(name, person=person)) for name in _names(subjects[ids[i]], ("name", "alias")) for person in (False, True)]
        keys = {(person, analysed.key) for person, analysed in analyses}
        formed = {(person, analysed.key, *_forms(analysed)) for person, analysed in analyses if analysed.legal_forms}
        for by_name in owners:
            roots = {clusters.find(j): ids[j] for key in keys for j in by_name.get(key, ())}
            if len(roots) > 1 and len(by_form := {clusters.find(j): ids[j] for key in formed for j in by_name.get(key, ())}) == 1:
                roots = by_form
            if roots:
                if len(roots) == 1:
                    root, owner = roots.popitem()
                    clusters.union(root, i, Merge("bare_name", analyse(subjects[ids[i]].values("name")[0]).key, owner, ids[i]))
                break


def _forms(name: AnalysedName) -> list[str]:
    """A name's legal forms, each once and in one order: a key beside the whole name's."""
    return sorted(set(name.legal_forms))


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
    """The order-free name (AnalysedName.key) with common transliteration variants of Cyrillic names
    folded, then the romanisation variants the pair score folds (names.fold: Makhlouf / Makhluf,
    Pakpour / Pakpur, Votkinskiy / Votkinsky)."""
    return _spelt(name.key)


def _spelt(key: str) -> str:
    words = []
    for text in key.split():
        for pattern, replacement in _SPELLINGS:
            text = pattern.sub(replacement, text)
        words.append(fold(text))
    return " ".join(sorted(words))


@dataclass
class _Facts:
    origins: set[tuple[str, str]]
    countries: set[str]
    years: set[str]
    dates: set[str]  # full birth dates
    ships: set[str]  # IMO numbers: two ships of one name are two parties (SOURIA and SURYA spell alike)

    def conflict(self, other: _Facts, same_country: bool = False, dated: bool = True) -> bool:
        """Whether the facts say two parties; birth dates only where `dated` (evidence that outranks them does not ask)."""
        if self.origins & other.origins:
            return True  # two rows of the same list are two parties
        if self.countries and other.countries and not self.countries & other.countries:
            return True
        if same_country and not self.countries & other.countries:
            return True  # the merge rests on the country: both must give it
        if self.ships and other.ships and not self.ships & other.ships:
            return True
        if not dated:
            return False
        if self.years and other.years and not self.years & other.years:
            return True
        return bool(self.dates and other.dates and not self.dates & other.dates)

    def __or__(self, other: _Facts) -> _Facts:
        return _Facts(self.origins | other.origins, self.countries | other.countries, self.years | other.years, self.dates | other.dates,
                      self.ships | other.ships)


class _Clusters:
    """Union-find that refuses merges contradicting lists, countries or birth dates, and keeps
    the evidence of every merge it makes under the cluster's root."""

    def __init__(self, ids: list[str]) -> None:
        self.parent = list(range(len(ids)))
        self.facts: list[_Facts | None] = [None] * len(ids)
        self.merges: dict[int, list[Merge]] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int, evidence: Merge, same_country: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        fa, fb = self.facts[ra], self.facts[rb]
        assert fa is not None and fb is not None
        if fa.conflict(fb, same_country, dated=evidence.evidence not in OUTRANK_BIRTH_DATES):
            return False
        self.parent[rb] = ra
        self.facts[ra] = fa | fb
        merged = self.merges.setdefault(ra, [])
        merged.extend(self.merges.pop(rb, ()))
        merged.append(evidence)
        return True


def _make_party(members: list[SourceEntity], sanctions: dict[str, list[SourceEntity]]) -> Party:
    first = members[0]
    schemata = {m.data["schema"] for m in members}
    schema = first.data["schema"]
    if len(schemata) > 1:
        specific = [s for s in ("Person", "Vessel", "Airplane", "Company", "Organization", "PublicBody") if s in schemata]
        schema = specific[0] if specific else "LegalEntity"
    party = Party(id=first.data["id"], schema=schema, caption=(first.values("name") or [first.data["id"]])[0])
    seen_names: set[str] = set()
    seen_listings: set[tuple[Any, ...]] = set()  # one listing read from a list's two formats, or from several names-only rows
    for m in members:
        party.entity_ids.append(m.data["id"])
        party.sources.append(m.source)
        party.captions.append((m.values("name") or [m.data["id"]])[0])
        for prop in NAME_PROPS:
            for name in m.values(prop):
                if name not in seen_names:
                    seen_names.add(name)
                    party.names.append(name)
                    if prop == "name":
                        party.primary_names.append(name)
                    if prop == "weakAlias":
                        party.weak_names.add(name)
                elif prop != "weakAlias":
                    party.weak_names.discard(name)  # another member gives it as a strong name
        party.countries.update(m.values("country"), m.values("nationality"), m.values("jurisdiction"))
        party.birth_years.update(d[:4] for d in m.values("birthDate"))
        for prop in IDENTIFIER_PROPS:
            party.identifiers.update(v.replace(" ", "").upper() for v in m.values(prop))
        for s in sanctions.get(m.data["id"], []):
            bare = m.source in NAMES_ONLY_SOURCES  # read under the reader's current terms, whatever was stored
            listing = Listing(
                source=m.source,
                program=names_only.PROGRAM if bare else (s.values("program") or [""])[0],
                program_id=names_only.PROGRAM_ID if bare else (s.values("programId") or [""])[0],
                authority="" if bare else (s.values("authority") or [""])[0],
                listed_on=next(iter(s.values("listingDate") or s.values("startDate")), None),
                snapshot=m.snapshot,
                license_policy=next(iter(s.values("provisions")), None) if m.source in LICENSE_POLICY_SOURCES else None,
            )
            key = tuple(listing.__dict__.values())
            if key not in seen_listings:
                seen_listings.add(key)
                party.listings.append(listing)
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

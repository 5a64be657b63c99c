"""Labelled name pairs for the categories Redline is judged on, from the lists' own data.

Positives are two names a list gives ONE entity (its own aliases, its Latin and native-script
names). Negatives are names of two DIFFERENT listed entities, chosen hard (the most similar pair
the rule allows) and safe (evidence that they are different: disjoint distinctive words, no shared
name or identifier, and for persons different birth years, for must-not-match different countries).
Nothing here uses the engine's vocabulary: words are classed by benchmarks.parties_common's own
lists. The pairs are frozen in benchmarks/data/parties_category_cases.csv; a pair's half is
`split_of(set, entity id of its first name)`, and a negative's second entity is drawn from the same half.

Sets
  company_variants  two aliases of one company sharing a distinctive word; negatives: another company
                    with no distinctive word in common, most similar by token_set_ratio
  person_variants   two spellings of one person; negatives: another person born in another year whose
                    name differs in at least one word
  cross_script      a Latin name and a native-script name of one entity; negatives: the native name of
                    another entity closest in the same script, the Latin names far apart
  gov_bodies        two names of one government body (ministry, bureau, police, army ..., no legal form) sharing
                    a place or distinctive word; negatives: another
                    body with the same generic words and another place or distinctive word
  must_not_match    organisations of different countries whose names keep the same generic words with
                    different distinctive words (the 'corps' merges); negatives only
  acronyms          an organisation's one-word short name (2-6 letters, legal forms aside) and another of its
                    names of two words or more that does not contain it and shares no distinctive word with it
                    ('IRGC' / 'Islamic Revolutionary Guard Corps', but also 'Hamas' / 'Islamic Resistance
                    Movement'); negatives: another organisation's name whose initials come nearest the short
                    name's letters without spelling them (a name whose initials spell it exactly is a
                    collision no name alone can settle), no distinctive word shared with the first's names.
                    Added in session 30, after the other sets were frozen: rows appended, earlier rows unchanged
  company_aliases   two names of one organisation, two words or more each (legal forms aside), that share no
                    distinctive word: translations ('Russian Venture Company' / 'Rossijskaja Venchurnaja Kompanija'),
                    transliterations, acronyms written out or with dots, and names no spelling reaches ('Hamas' /
                    'Islamic Resistance Movement'); negatives: another organisation's name, the most similar by
                    token_set_ratio, no distinctive word in common with any of the first's names. Added in session
                    30 as acronyms was
"""

from __future__ import annotations

import csv
import random
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from rapidfuzz import fuzz, process

from benchmarks.eval_split import split_of
from benchmarks.pair_scoring import Pair
from benchmarks.parties_common import GENERIC, LEGAL, ORGS, PLACES, STOPWORDS, SourceEntity, distinctive, is_latin, names_of, norm, words

CASES_FILE = Path(__file__).parent / "data" / "parties_category_cases.csv"
# A larger pool of the tune half, for finding the engine's misses by class without reading the test half:
# the same builder with another seed and more pairs per set, tune-half entities only, none of CASES_FILE's
# pairs (docs/benchmarks-parties.md, session 28). Its sets are named 'pool:<set>'.
POOL_FILE = Path(__file__).parent / "data" / "parties_category_pool.csv"
POOL_SEED = 7
POOL_PER_HALF = 1500
POOL_ATTEMPTS = 40000
COLUMNS = ["set", "split", "label", "a", "b", "schema", "entity_a", "entity_b"]
PER_HALF = 150
MAX_ATTEMPTS = 2500  # entities tried per set (bounds the build time)
SEED = 20261203
GOV = set(
    """ministry bureau department police security directorate administration committee army navy forces corps guard
    command brigade regiment intelligence prison court prosecutor procuracy government municipal prefecture provincial
    militia""".split()
)


def _props(e: SourceEntity, prop: str) -> list[str]:
    return e.data.get("properties", {}).get(prop, [])


def _ids(e: SourceEntity) -> set[str]:
    from benchmarks.parties_common import ID_PROPS

    return {re.sub(r"[^0-9A-Z]", "", v.upper()) for p in ID_PROPS for v in _props(e, p)} - {""}


def _years(e: SourceEntity) -> set[str]:
    return {d[:4] for d in _props(e, "birthDate") if d[:4].isdigit()}


def _countries(e: SourceEntity) -> set[str]:
    return {c.lower() for p in ("country", "jurisdiction", "nationality") for c in _props(e, p)}


def _latin(e: SourceEntity) -> list[str]:
    return [n for n in dict.fromkeys(names_of(e.data)) if is_latin(n) and len(norm(n)) > 3]


def _remainder(name: str) -> tuple[str, ...]:
    """The generic words of a name (legal forms and stopwords out), sorted."""
    return tuple(sorted(w for w in words(name) if w in GENERIC | GOV and w not in LEGAL and w not in STOPWORDS))


def _same_words(a: str, b: str) -> bool:
    """Every word of the shorter name has a close spelling (ratio >= 80) in the other: the same name
    however the birth years differ (lists disagree on a person's year), never a safe negative."""
    wa, wb = words(a), words(b)
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return all(any(fuzz.ratio(w, v) >= 80 for v in long) for w in short)


def _markers(name: str) -> set[str]:
    return set(distinctive(name)) | {w for w in words(name) if w in PLACES}


class _Builder:
    def __init__(self, entities: list[SourceEntity], seed: int, per_half: int = PER_HALF, attempts: int = MAX_ATTEMPTS) -> None:
        self.rng = random.Random(seed)
        self.per_half, self.attempts = per_half, attempts
        seen: set[str] = set()
        self.entities = []
        for e in entities:  # one row per id; names-only mixed lists are left out (no facts to tell entities apart)
            if e.data["id"] not in seen and e.source != "names_csl_meti":
                seen.add(e.data["id"])
                self.entities.append(e)
        self.entities.sort(key=lambda e: e.data["id"])
        self.rng.shuffle(self.entities)
        self.name_owners: dict[str, set[str]] = defaultdict(set)
        for e in self.entities:
            for n in names_of(e.data):
                self.name_owners[norm(n)].add(e.data["id"])

    def different(self, x: SourceEntity, y: SourceEntity) -> bool:
        if x.data["id"] == y.data["id"] or _ids(x) & _ids(y):
            return False
        xs = {norm(n) for n in names_of(x.data)}
        return not any(y.data["id"] in self.name_owners[n] for n in xs)

    def half(self, set_name: str, e: SourceEntity) -> str:
        return split_of(set_name, e.data["id"])

    def nearest(self, set_name: str, x: SourceEntity, a: str, pool: list[tuple[SourceEntity, str]], ok, scorer=fuzz.token_set_ratio) -> tuple[SourceEntity, str] | None:
        texts = [t for _, t in pool]
        for _, _, i in process.extract(a, texts, scorer=scorer, limit=60):
            y, b = pool[i]
            if self.half(set_name, y) == self.half(set_name, x) and self.different(x, y) and ok(a, b, x, y):
                return y, b
        return None

    def emit(self, set_name: str, positives: Iterator[tuple[SourceEntity, str, str]], pool: list[tuple[SourceEntity, str]], ok,
             schema: str | None, scorer=fuzz.token_set_ratio, negatives_only: bool = False) -> list[Pair]:
        out: list[Pair] = []
        count: dict[tuple[str, int], int] = defaultdict(int)
        for attempt, (x, a, b) in enumerate(positives):
            if attempt >= self.attempts:
                break
            h = self.half(set_name, x)
            if count[(h, 0)] >= self.per_half and (negatives_only or count[(h, 1)] >= self.per_half):
                continue
            if not negatives_only and count[(h, 1)] < self.per_half:
                out.append(Pair(set_name, h, 1, a, b, schema, f"{x.data['id']}|{x.data['id']}"))
                count[(h, 1)] += 1
            if count[(h, 0)] < self.per_half:
                found = self.nearest(set_name, x, a, pool, ok, scorer)
                if found is not None:
                    y, neg = found
                    out.append(Pair(set_name, h, 0, a, neg, schema, f"{x.data['id']}|{y.data['id']}"))
                    count[(h, 0)] += 1
        return out


def build(entities: list[SourceEntity], seed: int = SEED, per_half: int = PER_HALF, attempts: int = MAX_ATTEMPTS) -> list[Pair]:
    bld = _Builder(entities, seed, per_half, attempts)
    ents = bld.entities
    orgs = [e for e in ents if e.data["schema"] in ORGS]
    persons = [e for e in ents if e.data["schema"] == "Person"]
    pairs: list[Pair] = []

    def is_gov(n: str) -> bool:
        ws = set(words(n))
        return bool(ws & GOV) and not ws & LEGAL  # a body of the state, not a company with 'Bureau' in its name

    # company variants
    def company_pos() -> Iterator[tuple[SourceEntity, str, str]]:
        for e in orgs:
            ns = [n for n in _latin(e) if not is_gov(n)]
            for i, a in enumerate(ns):
                b = next((b for b in ns[i + 1:] if norm(b) != norm(a) and set(distinctive(a)) & set(distinctive(b))), None)
                if b:
                    yield e, a, b
                    break

    company_pool = [(e, n) for e in orgs for n in _latin(e)[:2] if not is_gov(n)]
    pairs += bld.emit("company_variants", company_pos(), company_pool,
                      lambda a, b, x, y: distinctive(b) != [] and not set(distinctive(a)) & set(distinctive(b)), None)

    # person variants
    def person_pos() -> Iterator[tuple[SourceEntity, str, str]]:
        for e in persons:
            if not _years(e):
                continue
            ns = _latin(e)
            for i, a in enumerate(ns):
                b = next((b for b in ns[i + 1:] if norm(b) != norm(a) and fuzz.token_sort_ratio(norm(a), norm(b)) >= 50), None)
                if b:
                    yield e, a, b
                    break

    person_pool = [(e, n) for e in persons if _years(e) for n in _latin(e)[:2]]
    pairs += bld.emit("person_variants", person_pos(), person_pool,
                      lambda a, b, x, y: not _years(x) & _years(y) and not _same_words(a, b), "Person", scorer=fuzz.token_sort_ratio)

    # cross-script: the query is the Latin name, the other side a native-script name
    natives = {e.data["id"]: [n for n in dict.fromkeys(names_of(e.data)) if not is_latin(n)] for e in ents}

    def script_pos() -> Iterator[tuple[SourceEntity, str, str]]:
        for e in ents:
            latin, native = _latin(e), natives[e.data["id"]]
            if latin and native:
                yield e, latin[0], native[0]

    native_pool = [(e, n) for e in ents for n in natives[e.data["id"]][:1] if _latin(e)]
    latin_of = {e.data["id"]: _latin(e)[0] for e, _ in native_pool}
    own_native = {e.data["id"]: natives[e.data["id"]][0] for e, _ in native_pool}
    script_pairs: list[Pair] = []
    count: dict[tuple[str, int], int] = defaultdict(int)
    texts = [t for _, t in native_pool]
    for attempt, (x, a, b) in enumerate(script_pos()):
        if attempt >= bld.attempts:
            break
        h = bld.half("cross_script", x)
        if count[(h, 1)] >= bld.per_half and count[(h, 0)] >= bld.per_half:
            continue
        schema = "Person" if x.data["schema"] == "Person" else None
        if count[(h, 1)] < bld.per_half:
            script_pairs.append(Pair("cross_script", h, 1, a, b, schema, f"{x.data['id']}|{x.data['id']}"))
            count[(h, 1)] += 1
        if count[(h, 0)] < bld.per_half:
            for _, _, i in process.extract(own_native[x.data["id"]], texts, scorer=fuzz.ratio, limit=60):
                y, nb = native_pool[i]
                if (y.data["schema"] == "Person") != (schema == "Person") or bld.half("cross_script", y) != h or not bld.different(x, y):
                    continue
                if fuzz.token_sort_ratio(norm(a), norm(latin_of[y.data["id"]])) >= 60:
                    continue
                script_pairs.append(Pair("cross_script", h, 0, a, nb, schema, f"{x.data['id']}|{y.data['id']}"))
                count[(h, 0)] += 1
                break
    pairs += script_pairs

    # government bodies
    govs = [e for e in orgs if any(is_gov(n) for n in _latin(e))]

    def gov_pos() -> Iterator[tuple[SourceEntity, str, str]]:
        for e in govs:
            ns = [n for n in _latin(e) if is_gov(n)]
            for i, a in enumerate(ns):
                b = next((b for b in _latin(e) if norm(b) != norm(a) and _markers(a) & _markers(b)), None)
                if b:
                    yield e, a, b
                    break
            else:
                if ns:
                    yield e, ns[0], ""  # no second name: a negative only

    gov_pool = [(e, n) for e in govs for n in _latin(e)[:2] if is_gov(n)]

    def gov_ok(a: str, b: str, x: SourceEntity, y: SourceEntity) -> bool:
        return _remainder(a) == _remainder(b) and bool(_markers(b)) and not _markers(a) & _markers(b)

    gov = []
    for attempt, (x, a, b) in enumerate(gov_pos()):
        if attempt >= bld.attempts:
            break
        h = bld.half("gov_bodies", x)
        if b and sum(1 for p in gov if p.split == h and p.label) < bld.per_half:
            gov.append(Pair("gov_bodies", h, 1, a, b, None, f"{x.data['id']}|{x.data['id']}"))
        if sum(1 for p in gov if p.split == h and not p.label) < bld.per_half:
            found = bld.nearest("gov_bodies", x, a, gov_pool, gov_ok)
            if found:
                y, neg = found
                gov.append(Pair("gov_bodies", h, 0, a, neg, None, f"{x.data['id']}|{y.data['id']}"))
    pairs += gov

    # must not match: different countries, same generic remainder, nothing distinctive shared
    mnm_orgs = [e for e in orgs if _countries(e)]
    mnm_pool = [(e, n) for e in mnm_orgs for n in _latin(e)[:2] if _remainder(n)]

    def mnm_ok(a: str, b: str, x: SourceEntity, y: SourceEntity) -> bool:
        return (not _countries(x) & _countries(y) and _countries(y) != set() and _remainder(a) == _remainder(b)
                and bool(_markers(a)) and bool(_markers(b)) and not _markers(a) & _markers(b))

    pairs += bld.emit("must_not_match", ((e, n, "") for e, n in mnm_pool), mnm_pool, mnm_ok, None, negatives_only=True)
    pairs += _acronyms(bld, orgs)

    def long_name(n: str) -> bool:
        return len([w for w in words(n) if w not in LEGAL]) >= 2

    def alias_pos() -> Iterator[tuple[SourceEntity, str, str]]:
        for e in orgs:
            ns = [n for n in _latin(e) if long_name(n)]
            for i, a in enumerate(ns):
                b = next((b for b in ns[i + 1:] if not set(distinctive(a)) & set(distinctive(b))), None)
                if b:
                    yield e, a, b
                    break

    alias_pool = [(e, n) for e in orgs for n in _latin(e)[:2] if long_name(n)]

    def alias_ok(a: str, b: str, x: SourceEntity, y: SourceEntity) -> bool:
        return not {w for n in names_of(x.data) for w in distinctive(n)} & set(distinctive(b))

    pairs += bld.emit("company_aliases", alias_pos(), alias_pool, alias_ok, None)
    return pairs


def _short_name(name: str) -> str | None:
    """The one word of a name once its legal forms are out, if 2-6 letters: 'IRGC', 'OOO LMZ' -> 'lmz'."""
    ws = [w for w in words(name) if w not in LEGAL]
    return ws[0] if len(ws) == 1 and 2 <= len(ws[0]) <= 6 and ws[0].isalpha() else None


def _initials(name: str) -> str:
    return "".join(w[0] for w in words(name) if w not in LEGAL and w not in STOPWORDS)


def _acronyms(bld: _Builder, orgs: list[SourceEntity]) -> list[Pair]:
    def positives() -> Iterator[tuple[SourceEntity, str, str]]:
        for e in orgs:
            names = _latin(e)
            short = next((n for n in names if _short_name(n)), None)
            if short is None:
                continue
            letters = _short_name(short)
            full = next((n for n in names if len([w for w in words(n) if w not in LEGAL]) >= 2 and letters not in words(n)
                         and not set(distinctive(short)) & set(distinctive(n))), None)
            if full:
                yield e, short, full

    pool = [(e, n) for e in orgs for n in _latin(e)[:2] if len([w for w in words(n) if w not in LEGAL]) >= 2]
    initials = [_initials(n) for _, n in pool]
    out: list[Pair] = []
    count: dict[tuple[str, int], int] = defaultdict(int)
    for attempt, (x, a, b) in enumerate(positives()):
        if attempt >= bld.attempts:
            break
        h = bld.half("acronyms", x)
        if count[(h, 1)] < bld.per_half:
            out.append(Pair("acronyms", h, 1, a, b, None, f"{x.data['id']}|{x.data['id']}"))
            count[(h, 1)] += 1
        if count[(h, 0)] >= bld.per_half:
            continue
        letters = _short_name(a) or ""
        own = {w for n in names_of(x.data) for w in distinctive(n)}
        for _, _, i in process.extract(letters, initials, scorer=fuzz.ratio, limit=60):
            y, neg = pool[i]
            if (initials[i] != letters and bld.half("acronyms", y) == h and bld.different(x, y)
                    and not set(distinctive(neg)) & own and letters not in words(neg)):
                out.append(Pair("acronyms", h, 0, a, neg, None, f"{x.data['id']}|{y.data['id']}"))
                count[(h, 0)] += 1
                break
    return out


def build_pool(entities: list[SourceEntity]) -> list[Pair]:
    """The larger tune-half pool (POOL_FILE): tune-half pairs of another seed, less the frozen ones."""
    frozen = {(p.set, p.a, p.b) for p in load()}
    return [Pair(f"pool:{p.set}", p.split, p.label, p.a, p.b, p.schema, p.ref)
            for p in build(entities, POOL_SEED, POOL_PER_HALF, POOL_ATTEMPTS) if p.split == "tune" and (p.set, p.a, p.b) not in frozen]


def write(pairs: list[Pair], path: Path = CASES_FILE) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle, lineterminator="\n")
        w.writerow(COLUMNS)
        for p in pairs:
            ea, eb = p.ref.split("|", 1)
            w.writerow([p.set, p.split, p.label, p.a, p.b, p.schema or "", ea, eb])


def load(path: Path = CASES_FILE) -> list[Pair]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [Pair(r["set"], r["split"], int(r["label"]), r["a"], r["b"], r["schema"] or None, f"{r['entity_a']}|{r['entity_b']}")
                for r in csv.DictReader(handle)]


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.parties_common import load_entities

    pool = "--pool" in sys.argv
    built = build_pool(load_entities()[0]) if pool else build(load_entities()[0])
    write(built, POOL_FILE if pool else CASES_FILE)
    from collections import Counter

    print(Counter((p.set, p.split, p.label) for p in built))

"""Shared loading and evaluation-set building for the parties benchmarks.

The evaluation sets are generated from the list data with rules that know nothing about the
engine (own word lists, own legal-form table, own tokeniser): held-out aliases and other-script
names, cross-list pairs joined by a shared identifier, perturbations of listed names, and
negatives built so that no listed name can be the right answer. The hand-written hard cases
live in benchmarks/data/parties_hard_cases.csv.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import os
import pickle
import random
import re
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anyascii import anyascii

from benchmarks.eval_split import split_of
from redline.parties.graph import NAME_PROPS, Party, SourceEntity, build_parties  # noqa: F401 (SourceEntity re-exported)
from redline.parties.screening import Screener

HERE = Path(__file__).parent
HARD_CASES = HERE / "data" / "parties_hard_cases.csv"
SUBJECTS = {"Person", "Company", "Organization", "LegalEntity", "Vessel", "Airplane", "PublicBody"}
ORGS = {"Company", "Organization", "LegalEntity", "PublicBody"}
ID_PROPS = ("imoNumber", "isinCode", "registrationNumber", "passportNumber", "innCode", "ogrnCode", "taxNumber", "leiCode", "swiftBic")

# Our own vocabulary, independent of redline/parties/vocab.yaml.
LEGAL = set(
    """co corp corporation company ltd limited inc incorporated llc plc gmbh ag sa jsc ojsc cjsc pjsc ooo oao zao pao ao
    llp lp pte pty bhd sdn fze fzco fzc kk sarl srl spa bv nv ab oy as est establishment ltda sl sas sac sro doo ood eood
    tov pvt private cia sapi cv ip pp chp kft zrt sp zoo ooo sae saog wll lda eirl""".split()
)
GENERIC = set(
    """technology technologies tech electronics electronic electric international group industries industry industrial
    trading trade import export engineering systems system services service holding holdings investment investments
    development science sciences scientific research institute communications communication information network networks
    equipment software shipping logistics energy petroleum oil gas general national the of and for de la al el import
    manufacturing machinery materials chemical chemicals instrument instruments aviation aerospace shipping marine
    commercial enterprise enterprises resources solutions products supply security defense defence intelligence
    consulting transport university academy bureau center centre office department ministry bank finance financial
    import exports export co agency""".split()
)
PLACES = set(
    """beijing shanghai shenzhen guangzhou hangzhou zhejiang jiangsu sichuan chengdu wuhan tianjin xian hong kong china
    chinese iran iranian tehran russia russian moscow syria syrian korea korean pyongyang dubai uae turkey istanbul
    lebanon beirut iraq baghdad yemen cuba venezuela belarus minsk crimea sevastopol st petersburg""".split()
)
# Sector words written for the negatives and perturbations; only those that appear nowhere in the
# engine's vocab.yaml are used to build cases (engine_words()), so the sets test generalisation,
# not a shared word list.
GENERIC_UNSHARED = set(
    """production design petrochemical shipbuilding aircraft machine building complex nuclear radio technical credit
    repair leasing mechanical economic business optical precision dynamics automation digital devices components
    robotics sensors laser photonics imaging analytics consultancy ventures partners freight cargo tankers
    pharmaceutical biotech textile garments plastics metals alloys polymers rubber cement agro foods fisheries mills
    motors automotive vehicles transit express telecom wireless broadband satellite microwave acoustic hydraulic turbine
    propulsion armaments ordnance munitions tactical strategic protection monitoring controls integration infrastructure
    properties realty estates hospitality printing packaging brokerage remittance payments""".split()
)
GENERIC |= GENERIC_UNSHARED
STOPWORDS = {"the", "of", "and", "for", "de", "la", "al", "el"}
ENGINE_VOCAB = Path(__file__).resolve().parent.parent / "redline" / "parties" / "vocab.yaml"
_SPLIT = re.compile(r"[^\w]+")


def words(name: str) -> list[str]:
    text = anyascii(unicodedata.normalize("NFKC", name)).lower()
    return [w for w in _SPLIT.split(text.replace("'", "")) if w]


def distinctive(name: str) -> list[str]:
    return [w for w in words(name) if w not in LEGAL and w not in GENERIC and w not in PLACES and len(w) > 1 and not w.isdigit()]


def norm(name: str) -> str:
    """Order-free normal form: 'PIRI, Morteza' = 'Morteza Piri'."""
    return " ".join(sorted(words(name)))


def engine_words(path: Path = ENGINE_VOCAB) -> set[str]:
    """Every word written anywhere in the engine's vocabulary file (keys, spellings, comments):
    a deliberately wide net, so a case built from the rest never leans on the engine's lists."""
    if not path.exists():
        return set()
    return set(re.findall(r"[a-z][a-z'-]*", path.read_text(encoding="utf-8").lower()))


def abbreviations_of(word: str, engine: set[str]) -> list[str]:
    """Abbreviations made by rule, not from a list: truncation to 3-5 letters ('Techn.') and
    contraction of a word of 8+ letters to its consonants ('Tchnlgy'); none that the engine's vocabulary holds."""
    w = word.lower()
    out = [w[:k] + "." for k in (3, 4, 5) if len(w) >= k + 3 and w[k - 1] not in "aeiou"]
    contracted = w[0] + "".join(c for c in w[1:] if c not in "aeiou")
    if len(w) >= 8 and 3 <= len(contracted) < len(w) - 1:
        out.append(contracted)
    return [a for a in out if a.rstrip(".") not in engine and a.rstrip(".") not in LEGAL]


def is_latin(name: str) -> bool:
    return all(ord(ch) < 0x250 or not ch.isalpha() for ch in name)


# ---------------------------------------------------------------- loading


def lists_dir() -> Path:
    return Path(os.environ.get("REDLINE_DATA", "/work/shared/data")) / "lists"


def load_entities(root: Path | None = None, cache: bool = True) -> tuple[list[SourceEntity], dict[str, str]]:
    """All entities of the snapshot a store keeps active for every source: the latest data date,
    an undated unit counting as retrieved today, ties going to the unit imported last (discovery
    order), as snapshots._activate_latest does. Units that fail to read are reported, not fatal."""
    from redline.parties.sources.registry import discover

    root = root or lists_dir()
    cache_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"redline-bench-entities-v3-{hashlib.sha1(str(root).encode()).hexdigest()[:8]}.pickle"
    if cache and cache_file.exists():
        with cache_file.open("rb") as handle:
            return pickle.load(handle)
    today = time.strftime("%Y-%m-%d")
    best: dict[str, tuple[tuple[str, int], list[SourceEntity]]] = {}
    skipped: dict[str, str] = {}
    for order, (reader, path) in enumerate(discover(root)):
        name = reader.info.name
        try:
            when = reader.data_date(path) or today
            read = [SourceEntity(e.to_dict(), name, f"{name}:{path.name}") for e in reader.read(path)]
        except Exception as exc:  # noqa: BLE001
            skipped[str(path)] = str(exc)[:200]
            continue
        if name not in best or (when, order) > best[name][0]:
            best[name] = ((when, order), read)
    entities = [e for _, read in best.values() for e in read]
    if cache:
        with cache_file.open("wb") as handle:
            pickle.dump((entities, skipped), handle, protocol=pickle.HIGHEST_PROTOCOL)
    return entities, skipped


def build_screener(entities: list[SourceEntity]) -> tuple[Screener, float]:
    t = time.perf_counter()
    screener = Screener(build_parties(entities), snapshots=[])
    return screener, time.perf_counter() - t


# ---------------------------------------------------------------- evaluation sets


@dataclass
class Case:
    query: str
    category: str
    positive: bool
    expect_entities: frozenset[str] = frozenset()
    expect_names: frozenset[str] = frozenset()  # norm() of names whose holders are right answers
    schema: str | None = None
    note: str = ""
    split: str = field(default="")
    drop: str = ""  # what the evaluation screener must not hold: "entity:<id>" or "name:<id>" (the query)

    def group(self) -> str:
        """Everything about one listed party falls in one half: the expected entities or names,
        or the query for a negative."""
        return "|".join(sorted(self.expect_entities)) or "|".join(sorted(self.expect_names)) or norm(self.query)

    def __post_init__(self) -> None:
        if not self.split:
            self.split = split_of("generated", self.group())


def names_of(data: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for prop in NAME_PROPS:
        out.extend(data.get("properties", {}).get(prop, []))
    return out


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice("sdit")
    letters = "abcdefghijklmnoprstuvwy"
    if op == "s":
        return word[:i] + rng.choice([c for c in letters if c != word[i].lower()]) + word[i + 1:]
    if op == "d":
        return word[:i] + word[i + 1:]
    if op == "i":
        return word[:i] + rng.choice(letters) + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2:] if word[i] != word[i + 1] else word[:i] + word[i + 1:]


LEGAL_SWAPS = [
    (r"\bco\.?,?\s*ltd\.?$", ["Company Limited", "Corp.", "Co Ltd"]),
    (r"\bcompany limited$", ["Co., Ltd.", "Corp."]),
    (r"\bcorporation$", ["Corp.", "Co., Ltd."]),
    (r"\bcorp\.?$", ["Corporation", "Co., Ltd."]),
    (r"\blimited liability company$", ["LLC"]),
    (r"\bllc$", ["Limited Liability Company", "L.L.C."]),
    (r"\bjoint stock company$", ["JSC"]),
    (r"\bjsc$", ["Joint Stock Company"]),
    (r"\binc\.?$", ["Incorporated", "Corp."]),
    (r"\bltd\.?$", ["Limited"]),
    (r"\blimited$", ["Ltd."]),
    (r"\bgmbh$", ["GmbH & Co. KG", "AG"]),
    (r"\bpte\.? ltd\.?$", ["Private Limited"]),
    (r"\bco\.?$", ["Company"]),
]
# Brand-like stems for unlisted names; filtered against the list vocabulary before use.
STEMS = """bluewave northfield silverline cedarbrook tidewater lumora brightpath kestrel ironbark clearwell
harborview oakridge sunmere vantor quillon pellara zentris morvane halvard corvina alderic nubrio tessaro
velmont orinda brakken solvane fernhill marisol gravelle duneway coralie westmark pinegate rosslyn""".split()
PREFIXES = ["ka", "mo", "tri", "ze", "ul", "ar", "be", "ro", "de", "vi", "sa", "po"]
SUFFIXES = ["ra", "ko", "ville", "tex", "ia", "on", "ex", "ari", "ton", "ix"]


def build_cases(entities: list[SourceEntity], seed: int = 7, per_category: int = 200) -> tuple[list[SourceEntity], list[Case]]:
    """Return (entities to build the evaluation screener from, cases). Held-out names and
    held-out cross-list rows are removed from the returned entities."""
    rng = random.Random(seed)
    engine = engine_words()
    unshared = sorted(GENERIC_UNSHARED - engine)
    subjects = [e for e in entities if e.data["schema"] in SUBJECTS]
    by_id = {e.data["id"]: e for e in subjects}
    # How many distinct entities carry each normalised name (ambiguity and trivial-match checks).
    holders: dict[str, set[str]] = defaultdict(set)
    vocab: set[str] = set()
    dwords_of: dict[str, list[set[str]]] = defaultdict(list)  # distinctive word -> distinctive sets of names holding it
    for e in subjects:
        for n in names_of(e.data):
            holders[norm(n)].add(e.data["id"])
            ws = words(n)
            vocab.update(ws)
            d = set(distinctive(n))
            for w in d:
                dwords_of[w].append(d)

    # Names the hand-written hard cases ask about or expect are never held out.
    protected = {norm(n) for c in hard_cases() for n in [c.query, *c.expect_names]}
    protected |= {n for c in hard_cases() for n in c.expect_names}
    cases: list[Case] = []
    drop_names: dict[str, set[str]] = defaultdict(set)
    drop_entities: set[str] = set()

    # 1. held-out aliases and other-script names
    order = list(subjects)
    rng.shuffle(order)
    counts: dict[str, int] = defaultdict(int)
    for e in order:
        if e.source == "names_csl_meti":
            continue
        ns = list(dict.fromkeys(names_of(e.data)))
        if len(ns) < 2:
            continue
        scripts = [n for n in ns[1:] + ns[:1] if not is_latin(n)]
        if scripts and counts["script"] < per_category:
            held, cat = scripts[0], "script"
        else:
            latin = [n for n in ns[1:] if is_latin(n) and len(norm(n)) > 3]
            if not latin:
                continue
            held = rng.choice(latin)
            rest_words = {w for n in ns if n != held for w in words(n) if len(w) > 2}
            cat = "alias_related" if set(w for w in words(held) if len(w) > 2) & rest_words else "alias_unrelated"
        if counts[cat] >= per_category:
            continue
        if norm(held) in protected or {norm(n) for n in ns} & protected:
            continue
        if len(holders[norm(held)]) != 1 or not [n for n in ns if norm(n) != norm(held)]:
            continue  # ambiguous, or the same name spelled identically elsewhere
        counts[cat] += 1
        drop_names[e.data["id"]].add(held)
        cases.append(Case(held, cat, True, frozenset({e.data["id"]}), schema=None, note=e.source, drop=f"name:{e.data['id']}"))

    # 2. cross-list rows joined by a shared identifier; the query's own row is held out
    by_ident: dict[str, list[SourceEntity]] = defaultdict(list)
    for e in subjects:
        if e.data["id"] in drop_names:
            continue
        for prop in ID_PROPS:
            for v in e.data["properties"].get(prop, []):
                key = re.sub(r"[^0-9A-Z]", "", v.upper())
                if len(key) >= 6:
                    by_ident[f"{prop}:{key}"].append(e)
    groups = [g for g in by_ident.values() if len({x.source for x in g}) >= 2]
    rng.shuffle(groups)
    n_cross = 0
    for g in groups:
        if n_cross >= per_category:
            break
        b = rng.choice(g)
        others = [x for x in g if x.source != b.source and x.data["id"] not in drop_entities]
        bname = (b.data["properties"].get("name") or [""])[0]
        if not others or not bname or b.data["id"] in drop_entities or {norm(n) for n in names_of(b.data)} & protected:
            continue
        if any(norm(bname) == norm(n) for x in others for n in names_of(x.data)):
            continue  # identical spelling: trivial for every system
        if holders[norm(bname)] - {b.data["id"]}:
            continue  # the name is another row's too: ambiguous
        drop_entities.add(b.data["id"])
        n_cross += 1
        cases.append(
            Case(
                bname, "cross_list", True, frozenset(x.data["id"] for x in others),
                expect_names=frozenset(norm(n) for x in others for n in (x.data["properties"].get("name") or [])[:1]),
                note=f"{b.source}->{others[0].source}", drop=f"entity:{b.data['id']}",
            )
        )

    # 3. perturbed listed names (the base name stays in the index)
    pool = [e for e in order if e.data["id"] not in drop_entities and e.data["id"] not in drop_names and e.source != "names_csl_meti"]

    def add(query: str, cat: str, base: str, e: SourceEntity) -> bool:
        if norm(query) == norm(base) or holders.get(norm(query)):
            return False
        schema = e.data["schema"] if e.data["schema"] in ("Person", "Vessel") else None
        cases.append(Case(query, cat, True, expect_names=frozenset({norm(base)}), schema=schema, note=base))
        return True

    c = defaultdict(int)
    for e in pool:
        for base in (e.data["properties"].get("name") or [])[:1]:
            if not is_latin(base) or len(holders[norm(base)]) > 3:
                continue
            ws = base.split()
            low = base.lower()
            if c["typo"] < per_category and (e.data["schema"] in ORGS or e.data["schema"] == "Person"):
                long = [w for w in ws if w.isalpha() and len(w) >= 7 and w.lower() in set(distinctive(base))]
                if long and len(ws) >= 2:
                    w = rng.choice(long)
                    c["typo"] += add(base.replace(w, _typo(w, rng), 1), "typo", base, e)
                    continue
            if c["order"] < per_category and len(ws) in (2, 3) and all(x.isalpha() for x in ws) and e.data["schema"] == "Person":
                c["order"] += add(" ".join(ws[1:] + ws[:1]), "order", base, e)
                continue
            if c["legal_form"] < per_category and e.data["schema"] in ORGS and distinctive(base):
                for pattern, repls in LEGAL_SWAPS:
                    m = re.search(pattern, low)
                    if m:
                        c["legal_form"] += add(base[: m.start()].rstrip(" ,") + " " + rng.choice(repls), "legal_form", base, e)
                        break
                else:
                    pass
                if m:
                    continue
            if c["abbreviation"] < per_category and e.data["schema"] in ORGS and distinctive(base):
                hit = [w for w in ws if w.lower().strip(",.") in GENERIC and w.lower().strip(",.") not in LEGAL | STOPWORDS]
                shortened = [(w, abbreviations_of(w.strip(",."), engine)) for w in hit]
                shortened = [(w, forms) for w, forms in shortened if forms]
                if shortened:
                    q = base
                    for w, forms in shortened:
                        short = rng.choice(forms)
                        short = short.upper() if w.isupper() else short.capitalize()
                        q = q.replace(w, short + ("," if w.endswith(",") else ""), 1)
                    c["abbreviation"] += add(q, "abbreviation", base, e)

    # 4. negatives
    orgs = [e for e in pool if e.data["schema"] in ORGS]
    far_cache: dict[str, bool] = {}

    def unlisted_word(w: str) -> bool:
        """Not a list word, and no list word within one edit (two for long words)."""
        if w in far_cache:
            return far_cache[w]
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        limit = 2 if len(w) >= 7 else 1
        ok = w not in vocab and process.extractOne(w, vocab_list, scorer=Levenshtein.distance, score_cutoff=limit) is None
        far_cache[w] = ok
        return ok

    vocab_list = sorted(vocab)

    def safe_negative(query: str) -> bool:
        qd = set(distinctive(query))
        if not qd or holders.get(norm(query)):
            return False
        for w in qd:
            for d in dwords_of.get(w, ()):  # a listed name whose distinctive words are all in the query
                if d and d <= qd:
                    return False
        return True

    n = defaultdict(int)
    donors = [e for e in orgs if len(distinctive((e.data["properties"].get("name") or [""])[0])) >= 2]
    for e in orgs:
        base = (e.data["properties"].get("name") or [""])[0]
        if not is_latin(base):
            continue
        d = distinctive(base)
        gen = [w for w in base.split() if w.lower().strip(",.") in GENERIC - STOPWORDS]
        if not d or not gen:
            continue
        if n["word_swap"] < per_category and {w.lower().strip(",.") for w in gen} & set(unshared):
            donor = rng.choice(donors)
            dd = [w for w in distinctive((donor.data["properties"].get("name") or [""])[0]) if len(w) >= 4 and w.isalpha()]
            if dd:
                new = rng.choice(dd)
                q = " ".join([new.upper() if base.isupper() else new.capitalize()] + [w for w in base.split() if w.lower().strip(",.") not in set(d)])
                if safe_negative(q) and new not in set(d):
                    cases.append(Case(q, "word_swap", False, note=f"{base} + {new}"))
                    n["word_swap"] += 1
                    continue
        if n["generic_only"] < per_category:
            stem = rng.choice(STEMS) if rng.random() < 0.5 else rng.choice(PREFIXES) + rng.choice(["lan", "vor", "ten", "mir", "sol", "dar"]) + rng.choice(SUFFIXES)
            legal = [w for w in base.split() if w.lower().strip(",.") in LEGAL]
            if unlisted_word(stem) and legal:
                sector = rng.sample(unshared, rng.choice((1, 2)))
                q = " ".join([stem] + sector + legal)
                q = q.upper() if base.isupper() else q.title()
                if safe_negative(q):
                    cases.append(Case(q, "generic_only", False, note=base))
                    n["generic_only"] += 1
                    continue
        if n["substring_trap"] < per_category:
            short = [w for w in d if 3 <= len(w) <= 6 and w.isalpha()]
            if short:
                w = rng.choice(short)
                new = rng.choice(PREFIXES) + w if rng.random() < 0.6 else w + rng.choice(SUFFIXES)
                if unlisted_word(new):
                    q = re.sub(re.escape(w), new, base, count=1, flags=re.IGNORECASE)
                    if q != base and safe_negative(q):
                        cases.append(Case(q.upper() if base.isupper() else q, "substring_trap", False, note=f"{base}: {w}->{new}"))
                        n["substring_trap"] += 1

    cases.extend(hard_cases())
    return eval_entities_for(entities, cases), cases


def eval_entities_for(entities: list[SourceEntity], cases: list[Case]) -> list[SourceEntity]:
    """The entities minus what the cases hold out: whole rows (cross_list) and held-out names."""
    drop_entities = {c.drop.split(":", 1)[1] for c in cases if c.drop.startswith("entity:")}
    drop_names: dict[str, set[str]] = defaultdict(set)
    for c in cases:
        if c.drop.startswith("name:"):
            drop_names[c.drop.split(":", 1)[1]].add(c.query)
    out = []
    for e in entities:
        eid = e.data.get("id")
        if eid in drop_entities:
            continue
        if eid in drop_names:
            data = copy.deepcopy(e.data)
            for prop in NAME_PROPS:
                vals = data["properties"].get(prop)
                if vals:
                    data["properties"][prop] = [v for v in vals if v not in drop_names[eid]]
            e = SourceEntity(data, e.source, e.snapshot)
        out.append(e)
    return out


# ---------------------------------------------------------------- the frozen generated cases

GENERATED_CASES = HERE / "data" / "parties_generated_cases.csv"
GENERATED_COLUMNS = ["category", "positive", "split", "query", "schema", "expect_entities", "expect_names", "drop", "note"]


def write_generated(cases: list[Case], path: Path = GENERATED_CASES) -> None:
    """Freeze the generated cases (not the hand-written ones, which have their own file)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle, lineterminator="\n")
        w.writerow(GENERATED_COLUMNS)
        for c in cases:
            if c.category.startswith("hard_"):
                continue
            w.writerow([c.category, int(c.positive), c.split, c.query, c.schema or "", "|".join(sorted(c.expect_entities)),
                        "|".join(sorted(c.expect_names)), c.drop, c.note])


def load_generated(path: Path = GENERATED_CASES) -> list[Case]:
    out = []
    with path.open(newline="", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            out.append(Case(
                r["query"], r["category"], r["positive"] == "1",
                frozenset(x for x in r["expect_entities"].split("|") if x), frozenset(x for x in r["expect_names"].split("|") if x),
                schema=r["schema"] or None, note=r["note"], split=r["split"], drop=r["drop"],
            ))
    return out


def hard_cases(path: Path = HARD_CASES) -> list[Case]:
    out = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            expected = row["expected"].strip()
            positive = expected.lower() != "none"
            out.append(
                Case(
                    row["query"], "hard_" + ("match" if positive else "nomatch"), positive,
                    expect_names=frozenset({norm(x) for x in expected.split("|")}) if positive else frozenset(),
                    schema=row.get("schema") or None, note=f"{row['kind']}: {row['note']}", split="test",
                )
            )
    return out


# ---------------------------------------------------------------- resolution


class Resolver:
    """Case expectations -> the set of party indices that are right answers."""

    def __init__(self, parties: list[Party]) -> None:
        self.by_entity: dict[str, int] = {}
        self.by_name: dict[str, set[int]] = defaultdict(set)
        for i, p in enumerate(parties):
            for eid in p.entity_ids:
                self.by_entity[eid] = i
            for n in p.names:
                self.by_name[norm(n)].add(i)

    def expected(self, case: Case) -> set[int]:
        out = {self.by_entity[e] for e in case.expect_entities if e in self.by_entity}
        for n in case.expect_names:
            out |= self.by_name.get(n, set())
        return out

"""Everyday names screened against the lists: how many alerts a customer book of ordinary firms (or people) raises.

    REDLINE_DATA=/work/shared/data .venv/bin/python benchmarks/parties_everyday.py [--people] [--split tune|test] [--per-half 2000] [--json out.json]

The names are the holders of autonomous systems (internet providers, hosting firms, banks, universities,
public bodies of every country) in a 2016 AS-name table (REDLINE_DATA/infra/asn/pyasn_asnames_2016.json.gz,
from the pyasn project, MIT; see that folder's PROVENANCE.md): a source no part of the parties engine
reads, written by people who never saw the lists. Each holder is screened by its name and the country
its record gives, as a customer book would hold them. A few holders are listed (Rostelecom, MegaFon,
Alfa-Bank); most are not, so nearly every alert is a false one.

A frozen half of the holders (salted hash of the AS number, benchmarks/eval_split.py) is drawn in a fixed
order; engine work looks at --split tune, the reported figures are --split test. Alerts are adjudicated
by hand in benchmarks/data/parties_everyday_labels.csv (AS number, the listed party's caption, true when
the listed party is the holder or its own listed unit, parent or branch under the same name; false
otherwise; unsure where neither the records nor public knowledge settle it). An alert no row adjudicates
is counted as unlabelled and printed, to be read and added.

With --people, the names are people's: the English names of the Wikidata people in the third-party name pairs
(REDLINE_DATA/names/pairs, English-Hebrew and English-Korean; see that folder's PROVENANCE.md), mostly
politicians, athletes and artists, screened as persons with no other fact; a few are listed (sanctioned
officials). Their alerts are adjudicated in benchmarks/data/parties_everyday_people_labels.csv (the name, the
listed party's caption, the verdict, why).

Systems: Redline (Screener, match at screening.MATCH_THRESHOLD); nomenklatura logic-v2 and name-based
scoring the same candidate parties as Redline plus rapidfuzz's top 20, and rapidfuzz token_set_ratio
over every listed name. Each baseline's threshold is its best F1 on the tune half of the frozen company
variants, or person variants with --people (benchmarks/data/parties_category_cases.csv), since a set of
negatives alone has no best threshold.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after PYTHONPATH: another engine checkout can be measured

from benchmarks.eval_split import SALT, data_root, split_of  # noqa: E402
from benchmarks.pair_scoring import BASELINES, best_threshold, nomenklatura_scorer  # noqa: E402
from benchmarks.parties_accuracy import Nomenklatura, Rapidfuzz  # noqa: E402
from benchmarks.parties_common import build_screener, load_entities  # noqa: E402
from redline.parties.screening import Query  # noqa: E402

SET_NAME = "everyday_asn"
PEOPLE_SET = "everyday_people"
HOLDERS_FILE = Path("infra") / "asn" / "pyasn_asnames_2016.json.gz"
PEOPLE_FILES = [Path("names") / "pairs" / f"amazon_wikidata_person_fullnames_en_{lang}.csv" for lang in ("he", "ko")]
LABELS_FILE = Path(__file__).parent / "data" / "parties_everyday_labels.csv"
PEOPLE_LABELS_FILE = Path(__file__).parent / "data" / "parties_everyday_people_labels.csv"
VERDICTS = ("true", "false", "unsure")
NOT_COUNTRIES = {"EU", "AP", "ZZ"}  # regional registries' placeholders, not ISO 3166 codes
_RECORD = re.compile(r"^(?P<text>.*), (?P<cc>[A-Z]{2})$")
_HANDLE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]*$")


@dataclass(frozen=True)
class Holder:
    key: int | str  # an AS holder's number, a person's name
    name: str
    country: str | None


def holder_of(asn: int, record: str) -> Holder | None:
    """The holder's name out of 'HANDLE - Name, CC' or 'HANDLE Name, CC'; None for a handle alone or a number
    reserved or for private use ('-Reserved AS-')."""
    m = _RECORD.match(record)
    if not m:
        return None
    text, cc = m["text"].strip(), m["cc"]
    if " - " in text:
        text = text.split(" - ", 1)[1].strip()
    else:
        first, _, rest = text.partition(" ")
        # A handle leads: hyphened in capitals ('IRONNET-AS IRONNET Oy'), or in capitals before a name written in mixed case.
        if rest and _HANDLE.match(first) and ("-" in first or any(c.islower() for c in rest)):
            text = rest.strip()
    if text.startswith("-") or len(re.sub(r"\W", "", text)) < 3 or (_HANDLE.match(text.upper()) and "-" in text):
        return None
    return Holder(asn, text, None if cc in NOT_COUNTRIES else cc.lower())


def holders(split: str, per_half: int) -> list[Holder]:
    path = data_root() / HOLDERS_FILE
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        table: dict[str, str] = json.load(handle)
    drawn = [h for asn, record in table.items() if (h := holder_of(int(asn), record)) and split_of(SET_NAME, str(h.key)) == split]
    drawn.sort(key=lambda h: hashlib.sha256(f"{SALT}|order|{h.key}".encode()).digest())
    return drawn[:per_half]


def people(split: str, per_half: int) -> list[Holder]:
    """The English names of the Wikidata people in the name pairs, in the half and the frozen order (key: the name)."""
    names: set[str] = set()
    for path in PEOPLE_FILES:
        with (data_root() / path).open(newline="", encoding="utf-8") as handle:
            names.update(row["name_a"].strip() for row in csv.DictReader(handle) if row["lang_a"] == "en" and row["name_a"].strip())
    drawn = [n for n in names if split_of(PEOPLE_SET, n) == split]
    drawn.sort(key=lambda n: hashlib.sha256(f"{SALT}|order|{n}".encode()).digest())
    return [Holder(n, n, None) for n in drawn[:per_half]]


def load_labels(path: Path = LABELS_FILE) -> dict[tuple[int | str, str], str]:
    """(AS number, or a person's name, and the listed party's caption, case aside: a party's caption is its first entity's
    name, which moves with its members) -> verdict."""
    labels: dict[tuple[int | str, str], str] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if row["verdict"] not in VERDICTS:
                raise SystemExit(f"error: {path}:{line}: verdict must be one of {', '.join(VERDICTS)}, not {row['verdict']!r}")
            labels[(int(row["asn"]) if "asn" in row else row["name"], row["listed"].casefold())] = row["verdict"]
    return labels


def variant_pairs(set_name: str) -> list[Any]:
    from benchmarks import category_sets

    return [p for p in category_sets.load(category_sets.CASES_FILE) if p.set == set_name and p.split == "tune"]


def baseline_thresholds(set_name: str) -> dict[str, float]:
    """Each baseline's best-F1 threshold on the tune half of a frozen variants set (rapidfuzz 0-100, scoring the pair)."""
    from rapidfuzz import fuzz, utils

    pairs = variant_pairs(set_name)
    labels = [p.label for p in pairs]
    out = {}
    for name in BASELINES:
        score = nomenklatura_scorer(name)
        out[name] = best_threshold(labels, [score(p.a, p.b, p.schema) for p in pairs])
    out["rapidfuzz"] = 100 * best_threshold(labels, [fuzz.token_set_ratio(utils.default_process(p.a), utils.default_process(p.b)) / 100 for p in pairs])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("tune", "test"), default="tune", help="the half screened (engine work: tune; reported: test)")
    ap.add_argument("--per-half", type=int, default=2000, help="holders drawn from the half, in the frozen order")
    ap.add_argument("--no-baselines", action="store_true", help="Redline only")
    ap.add_argument("--people", action="store_true", help="people's names (Wikidata, English) instead of AS holders")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    labels = load_labels(PEOPLE_LABELS_FILE if args.people else LABELS_FILE)
    drawn = people(args.split, args.per_half) if args.people else holders(args.split, args.per_half)
    schema, what = ("Person", "people's names") if args.people else (None, "AS holders")
    entities, _ = load_entities()
    screener, build_s = build_screener(entities)
    print(f"{len(drawn)} {what} ({args.split} half); {len(screener.parties)} parties built in {build_s:.0f}s", file=sys.stderr)
    index_of = {id(p): i for i, p in enumerate(screener.parties)}
    systems = ["redline"]
    thresholds: dict[str, float] = {}
    rf, nomen = None, {}
    if not args.no_baselines:
        rf = Rapidfuzz(screener)
        nomen = {name: Nomenklatura(screener, name) for name in BASELINES}
        thresholds = baseline_thresholds("person_variants" if args.people else "company_variants")
        systems += [*nomen, "rapidfuzz"]

    rows: list[dict[str, Any]] = []
    t = time.perf_counter()
    for n, h in enumerate(drawn):
        scored = screener.screen(Query(name=h.name, schema=schema, country=h.country), limit=30)
        top = scored[0] if scored else None
        row: dict[str, Any] = {"key": h.key, "holder": h.name, "country": h.country,
                               "redline": (top.party.caption, round(top.score, 3), top.match) if top else None}
        if rf is not None:
            cands = rf.top(h.name, 20)
            best_rf = cands[0] if cands else None
            row["rapidfuzz"] = (screener.parties[best_rf[0]].caption, best_rf[1], best_rf[1] >= thresholds["rapidfuzz"]) if best_rf else None
            pool = list(dict.fromkeys([index_of[id(x.party)] for x in scored] + [i for i, _ in cands]))
            for name, algo in nomen.items():
                i, s = algo.best(h.name, schema, pool)
                row[name] = (screener.parties[i].caption, round(s, 3), s >= thresholds[name]) if i is not None else None
        rows.append(row)
        if n % 500 == 0:
            print(f"  {n}/{len(drawn)} {time.perf_counter() - t:.0f}s", file=sys.stderr)

    report: dict[str, Any] = {"split": args.split, "names": len(drawn), "people": args.people, "thresholds": thresholds, "systems": {}}
    unlabelled: list[tuple[str, dict[str, Any]]] = []
    for system in systems:
        counts: Counter[str] = Counter()
        for row in rows:
            hit = row.get(system)
            if hit and hit[2]:
                verdict = labels.get((row["key"], hit[0].casefold()), "unlabelled")
                counts[verdict] += 1
                if verdict == "unlabelled" and system == "redline":
                    unlabelled.append((system, row))
        alerts = sum(counts.values())
        report["systems"][system] = {"alerts": alerts, "per_1000": round(1000 * alerts / max(1, len(drawn)), 1), **counts}

    th = ", ".join(f"{s} ≥ {v:.2f}" for s, v in thresholds.items())
    print(f"\n{args.split.capitalize()} half: {len(drawn)} {what} screened" + (" as persons." if args.people else " by name and country.")
          + (f" Baseline thresholds (best F1, {'person' if args.people else 'company'} variants, tune half): {th}." if th else "") + "\n")
    print("| system | alerts | per 1,000 names | adjudicated true | false | unsure | not adjudicated |\n|---|---:|---:|---:|---:|---:|---:|")
    for system, m in report["systems"].items():
        print(f"| {system} | {m['alerts']} | {m['per_1000']} | {m.get('true', 0)} | {m.get('false', 0)} | {m.get('unsure', 0)} | {m.get('unlabelled', 0)} |")
    for _, row in unlabelled:
        print(f"unlabelled Redline alert: {row['key']},{row['holder']!r},{row['redline'][0]!r} ({row['redline'][1]}, country {row['country']})")
    if args.json:
        args.json.write_text(json.dumps({"report": report, "rows": rows}, indent=1, default=str))


if __name__ == "__main__":
    main()

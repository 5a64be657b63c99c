"""Everyday organisation names screened against the lists: how many alerts a customer book of ordinary firms raises.

    REDLINE_DATA=/work/shared/data .venv/bin/python benchmarks/parties_everyday.py [--split tune|test] [--per-half 2000] [--json out.json]

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

Systems: Redline (Screener, match at screening.MATCH_THRESHOLD); nomenklatura logic-v2 and name-based
scoring the same candidate parties as Redline plus rapidfuzz's top 20, and rapidfuzz token_set_ratio
over every listed name. Each baseline's threshold is its best F1 on the tune half of the frozen company
variants (benchmarks/data/parties_category_cases.csv), since a set of negatives alone has no best threshold.
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
HOLDERS_FILE = Path("infra") / "asn" / "pyasn_asnames_2016.json.gz"
LABELS_FILE = Path(__file__).parent / "data" / "parties_everyday_labels.csv"
LABEL_COLUMNS = ["asn", "holder", "listed", "verdict", "why"]
VERDICTS = ("true", "false", "unsure")
NOT_COUNTRIES = {"EU", "AP", "ZZ"}  # regional registries' placeholders, not ISO 3166 codes
_RECORD = re.compile(r"^(?P<text>.*), (?P<cc>[A-Z]{2})$")
_HANDLE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]*$")


@dataclass(frozen=True)
class Holder:
    asn: int
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
    drawn = [h for asn, record in table.items() if (h := holder_of(int(asn), record)) and split_of(SET_NAME, str(h.asn)) == split]
    drawn.sort(key=lambda h: hashlib.sha256(f"{SALT}|order|{h.asn}".encode()).digest())
    return drawn[:per_half]


def load_labels(path: Path = LABELS_FILE) -> dict[tuple[int, str], str]:
    labels: dict[tuple[int, str], str] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if row["verdict"] not in VERDICTS:
                raise SystemExit(f"error: {path}:{line}: verdict must be one of {', '.join(VERDICTS)}, not {row['verdict']!r}")
            labels[(int(row["asn"]), row["listed"])] = row["verdict"]
    return labels


def company_thresholds() -> dict[str, float]:
    """Each nomenklatura baseline's best-F1 threshold on the tune half of the frozen company variants."""
    from benchmarks import category_sets

    pairs = [p for p in category_sets.load(category_sets.CASES_FILE) if p.set == "company_variants" and p.split == "tune"]
    out = {}
    for name in BASELINES:
        score = nomenklatura_scorer(name)
        out[name] = best_threshold([p.label for p in pairs], [score(p.a, p.b, p.schema) for p in pairs])
    return out


def rapidfuzz_threshold() -> float:
    """rapidfuzz's best-F1 threshold (0-100) on the same company variants, scoring the pair itself."""
    from rapidfuzz import fuzz, utils

    from benchmarks import category_sets

    pairs = [p for p in category_sets.load(category_sets.CASES_FILE) if p.set == "company_variants" and p.split == "tune"]
    scores = [fuzz.token_set_ratio(utils.default_process(p.a), utils.default_process(p.b)) / 100 for p in pairs]
    return 100 * best_threshold([p.label for p in pairs], scores)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("tune", "test"), default="tune", help="the half screened (engine work: tune; reported: test)")
    ap.add_argument("--per-half", type=int, default=2000, help="holders drawn from the half, in the frozen order")
    ap.add_argument("--no-baselines", action="store_true", help="Redline only")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    labels = load_labels()
    drawn = holders(args.split, args.per_half)
    entities, _ = load_entities()
    screener, build_s = build_screener(entities)
    print(f"{len(drawn)} holders ({args.split} half); {len(screener.parties)} parties built in {build_s:.0f}s", file=sys.stderr)
    index_of = {id(p): i for i, p in enumerate(screener.parties)}
    systems = ["redline"]
    thresholds: dict[str, float] = {}
    rf, nomen = None, {}
    if not args.no_baselines:
        rf = Rapidfuzz(screener)
        nomen = {name: Nomenklatura(screener, name) for name in BASELINES}
        thresholds = company_thresholds()
        thresholds["rapidfuzz"] = rapidfuzz_threshold()
        systems += [*nomen, "rapidfuzz"]

    rows: list[dict[str, Any]] = []
    t = time.perf_counter()
    for n, h in enumerate(drawn):
        scored = screener.screen(Query(name=h.name, country=h.country), limit=30)
        top = scored[0] if scored else None
        row: dict[str, Any] = {"asn": h.asn, "holder": h.name, "country": h.country,
                               "redline": (top.party.caption, round(top.score, 3), top.match) if top else None}
        if rf is not None:
            cands = rf.top(h.name, 20)
            best_rf = cands[0] if cands else None
            row["rapidfuzz"] = (screener.parties[best_rf[0]].caption, best_rf[1], best_rf[1] >= thresholds["rapidfuzz"]) if best_rf else None
            pool = list(dict.fromkeys([index_of[id(x.party)] for x in scored] + [i for i, _ in cands]))
            for name, algo in nomen.items():
                i, s = algo.best(h.name, None, pool)
                row[name] = (screener.parties[i].caption, round(s, 3), s >= thresholds[name]) if i is not None else None
        rows.append(row)
        if n % 500 == 0:
            print(f"  {n}/{len(drawn)} {time.perf_counter() - t:.0f}s", file=sys.stderr)

    report: dict[str, Any] = {"split": args.split, "holders": len(drawn), "thresholds": thresholds, "systems": {}}
    unlabelled: list[tuple[str, dict[str, Any]]] = []
    for system in systems:
        counts: Counter[str] = Counter()
        for row in rows:
            hit = row.get(system)
            if hit and hit[2]:
                verdict = labels.get((row["asn"], hit[0]), "unlabelled")
                counts[verdict] += 1
                if verdict == "unlabelled" and system == "redline":
                    unlabelled.append((system, row))
        alerts = sum(counts.values())
        report["systems"][system] = {"alerts": alerts, "per_1000": round(1000 * alerts / max(1, len(drawn)), 1), **counts}

    th = ", ".join(f"{s} ≥ {v:.2f}" for s, v in thresholds.items())
    print(f"\n{args.split.capitalize()} half: {len(drawn)} AS holders screened by name and country."
          + (f" Baseline thresholds (best F1, company variants, tune half): {th}." if th else "") + "\n")
    print("| system | alerts | per 1,000 names | adjudicated true | false | unsure | not adjudicated |\n|---|---:|---:|---:|---:|---:|---:|")
    for system, m in report["systems"].items():
        print(f"| {system} | {m['alerts']} | {m['per_1000']} | {m.get('true', 0)} | {m.get('false', 0)} | {m.get('unsure', 0)} | {m.get('unlabelled', 0)} |")
    for _, row in unlabelled:
        print(f"unlabelled Redline alert: {row['asn']},{row['holder']!r},{row['redline'][0]!r} ({row['redline'][1]}, country {row['country']})")
    if args.json:
        args.json.write_text(json.dumps({"report": report, "rows": rows}, indent=1, default=str))


if __name__ == "__main__":
    main()

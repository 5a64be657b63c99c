"""People's names in their own scripts screened against the lists: how many alerts a name written in Arabic, Burmese,
Chinese, Hebrew, Japanese, Korean or Russian raises that the same name in Latin letters does not.

    REDLINE_DATA=/work/shared/data REDLINE_HOME=<a store with the lists> .venv/bin/python benchmarks/parties_script_alerts.py [--split tune|test] [--per-script 150] [--json out.json]

Names: the positive pairs of the third-party name sets (benchmarks/data/names_eval_cases.csv, read from
REDLINE_DATA/names, never copied) that pair a name in another script with its Latin form, in the frozen order, one
pair per name in another script, the pair's half as frozen. Almost all are people no list carries (Wikidata's), so a
match is an alert an officer clears by hand. Each name is screened in its script and in Latin letters (limit 5 and
10); an alert of the script's name is *unconfirmed* when its party is not among the Latin name's matches. Session 52
built it when 'Калашников' matched 'Core Zing' and one Korean name in four matched an unrelated listed person while
every pair benchmark passed: a pair set asks about one pair, the screener about every listed name.

Baseline, same people: the Latin names' own alerts (a name in Latin letters is what the other engines screen).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after PYTHONPATH: another engine checkout can be measured

from benchmarks.names_eval_sets import PERSON_SETS  # noqa: E402
from benchmarks.pair_scoring import Pair  # noqa: E402
from benchmarks.parties_names_eval import _check_lists, names_pairs  # noqa: E402

_LATIN = re.compile("[A-Za-z]")


def script_names(pairs: list[Pair], split: str, per_script: int) -> list[tuple[str, str, str, str | None]]:
    """(set, name in its script, its Latin form, schema) for the positive pairs of the half that pair a name without a
    Latin letter with one that has them, at most `per_script` a set, each name in its script once."""
    out: list[tuple[str, str, str, str | None]] = []
    taken: Counter[str] = Counter()
    seen: set[str] = set()
    for p in pairs:
        if p.split != split or p.label != 1 or taken[p.set] >= per_script:
            continue
        if _LATIN.search(p.a) and not _LATIN.search(p.b):
            native, latin = p.b, p.a
        elif _LATIN.search(p.b) and not _LATIN.search(p.a):
            native, latin = p.a, p.b
        else:
            continue
        if native in seen:
            continue
        seen.add(native)
        taken[p.set] += 1
        out.append((p.set, native, latin, "Person" if p.set in PERSON_SETS else p.schema))
    return out


def alerts(screener: Any, names: list[tuple[str, str, str, str | None]], examples: int = 0) -> dict[str, dict[str, Any]]:
    """Per set: names screened, the script names' alerts and those unconfirmed (and the names raising them), the Latin
    names' alerts; up to `examples` unconfirmed alerts a set."""
    from redline.parties.screening import Query

    rows: dict[str, dict[str, Any]] = {}
    for name_set, native, latin, schema in names:
        row = rows.setdefault(name_set, {"names": 0, "alerts": 0, "unconfirmed": 0, "names_unconfirmed": 0, "latin_alerts": 0, "examples": []})
        found = [h for h in screener.screen(Query(name=native, schema=schema), limit=5) if h.match]
        latin_hits = screener.screen(Query(name=latin, schema=schema), limit=10)
        confirmed = {h.party.id for h in latin_hits if h.match}
        unconfirmed = [h for h in found if h.party.id not in confirmed]
        row["names"] += 1
        row["alerts"] += len(found)
        row["unconfirmed"] += len(unconfirmed)
        row["names_unconfirmed"] += bool(unconfirmed)
        row["latin_alerts"] += sum(h.match for h in latin_hits[:5])
        for hit in unconfirmed:
            if len(row["examples"]) < examples:
                row["examples"].append([native, latin, hit.party.caption, round(hit.score, 3)])
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=["tune", "test"], default="tune")
    ap.add_argument("--per-script", type=int, default=150, help="names in another script screened per name set")
    ap.add_argument("--examples", type=int, default=5, help="unconfirmed alerts shown per set")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    _check_lists(False)
    from redline.parties.api import get_screener

    rows = alerts(get_screener(), script_names(names_pairs(None), args.split, args.per_script), args.examples)
    print(f"\n### People's names in their scripts screened ({args.split} half; alerts per 1,000 names)\n")
    print("| set | names | script: alerts | unconfirmed by the Latin name | names with one | Latin names: alerts (baseline) |")
    print("|---|---:|---:|---:|---:|---:|")
    total: Counter[str] = Counter()
    for name_set, row in sorted(rows.items()):
        per = 1000 / max(1, row["names"])
        print(f"| {name_set} | {row['names']} | {row['alerts'] * per:.0f} | {row['unconfirmed'] * per:.0f} | {row['names_unconfirmed']} | {row['latin_alerts'] * per:.0f} |")
        total.update({k: v for k, v in row.items() if k != "examples"})
    per = 1000 / max(1, total["names"])
    print(f"| **all** | {total['names']} | {total['alerts'] * per:.0f} | **{total['unconfirmed'] * per:.0f}** | {total['names_unconfirmed']} | {total['latin_alerts'] * per:.0f} |")
    for name_set, row in sorted(rows.items()):
        for native, latin, caption, score in row["examples"]:
            print(f"- [{name_set}] {native} ({latin}) -> {caption} {score}")
    if args.json:
        args.json.write_text(json.dumps({"split": args.split, "per_script": args.per_script, "sets": rows}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

"""Screening answers, dumped and compared: a speed change must leave every hit as it was.

    REDLINE_DATA=/work/shared/data .venv/bin/python benchmarks/parties_identity.py --dump /tmp/base.jsonl
    PYTHONPATH=<other engine> .venv/bin/python benchmarks/parties_identity.py --against /tmp/base.jsonl
    ... --store    # the screener of REDLINE_HOME's imported lists instead of the test subset

The screener is the test-subset one of benchmarks/parties_cpu.py (built from REDLINE_DATA), or with
--store the one `redline parties screen` uses (every list imported into REDLINE_HOME). Screenings:
every distinct name of parties_cpu (the frozen category cases) at limit 5, then the first --names
distinct names of the tune half of benchmarks/parties_names_eval.py (third-party names and category
pairs, with their schema) at limit 5, and every third of those also at limits 1 and 20 and with facts
(a birth date, a country, a schema, an identifier) so that every step of Screener._qualify runs.
Each hit is dumped whole: party id, order, score (unrounded), match flag, OFAC-style score, matched
name, explanation and `via`. --against compares with a dump (scores to 1e-9, the rest exactly), prints
the first differences and exits 1 when any screening differs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after PYTHONPATH: another engine checkout can be checked

FACTS: tuple[dict[str, Any], ...] = (
    {"birth_date": "1960-01-01"},
    {"country": "RU"},
    {"schema": "Company"},
    {"schema": "Person", "birth_date": "1971"},
    {"country": "CN", "schema": "Organization"},
    {"identifiers": ["IMO 9176187"]},
    {"birth_date": "1958", "country": "IR"},
)
TOLERANCE = 1e-9


def screenings(names: int) -> Iterator[tuple[str, dict[str, Any], int]]:
    """(group, query, limit) in a fixed order."""
    from benchmarks.parties_cpu import queries
    from benchmarks.parties_names_eval import category_pairs, names_pairs

    for name in queries(None):
        yield "cpu", {"name": name}, 5
    pairs = [p for p in (*names_pairs(None), *category_pairs(None)) if p.split == "tune"]
    distinct = list(dict.fromkeys((text, p.schema) for p in pairs for text in (p.a, p.b) if text.strip()))[:names]
    for k, (text, schema) in enumerate(distinct):
        query = {"name": text, "schema": schema}
        yield "names", query, 5
        if k % 3 == 0:
            yield "names", query, 1
            yield "names", query, 20
            yield "facts", {**query, **FACTS[(k // 3) % len(FACTS)]}, 5


def answer(screener: Any, query: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    from redline.parties.screening import Query, hit_to_dict

    out = []
    for hit in screener.screen(Query(**query), limit=limit):
        d = hit_to_dict(hit)
        d["score"] = hit.score  # unrounded
        out.append({k: d[k] for k in ("id", "score", "match", "ofac_score", "matched_name", "explanation", "via")})
    return out


def differs(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> str:
    if [h["id"] for h in a] != [h["id"] for h in b]:
        return f"ids {[h['id'] for h in a]} vs {[h['id'] for h in b]}"
    for x, y in zip(a, b):
        if abs(x["score"] - y["score"]) > TOLERANCE:
            return f"{x['id']}: score {x['score']!r} vs {y['score']!r}"
        for key in x:
            if key != "score" and x[key] != y[key]:
                return f"{x['id']}: {key} {x[key]!r} vs {y[key]!r}"
    return ""


def load_screener(store: bool) -> Any:
    if store:
        from redline.parties import api

        if not api.snapshots():
            print("error: no lists in REDLINE_HOME: run `redline parties import` first (or drop --store)", file=sys.stderr)
            raise SystemExit(2)
        return api.get_screener()
    from benchmarks.parties_cpu import build_screener
    from redline.config import load_settings

    data_dir = load_settings().data_dir
    if data_dir is None or not data_dir.is_dir():
        print("error: REDLINE_DATA is not a directory", file=sys.stderr)
        raise SystemExit(2)
    return build_screener(data_dir)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dump", type=Path, help="write every screening's hits here (JSON lines)")
    ap.add_argument("--against", type=Path, help="compare with this dump; exit 1 on any difference")
    ap.add_argument("--names", type=int, default=2000, help="distinct names of the names eval's tune half (default 2000)")
    ap.add_argument("--store", action="store_true", help="the screener of REDLINE_HOME's imported lists, not the test subset")
    ap.add_argument("--show", type=int, default=10, help="differences printed (default 10)")
    args = ap.parse_args()
    if not args.dump and not args.against:
        ap.error("give --dump or --against (or both)")

    import redline

    screener = load_screener(args.store)
    expected: Iterator[str] | None = args.against.open(encoding="utf-8") if args.against else None
    out = args.dump.open("w", encoding="utf-8") if args.dump else None
    done = differing = hits = 0
    cpu = time.process_time()
    for group, query, limit in screenings(args.names):
        found = answer(screener, query, limit)
        record = {"group": group, "query": query, "limit": limit, "hits": found}
        hits += len(found)
        if out is not None:
            out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        if expected is not None:
            line = next(expected, None)
            if line is None:
                print(f"error: {args.against} ends before screening {done + 1}", file=sys.stderr)
                raise SystemExit(1)
            before = json.loads(line)
            if (before["query"], before["limit"]) != (query, limit):
                print(f"error: screening {done + 1} is {query!r} at {limit} here, {before['query']!r} at {before['limit']} there", file=sys.stderr)
                raise SystemExit(1)
            why = differs(before["hits"], found)
            if why:
                differing += 1
                if differing <= args.show:
                    print(f"DIFFERS [{group}] {query!r} limit {limit}: {why}")
        done += 1
    summary = {
        "engine": str(Path(redline.__file__).parent),
        "screener": "store" if args.store else "subset",
        "screenings": done,
        "hits": hits,
        "differing": differing if expected is not None else None,
        "cpu_s": round(time.process_time() - cpu, 1),
        "load_1min": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(summary))
    if out is not None:
        out.close()
    if expected is not None and (differing or next(expected, None) is not None):
        raise SystemExit(1)


if __name__ == "__main__":
    main()

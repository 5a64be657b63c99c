"""Speed of parties screening with every list loaded, against two baselines in the same run.

    REDLINE_DATA=/work/shared/data .venv/bin/python benchmarks/parties_speed.py [--queries 2000] [--json out.json]

Measures, in one run: importing every list into a fresh store (snapshots.import_paths), building the
screener, loading it from the cache file, one-query latency (p50/p99) over a mix of listed, perturbed
and unlisted names in a fresh process that does only the serving work (serving_process), batch throughput of
batch.screen_csv on 2 workers (its start, loading every script's tables, timed apart); rapidfuzz extractOne (token_set_ratio over every listed name)
per query; nomenklatura logic-v2 per query on 20 candidates.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


WARM_UP = 50  # queries screened before the timed ones: the first Chinese, Japanese or Cyrillic name loads its tables


def serving_process(queries: list[str]) -> dict[str, Any]:
    """One query's latency and the peak resident memory in a fresh process doing only the serving work: it loads the
    screener, screens the first WARM_UP queries untimed, then times each query. The benchmark's own process holds a
    million objects of its cases beside the screener, whose full garbage collections land on a query's time; a service
    or a batch worker holds none of them."""
    import subprocess

    code = (
        "import json, resource, sys, time\n"
        "from redline.parties import api\n"
        "from redline.parties.screening import Query\n"
        "queries, screener, ms = json.load(sys.stdin), api.get_screener(), []\n"
        f"for q in queries[:{WARM_UP}]: screener.screen(Query(name=q), limit=5)\n"
        "for q in queries:\n"
        "    t = time.perf_counter(); screener.screen(Query(name=q), limit=5); ms.append((time.perf_counter() - t) * 1000)\n"
        "print(json.dumps({'ms': ms, 'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], input=json.dumps(queries), capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def summary(ms: list[float]) -> dict[str, float]:
    return {"n": len(ms), "p50_ms": pct(ms, 0.5), "p99_ms": pct(ms, 0.99), "mean_ms": statistics.fmean(ms), "max_ms": max(ms)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--batch-repeat", type=int, default=3, help="the batch file holds the queries this many times")
    ap.add_argument("--baseline-queries", type=int, default=300)
    ap.add_argument("--logic-queries", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    home = Path(tempfile.mkdtemp(prefix="redline-speed-"))
    os.environ["REDLINE_HOME"] = str(home)
    os.environ.pop("REDLINE_DB", None)
    from benchmarks.parties_accuracy import Nomenklatura, Rapidfuzz
    from benchmarks.parties_common import build_cases, lists_dir, load_entities
    from redline.context import reset_context
    from redline.parties import api, batch

    reset_context()
    out: dict[str, Any] = {"machine": f"{os.cpu_count()} CPUs visible (shared with other work), Python {sys.version.split()[0]}"}

    # 1. import every list into a fresh store
    from redline.context import get_context
    from redline.parties.snapshots import import_unit
    from redline.parties.sources.registry import discover

    t = time.perf_counter()
    imported, failed = [], []
    for reader, unit in discover(lists_dir()):
        try:
            r = import_unit(get_context().store, reader, unit)
            imported.append({"source": r.source, "path": r.path, "status": r.status})
        except Exception as exc:  # noqa: BLE001 - a unit the readers refuse (the orphan OFAC add/alt set)
            failed.append({"path": str(unit), "error": str(exc)[:160]})
    out["import_s"] = time.perf_counter() - t
    out["import_units"] = len(imported)
    out["import_failed"] = failed
    print(f"import: {out['import_s']:.1f}s for {len(imported)} units ({len(failed)} refused)", file=sys.stderr)

    # 2. screener build (first call: reads the store, builds, writes the cache) and cache load
    t = time.perf_counter()
    screener = api.get_screener()
    out["screener_first_build_s"] = time.perf_counter() - t
    api._screener = None  # forget the in-memory copy: the next call reads the cache file
    t = time.perf_counter()
    screener = api.get_screener()
    out["screener_cache_load_s"] = time.perf_counter() - t
    out["parties"] = len(screener.parties)
    out["indexed_names"] = len(screener.index.entries)
    print(f"screener: build {out['screener_first_build_s']:.1f}s, cache load {out['screener_cache_load_s']:.2f}s, {out['parties']} parties", file=sys.stderr)

    # 3. queries: listed names, perturbed names, unlisted names (about a third each)
    rng = random.Random(11)
    entities, _ = load_entities()
    _, cases = build_cases(entities, seed=3, per_category=max(50, args.queries // 10))
    perturbed = [c.query for c in cases if c.positive and c.category in ("typo", "order", "legal_form", "abbreviation", "script", "alias_related", "alias_unrelated", "cross_list")]
    unlisted = [c.query for c in cases if not c.positive]
    listed = [n for p in screener.parties if p.listed for n in p.names[:1]]
    third = args.queries // 3
    queries = rng.sample(listed, third) + rng.sample(perturbed, min(third, len(perturbed))) + rng.sample(unlisted, min(third, len(unlisted)))
    rng.shuffle(queries)
    out["query_mix"] = {"listed": third, "perturbed": min(third, len(perturbed)), "unlisted": min(third, len(unlisted))}

    serving = serving_process(queries)
    out["redline_query"] = summary(serving["ms"])
    out["rss_mb_serving"] = serving["rss_mb"]
    print(f"redline one query: {out['redline_query']}", file=sys.stderr)

    # The benchmark's own objects (entities, cases) collected once and frozen, as the serving process holds none of them:
    # a screen-file process holds none either, and screen_csv's collection before it forks would walk them (0.7 s).
    gc.collect()
    gc.freeze()

    # 4. batch throughput. A run's start (Screener.warm: each script's tables and libraries, loaded once before the pool
    # forks) is a fixed cost of any file, timed apart from the rows; the table gives both.
    t = time.perf_counter()
    screener.warm()
    out["batch_start_s"] = time.perf_counter() - t
    tmp = Path(tempfile.mkdtemp(prefix="redline-batch-"))
    src, dst = tmp / "in.csv", tmp / "out.csv"
    with src.open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(["id", "name"])
        for r in range(args.batch_repeat):
            for i, q in enumerate(queries):
                w.writerow([f"{r}-{i}", q])
    rows = len(queries) * args.batch_repeat
    t = time.perf_counter()
    batch.screen_csv(src, dst, resume=False, progress=False, workers=args.workers)
    secs = time.perf_counter() - t
    out["batch"] = {"rows": rows, "workers": args.workers, "seconds": secs, "queries_per_s": rows / secs,
                    "queries_per_s_with_start": rows / (secs + out["batch_start_s"])}
    t = time.perf_counter()
    batch.screen_csv(src, tmp / "out1.csv", resume=False, progress=False, workers=1)
    secs1 = time.perf_counter() - t
    out["batch_1_worker"] = {"rows": rows, "seconds": secs1, "queries_per_s": rows / secs1}
    print(f"batch: {out['batch']}; 1 worker {out['batch_1_worker']}", file=sys.stderr)

    # 5. baselines on a sample of the same queries
    rf = Rapidfuzz(screener)
    sample = queries[: args.baseline_queries]
    ms = []
    for q in sample:
        t = time.perf_counter()
        rf.best(q)
        ms.append((time.perf_counter() - t) * 1000)
    out["rapidfuzz_extractone"] = {**summary(ms), "names": len(rf.names)}
    print(f"rapidfuzz extractOne: {out['rapidfuzz_extractone']}", file=sys.stderr)

    lv = Nomenklatura(screener, "logic-v2")
    ms, comparisons = [], 0
    for q in queries[: args.logic_queries]:
        cands = [i for i, _ in rf.top(q, 20)]
        for i in cands:
            lv.candidate(i)  # entity construction is not counted
        t = time.perf_counter()
        lv.best(q, None, cands)
        ms.append((time.perf_counter() - t) * 1000)
        comparisons += len(cands)
    out["logic_v2_20_candidates"] = {**summary(ms), "comparisons": comparisons, "ms_per_comparison": sum(ms) / max(1, comparisons)}
    print(f"logic-v2: {out['logic_v2_20_candidates']}", file=sys.stderr)

    q = out["redline_query"]
    print(f"""
Machine: {out['machine']}. Lists: {out['import_units']} units imported, {out['parties']} parties, {out['indexed_names']} indexed names.

| measure | result | target |
|---|---:|---|
| import every list into a fresh store | {out['import_s']:.1f} s | <= 60 s |
| screener build (first call, incl. writing the cache) | {out['screener_first_build_s']:.1f} s | |
| screener load from the cache file | {out['screener_cache_load_s']:.2f} s | |
| peak resident memory of a fresh process that loads the screener and screens the queries | {out['rss_mb_serving']:.0f} MB | <= 1,500 MB |
| Redline one query p50 / p99 ({q['n']} queries, in that process) | {q['p50_ms']:.2f} / {q['p99_ms']:.2f} ms | <= 2 / <= 20 ms |
| Redline batch, start: every script's tables loaded once (Screener.warm; those this process had not loaded yet) | {out['batch_start_s']:.1f} s | |
| Redline batch, screen_csv, {args.workers} workers ({rows} rows), after the start | {out['batch']['queries_per_s']:.0f} q/s | >= 1,000 q/s |
| Redline batch, {args.workers} workers, the start included | {out['batch']['queries_per_s_with_start']:.0f} q/s | |
| Redline batch, 1 worker | {out['batch_1_worker']['queries_per_s']:.0f} q/s | |
| rapidfuzz extractOne token_set_ratio, p50 / p99 ({out['rapidfuzz_extractone']['n']} queries, {out['rapidfuzz_extractone']['names']} names) | {out['rapidfuzz_extractone']['p50_ms']:.2f} / {out['rapidfuzz_extractone']['p99_ms']:.2f} ms | |
| logic-v2 on 20 candidates, p50 / p99 ({out['logic_v2_20_candidates']['n']} queries) | {out['logic_v2_20_candidates']['p50_ms']:.1f} / {out['logic_v2_20_candidates']['p99_ms']:.1f} ms ({out['logic_v2_20_candidates']['ms_per_comparison']:.2f} ms a comparison) | |
| ratio rapidfuzz p50 / Redline p50 | {out['rapidfuzz_extractone']['p50_ms'] / q['p50_ms']:.1f}x | |
""")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()

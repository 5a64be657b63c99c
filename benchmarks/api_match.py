"""/match/default over HTTP against the same queries in-process, on loopback.

    REDLINE_HOME=~/.redline .venv/bin/python -m benchmarks.api_match [--workers 2] [--seconds 10]
        [--concurrency 8 16] [--json out.json]

REDLINE_HOME must hold the lists (`redline parties import`); the screener is loaded from its cache
file. Measures, in one run: the in-process baseline (redline.parties.api.screen, one thread: p50,
p99, queries/s); then `redline serve --workers N` driven by a load generator in another process
(wrk when installed, and httpx async clients) with one query per request at each concurrency:
req/s, p50, p99, errors; the latency of one request at a time (the HTTP overhead per request);
and the memory (RSS and PSS) of the server's processes beside a one-worker server's.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.api_common import bench_home, httpx_load, load_sweep, make_key, memory_mb, pct, start_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def build_queries(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """Listed captions, the same with two letters swapped, and unlisted counterparties (2:1:1)."""
    from redline.parties import api as parties

    rng = random.Random(seed)
    listed = sorted(parties.listed_clusters(), key=lambda c: c["id"])
    picks = rng.sample(listed, min(len(listed), n // 2))
    queries = [{"name": c["caption"], "schema": c["schema"]} for c in picks]
    for c in rng.sample(listed, min(len(listed), n // 4)):
        name = c["caption"]
        i = rng.randrange(1, max(2, len(name) - 1))
        queries.append({"name": name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :], "schema": c["schema"]})
    sample = ROOT / "examples" / "counterparties.csv"
    with sample.open(newline="", encoding="utf-8") as handle:
        unlisted = [row["name"] for row in csv.DictReader(handle) if row.get("name")]
    queries += [{"name": rng.choice(unlisted), "schema": None} for _ in range(n - len(queries))]
    rng.shuffle(queries)
    return queries


def as_request(q: dict[str, Any]) -> tuple[str, str, str]:
    example = {"schema": q["schema"] or "LegalEntity", "properties": {"name": [q["name"]]}}
    return ("POST", "/match/default", json.dumps({"queries": {"q": example}}))


def in_process(queries: list[dict[str, Any]]) -> dict[str, Any]:
    from redline.parties import api as parties

    for q in queries[:50]:
        parties.screen(q["name"], schema=q["schema"])
    ms = []
    started, cpu = time.perf_counter(), time.process_time()
    for q in queries:
        t = time.perf_counter()
        parties.screen(q["name"], schema=q["schema"] if q["schema"] != "LegalEntity" else None)
        ms.append((time.perf_counter() - t) * 1000)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"queries": len(ms), "p50_ms": round(pct(ms, 0.5), 2), "p99_ms": round(pct(ms, 0.99), 2),
            "q_per_s_one_thread": round(len(ms) / elapsed, 1), "cpu_ms_per_query": round(1000 * cpu / len(ms), 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--concurrency", type=int, nargs="+", default=[8, 16])
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    home = bench_home()
    from redline.parties import api as parties

    if not parties.snapshots():
        sys.exit(f"no lists in {home}: run `redline parties import` first")
    out: dict[str, Any] = {"machine": f"{os.cpu_count()} CPUs visible (shared with other work), Python {sys.version.split()[0]}",
                           "home": str(home), "entities": sum(1 for _ in parties.listed_clusters())}
    queries = build_queries(args.queries)
    requests = [as_request(q) for q in queries]
    out["in_process"] = in_process(queries)
    print("in-process:", out["in_process"], flush=True)
    key = make_key(home, f"bench-{time.time_ns()}")

    server = start_server(home, 1)
    try:
        httpx_load(server.base, key, requests[:50], 1, 2)  # warm-up
        out["one_worker"] = {"start_s": round(server.started_s, 1), "memory": memory_mb(server.pids())}
    finally:
        server.stop()

    server = start_server(home, args.workers)
    out["workers"] = args.workers
    out["start_s"] = round(server.started_s, 1)
    try:
        httpx_load(server.base, key, requests[:100], 4, 3)  # warm-up
        out.update(load_sweep(server, key, requests, args.concurrency, args.seconds))
    finally:
        server.stop()
    seq = out["sequential"]
    out["http_overhead_ms_p50"] = round(seq["p50_ms"] - out["in_process"]["p50_ms"], 2)
    out["http_vs_in_process_p50"] = round(seq["p50_ms"] / out["in_process"]["p50_ms"], 2)
    best = min((r for r in out["load"]), key=lambda r: r["server_cpu_ms_per_request"], default=seq)
    out["cpu_overhead_ratio"] = round(best["server_cpu_ms_per_request"] / out["in_process"]["cpu_ms_per_query"], 2)
    # what the measured CPU cost per request allows on two cores given to the server alone
    out["capacity_2_cores_req_per_s"] = round(2000 / best["server_cpu_ms_per_request"], 0)
    print(json.dumps({k: out[k] for k in ("memory", "one_worker", "http_overhead_ms_p50", "http_vs_in_process_p50",
                                          "cpu_overhead_ratio", "capacity_2_cores_req_per_s")}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

"""Two servers side by side, A and B (two git trees), on the same queries, in alternating bursts.

    REDLINE_HOME=~/.redline .venv/bin/python -m benchmarks.api_ab --a /tmp/base --b . [--rounds 6]
        [--seconds 4] [--concurrency 8] [--workers 2] [--route match|lookup] [--json out.json]

With `--route lookup`, REDLINE_HOME is a home filled by benchmarks.api_lookup (its bank of
`--hashes` random PDQ hashes) and the bursts are its /m/lookup queries; the in-process baseline
is then Matcher.match_pdq on the same queries.

For a machine shared with other work: both servers run at once and take turns (A, B, A, B, ...),
so each meets the same neighbours, and each burst's server CPU per request is read from /proc. The
minimum over the bursts is the least disturbed figure of each (other work only adds to it); the
median is reported beside it. A tree is put first on the server's PYTHONPATH; with the project
installed in editable mode, `--shim DIR` names a folder holding a sitecustomize.py that drops the
editable finder, so that a tree's own modules are the ones imported. Also measures the in-process
baseline (redline.parties.api.screen, as benchmarks.api_match does) of this process's tree.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.api_common import bench_home, make_key, measured, start_server, wrk_load  # noqa: E402
from benchmarks.api_match import as_request, build_queries, in_process  # noqa: E402


def _serve(home: Path, tree: Path, shim: Path | None, workers: int, ready_path: str = "/readyz") -> Any:
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(str(p) for p in (tree, shim) if p)
    try:
        return start_server(home, workers, timeout_s=900, ready_path=ready_path)
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved


def _lookups(hashes: int, n: int) -> tuple[list[tuple[str, str, str | None]], dict[str, Any]]:
    """benchmarks.api_lookup's queries (half planted, half random) and Matcher.match_pdq on them."""
    import random

    from benchmarks.api_common import pct
    from benchmarks.api_lookup import planted, random_hash
    from redline.context import get_context
    from redline.media.matcher import Matcher

    seed = 11
    hits = planted(hashes, seed, n // 2)
    rng = random.Random(seed + 3)
    queries = [q for q, _ in hits] + [random_hash(rng) for _ in range(n - len(hits))]
    random.Random(seed + 4).shuffle(queries)
    matcher = Matcher.open(get_context())
    for q in queries[:20]:
        matcher.match_pdq(q)
    ms, cpu = [], time.process_time()
    for q in queries:
        t = time.perf_counter()
        matcher.match_pdq(q)
        ms.append((time.perf_counter() - t) * 1000)
    cpu = time.process_time() - cpu
    baseline = {"queries": len(ms), "p50_ms": round(pct(ms, 0.5), 3), "p99_ms": round(pct(ms, 0.99), 3),
                "cpu_ms_per_query": round(1000 * cpu / len(ms), 3)}
    return [("GET", f"/m/lookup?signal_type=pdq&signal={q}", None) for q in queries], baseline


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--a", type=Path, required=True, help="tree A (e.g. a git worktree of the base commit)")
    ap.add_argument("--b", type=Path, required=True, help="tree B")
    ap.add_argument("--shim", type=Path)
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--seconds", type=float, default=4.0)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--route", choices=("match", "lookup"), default="match")
    ap.add_argument("--hashes", type=int, default=1_000_000, help="the bank's size, for --route lookup")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    home = bench_home()
    if args.route == "lookup":
        requests, baseline = _lookups(args.hashes, args.queries)
    else:
        queries = build_queries(args.queries)
        requests, baseline = [as_request(q) for q in queries], in_process(queries)
    out: dict[str, Any] = {"route": args.route, "load_average_start": os.getloadavg(), "in_process": baseline}
    print("in-process:", out["in_process"], flush=True)
    key = make_key(home, f"ab-{time.time_ns()}")
    ready = "/healthz" if args.route == "lookup" else "/readyz"  # a lookup home has no lists: /readyz stays 503
    servers = {"A": _serve(home, args.a.resolve(), args.shim, args.workers, ready),
               "B": _serve(home, args.b.resolve(), args.shim, args.workers, ready)}
    bursts: dict[str, list[dict[str, Any]]] = {"A": [], "B": []}
    try:
        for name, server in servers.items():  # warm-up
            wrk_load(server.base, key, requests[:100], args.concurrency, 2)
        for _ in range(args.rounds):
            for name, server in servers.items():
                run = measured(server, lambda: wrk_load(server.base, key, requests, args.concurrency, args.seconds))
                bursts[name].append(run)
                print(name, run, flush=True)
    finally:
        for server in servers.values():
            server.stop()
    out["load_average_end"] = os.getloadavg()
    for name, runs in bursts.items():
        cpu = [r["server_cpu_ms_per_request"] for r in runs]
        out[name] = {"tree": str(getattr(args, name.lower())), "bursts": runs, "cpu_ms_min": min(cpu),
                     "cpu_ms_median": round(statistics.median(cpu), 3),
                     "req_per_s_median": statistics.median(r["req_per_s"] for r in runs),
                     "p99_ms_median": statistics.median(r["p99_ms"] for r in runs),
                     "errors": sum(r["errors"] for r in runs),
                     "capacity_2_cores_req_per_s_from_min": round(2000 / min(cpu))}
    print(json.dumps({k: {m: v for m, v in out[k].items() if m != "bursts"} for k in ("A", "B")}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

"""Two servers side by side, A and B (two git trees), on the same queries, in alternating bursts.

    REDLINE_HOME=~/.redline .venv/bin/python -m benchmarks.api_ab --a /tmp/base --b . [--rounds 6]
        [--seconds 4] [--concurrency 8] [--workers 2] [--json out.json]

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

from benchmarks.api_common import make_key, measured, start_server, wrk_load  # noqa: E402
from benchmarks.api_match import as_request, build_queries, in_process  # noqa: E402


def _serve(home: Path, tree: Path, shim: Path | None, workers: int) -> Any:
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(str(p) for p in (tree, shim) if p)
    try:
        return start_server(home, workers)
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved


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
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    home = Path(os.environ.get("REDLINE_HOME") or Path.home() / ".redline").expanduser()
    os.environ["REDLINE_HOME"] = str(home)
    queries = build_queries(args.queries)
    requests = [as_request(q) for q in queries]
    out: dict[str, Any] = {"load_average_start": os.getloadavg(), "in_process": in_process(queries)}
    print("in-process:", out["in_process"], flush=True)
    key = make_key(home, f"ab-{time.time_ns()}")
    servers = {"A": _serve(home, args.a.resolve(), args.shim, args.workers),
               "B": _serve(home, args.b.resolve(), args.shim, args.workers)}
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

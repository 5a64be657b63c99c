"""Memory of `redline serve` with 1, 2, 4 ... workers: does the screener cost N times?

    REDLINE_HOME=~/.redline .venv/bin/python -m benchmarks.api_memory [--workers 1 2 4] [--seconds 8]
        [--json out.json]

For each worker count: start the server (the parent loads the screener from its cache file and
forks the workers), drive /match/default with wrk (16 clients, one query per request, the queries
of benchmarks.api_match) so that every worker screens for a while, then read RSS, PSS and private
memory of every process from /proc/PID/smaps_rollup. PSS splits each shared page between the
processes sharing it, so the PSS total is what the server really costs; a worker's private memory
is what it copied from its parent (or made) since the fork.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.api_common import bench_home, make_key, measured, memory_mb, process_cpu, start_server, wrk_load  # noqa: E402
from benchmarks.api_match import as_request, build_queries  # noqa: E402


def _cpu_by_pid(pids: list[int]) -> dict[int, float]:
    """CPU seconds of each process: how the load spread over the workers."""
    return {pid: process_cpu(pid) for pid in pids}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    home = bench_home()
    requests = [as_request(q) for q in build_queries(300)]
    key = make_key(home, f"memory-{time.time_ns()}")
    out: dict[str, Any] = {"load_average_start": os.getloadavg(), "runs": []}
    for workers in args.workers:
        server = start_server(home, workers)
        try:
            idle = memory_mb(server.pids())
            cpu_before = _cpu_by_pid(server.pids())
            load = measured(server, lambda: wrk_load(server.base, key, requests, 16, args.seconds))
            busy = memory_mb(server.pids())
            cpu = {pid: round(s - cpu_before.get(pid, 0.0), 2) for pid, s in _cpu_by_pid(server.pids()).items()}
        finally:
            server.stop()
        run = {"workers": workers, "start_s": round(server.started_s, 1), "before_load": idle, "after_load": busy,
               "load": load, "cpu_s_by_process": cpu}
        out["runs"].append(run)
        print(json.dumps({"workers": workers, "pss_total_mb_before": idle["pss_total_mb"],
                          "pss_total_mb_after": busy["pss_total_mb"], "rss_sum_mb_after": busy["rss_sum_mb"],
                          "private_mb_after": [p["private_mb"] for p in busy["processes"]],
                          "cpu_s_by_process": list(cpu.values()),
                          "requests": load and load["requests"], "errors": load and load["errors"]}), flush=True)
    out["load_average_end"] = os.getloadavg()
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

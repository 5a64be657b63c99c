"""2,000 concurrent connections for 60 s against /match/default: does the server stay up and answer?

    REDLINE_HOME=~/.redline .venv/bin/python -m benchmarks.api_soak [--connections 2000] [--seconds 60] [--workers 2]

Needs wrk (`apt-get install wrk`) for the load (2,000 sockets from one small C process); a probe in
this process asks /healthz once a second during the run, each on its own connection and thread with
a 30 s timeout. Reports wrk's counts (requests, req/s, p50/p99, errors by kind: a request still
queued when wrk stops counts as a timeout; a 503 counts as a status error), the probes answered,
their median and slowest time, and whether the server was still up and answering afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.api_common import bench_home, make_key, memory_mb, pct, start_server, wrk_load  # noqa: E402
from benchmarks.api_match import as_request, build_queries  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--connections", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    import httpx

    home = bench_home()
    requests = [as_request(q) for q in build_queries(300)]
    key = make_key(home, f"soak-{time.time_ns()}")
    server = start_server(home, args.workers)
    probes: list[tuple[int, float]] = []
    stop = threading.Event()

    def one_probe() -> None:
        t = time.perf_counter()
        try:
            status = httpx.get(f"{server.base}/healthz", timeout=30).status_code
        except httpx.HTTPError:
            status = 0
        probes.append((status, time.perf_counter() - t))

    def probe() -> None:  # one probe a second, each on its own connection and thread: a slow one delays none
        sent = []
        while not stop.wait(1.0):
            sent.append(threading.Thread(target=one_probe, daemon=True))
            sent[-1].start()
        for t in sent:
            t.join()

    thread = threading.Thread(target=probe, daemon=True)
    load_average = [os.getloadavg()]
    try:
        thread.start()
        load = wrk_load(server.base, key, requests, args.connections, args.seconds, threads=2)
        stop.set()
        thread.join()
        load_average.append(os.getloadavg())
        alive = server.process.poll() is None
        after, waited = None, time.perf_counter()
        while alive and after is None and time.perf_counter() - waited < 300:
            try:  # requests still queued inside the workers are served first
                after = httpx.get(f"{server.base}/healthz", timeout=30).status_code
            except httpx.HTTPError:
                alive = server.process.poll() is None
        recovered_s = round(time.perf_counter() - waited, 1)
        match_after = httpx.post(f"{server.base}/match/default", content=requests[0][2],
                                 headers={"Authorization": f"Bearer {key}", "content-type": "application/json"},
                                 timeout=60).status_code if after == 200 else None
        memory = memory_mb(server.pids()) if alive else None
    finally:
        stop.set()
        server.stop()
    ok = sorted(d for s, d in probes if s == 200)
    out: dict[str, Any] = {"connections": args.connections, "workers": args.workers, "wrk": load,
                           "load_average": load_average,
                           "probes": {"sent": len(probes), "answered_200": len(ok),
                                      "p50_s": round(pct(ok, 0.5), 2) if ok else None,
                                      "p99_s": round(pct(ok, 0.99), 2) if ok else None,
                                      "slowest_s": round(max((d for _, d in probes), default=0), 2)},
                           "alive_after": alive, "healthz_after": after, "healthz_after_s": recovered_s, "match_after": match_after,
                           "memory": memory}
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

"""Exchange feed at scale: how long a peer takes to fetch and index N shared hashes, and how soon a
newly published hash is matchable at the peer after its fetch.

    .venv/bin/python -m benchmarks.exchange_feed                 # 1 M hashes (several minutes)
    .venv/bin/python -m benchmarks.exchange_feed --n 50000       # a quick run

Same run, two installations in temporary folders (SQLite):
  baseline  A's own bulk insert of the N hashes into a bank (`banks.add_signals`, one call) and the
            index build over them (`Matcher.open`): the floor for getting N hashes matchable;
  publish   A signs and publishes them on its feed (`exchange publish`);
  fetch     B fetches A's feed from a real `redline serve` over loopback (pages of --page-size,
            every block signature and record digest verified, each page committed with its
            checkpoint and provenance), then builds its index (`Matcher.open`);
  latency   A banks and publishes one new hash; B's fetch starts; time until B's running matcher
            (the one a server holds) returns it. Repeated --latency-runs times.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

from redline import keys
from redline.config import Settings
from redline.context import Context
from redline.exchange import credentials, exchanges, feed, fetch
from redline.media import banks
from redline.media.matcher import Matcher

from benchmarks.api_common import process_cpu

REDLINE = str(Path(sys.executable).with_name("redline"))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def install(root: Path, name: str) -> Context:
    home = root / name
    home.mkdir()
    ctx = Context(Settings(home=home, data_dir=None, db_url=f"sqlite:///{home / 'redline.db'}", user=name))
    ctx.store.create_all()
    return ctx


def random_pdqs(n: int, seed: int) -> list[str]:
    codes = np.random.default_rng(seed).integers(0, 256, size=(n, 32), dtype=np.uint8)
    return [row.tobytes().hex() for row in codes]


def serve(ctx: Context) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "REDLINE_HOME": str(ctx.settings.home), "REDLINE_DB": ctx.settings.db_url}
    process = subprocess.Popen([REDLINE, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("redline serve did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--page-size", type=int, default=20_000)
    parser.add_argument("--latency-runs", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="rl-exchange-bench-"))
    a, b = install(root, "a"), install(root, "b")
    hashes = random_pdqs(args.n, 1)
    print(f"# exchange feed: {args.n:,} PDQ hashes, pages of {args.page_size:,}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at the start\n")
    print("phase                                    wall        CPU of this process")

    banks.create_bank(a.store, "tvec", labels=["entity:un_listed"], actor="a")
    t0, c0 = time.perf_counter(), time.process_time()
    banks.add_signals(a.store, "tvec", [banks.SignalRecord("pdq", h, contributor="platform-a") for h in hashes],
                      actor="a", ledger=a.ledger)
    insert_s, insert_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    Matcher(a, persist=False).refresh()
    index_a_s, index_a_cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"baseline  bulk insert into a bank (A)   {insert_s:8.1f} s   {insert_cpu:8.1f} s")
    print(f"baseline  index build (A)               {index_a_s:8.1f} s   {index_a_cpu:8.1f} s")
    print(f"baseline  total                         {insert_s + index_a_s:8.1f} s   {insert_cpu + index_a_cpu:8.1f} s")

    t0, c0 = time.perf_counter(), time.process_time()
    published = feed.publish(a, "tvec")
    print(f"publish   sign + write the feed (A)     {time.perf_counter() - t0:8.1f} s   {time.process_time() - c0:8.1f} s"
          f"   ({published['published']:,} records)")

    secret = keys.create_key(a.store, a.ledger, "platform-b", "reader", org="b")["key"]
    server, url = serve(a)
    try:
        exchanges.add_exchange(b, "peer-a", "redline", {"url": url, "public_key": feed.signer(a).public_pem(),
                                                        "page_size": args.page_size, "rate": 1000},
                               credential=credentials.seal(b.settings, secret))
        t0, c0, s0 = time.perf_counter(), time.process_time(), process_cpu(server.pid)
        result = fetch.fetch(b, "peer-a")
        fetch_s, fetch_cpu = time.perf_counter() - t0, time.process_time() - c0
        server_cpu = process_cpu(server.pid) - s0
        assert result.error is None and result.added == args.n, result.to_dict()
        t0, c0 = time.perf_counter(), time.process_time()
        matcher = Matcher(b, persist=False)
        matcher.refresh()
        index_b_s, index_b_cpu = time.perf_counter() - t0, time.process_time() - c0
        probe = hashes[args.n // 2]
        assert matcher.match_pdq(probe)[0].distance == 0
        print(f"fetch     {result.pages:4d} pages, verified (B)  {fetch_s:8.1f} s   {fetch_cpu:8.1f} s   "
              f"({args.n / fetch_s:,.0f} hashes/s; A's server, another process: {server_cpu:.1f} s CPU)")
        if getattr(result, "cpu", None):  # phase CPU timers (absent before they were added)
            phases = ", ".join(f"{k} {v:.1f} s" for k, v in result.cpu.items() if k != "wait")
            print(f"fetch     phases (CPU of each phase's thread): {phases}; waiting for pages {result.cpu.get('wait', 0):.1f} s wall")
        print(f"fetch     index build (B)               {index_b_s:8.1f} s   {index_b_cpu:8.1f} s")
        print(f"fetch     total                         {fetch_s + index_b_s:8.1f} s   {fetch_cpu + index_b_cpu:8.1f} s   "
              f"(target < 120 s; {(fetch_s + index_b_s) / (insert_s + index_a_s):.2f}x the baseline's wall time)")

        latencies, fetches = [], []
        for i, fresh in enumerate(random_pdqs(args.latency_runs, 2)):
            banks.add_signals(a.store, "tvec", [banks.SignalRecord("pdq", fresh)], actor="a", ledger=a.ledger)
            feed.publish(a, "tvec")
            t0 = time.perf_counter()
            fetched = fetch.fetch(b, "peer-a")
            fetches.append(time.perf_counter() - t0)
            while not matcher.match_pdq(fresh):
                time.sleep(0.01)
            latencies.append(time.perf_counter() - t0)
            assert fetched.added == 1
        print(f"latency   new hash, fetch start -> matchable at B: max {max(latencies):.2f} s, "
              f"median {float(np.median(latencies)):.2f} s over {len(latencies)} (fetch alone: max {max(fetches):.2f} s; "
              "target < 5 s)")
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
        print(f"memory    peak RSS of this process (A's insert + B's fetch + both indexes): {rss_mb():,.0f} MB")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Bulk banking: time to bank N random PDQ hashes into an empty bank with `banks.add_signals`, on
SQLite and on PostgreSQL (a throwaway cluster, as the tests start one), now and at a baseline tree
(a git worktree of an earlier commit), each measurement in a fresh process, alternating.

    git worktree add /tmp/bulk-base 541d2c0        # the commit before this round's changes
    .venv/bin/python -m benchmarks.media_bulk --baseline-tree /tmp/bulk-base          # 1 M, both backends
    .venv/bin/python -m benchmarks.media_bulk --size 200000 --no-postgres             # now only

The time covers validation, dedupe, the load, the index rebuild and the ledger entry (records are
built before the clock starts: callers hand them in). CPU is the process's own (PostgreSQL's
server work is another process and not in it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# run with PYTHONPATH set to the tree under test; argv: URL N
ONE_RUN = """
import json, sys, time
import numpy as np
from redline.ledger import Ledger
from redline.media import banks
from redline.store import Store
url, n = sys.argv[1], int(sys.argv[2])
store = Store(url)
store.create_all()
banks.create_bank(store, "bulk")
codes = np.random.default_rng(1).integers(0, 256, size=(n, 32), dtype=np.uint8)
batch = [banks.SignalRecord("pdq", row.tobytes().hex()) for row in codes]
t0, c0 = time.perf_counter(), time.process_time()
result = banks.add_signals(store, "bulk", batch, actor="bench", ledger=Ledger(store), source="bench")
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
assert result.added == n, result
store.close()
print(json.dumps({"wall": wall, "cpu": cpu}))
"""


def timed(tree: Path, url: str, n: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", ONE_RUN, url, str(n)], env=env, check=True, capture_output=True,
                         text=True, cwd=tree).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def revision(tree: Path) -> str:
    return subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip() or "?"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--baseline-tree", type=Path, help="a worktree of the baseline commit")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="measure each tree this many times, alternating")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="rl-bulk-"))
    urls = {"sqlite": lambda name: f"sqlite:///{folder / name}.db"}
    cluster = None
    if not args.no_postgres:
        sys.path.insert(0, str(ROOT / "tests"))
        from pgcluster import start_cluster

        cluster = start_cluster()
        if cluster is not None:
            urls["postgresql"] = lambda name: cluster.create_database(name)  # type: ignore[union-attr]
    trees = [(f"now ({revision(ROOT)} + working tree)", ROOT)]
    if args.baseline_tree:
        trees.insert(0, (f"baseline {revision(args.baseline_tree)}", args.baseline_tree.resolve()))
    print(f"# {args.size:,} PDQ hashes, load average {os.getloadavg()[0]:.1f} at the start")
    print("| backend | code | hashes | wall s | CPU s | hashes/s |\n|---|---|---:|---:|---:|---:|")
    try:
        for backend, url in urls.items():
            for label, tree in trees * args.repeat:
                r = timed(tree, url(f"b{time.monotonic_ns()}"), args.size)
                print(f"| {backend} | {label} | {args.size:,} | {r['wall']:.1f} | {r['cpu']:.1f} | "
                      f"{args.size / r['wall']:,.0f} |", flush=True)
    finally:
        if cluster is not None:
            cluster.stop()
        print(f"# load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()

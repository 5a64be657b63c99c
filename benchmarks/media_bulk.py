"""Bulk banking: time to bank N random PDQ hashes into an empty bank with `banks.add_signals`, on
SQLite and on PostgreSQL (a throwaway cluster, as the tests start one), beside the `add_signals` of
git revision BASELINE_REV (the start of this work: SQLAlchemy inserts of 5,000 rows with the indexes
in place, duplicates looked up 500 keys a query), loaded from git into the same process.

    .venv/bin/python -m benchmarks.media_bulk                          # 1 M new, 200 k baseline
    .venv/bin/python -m benchmarks.media_bulk --size 1000000 --baseline-size 1000000

Each run is a fresh store; the time covers validation, dedupe, the load, the index rebuild and the
ledger entry (records are built before the clock starts: callers hand them in).
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

import numpy as np

from redline.ledger import Ledger
from redline.media import banks
from redline.store import Store

BASELINE_REV = "77d11dd"


def baseline_module() -> ModuleType:
    source = subprocess.run(["git", "show", f"{BASELINE_REV}:redline/media/banks.py"], check=True,
                            capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "banks_baseline.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("banks_baseline", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def records(n: int, seed: int = 1) -> list[banks.SignalRecord]:
    codes = np.random.default_rng(seed).integers(0, 256, size=(n, 32), dtype=np.uint8)
    return [banks.SignalRecord("pdq", row.tobytes().hex()) for row in codes]


def timed(url: str, module: ModuleType, n: int) -> float:
    store = Store(url)
    store.create_all()
    module.create_bank(store, "bulk")
    batch = records(n)
    started = time.perf_counter()
    result = module.add_signals(store, "bulk", batch, actor="bench", ledger=Ledger(store), source="bench")
    elapsed = time.perf_counter() - started
    assert result.added == n, result
    store.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--baseline-size", type=int, default=200_000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="rl-bulk-"))
    baseline = baseline_module()
    urls = {"sqlite": lambda name: f"sqlite:///{folder / name}.db"}
    cluster = None
    if not args.no_postgres:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        from pgcluster import start_cluster

        cluster = start_cluster()
        if cluster is not None:
            urls["postgresql"] = lambda name: cluster.create_database(name)  # type: ignore[union-attr]
    try:
        print("| backend | implementation | hashes | seconds | hashes/s |\n|---|---|---:|---:|---:|")
        for backend, url in urls.items():
            for label, module, n in ((f"baseline {BASELINE_REV}", baseline, args.baseline_size),
                                     ("bulk (now)", banks, args.baseline_size), ("bulk (now)", banks, args.size)):
                if n <= 0:
                    continue
                seconds = timed(url(f"b{time.monotonic_ns()}"), module, n)
                print(f"| {backend} | {label} | {n:,} | {seconds:.1f} | {n / seconds:,.0f} |", flush=True)
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()

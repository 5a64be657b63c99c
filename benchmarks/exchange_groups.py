"""The bank side of a large fetch: N random PDQ hashes through `banks.add_signals` in the groups
`exchange fetch` makes (default: 1 M as 50k, 50k, 100k, 200k, 400k, 200k), CPU a group.

    .venv/bin/python -m benchmarks.exchange_groups                      # loads sorted by key (now)
    .venv/bin/python -m benchmarks.exchange_groups --unsorted           # as before: in feed order
    .venv/bin/python -m benchmarks.exchange_groups --groups 1000000     # one call (the floor)
    .venv/bin/python -m benchmarks.exchange_groups --no-rebuild         # B-tree inserts after the first group

Run two variants at the same time to compare them under the same load.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from redline.media import banks, bulk
from redline.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", default="50000,50000,100000,200000,400000,200000")
    parser.add_argument("--unsorted", action="store_true", help="no sorting of large loads (the old behaviour)")
    parser.add_argument("--no-rebuild", action="store_true", help="indexes rebuilt for the first group only")
    args = parser.parse_args()
    groups = [int(g) for g in args.groups.split(",")]
    if args.unsorted:
        bulk.SORTED_LOAD_MIN_ROWS = 10**12
    if args.no_rebuild:
        bulk.REBUILD_MIN_ROWS = 10**12
    store = Store(f"sqlite:///{Path(tempfile.mkdtemp(prefix='rl-exchange-groups-')) / 'r.db'}")
    store.create_all()
    banks.create_bank(store, "b")
    codes = np.random.default_rng(1).integers(0, 256, size=(sum(groups), 32), dtype=np.uint8)
    hexes = [row.tobytes().hex() for row in codes]
    start, total = 0, 0.0
    for i, size in enumerate(groups):
        records = [banks.SignalRecord("pdq", h, contributor="x", labels=["entity:un_listed"])
                   for h in hexes[start:start + size]]
        start += size
        if args.no_rebuild and i == 0:
            bulk.REBUILD_MIN_ROWS = 50_000
        c0 = time.process_time()
        banks.add_signals(store, "b", records)
        spent = time.process_time() - c0
        total += spent
        if args.no_rebuild and i == 0:
            bulk.REBUILD_MIN_ROWS = 10**12
        print(f"group {size:>9,}: {spent:6.1f} s CPU", flush=True)
    print(f"sum {total:.1f} s CPU ({'unsorted' if args.unsorted else 'sorted'}"
          f"{', no rebuild' if args.no_rebuild else ''})")


if __name__ == "__main__":
    main()

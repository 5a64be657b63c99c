"""What recording each screening costs: redline.parties.api.screen with and without its ledger
entry and review items, interleaved query by query in one run (so load swings hit both alike).

    REDLINE_HOME=/tmp/rl-bench REDLINE_DATA=/work/shared/data .venv/bin/python benchmarks/parties_recording.py

Lists: un_sc and us_dod_1260h from REDLINE_DATA (imported into REDLINE_HOME when it has none).
Queries: 300 listed names, 100 of them misspelt, 100 unlisted names. Prints p50/p99 wall-clock
and p50 CPU time per call for each mode."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from redline.context import get_context  # noqa: E402
from redline.parties import api  # noqa: E402
from redline.parties.snapshots import import_paths  # noqa: E402


def main() -> None:
    ctx = get_context()
    if not api.snapshots():
        lists = ctx.settings.data("lists")
        import_paths(ctx.store, [p for p in lists.iterdir() if p.name in ("un_sc", "us_dod_1260h")])
    names = [c["caption"] for c in api.listed_clusters()][:300]
    queries = names + [n[:-2] + "xy" for n in names[:100]] + [f"Nobody Trading {i} Ltd" for i in range(100)]
    for q in queries[:20]:
        api.screen(q)
    wall: dict[bool, list[float]] = {False: [], True: []}
    cpu: dict[bool, list[float]] = {False: [], True: []}
    for q in queries:
        for record in (False, True):
            t, c = time.perf_counter(), time.process_time()
            api.screen(q, record=record)
            wall[record].append(time.perf_counter() - t)
            cpu[record].append(time.process_time() - c)
    for record in (False, True):
        times = sorted(wall[record])
        print(f"record={record!s:5} n={len(times)} p50={statistics.median(times) * 1000:.2f} ms "
              f"p99={times[int(len(times) * 0.99)] * 1000:.2f} ms cpu p50={statistics.median(cpu[record]) * 1000:.2f} ms")


if __name__ == "__main__":
    main()

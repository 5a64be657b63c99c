"""screen-file throughput at two sizes: does a large file keep the small-file rate?

    REDLINE_HOME=/tmp/rl-x .venv/bin/python -m benchmarks.parties_batch_scale [--sizes 10000 200000] [--workers 2] [--json out.json]

Uses the lists already imported in REDLINE_HOME (run `redline parties import` first). Writes
one generated CSV per size (seeded: listed names as written, listed names with a typo or a
legal form, and unlisted names built from common words and random syllables; about one row in
five with a country, one in ten with a birth date), then times batch.screen_csv on each, and
samples the resident memory of the parent and of its workers every second. Rows per CPU-second
(parent and workers together) is the figure to compare on a shared machine; rows/s is wall time.
With --stub the screener is replaced by one that finds nothing at once, so that only the
machinery is timed: reading and checking the input, chunks to and from the workers, writing,
bookkeeping. For a baseline, run the same command with PYTHONPATH pointing at a worktree of the
old code.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

COUNTRIES = ["cn", "ru", "ir", "kp", "sy", "by", "us", "de", "gb", "ae", "tr", "in", "China", "Russia", "IRN"]
WORDS = """global trading industrial systems logistics energy machinery harbour national golden star river east west
north south united pacific atlantic digital precision metal textile food agri marine holdings partners solutions
alpha delta summit crown eagle lotus cedar falcon orion nova""".split()
FORMS = ["Ltd", "LLC", "Co., Ltd.", "GmbH", "JSC", "S.A.", "Inc.", "PJSC", "OOO", "Limited"]
SYLLABLES = "ka ri to mo na se lu vi da ze po gi han lin zhu wei tor bek dar sol mir ant".split()


def _typo(name: str, rng: random.Random) -> str:
    if len(name) < 6:
        return name
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def _unlisted(rng: random.Random) -> str:
    made = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{made} {rng.choice(WORDS).capitalize()} {rng.choice(WORDS).capitalize()} {rng.choice(FORMS)}"


def write_input(path: Path, rows: int, listed: list[str], seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "country", "birth_date"])
        for i in range(rows):
            kind = rng.random()
            if kind < 0.3:
                name = rng.choice(listed)
            elif kind < 0.5:
                name = _typo(rng.choice(listed), rng)
            elif kind < 0.6:
                name = f"{rng.choice(listed)} {rng.choice(FORMS)}"
            else:
                name = _unlisted(rng)
            country = rng.choice(COUNTRIES) if rng.random() < 0.2 else ""
            born = str(rng.randint(1940, 2000)) if rng.random() < 0.1 else ""
            writer.writerow([f"r{i}", name, country, born])


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def run(size: int, listed: list[str], workers: int, tmp: Path) -> dict[str, Any]:
    from redline.parties import batch

    src, dst = tmp / f"in-{size}.csv", tmp / f"out-{size}.csv"
    write_input(src, size, listed)
    peaks = {"parent_mb": 0.0, "workers_mb": 0.0}
    stop = threading.Event()

    def sample() -> None:
        me = os.getpid()
        while not stop.wait(1.0):
            peaks["parent_mb"] = max(peaks["parent_mb"], _rss_mb(me))
            peaks["workers_mb"] = max(peaks["workers_mb"], sum(_rss_mb(c) for c in _children(me)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time()
    t = time.perf_counter()
    summary = batch.screen_csv(src, dst, resume=False, progress=False, workers=workers)
    seconds = time.perf_counter() - t
    parent_cpu = time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    stop.set()
    sampler.join()
    return {
        "rows": size,
        "screened": summary["rows"],
        "seconds": round(seconds, 2),
        "rows_per_s": round(size / seconds, 1),
        "parent_cpu_s": round(parent_cpu, 2),
        "workers_cpu_s": round(workers_cpu, 2),
        # rows per CPU-second of parent and workers together: what a shared machine cannot blur
        "rows_per_cpu_s": round(size / (parent_cpu + workers_cpu), 1),
        "peak_parent_rss_mb": round(peaks["parent_mb"]),
        "peak_workers_rss_mb": round(peaks["workers_mb"]),
        "input_mb": round(src.stat().st_size / 2**20, 1),
    }


class _NoHits:
    """A screener that finds nothing, instantly."""

    def screen(self, query: Any, limit: int = 5, **_: Any) -> list[Any]:
        return []


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 200_000])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--stub", action="store_true", help="time the machinery only, with a screener that finds nothing")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    import redline
    from redline.parties import api

    screener = api.get_screener()
    listed = sorted({n for p in screener.parties if p.listed for n in p.names[:2] if 3 <= len(n) <= 120})
    if args.stub:
        stub = _NoHits()
        api.get_screener = lambda: stub
    out: dict[str, Any] = {"code": str(Path(redline.__file__).parent), "cpus": os.cpu_count(), "workers": args.workers, "stub": args.stub, "runs": []}
    with tempfile.TemporaryDirectory(prefix="redline-scale-") as tmp:
        for size in args.sizes:
            result = run(size, listed, args.workers, Path(tmp))
            out["runs"].append(result)
            print(json.dumps(result), file=sys.stderr, flush=True)
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

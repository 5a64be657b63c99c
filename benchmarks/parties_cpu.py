"""CPU per screening query, on a fixed screener and a fixed set of queries, for comparing two engines.

    REDLINE_DATA=/work/shared/data .venv/bin/python benchmarks/parties_cpu.py [--limit N] [--profile out.prof] [--json out.json]
    PYTHONPATH=/tmp/other-checkout .venv/bin/python /work/main/benchmarks/parties_cpu.py   # another engine

Builds the test-subset screener (the one tests/parties uses) once (the same lists, read straight from
REDLINE_DATA), then screens every distinct name of the frozen category cases
(benchmarks/data/parties_category_cases.csv) once, in file order. Reports `time.process_time` per
query (CPU seconds: less sensitive to other work on a shared machine than wall time) and p50 / p99 wall
milliseconds. Two engines are compared by running this script on each in the same sitting.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

# The engine comes from PYTHONPATH when given (another checkout); the cases from this checkout.
HERE = Path(__file__).resolve().parent
CASES = HERE / "data" / "parties_category_cases.csv"
# A subset of the real lists that holds every example tests/parties needs (its conftest builds the
# same screener with build_screener).
SUBSET = (
    "us_csl/2022-04/consolidated.csv",
    "us_dod_1260h",
    "us_misc_opensanctions_repo",
    "ofac_sdn/2021-07-07/bis_dpl.txt",
    "ofac_non_sdn/2025-12-19",
)


def queries(limit: int | None) -> list[str]:
    with CASES.open(encoding="utf-8", newline="") as fh:
        names = [name for row in csv.DictReader(fh) for name in (row["a"], row["b"])]
    unique = list(dict.fromkeys(n for n in names if n.strip()))
    return unique[:limit] if limit else unique


def build_screener(data_dir: Path) -> Any:
    from redline.parties.graph import SourceEntity, build_parties
    from redline.parties.screening import Screener
    from redline.parties.sources.registry import discover

    entities = []
    for rel in SUBSET:
        for reader, path in discover(data_dir / "lists" / rel):
            for entity in reader.read(path):
                entities.append(SourceEntity(entity.to_dict(), reader.info.name, f"{reader.info.name}@test"))
    return Screener(build_parties(entities), snapshots=[])


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N distinct names")
    ap.add_argument("--profile", type=Path, help="write a cProfile of the screening loop here")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    import redline
    from redline.config import load_settings
    from redline.parties.screening import Query

    data_dir = load_settings().data_dir
    if data_dir is None or not data_dir.is_dir():
        print("error: REDLINE_DATA is not a directory", file=sys.stderr)
        raise SystemExit(2)
    engine = str(Path(redline.__file__).parent)
    t = time.perf_counter()
    screener = build_screener(data_dir)
    build_s = time.perf_counter() - t
    names = queries(args.limit)

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    wall: list[float] = []
    matches = 0
    cpu0 = time.process_time()
    for name in names:
        w = time.perf_counter()
        hits = screener.screen(Query(name))
        wall.append((time.perf_counter() - w) * 1000)
        matches += any(h.match for h in hits)
    cpu = time.process_time() - cpu0
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(str(args.profile))

    out = {
        "engine": engine,
        "queries": len(names),
        "build_s": round(build_s, 1),
        "cpu_ms_per_query": round(1000 * cpu / len(names), 3),
        "wall_p50_ms": round(pct(wall, 0.5), 3),
        "wall_p99_ms": round(pct(wall, 0.99), 3),
        "wall_mean_ms": round(statistics.fmean(wall), 3),
        "queries_with_a_match": matches,
        "load_1min": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

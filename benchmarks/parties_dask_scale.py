"""`screen-file` on Dask against the in-process batch, same file, same lists, same run:

    python benchmarks/parties_dask_scale.py [--rows 4000] [--pool N] [--home DIR] [--json out.json]

Engines: the local engine with one process (the baseline) and with two, then a Dask LocalCluster
of one and of two single-threaded worker processes (each loads the screener from its cache file).
Every name is distinct (generated given/family names and company words, with list-name tokens
mixed in), so the batch's repeat cache does not flatter anyone. Reports rows/s, the scaling
ratios, each Dask worker's resident memory after the run, and that every output is identical.
Uses REDLINE_HOME (or --home) with every list already imported (`redline parties import`)."""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.monitor_delta import FAMILY, GIVEN, KINDS, WORDS  # noqa: E402


def write_input(path: Path, rows: int, pool: int | None = None, seed: int = 11) -> None:
    """`rows` rows of distinct names, or with `pool`, rows cycling through `pool` distinct names."""
    from redline.parties import api

    listed = [p.caption for p in api.get_screener().parties if p.listed]
    tokens = sorted({t for caption in listed for t in caption.split() if t.isalpha() and len(t) > 3})
    rnd = random.Random(seed)
    names: dict[str, str] = {}
    while len(names) < min(rows, pool or rows):
        if rnd.random() < 0.5:
            names.setdefault(f"{rnd.choice(GIVEN)} {rnd.choice(tokens).title()} {rnd.choice(FAMILY)}", "Person")
        else:
            names.setdefault(f"{rnd.choice(WORDS)} {rnd.choice(tokens).title()} {rnd.choice(KINDS)}", "Company")
    distinct = list(names.items())
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "schema"])
        for n in range(rows):
            name, schema = distinct[n % len(distinct)]
            writer.writerow([f"r{n + 1}", name, schema])


def timed(source: Path, out: Path, **options: Any) -> float:
    from redline.parties.batch import screen_csv

    started = time.perf_counter()
    screen_csv(source, out, resume=False, progress=False, record=False, **options)
    return time.perf_counter() - started


def preload(scheduler: str) -> None:
    """Every worker loads the screener from its cache file before the clock starts (as it would
    once, for the first of many runs on a long-lived cluster)."""
    from distributed import Client

    from redline.parties import dask_engine

    cache = str(dask_engine.screener_file())
    with Client(scheduler) as client:
        client.run(lambda: dask_engine.worker_screener(cache) and None)


def worker_memory(scheduler: str) -> list[int]:
    from distributed import Client

    def rss() -> int:
        import psutil

        return psutil.Process().memory_info().rss

    with Client(scheduler) as client:
        return sorted(round(v / 2**20) for v in client.run(rss).values())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=4000)
    parser.add_argument("--pool", type=int, help="Rows cycle through this many distinct names (default: all distinct).")
    parser.add_argument("--home", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.home:
        os.environ["REDLINE_HOME"] = str(args.home)
    from distributed import LocalCluster

    from redline.parties import api

    api.screener_cache_file()  # built or loaded once, before any timing
    results: dict[str, Any] = {"rows": args.rows, "distinct_names": args.pool or args.rows, "load_average": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.csv"
        write_input(source, args.rows, args.pool)
        runs = {"local, 1 process": {"workers": 1}, "local, 2 processes": {"workers": 2}}
        outputs = {}
        for label, options in runs.items():
            out = Path(tmp) / f"{len(outputs)}.csv"
            results[label] = round(args.rows / timed(source, out, **options), 1)
            outputs[label] = out.read_bytes()
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
                out = Path(tmp) / f"dask{workers}.csv"
                preload(cluster.scheduler_address)
                seconds = timed(source, out, engine="dask", scheduler=cluster.scheduler_address)
                label = f"dask, {workers} worker{'s' if workers > 1 else ''}"
                results[label] = round(args.rows / seconds, 1)
                results[f"{label}: worker RSS MB"] = worker_memory(cluster.scheduler_address)
                outputs[label] = out.read_bytes()
    base = results["local, 1 process"]
    results["ratios to local, 1 process"] = {k: round(v / base, 2) for k, v in results.items()
                                             if isinstance(v, float) and k != "load_average"}
    results["outputs identical"] = len(set(outputs.values())) == 1
    results["load_average_after"] = os.getloadavg()[0]
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

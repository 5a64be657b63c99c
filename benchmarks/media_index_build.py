"""The multi-index build before and after the radix-sort build, in one process on the same hashes:
`redline/media/mih.py` as of commit 1fbb3d2 (numpy key matrix, bincount, a one-pass counting sort
into 2**bits buckets) read from git, against the current one. Wall and CPU seconds (all threads),
alternating old/new twice; the new tables are checked equal to the old.

    .venv/bin/python -m benchmarks.media_index_build --size 10000000
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.media_index import cpu_s, load
from redline.media import mih as current

BEFORE = "1fbb3d2"


def old_module():
    source = subprocess.run(["git", "show", f"{BEFORE}:redline/media/mih.py"], check=True, capture_output=True,
                            text=True, cwd=Path(__file__).resolve().parent.parent).stdout
    path = Path(tempfile.mkdtemp()) / "mih_before.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("mih_before", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["mih_before"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000_000)
    args = parser.parse_args()
    before = old_module()
    codes = np.random.default_rng(1).integers(0, 256, size=(args.size, 32), dtype=np.uint8)
    current.MultiIndex(codes[:1000])  # compile (or load) the numba functions first
    before.MultiIndex(codes[:1000])
    reference = None
    for name, cls in (("before", before.MultiIndex), ("now", current.MultiIndex)) * 2:
        started, cpu, at_load = time.perf_counter(), cpu_s(), load()
        built = cls(codes)
        print(f"{name:<6} {args.size:,} hashes, {built.tables} tables of {built.bits} bits: build "
              f"{time.perf_counter() - started:6.1f} s wall / {cpu_s() - cpu:5.1f} s CPU (load {at_load})", flush=True)
        if reference is None:
            reference = built
        else:
            assert np.array_equal(built.rows, reference.rows) and np.array_equal(built.offsets, reference.offsets)
        del built


if __name__ == "__main__":
    main()

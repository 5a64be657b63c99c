"""Bank-side windows and index memory: what one banked picture costs when its derived hashes (bars
trimmed, windows: ~15 a picture) are indexed with it, and in a second index of each kind, in the
same run on the same hashes.

    .venv/bin/python -m benchmarks.media_index_windows --pictures 100000 --windows 15

Layouts, each answering "every hash within 31 bits of the query, derived ones too":
- `one index` (today): the pictures' own hashes and their windows in one BinaryIndex (exact
  multi-index over all of them);
- `two exact indexes`: the own hashes in one BinaryIndex, the windows in a second one (exact);
- `windows flat`: the windows in a flat scan (41 B a hash, exact, a scan a query);
- `windows IVF`: the windows in the product IVF index (`redline.media.ivf.IVFIndex`: approximate,
  centroids drawn from them, ~4,096 hashes a list, exact quantizer), at several nprobe.

Hashes are synthetic: each picture's own hash is uniform, its windows are the hash with 60-120 random
bits flipped (windows of one picture lie 30 or more bits apart, docs/benchmarks-media.md). Queries:
half a window with 0-31 bits flipped (must be found), half the own hash with 0-31 bits flipped.
Memory is what each structure holds (`memory_bytes`), not RSS, so the layouts compare in one process.
"""

from __future__ import annotations

import argparse
import time

import faiss
import numpy as np

from benchmarks.media_index import brute, cpu_s, flip, flip_fast, load
from redline.media.index import BinaryIndex
from redline.media.ivf import IVFIndex

THRESHOLD = 31


def p50(times: list[float]) -> float:
    return float(np.percentile(np.array(times) * 1000, 50))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pictures", type=int, default=100_000)
    parser.add_argument("--windows", type=int, default=15)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--nprobe", default="16,32,64,128")
    args = parser.parse_args()
    faiss.omp_set_num_threads(1)
    rng = np.random.default_rng(1)
    n, w = args.pictures, args.windows
    own = rng.integers(0, 256, size=(n, 32), dtype=np.uint8)
    windows = np.repeat(own, w, axis=0)
    for start in range(0, len(windows), 1 << 17):  # flip_fast holds ~3 KB a row while it works
        part = windows[start : start + (1 << 17)]
        part[:] = flip_fast(part, rng.integers(60, 121, size=len(part)), rng)
    half = args.queries // 2
    qs = np.concatenate([flip(windows[rng.choice(n * w, half, replace=False)], rng.integers(0, 32, size=half), rng),
                         flip(own[rng.choice(n, args.queries - half, replace=False)], rng.integers(0, 32, size=args.queries - half), rng)])
    every = np.concatenate([own, windows])
    truth = [brute(every.view(np.uint64).reshape(len(every), 4), q, THRESHOLD) for q in qs]
    print(f"{n:,} pictures, {w} windows each ({n * (1 + w):,} hashes), {len(qs)} queries; load {load()}")

    def report(label: str, memory: int, search, build: str) -> None:
        times, found, wanted = [], 0, 0
        for q, expected in zip(qs, truth):
            t0 = time.perf_counter()
            got = search(q)
            times.append(time.perf_counter() - t0)
            found += len(expected & got)
            wanted += len(expected)
        print(f"{label:<28} {memory / n:8.0f} B a picture ({memory / (n * (1 + w)):5.1f} B a hash)  "
              f"p50 {p50(times):7.3f} ms  recall {found / wanted:.4f}  build {build}  (load {load()})", flush=True)

    def timed(make):
        started, cpu = time.perf_counter(), cpu_s()
        made = make()
        return made, f"{time.perf_counter() - started:.1f} s wall / {cpu_s() - cpu:.1f} s CPU"

    one, built = timed(lambda: _index(every))
    report("one index (today)", one.memory_bytes(), lambda q: {h.row for h in one.search(q[None, :])}, built)
    del one
    main_index, built_main = timed(lambda: _index(own))
    second, built = timed(lambda: _index(windows))
    report("two exact indexes", main_index.memory_bytes() + second.memory_bytes(),
           lambda q: {h.row for h in main_index.search(q[None, :])} | {n + h.row for h in second.search(q[None, :])},
           f"{built_main} + {built}")
    second.mih = None  # the same rows answering by their flat scan
    report("windows flat", main_index.memory_bytes() + second.memory_bytes(),
           lambda q: {h.row for h in main_index.search(q[None, :])} | {n + h.row for h in second.search(q[None, :])},
           built_main)
    del second
    ivf, built = timed(lambda: IVFIndex.build(np.arange(len(windows)), windows))
    for nprobe in [int(p) for p in args.nprobe.split(",")]:
        def search(q: np.ndarray, nprobe: int = nprobe) -> set[int]:
            return {h.row for h in main_index.search(q[None, :])} | {n + h.row for h in ivf.search(q[None, :], THRESHOLD, nprobe)}

        report(f"windows IVF nprobe {nprobe}/{ivf.nlist}", main_index.memory_bytes() + ivf.memory_bytes(), search, built)


def _index(codes: np.ndarray) -> BinaryIndex:
    index = BinaryIndex()
    index.add(np.arange(len(codes)), codes)
    return index


if __name__ == "__main__":
    main()

"""Toward 100 M PDQ hashes: faiss IndexBinaryIVF (approximate) beside the exact flat scan, on the
same hashes as benchmarks/media_index.py (random and clustered), single-threaded: recall of the
planted neighbours within distance 31, p50/p99 a query and bytes a hash, for several nprobe.

    .venv/bin/python -m benchmarks.media_index_ivf --size 1000000
    .venv/bin/python -m benchmarks.media_index_ivf --size 4000000 --kinds random

This machine (2 shared cores, ~24 GB for ~8 engineers) cannot build 100 M (3.2 GB of codes plus
training); the figures at 1 M and 4 M are measured, and how the cost grows with n at a fixed list
size is what docs/benchmarks-media.md extrapolates from.
"""

from __future__ import annotations

import argparse
import time

import faiss
import numpy as np

from benchmarks.media_index import brute, flip, make_codes, rss_mb

THRESHOLD = 31


def run(kind: str, n: int, queries: int, list_size: int, probes: list[int]) -> None:
    faiss.omp_set_num_threads(1)
    rng = np.random.default_rng(1)
    codes = make_codes(kind, n, rng)
    picks = rng.choice(n, queries, replace=False)
    qs = flip(codes[picks], rng.integers(0, 32, size=queries), rng)
    codes64 = codes.view(np.uint64).reshape(n, 4)
    truth = [brute(codes64, q, THRESHOLD) for q in qs]
    nlist = max(64, n // list_size)
    before = rss_mb()
    started = time.perf_counter()
    quantizer = faiss.IndexBinaryFlat(256)
    index = faiss.IndexBinaryIVF(quantizer, 256, nlist)
    faiss.omp_set_num_threads(2)  # training and adding use both cores; searching uses one
    train = codes[rng.choice(n, min(n, 64 * nlist), replace=False)]
    index.train(train)
    index.add(codes)
    build = time.perf_counter() - started
    grown = rss_mb() - before
    faiss.omp_set_num_threads(1)
    print(f"\n## IVF, {n:,} {kind} hashes, nlist {nlist:,} (~{list_size:,} a list), build {build:.1f} s, "
          f"RSS +{grown * 2**20 / n:.1f} B/hash (codes 32 B + ids 8 B)", flush=True)
    for nprobe in probes:
        index.nprobe = nprobe
        times, found, wanted = [], 0, 0
        for q, expected in zip(qs, truth):
            t0 = time.perf_counter()
            lims, _, labels = index.range_search(q[None, :], THRESHOLD + 1)
            times.append(time.perf_counter() - t0)
            found += len(expected & set(labels.tolist()))
            wanted += len(expected)
        a = np.array(times) * 1000
        print(f"nprobe {nprobe:>4}: recall {found / wanted:.4f}  p50 {np.percentile(a, 50):7.3f} ms  "
              f"p99 {np.percentile(a, 99):7.3f} ms", flush=True)
    flat = faiss.IndexBinaryFlat(256)
    flat.add(codes)
    times = []
    for q in qs[:30]:
        t0 = time.perf_counter()
        flat.range_search(q[None, :], THRESHOLD + 1)
        times.append(time.perf_counter() - t0)
    print(f"exact flat scan: p50 {np.percentile(np.array(times) * 1000, 50):.3f} ms (32 B/hash + ids)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--kinds", default="random,clustered")
    parser.add_argument("--list-size", type=int, default=1024)
    parser.add_argument("--nprobe", default="1,8,32,128,512")
    args = parser.parse_args()
    for kind in args.kinds.split(","):
        run(kind, args.size, args.queries, args.list_size, [int(p) for p in args.nprobe.split(",")])


if __name__ == "__main__":
    main()

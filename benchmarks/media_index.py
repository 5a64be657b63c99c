"""PDQ match latency and memory: Redline's BinaryIndex (faiss IndexBinaryFlat + tombstones) vs
python-threatexchange 1.2.17's PDQ indexes (PDQIndex = faiss multi-index hashing, PDQIndex2 = faiss
float L2 flat), same hashes, same queries, same run; recall checked against numpy brute force.

    .venv/bin/python -m benchmarks.media_index                 # 1 M hashes
    .venv/bin/python -m benchmarks.media_index --ten-million   # also 10 M (Redline + pytx PDQIndex; ~6 GB RAM)

Queries: half are banked hashes with 0–31 random bits flipped (must be found), half random.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np

from redline.media.index import BinaryIndex
from redline.media.signals import PDQ_DEFAULT_THRESHOLD

POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def brute(codes: np.ndarray, query: np.ndarray, threshold: int) -> set[int]:
    distances = POPCOUNT[np.bitwise_xor(codes, query)].sum(axis=1, dtype=np.uint16)
    return set(np.flatnonzero(distances <= threshold).tolist())


def percentiles(samples: list[float]) -> str:
    a = np.array(samples) * 1000
    return f"p50 {np.percentile(a, 50):7.3f} ms  p99 {np.percentile(a, 99):7.3f} ms"


def run(n: int, queries: int, with_pytx2: bool, rng: np.random.Generator) -> None:
    print(f"\n## {n:,} random PDQ hashes, {queries} queries, threshold {PDQ_DEFAULT_THRESHOLD}")
    codes = rng.integers(0, 256, size=(n, 32), dtype=np.uint8)
    picks = rng.choice(n, queries // 2, replace=False)
    planted = codes[picks].copy()
    for row in planted:
        for bit in rng.choice(256, int(rng.integers(0, 32)), replace=False):
            row[bit // 8] ^= 1 << (bit % 8)
    qs = np.concatenate([planted, rng.integers(0, 256, size=(queries - len(planted), 32), dtype=np.uint8)])
    truth = [brute(codes, q, PDQ_DEFAULT_THRESHOLD) for q in qs]

    before = rss_mb()
    started = time.perf_counter()
    index = BinaryIndex()
    index.add(np.arange(n), codes)
    build = time.perf_counter() - started
    grown = rss_mb() - before
    times, recall_ok = [], True
    for q, expected in zip(qs, truth):
        t0 = time.perf_counter()
        hits = index.search(q[None, :], PDQ_DEFAULT_THRESHOLD)
        times.append(time.perf_counter() - t0)
        recall_ok &= {h.signal_id for h in hits} == expected
    redline_p50 = np.percentile(times, 50)
    print(f"redline BinaryIndex : {percentiles(times)}  exact recall: {recall_ok}  build {build:.1f} s  "
          f"memory {index.memory_bytes() / n:.1f} B/hash (RSS +{grown * 2**20 / n:.1f} B/hash)")
    # a new hash is searchable at once: append one and find it
    new = rng.integers(0, 256, size=(1, 32), dtype=np.uint8)
    t0 = time.perf_counter()
    index.add(np.array([n]), new)
    found = [h.signal_id for h in index.search(new, 0)]
    print(f"  append one hash and find it: {(time.perf_counter() - t0) * 1000:.1f} ms ({found == [n]})")
    hexes = [c.tobytes().hex() for c in codes]
    del index

    from threatexchange.signal_type.pdq.pdq_index import PDQIndex

    started = time.perf_counter()
    pytx = PDQIndex(entries=((h, i) for i, h in enumerate(hexes)))
    build = time.perf_counter() - started
    times, recall_ok = [], True
    for q, expected in zip(qs, truth):
        qh = q.tobytes().hex()
        t0 = time.perf_counter()
        found = {m.metadata for m in pytx.query(qh)}
        times.append(time.perf_counter() - t0)
        recall_ok &= found == expected
    print(f"pytx PDQIndex (MIH) : {percentiles(times)}  exact recall: {recall_ok}  build {build:.1f} s  "
          f"→ redline {np.percentile(times, 50) / redline_p50:.1f}× faster at p50")
    del pytx

    if with_pytx2:
        from threatexchange.signal_type.pdq.pdq_index2 import PDQIndex2

        started = time.perf_counter()
        pytx2 = PDQIndex2(entries=((h, i) for i, h in enumerate(hexes)))
        build = time.perf_counter() - started
        times, recall_ok = [], True
        for q, expected in zip(qs, truth):
            qh = q.tobytes().hex()
            t0 = time.perf_counter()
            found = {m.metadata for m in pytx2.query(qh)}
            times.append(time.perf_counter() - t0)
            recall_ok &= found == expected
        print(f"pytx PDQIndex2 (L2) : {percentiles(times)}  exact recall: {recall_ok}  build {build:.1f} s  "
              f"→ redline {np.percentile(times, 50) / redline_p50:.1f}× faster at p50")
        del pytx2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ten-million", action="store_true")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--size", type=int, default=1_000_000)
    args = parser.parse_args()
    import faiss

    print(f"faiss {faiss.__version__}, {faiss.omp_get_max_threads()} OpenMP threads")
    rng = np.random.default_rng(1)
    run(args.size, args.queries, with_pytx2=True, rng=rng)
    if args.ten_million:
        run(10_000_000, args.queries, with_pytx2=False, rng=rng)


if __name__ == "__main__":
    main()

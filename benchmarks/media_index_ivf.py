"""Toward 100 M PDQ hashes: faiss IndexBinaryIVF (approximate) beside the exact flat scan, on the
same hashes as benchmarks/media_index.py (random and clustered), searched single-threaded: recall of
the planted neighbours within distance 31, p50/p99 a query, build time and bytes a hash, for several
nprobe and for several ways to choose the lists' centroids, in the same run:

- `kmeans`: faiss's own training (k-means on 64 hashes a list, 25 iterations, in float space);
- `kmeans-small`: k-means on 16 hashes a list, 6 iterations;
- `sample`: no training, the centroids are hashes drawn from the data (uniform 256-bit hashes have
  no clusters for k-means to find; real ones cluster around their pictures, and a drawn hash lies
  in a cluster as often as the cluster is large);
- `product`: the product index, `redline.media.ivf.IVFIndex` (drawn centroids, the `--quantizer`
  (an HNSW one searched at efSearch `--assign-ef` when filing), lists allocated at their final
  size), searched through its own `search` (live flags, ids): what a bank above the IVF size runs.

The quantizer that assigns a hash to its list is exact (`flat`) or `hnsw` (faiss IndexBinaryHNSW,
32 links, efSearch at least nprobe), which assigns tens of millions of hashes to tens of thousands
of centroids in minutes where a flat quantizer takes hours.

    .venv/bin/python -m benchmarks.media_index_ivf --size 1000000 --train kmeans,kmeans-small,sample
    .venv/bin/python -m benchmarks.media_index_ivf --size 20000000 --train sample --quantizer hnsw \\
        --kinds random --nprobe 32,128,512 --no-flat

This machine (2 shared cores, ~24 GB for ~8 engineers) cannot build 100 M; docs/benchmarks-media.md
extrapolates from the sizes measured here, and says so.
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ThreadPoolExecutor

import faiss
import numpy as np

from benchmarks.media_index import brute, cpu_s, flip, load, make_codes, rss_mb
from redline.media import ivf as ivf_module
from redline.media.ivf import IVFIndex

THRESHOLD = 31
KNN = 16
ADD_CHUNK = 1 << 20


def quantizer_for(kind: str, centroids: int) -> faiss.IndexBinary:
    if kind == "hnsw":
        quantizer = faiss.IndexBinaryHNSW(256, 32)
        quantizer.hnsw.efConstruction = 40
        quantizer.hnsw.efSearch = 64
        return quantizer
    return faiss.IndexBinaryFlat(256)


def build(codes: np.ndarray, nlist: int, train: str, quantizer_kind: str, rng: np.random.Generator) -> faiss.IndexBinaryIVF:
    quantizer = quantizer_for(quantizer_kind, nlist)
    index = faiss.IndexBinaryIVF(quantizer, 256, nlist)
    index.own_fields = True
    quantizer.this.disown()
    if train == "sample":
        quantizer.add(codes[rng.choice(len(codes), nlist, replace=False)])
        index.is_trained = True
    else:
        per_list, iterations = (64, 25) if train == "kmeans" else (16, 6)
        index.cp.niter = iterations
        index.train(codes[rng.choice(len(codes), min(len(codes), per_list * nlist), replace=False)])
    fill(index, codes)
    return index


def fill(index: faiss.IndexBinaryIVF, codes: np.ndarray) -> None:
    """Add every code with each inverted list allocated once at its final size. faiss's own `add`
    appends entry by entry, and the lists' doubling vectors leave up to half their memory unused."""
    labels = np.empty(len(codes), dtype=np.int32)
    for start in range(0, len(codes), ADD_CHUNK):
        _, assigned = index.quantizer.search(codes[start : start + ADD_CHUNK], 1)
        labels[start : start + ADD_CHUNK] = assigned[:, 0]
    invlists = index.invlists
    cursor = np.zeros(index.nlist, dtype=np.int64)
    for list_no, count in enumerate(np.bincount(labels, minlength=index.nlist).tolist()):
        if count:
            invlists.resize(list_no, count)
    for start in range(0, len(codes), ADD_CHUNK):
        part = labels[start : start + ADD_CHUNK]
        order = np.argsort(part, kind="stable")
        chunk_codes = np.ascontiguousarray(codes[start : start + ADD_CHUNK][order])
        chunk_ids = (order + start).astype(np.int64)
        lists, firsts, counts = np.unique(part[order], return_index=True, return_counts=True)
        for list_no, first, count in zip(lists.tolist(), firsts.tolist(), counts.tolist()):
            invlists.update_entries(list_no, int(cursor[list_no]), count, faiss.swig_ptr(chunk_ids[first:]),
                                    faiss.swig_ptr(chunk_codes[first:]))
            cursor[list_no] += count
    index.ntotal = len(codes)


def memory_bytes(index: faiss.IndexBinaryIVF) -> int:
    """The inverted lists (32 B code + 8 B id a hash, allocated exactly) plus the quantizer."""
    quantizer = faiss.downcast_IndexBinary(index.quantizer)
    links = 0
    if isinstance(quantizer, faiss.IndexBinaryHNSW):
        links = faiss.vector_to_array(quantizer.hnsw.neighbors).nbytes + faiss.vector_to_array(quantizer.hnsw.offsets).nbytes
    return index.ntotal * (32 + 8) + quantizer.ntotal * 32 + links


def exact_flat(codes: np.ndarray, qs: np.ndarray, timed: int) -> tuple[list[set[int]], str]:
    """The exact flat scan (faiss IndexBinaryFlat): the rows within THRESHOLD of every query (its
    `KNN` nearest by a batched search on two threads, a range search for any query whose KNN-th
    nearest is still within the threshold; checked against numpy on the first queries), and its p50
    for single range searches on one thread, the baseline, on the first `timed` queries."""
    flat = faiss.IndexBinaryFlat(256)
    flat.add(codes)
    faiss.omp_set_num_threads(1)
    parts = np.array_split(np.arange(len(qs)), 2)
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda part: flat.search(qs[part], KNN), parts))
    distances, labels = np.concatenate([a[0] for a in answers]), np.concatenate([a[1] for a in answers])
    truth = []
    for qi, (near, rows) in enumerate(zip(distances, labels)):
        if near[-1] <= THRESHOLD:
            lims, _, found = flat.range_search(qs[qi : qi + 1], THRESHOLD + 1)
            truth.append(set(found.tolist()))
        else:
            truth.append(set(rows[near <= THRESHOLD].tolist()))
    codes64 = codes.view(np.uint64).reshape(len(codes), 4)
    for q, expected in list(zip(qs, truth))[:2]:
        assert expected == chunked_brute(codes64, q), "faiss's flat search disagrees with numpy"
    times = []
    for q in qs[:timed]:
        t0 = time.perf_counter()
        flat.range_search(q[None, :], THRESHOLD + 1)
        times.append(time.perf_counter() - t0)
    if not times:
        return truth, ""
    p50 = np.percentile(np.array(times) * 1000, 50)
    return truth, f"exact flat scan: p50 {p50:.3f} ms over {len(times)} queries (32 B/hash + ids; load {load()})"


def chunked_brute(codes64: np.ndarray, query: np.ndarray, chunk: int = 1 << 22) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(codes64), chunk):
        found |= {start + r for r in brute(codes64[start : start + chunk], query, THRESHOLD)}
    return found


def run(kind: str, n: int, queries: int, list_size: int, probes: list[int], trains: list[str],
        quantizer_kind: str, with_flat: bool, nlist_arg: int | None = None, flat_queries: int = 30) -> None:
    rng = np.random.default_rng(1)
    codes = make_codes(kind, n, rng)
    picks = rng.choice(n, queries, replace=False)
    qs = flip(codes[picks], rng.integers(0, 32, size=queries), rng)
    started = time.perf_counter()
    truth, flat_line = exact_flat(codes, qs, flat_queries if with_flat else 0)  # freed before the IVF builds
    print(f"{n:,} {kind} hashes, {queries} queries: truth in {time.perf_counter() - started:.1f} s, "
          f"{np.mean([len(t) for t in truth]):.1f} neighbours a query (load {load()}, RSS {rss_mb():,.0f} MB)", flush=True)
    if with_flat:
        print(flat_line, flush=True)
    nlist = nlist_arg or max(64, n // list_size)
    for train in trains:
        faiss.omp_set_num_threads(2)  # training and adding use both cores; searching uses one
        before = rss_mb()
        started, cpu = time.perf_counter(), cpu_s()
        if train == "product":
            index: IVFIndex | faiss.IndexBinaryIVF = IVFIndex.build(np.arange(n), codes, nlist=nlist,
                                                                    quantizer=quantizer_kind, seed=2)
            held = index.memory_bytes()
        else:
            index = build(codes, nlist, train, quantizer_kind, np.random.default_rng(2))
            held = memory_bytes(index)
        wall, used = time.perf_counter() - started, cpu_s() - cpu
        grown = rss_mb() - before
        faiss.omp_set_num_threads(1)
        quantizer_label = quantizer_kind
        extra = f", filed at efSearch {ivf_module.ASSIGN_EF}" if train == "product" and quantizer_kind == "hnsw" else ""
        print(f"\n## IVF, {n:,} {kind} hashes, nlist {nlist:,} (~{n // nlist:,} a list), centroids: {train}, "
              f"quantizer {quantizer_label}{extra}: build {wall:.1f} s wall / {used:.1f} s CPU (load {load()}), "
              f"{held / n:.1f} B/hash held (RSS +{grown * 2**20 / n:.1f} B/hash)", flush=True)
        for nprobe in probes:
            if nprobe > nlist:
                continue
            times, found, wanted = [], 0, 0
            if isinstance(index, IVFIndex):
                def search(q: np.ndarray) -> set[int]:
                    return {hit.signal_id for hit in index.search(q[None, :], THRESHOLD, nprobe)}
            else:
                index.nprobe = nprobe
                if quantizer_kind == "hnsw":
                    faiss.downcast_IndexBinary(index.quantizer).hnsw.efSearch = max(64, 2 * nprobe)

                def search(q: np.ndarray) -> set[int]:
                    return set(index.range_search(q[None, :], THRESHOLD + 1)[2].tolist())
            answers = []
            configured = ivf_module.SPLIT_SCAN_CODES
            ivf_module.SPLIT_SCAN_CODES = 1 << 62  # first pass: one thread a query
            for q, expected in zip(qs, truth):
                t0 = time.perf_counter()
                labels = search(q)
                times.append(time.perf_counter() - t0)
                answers.append(labels)
                found += len(expected & labels)
                wanted += len(expected)
            a = np.array(times) * 1000
            split = ""
            if isinstance(index, IVFIndex):  # the same searches, each query's scan split over two threads
                ivf_module.SPLIT_SCAN_CODES = 0
                split_times = []
                for q, answer in zip(qs, answers):
                    t0 = time.perf_counter()
                    labels = search(q)
                    split_times.append(time.perf_counter() - t0)
                    assert labels == answer, "the split scan found other rows"
                split = f"  two threads a query: p50 {np.percentile(np.array(split_times) * 1000, 50):8.3f} ms"
            ivf_module.SPLIT_SCAN_CODES = configured
            print(f"nprobe {nprobe:>5}: recall {found / wanted:.4f}  p50 {np.percentile(a, 50):8.3f} ms  "
                  f"p99 {np.percentile(a, 99):8.3f} ms{split}  (load {load()})", flush=True)
        del index


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--kinds", default="random,clustered")
    parser.add_argument("--list-size", type=int, default=1024)
    parser.add_argument("--nprobe", default="1,8,32,128,512")
    parser.add_argument("--train", default="kmeans,sample", help="kmeans, kmeans-small, sample, product (comma-separated)")
    parser.add_argument("--quantizer", choices=("flat", "hnsw"), default="flat")
    parser.add_argument("--no-flat", action="store_true", help="skip the exact flat scan baseline")
    parser.add_argument("--nlist", type=int, help="lists (default size / --list-size)")
    parser.add_argument("--assign-ef", type=int, default=ivf_module.ASSIGN_EF, help="product: efSearch when filing")
    parser.add_argument("--flat-queries", type=int, default=30)
    args = parser.parse_args()
    ivf_module.ASSIGN_EF = args.assign_ef
    print(f"faiss {faiss.__version__}; load {load()}")
    for kind in args.kinds.split(","):
        run(kind, args.size, args.queries, args.list_size, [int(p) for p in args.nprobe.split(",")],
            args.train.split(","), args.quantizer, not args.no_flat, args.nlist, args.flat_queries)
    import resource

    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GB")


if __name__ == "__main__":
    main()

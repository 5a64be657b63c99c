"""An approximate PDQ index for very large banks: faiss `IndexBinaryIVF` over centroids drawn from
the banked hashes, inverted lists allocated at their final size.

A hash lives in the list of its nearest centroid; a query scans the `nprobe` lists whose centroids
are nearest to it and checks every code there on its 256 bits, so every hit is a true one within the
threshold, but a neighbour whose hash fell in a list the query did not probe is missed (recall below
1, measured in docs/benchmarks-media.md). Centroids are hashes drawn from the data, not k-means: on
uniform hashes they do as well, and on hashes of real pictures k-means buys little for its cost.

The quantizer (which files a hash in its list and picks a query's lists) is exact by default: at a
few thousand lists a flat scan of the centroids costs microseconds, and faiss's HNSW over drawn
centroids of uniform hashes finds the true nearest centroid for only 25-60 % of them (measured),
filing neighbours where the query does not look. `quantizer="hnsw"` is there for far more lists.

Memory per hash: 32 bytes of code + 8 bytes of row number in the lists, 8 bytes of signal id and
1 byte live flag beside them (49 B), plus the quantizer (32 B a centroid, and HNSW links if used).

It offers what `BinaryIndex` offers (ids in non-decreasing order, live flags, `add`, `search`,
`compact`). Appends go to a flat tail scanned exactly; the tail becomes a segment (its own exact-size
lists under the same quantizer) when it reaches `TAIL_ROWS`, and segments are merged geometrically,
so an append never copies the bulk of the index and lists never carry a vector's doubling slack.
When the index has grown `REDRAW_GROWTH` times past the size its centroids were drawn from, the next
pack redraws them and rebuilds (lists would otherwise grow, and each query with them).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import faiss
import numpy as np

from redline.media.index import CODE_BYTES, DEFAULT_THREADS, Hit, SignalRows, _range
from redline.media.signals import PDQ_DEFAULT_THRESHOLD

LIST_SIZE = 4096  # hashes a list when centroids are drawn: nlist = n / LIST_SIZE
MIN_LISTS = 64
MAX_LISTS = 4096  # a flat quantizer's cost a hash grows with the lists (9 us at 4,096, measured)
DEFAULT_NPROBE = 256  # of 4,096 lists: recall 0.991 at <= 31 on uniform hashes (1,000 queries, measured)
QUANTIZERS = ("flat", "hnsw")
HNSW_LINKS = 32
HNSW_EF_CONSTRUCTION = 40
ASSIGN_EF = 16  # the quantizer's efSearch when filing hashes (one nearest centroid)
SPLIT_SCAN_CODES = 1 << 20  # a query's scan this long runs on DEFAULT_THREADS threads
TAIL_ROWS = 65_536  # appends scanned exactly before they become a segment
REDRAW_GROWTH = 4
ASSIGN_CHUNK = 1 << 18


@dataclass(frozen=True)
class Lists:
    """One segment's inverted lists as flat arrays: `sizes[l]` entries of list l, lists in order."""

    sizes: np.ndarray  # (nlist,) int64
    codes: np.ndarray  # (n, 32) uint8
    rows: np.ndarray  # (n,) int64


class IVFIndex(SignalRows):
    """Rows [0, packed) in `segments` (IndexBinaryIVF sharing one quantizer, faiss ids = row
    numbers), rows [packed, size) in a flat `tail`; signal ids and live flags in numpy arrays."""

    def __init__(self, centroids: np.ndarray, *, nprobe: int = DEFAULT_NPROBE, quantizer: faiss.IndexBinary | str = "flat",
                 drawn_from: int | None = None) -> None:
        super().__init__()
        self.centroids = np.ascontiguousarray(centroids, dtype=np.uint8)
        self.nlist = len(self.centroids)
        if self.nlist == 0:
            raise ValueError("an IVF index needs at least one centroid")
        self.nprobe = min(nprobe, self.nlist)
        if isinstance(quantizer, str):
            if quantizer not in QUANTIZERS:
                raise ValueError(f"quantizer {quantizer!r}: expected one of {', '.join(QUANTIZERS)}")
            quantizer = _hnsw(self.centroids) if quantizer == "hnsw" else _flat(self.centroids)
        self.quantizer = quantizer
        self.drawn_from = drawn_from if drawn_from is not None else self.nlist * LIST_SIZE
        self.segments: list[faiss.IndexBinaryIVF] = []
        self.tail = faiss.IndexBinaryFlat(CODE_BYTES * 8)
        self.packed = 0

    @classmethod
    def build(cls, ids: np.ndarray, codes: np.ndarray, live: np.ndarray | None = None, *, nlist: int | None = None,
              nprobe: int = DEFAULT_NPROBE, quantizer: str = "flat", seed: int = 0) -> IVFIndex:
        """Draw `nlist` centroids from `codes` (default one per LIST_SIZE hashes, at most MAX_LISTS)
        and file every row."""
        codes = np.ascontiguousarray(codes, dtype=np.uint8)
        count = nlist or min(MAX_LISTS, max(MIN_LISTS, len(codes) // LIST_SIZE))
        rng = np.random.default_rng(seed)
        if len(codes) >= count:
            centroids = codes[np.sort(rng.choice(len(codes), count, replace=False))]
        else:  # too few hashes to draw from: random centroids (the lists start near empty anyway)
            centroids = rng.integers(0, 256, size=(count, CODE_BYTES), dtype=np.uint8)
        index = cls(centroids, nprobe=nprobe, quantizer=quantizer, drawn_from=max(len(codes), count * LIST_SIZE))
        index._set_rows(np.asarray(ids, dtype=np.int64), live)
        if len(codes):
            index.segments.append(index._segment(0, codes))
            index.packed = index.size
        return index

    # -- ids and live flags (the same contract as BinaryIndex)
    def _set_rows(self, ids: np.ndarray, live: np.ndarray | None) -> None:
        self._ids = np.array(ids, dtype=np.int64)
        self._live = np.ones(len(ids), dtype=bool) if live is None else np.array(live, dtype=bool)
        self.size = len(ids)

    # -- adding
    def add(self, ids: np.ndarray, codes: np.ndarray, live: np.ndarray | None = None) -> None:
        """Append rows; ids in non-decreasing order after the last id held, else the index is rebuilt."""
        n = len(ids)
        if n == 0:
            return
        ids = np.asarray(ids, dtype=np.int64)
        codes = np.ascontiguousarray(codes, dtype=np.uint8)
        if self.size and ids[0] < self._ids[self.size - 1] or np.any(np.diff(ids) < 0):
            order = np.argsort(np.concatenate([self.ids, ids]), kind="stable")
            all_live = np.concatenate([self.live, np.ones(n, bool) if live is None else live])
            self._rebuild(np.concatenate([self.ids, ids])[order], np.concatenate([self.codes(), codes])[order],
                          all_live[order])
            return
        self._grow(n)
        self._ids[self.size : self.size + n] = ids
        self._live[self.size : self.size + n] = True if live is None else live
        self.size += n
        self.tail.add(codes)
        if self.size - self.packed >= TAIL_ROWS:
            self.pack()

    def pack(self) -> None:
        """File the tail's rows into a new segment and merge segments geometrically (or redraw)."""
        if self.size == self.packed:
            return
        if self.size > REDRAW_GROWTH * self.drawn_from:
            self._rebuild(self.ids.copy(), self.codes(), self.live.copy(), redraw=True)
            return
        tail_codes = faiss.vector_to_array(self.tail.xb).reshape(-1, CODE_BYTES)  # type: ignore[attr-defined]
        self.segments.append(self._segment(self.packed, tail_codes))
        self.tail = faiss.IndexBinaryFlat(CODE_BYTES * 8)
        self.packed = self.size
        while len(self.segments) > 1 and self.segments[-2].ntotal <= 2 * self.segments[-1].ntotal:
            last, before = self.segments.pop(), self.segments.pop()
            self.segments.append(self._from_lists(_merge_lists(lists_of(before), lists_of(last))))

    def _rebuild(self, ids: np.ndarray, codes: np.ndarray, live: np.ndarray, redraw: bool = False) -> None:
        """A new index over these rows: the same number of lists unless `redraw` (then one per LIST_SIZE)."""
        kind = "hnsw" if _hnsw_of(self.quantizer) is not None else "flat"
        fresh = IVFIndex.build(ids, codes, live, nlist=None if redraw else self.nlist, nprobe=self.nprobe, quantizer=kind)
        self.__dict__.update(fresh.__dict__)

    def _segment(self, first_row: int, codes: np.ndarray) -> faiss.IndexBinaryIVF:
        """File `codes` (rows first_row, first_row + 1, ...) in the lists of their nearest centroids:
        each list allocated once at its final size, then filled a chunk at a time (no sorted copy)."""
        labels = self.assign(codes)
        segment = self._empty_segment(np.bincount(labels, minlength=self.nlist))
        invlists, cursor = segment.invlists, np.zeros(self.nlist, dtype=np.int64)
        for start in range(0, len(codes), ASSIGN_CHUNK):
            part = labels[start : start + ASSIGN_CHUNK]
            order = np.argsort(part, kind="stable")
            chunk_codes = np.ascontiguousarray(codes[start : start + ASSIGN_CHUNK][order])
            chunk_rows = order.astype(np.int64) + (first_row + start)
            lists, firsts, counts = np.unique(part[order], return_index=True, return_counts=True)
            for list_no, first, count in zip(lists.tolist(), firsts.tolist(), counts.tolist()):
                invlists.update_entries(list_no, int(cursor[list_no]), count, faiss.swig_ptr(chunk_rows[first:]),
                                        faiss.swig_ptr(chunk_codes[first:]))
                cursor[list_no] += count
        segment.ntotal = len(codes)
        return segment

    def _empty_segment(self, sizes: np.ndarray) -> faiss.IndexBinaryIVF:
        """A segment under the shared quantizer with list l allocated at exactly sizes[l] entries."""
        segment = faiss.IndexBinaryIVF(self.quantizer, CODE_BYTES * 8, self.nlist)
        segment.is_trained = True
        for list_no in np.flatnonzero(sizes).tolist():
            segment.invlists.resize(list_no, int(sizes[list_no]))  # from empty: no doubling slack
        return segment

    def assign(self, codes: np.ndarray) -> np.ndarray:
        """Each code's list: the quantizer's nearest centroid (HNSW: searched with efSearch ASSIGN_EF).
        Chunks run on DEFAULT_THREADS Python threads, faiss single-threaded in each: faiss's own
        OpenMP workers spin while they wait, and on a loaded machine took 10x the CPU and wall time
        (measured: 110 vs 10 us a hash at 4,096 lists)."""
        labels = np.empty(len(codes), dtype=np.int32)
        hnsw = _hnsw_of(self.quantizer)
        if hnsw is not None:
            hnsw.efSearch = ASSIGN_EF
        faiss.omp_set_num_threads(1)

        def file(start: int) -> None:
            _, nearest = self.quantizer.search(np.ascontiguousarray(codes[start : start + ASSIGN_CHUNK]), 1)
            labels[start : start + ASSIGN_CHUNK] = nearest[:, 0]

        with ThreadPoolExecutor(max(1, DEFAULT_THREADS)) as pool:
            list(pool.map(file, range(0, len(codes), ASSIGN_CHUNK)))
        if len(labels) and labels.min() < 0:  # HNSW found no centroid (cannot happen with >= 1 centroid)
            raise RuntimeError("the IVF quantizer left a hash unassigned")
        return labels

    def _from_lists(self, lists: Lists) -> faiss.IndexBinaryIVF:
        segment = self._empty_segment(lists.sizes)
        firsts = np.concatenate([[0], np.cumsum(lists.sizes)]).astype(np.int64)
        codes = np.ascontiguousarray(lists.codes, dtype=np.uint8)
        rows = np.ascontiguousarray(lists.rows, dtype=np.int64)
        for list_no in np.flatnonzero(lists.sizes).tolist():
            first, count = int(firsts[list_no]), int(lists.sizes[list_no])
            segment.invlists.update_entries(list_no, 0, count, faiss.swig_ptr(rows[first:]), faiss.swig_ptr(codes[first:]))
        segment.ntotal = len(rows)
        return segment

    # -- searching
    def search(self, queries: np.ndarray, threshold: int = PDQ_DEFAULT_THRESHOLD, nprobe: int | None = None) -> list[Hit]:
        """Live rows within `threshold` bits (inclusive) in the `nprobe` lists nearest each query,
        and every live row of the tail: every hit is exact, a neighbour in an unprobed list is missed."""
        if self.size == 0 or len(queries) == 0:
            return []
        # One OpenMP thread: the quantizer (at most MAX_LISTS centroids) is too small to share, and a long
        # scan is split over Python threads (`_scan`); OpenMP workers here cost more CPU than they save
        # (30 queries, 64 probes: 1.5 M hashes 53 -> 29 ms CPU, 150 k 32 -> 9 ms; "Cost at 1 M").
        faiss.omp_set_num_threads(1)
        queries = np.ascontiguousarray(queries, dtype=np.uint8)
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        if self.segments:
            probes = min(nprobe or self.nprobe, self.nlist)
            hnsw = _hnsw_of(self.quantizer)
            if hnsw is not None:
                hnsw.efSearch = max(64, 2 * probes)
            centroid_distances, lists = self.quantizer.search(queries, probes)
            for segment in self.segments:
                parts.extend(self._scan(segment, queries, threshold, lists, centroid_distances))
        if self.tail.ntotal:
            tail_of, tail_rows, tail_distances = _range(self.tail, queries, threshold)
            parts.append((tail_of, tail_rows + self.packed, tail_distances))
        if not parts:
            return []
        query_of, rows, distances = (np.concatenate(column) for column in zip(*parts))
        keep = self._live[rows]
        return [Hit(int(q), int(self._ids[row]), int(d), int(row))
                for q, row, d in zip(query_of[keep], rows[keep], distances[keep])]

    def _scan(self, segment: faiss.IndexBinaryIVF, queries: np.ndarray, threshold: int, lists: np.ndarray,
              centroid_distances: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(query numbers, rows, distances) in the probed lists of one segment. A scan of more than
        SPLIT_SCAN_CODES codes is split over DEFAULT_THREADS Python threads (faiss single-threaded in
        each, the GIL released), the probes dealt round-robin so each thread gets near and far lists."""
        probes = lists.shape[1]
        expected = segment.ntotal * probes * len(queries) / self.nlist
        ways = DEFAULT_THREADS if expected >= SPLIT_SCAN_CODES and probes >= 2 * DEFAULT_THREADS else 1
        width = -(-probes // ways)
        if width * ways > probes:  # list -1 is skipped by faiss
            pad = width * ways - probes
            lists = np.concatenate([lists, np.full((len(queries), pad), -1, dtype=lists.dtype)], axis=1)
            centroid_distances = np.concatenate(
                [centroid_distances, np.full((len(queries), pad), CODE_BYTES * 8, dtype=centroid_distances.dtype)], axis=1)
        segment.nprobe = width

        def one(way: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            if ways > 1:  # each scan thread one OpenMP thread (a pool thread's default is every core: oversubscribed)
                faiss.omp_set_num_threads(1)
            lims, distances, labels = segment.range_search_preassigned(
                queries, threshold + 1, np.ascontiguousarray(lists[:, way::ways]),
                np.ascontiguousarray(centroid_distances[:, way::ways]))
            return (np.repeat(np.arange(len(queries)), np.diff(lims.astype(np.int64))),
                    labels.astype(np.int64), distances.astype(np.int64))

        if ways == 1:
            return [one(0)]
        return list(_pool().map(one, range(ways)))

    # -- maintenance
    def codes(self) -> np.ndarray:
        """Every row's code in row order (a copy)."""
        out = np.empty((self.size, CODE_BYTES), dtype=np.uint8)
        for segment in self.segments:
            lists = lists_of(segment)
            out[lists.rows] = lists.codes
        if self.tail.ntotal:
            out[self.packed : self.size] = faiss.vector_to_array(self.tail.xb).reshape(-1, CODE_BYTES)  # type: ignore[attr-defined]
        return out

    def memory_bytes(self) -> int:
        """What the index holds: list codes and row numbers, the tail, ids and flags, the quantizer."""
        lists = sum(int(segment.ntotal) for segment in self.segments) * (CODE_BYTES + 8)
        return lists + self.tail.ntotal * CODE_BYTES + self._ids.nbytes + self._live.nbytes + quantizer_bytes(self.quantizer)

    # -- persistence: flat arrays, no re-assignment on load
    def to_arrays(self) -> dict[str, np.ndarray]:
        """The index as arrays (pack() first: the tail is saved as a segment)."""
        self.pack()
        merged = Lists(np.zeros(self.nlist, dtype=np.int64), np.zeros((0, CODE_BYTES), np.uint8), np.zeros(0, np.int64))
        for segment in self.segments:
            merged = _merge_lists(merged, lists_of(segment))
        return {
            "ivf_quantizer": faiss.serialize_index_binary(self.quantizer),
            "ivf_centroids": self.centroids, "ivf_meta": np.array([self.nprobe, self.drawn_from], dtype=np.int64),
            "ivf_sizes": merged.sizes, "ivf_codes": merged.codes, "ivf_rows": merged.rows,
        }

    @classmethod
    def from_arrays(cls, arrays: Any, ids: np.ndarray, live: np.ndarray) -> IVFIndex:
        quantizer = faiss.deserialize_index_binary(np.asarray(arrays["ivf_quantizer"], dtype=np.uint8))
        nprobe, drawn_from = (int(v) for v in arrays["ivf_meta"])
        index = cls(arrays["ivf_centroids"], nprobe=nprobe, quantizer=quantizer, drawn_from=drawn_from)
        sizes, rows = np.asarray(arrays["ivf_sizes"], dtype=np.int64), np.asarray(arrays["ivf_rows"], dtype=np.int64)
        if len(sizes) != index.nlist or int(sizes.sum()) != len(rows) or len(rows) != len(ids):
            raise ValueError("IVF arrays do not fit each other")
        index._set_rows(np.asarray(ids, dtype=np.int64), live)
        index.segments.append(index._from_lists(Lists(sizes, np.asarray(arrays["ivf_codes"], dtype=np.uint8), rows)))
        index.packed = index.size
        return index


def lists_of(segment: faiss.IndexBinaryIVF) -> Lists:
    """A segment's lists copied out as flat arrays."""
    invlists = segment.invlists
    sizes = np.array([invlists.list_size(list_no) for list_no in range(segment.nlist)], dtype=np.int64)
    codes = np.empty((int(sizes.sum()), CODE_BYTES), dtype=np.uint8)
    rows = np.empty(int(sizes.sum()), dtype=np.int64)
    at = 0
    for list_no in np.flatnonzero(sizes).tolist():
        count = int(sizes[list_no])
        codes[at : at + count] = faiss.rev_swig_ptr(invlists.get_codes(list_no), count * CODE_BYTES).reshape(count, CODE_BYTES)
        rows[at : at + count] = faiss.rev_swig_ptr(invlists.get_ids(list_no), count)
        at += count
    return Lists(sizes, codes, rows)


def _merge_lists(first: Lists, second: Lists) -> Lists:
    """List l of the result is list l of `first` followed by list l of `second`."""
    segment_of = np.concatenate([np.zeros(len(first.rows), np.int8), np.ones(len(second.rows), np.int8)])
    list_of = np.concatenate([np.repeat(np.arange(len(first.sizes)), first.sizes),
                              np.repeat(np.arange(len(second.sizes)), second.sizes)])
    order = np.lexsort((segment_of, list_of))
    return Lists(first.sizes + second.sizes, np.concatenate([first.codes, second.codes])[order],
                 np.concatenate([first.rows, second.rows])[order])


@lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    """Threads kept for split scans (starting threads for each query costs more than the split saves)."""
    return ThreadPoolExecutor(max(1, DEFAULT_THREADS), thread_name_prefix="ivf-scan")


def _flat(centroids: np.ndarray) -> faiss.IndexBinaryFlat:
    quantizer = faiss.IndexBinaryFlat(CODE_BYTES * 8)
    quantizer.add(centroids)
    return quantizer


def _hnsw(centroids: np.ndarray) -> faiss.IndexBinaryHNSW:
    quantizer = faiss.IndexBinaryHNSW(CODE_BYTES * 8, HNSW_LINKS)
    quantizer.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    quantizer.add(centroids)
    return quantizer


def _hnsw_of(quantizer: faiss.IndexBinary) -> Any:
    concrete = faiss.downcast_IndexBinary(quantizer)
    return concrete.hnsw if isinstance(concrete, faiss.IndexBinaryHNSW) else None


def quantizer_bytes(quantizer: faiss.IndexBinary) -> int:
    concrete = faiss.downcast_IndexBinary(quantizer)
    links = 0
    if isinstance(concrete, faiss.IndexBinaryHNSW):
        links = (faiss.vector_to_array(concrete.hnsw.neighbors).nbytes
                 + faiss.vector_to_array(concrete.hnsw.offsets).nbytes + faiss.vector_to_array(concrete.hnsw.levels).nbytes)
    return int(concrete.ntotal) * CODE_BYTES + links

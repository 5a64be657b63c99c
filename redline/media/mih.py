"""Exact multi-index hashing (Norouzi, Punjani and Fleet) for PDQ range search, on numpy arrays.

The 256 bits of a hash are cut into `tables` substrings of `bits` consecutive bits each. Two hashes within distance
`t` agree to within `t // tables` bits on at least one substring (pigeonhole), so probing every
substring key within that many flipped bits finds every neighbour: the search is exact, and every
candidate is checked on its full 256 bits.

Each table is a direct-addressed bucket array (CSR: `offsets` of 2**bits + 1 entries, `rows` sorted
by key), not a hash map: a probe is two array reads, the build is one counting sort a table (tables in
parallel, keys read from the codes on each pass), and the memory is 4 bytes a hash a table plus the
offsets. `bits` follows the size (about log2 n, so a bucket holds about one hash): 1 M hashes use 12 tables of 20 bits (96 B/hash besides the codes),
10 M 11 tables of 23 bits. python-threatexchange's MIH (faiss IndexBinaryMultiHash, 16 tables of 16
bits, one flip) checks about n / 4,000 candidates a query and keeps hash maps of 8-byte ids.
"""

from __future__ import annotations

import math
from functools import lru_cache
from itertools import combinations

import numpy as np
from numba import njit, prange

CODE_BYTES = 32
MIN_BITS = 16
MAX_BITS = 23
LOW_DIGIT_BITS = 14  # the build's in-cache digit: 2**14 counters, 128 KB
MAX_FLIPS = 2  # beyond this the probes outnumber the candidates a flat scan would check


def bits_for(size: int) -> int:
    return int(min(MAX_BITS, max(MIN_BITS, round(math.log2(max(size, 2))))))


@lru_cache(maxsize=16)
def flip_masks(bits: int, flips: int) -> np.ndarray:
    """Every `bits`-bit mask with at most `flips` bits set."""
    masks = [0]
    for k in range(1, flips + 1):
        masks.extend(sum(1 << i for i in chosen) for chosen in combinations(range(bits), k))
    return np.array(masks, dtype=np.uint32)


class MultiIndex:
    """An immutable MIH over `codes` (n, 32) uint8; `search` checks candidates against the codes
    passed to it (the caller's storage, so the codes are not held twice)."""

    def __init__(self, codes: np.ndarray, bits: int | None = None) -> None:
        n = len(codes)
        if n >= 2**32:
            raise ValueError("MultiIndex holds at most 2**32 - 1 hashes")
        self.size = n
        self.bits = bits or bits_for(n)
        self.tables = (CODE_BYTES * 8) // self.bits
        self.rows = np.empty((self.tables, n), dtype=np.uint32)
        self.offsets = np.zeros((self.tables, (1 << self.bits) + 1), dtype=np.uint32)
        _build(np.ascontiguousarray(codes, dtype=np.uint8), self.bits, self.offsets, self.rows)

    @classmethod
    def from_arrays(cls, bits: int, rows: np.ndarray, offsets: np.ndarray) -> MultiIndex:
        index = cls.__new__(cls)
        index.bits = bits
        index.tables = (CODE_BYTES * 8) // bits
        if rows.ndim != 2 or rows.shape[0] != index.tables or offsets.shape != (index.tables, (1 << bits) + 1):
            raise ValueError("MIH arrays do not fit their bit count")
        index.rows = np.ascontiguousarray(rows, dtype=np.uint32)
        index.offsets = np.ascontiguousarray(offsets, dtype=np.uint32)
        index.size = rows.shape[1]
        return index

    def keys(self, codes: np.ndarray) -> np.ndarray:
        """(n, tables) uint32: substring j is bits [j * bits, (j + 1) * bits) of the hash read as one
        256-bit big-endian number (the hex string's order)."""
        out = np.empty((len(codes), self.tables), dtype=np.uint32)
        _keys(np.ascontiguousarray(codes, dtype=np.uint8), self.bits, out)
        return out

    def max_threshold(self) -> int:
        return self.tables * (MAX_FLIPS + 1) - 1

    def memory_bytes(self) -> int:
        return self.rows.nbytes + self.offsets.nbytes

    def search(self, codes: np.ndarray, queries: np.ndarray, threshold: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(query numbers, rows, distances) of every row of `codes[:size]` within `threshold` bits."""
        if threshold > self.max_threshold():
            raise ValueError(f"threshold {threshold} is beyond this index's exact range ({self.max_threshold()})")
        queries = np.ascontiguousarray(queries, dtype=np.uint8)
        masks = flip_masks(self.bits, threshold // self.tables)
        query_of, rows, distances = _search(
            self.offsets, self.rows, np.ascontiguousarray(codes[: self.size]).view(np.uint64).reshape(self.size, 4),
            queries.view(np.uint64).reshape(len(queries), 4), self.keys(queries), masks, threshold)
        if len(rows) > 1:  # a neighbour found through several tables is reported once
            _, first = np.unique(query_of * self.size + rows, return_index=True)
            query_of, rows, distances = query_of[first], rows[first], distances[first]
        return query_of, rows, distances


@njit(cache=True, nogil=True)
def _search(offsets: np.ndarray, rows: np.ndarray, codes: np.ndarray, queries: np.ndarray, keys: np.ndarray,
            masks: np.ndarray, threshold: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Probe every table with every key within the masks' flips; check each candidate on 256 bits."""
    capacity = 64
    out_q = np.empty(capacity, dtype=np.int64)
    out_r = np.empty(capacity, dtype=np.int64)
    out_d = np.empty(capacity, dtype=np.int64)
    found = 0
    for qi in range(queries.shape[0]):
        q0, q1, q2, q3 = queries[qi, 0], queries[qi, 1], queries[qi, 2], queries[qi, 3]
        for table in range(keys.shape[1]):
            key = keys[qi, table]
            for mask in masks:
                probe = key ^ mask
                for position in range(offsets[table, probe], offsets[table, probe + 1]):
                    row = rows[table, position]
                    distance = _popcount(codes[row, 0] ^ q0) + _popcount(codes[row, 1] ^ q1)
                    if distance > threshold:
                        continue
                    distance += _popcount(codes[row, 2] ^ q2) + _popcount(codes[row, 3] ^ q3)
                    if distance > threshold:
                        continue
                    if found == capacity:
                        capacity *= 2
                        out_q = _grow(out_q, capacity)
                        out_r = _grow(out_r, capacity)
                        out_d = _grow(out_d, capacity)
                    out_q[found], out_r[found], out_d[found] = qi, row, distance
                    found += 1
    return out_q[:found], out_r[:found], out_d[:found]


@njit(cache=True, nogil=True, inline="always")
def _key(codes: np.ndarray, row: int, start: int, bits: int) -> np.uint32:
    """Bits [start, start + bits) of row `row` read as a big-endian number (bits <= 25: four bytes)."""
    first, last = start // 8, (start + bits - 1) // 8
    acc = np.uint64(0)
    for byte in range(first, last + 1):
        acc = (acc << np.uint64(8)) | np.uint64(codes[row, byte])
    return np.uint32((acc >> np.uint64((last + 1) * 8 - start - bits)) & np.uint64((1 << bits) - 1))


@njit(cache=True, nogil=True)
def _keys(codes: np.ndarray, bits: int, out: np.ndarray) -> None:
    for row in range(codes.shape[0]):
        for table in range(out.shape[1]):
            out[row, table] = _key(codes, row, table * bits, bits)


@njit(cache=True, nogil=True, parallel=True)
def _build(codes: np.ndarray, bits: int, offsets: np.ndarray, rows: np.ndarray) -> None:
    """One table a task, tables in parallel (see `_build_table`)."""
    for table in prange(rows.shape[0]):
        _build_table(codes, table * bits, bits, offsets[table], rows[table])


@njit(cache=True, nogil=True)
def _build_table(codes: np.ndarray, start: int, bits: int, offsets: np.ndarray, out: np.ndarray) -> None:
    """A stable two-digit radix sort of the rows by key, which also yields the bucket offsets.

    A one-pass counting sort into 2**bits buckets is a random write a row into an array of tens of
    megabytes (cache and TLB misses: 75 s for 10 M hashes). Here (key, row) pairs are first
    partitioned by the key's high digit (at most 512 write streams), then each partition, a few
    thousand rows, is counted and placed by the key's low 14 bits in cache."""
    n = codes.shape[0]
    low = min(bits, LOW_DIGIT_BITS)
    high_buckets = 1 << (bits - low)
    low_buckets = 1 << low
    low_mask = np.uint64(low_buckets - 1)
    starts = np.zeros(high_buckets + 1, dtype=np.int64)
    for row in range(n):
        starts[(_key(codes, row, start, bits) >> low) + 1] += 1
    for bucket in range(high_buckets):
        starts[bucket + 1] += starts[bucket]
    cursor = starts[:-1].copy()
    pairs = np.empty(n, dtype=np.uint64)  # key << 32 | row
    for row in range(n):
        key = _key(codes, row, start, bits)
        at = cursor[key >> low]
        pairs[at] = (np.uint64(key) << np.uint64(32)) | np.uint64(row)
        cursor[key >> low] = at + 1
    counts = np.empty(low_buckets + 1, dtype=np.int64)
    for bucket in range(high_buckets):
        first, last = starts[bucket], starts[bucket + 1]
        counts[:] = 0
        for at in range(first, last):
            counts[((pairs[at] >> np.uint64(32)) & low_mask) + 1] += 1
        counts[0] = first
        for digit in range(low_buckets):
            counts[digit + 1] += counts[digit]
            offsets[bucket * low_buckets + digit] = counts[digit]
        for at in range(first, last):
            digit = (pairs[at] >> np.uint64(32)) & low_mask
            out[counts[digit]] = np.uint32(pairs[at] & np.uint64(0xFFFFFFFF))
            counts[digit] += 1
    offsets[high_buckets * low_buckets] = n


@njit(cache=True, nogil=True)
def _grow(values: np.ndarray, capacity: int) -> np.ndarray:
    out = np.empty(capacity, dtype=values.dtype)
    out[: len(values)] = values
    return out


@njit(cache=True, nogil=True, inline="always")
def _popcount(word: np.uint64) -> int:
    word = word - ((word >> np.uint64(1)) & np.uint64(0x5555555555555555))
    word = (word & np.uint64(0x3333333333333333)) + ((word >> np.uint64(2)) & np.uint64(0x3333333333333333))
    word = (word + (word >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return int((word * np.uint64(0x0101010101010101)) >> np.uint64(56))

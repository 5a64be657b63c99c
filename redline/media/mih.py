"""Exact multi-index hashing (Norouzi, Punjani and Fleet) for PDQ range search, on numpy arrays.

The 256 bits of a hash are cut into `tables` substrings of `bits` consecutive bits each. Two hashes within distance
`t` agree to within `t // tables` bits on at least one substring (pigeonhole), so probing every
substring key within that many flipped bits finds every neighbour: the search is exact, and every
candidate is checked on its full 256 bits.

Each table is a direct-addressed bucket array (CSR: `offsets` of 2**bits + 1 entries, `rows` sorted
by key), not a hash map: a probe is two array reads, the build is one sort of (key, row) pairs a table, and the
memory is 4 bytes a hash a table plus the offsets. `bits` follows the size (about log2 n, so a
bucket holds about one hash): 1 M hashes use 12 tables of 20 bits (96 B/hash besides the codes),
10 M 11 tables of 23 bits. python-threatexchange's MIH (faiss IndexBinaryMultiHash, 16 tables of 16
bits, one flip) checks about n / 4,000 candidates a query and keeps hash maps of 8-byte ids.
"""

from __future__ import annotations

import math
from functools import lru_cache
from itertools import combinations

import numpy as np

CODE_BYTES = 32
MIN_BITS = 16
MAX_BITS = 23
MAX_FLIPS = 2  # beyond this the probes outnumber the candidates a flat scan would check
LOW32 = np.uint64(0xFFFFFFFF)


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
        keys = self.keys(codes)
        self.rows = np.empty((self.tables, n), dtype=np.uint32)
        self.offsets = np.zeros((self.tables, (1 << self.bits) + 1), dtype=np.uint32)
        numbers = np.arange(n, dtype=np.uint64)
        for table in range(self.tables):
            column = keys[:, table]
            # sorting (key << 32 | row) as one uint64 is several times faster than a stable argsort
            pairs = (column.astype(np.uint64) << np.uint64(32)) | numbers
            pairs.sort()
            self.rows[table] = pairs & LOW32
            np.cumsum(np.bincount(column, minlength=1 << self.bits), out=self.offsets[table, 1:])

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
        words = np.ascontiguousarray(codes, dtype=np.uint8).view(">u8").astype(np.uint64)  # (n, 4)
        out = np.empty((len(codes), self.tables), dtype=np.uint32)
        mask = np.uint64((1 << self.bits) - 1)
        for table in range(self.tables):
            start = table * self.bits
            word, offset = divmod(start, 64)
            end = offset + self.bits
            if end <= 64:
                value = words[:, word] >> np.uint64(64 - end)
            else:  # the substring runs into the next word
                value = (words[:, word] << np.uint64(end - 64)) | (words[:, word + 1] >> np.uint64(128 - end))
            out[:, table] = value & mask
        return out

    def max_threshold(self) -> int:
        return self.tables * (MAX_FLIPS + 1) - 1

    def memory_bytes(self) -> int:
        return self.rows.nbytes + self.offsets.nbytes

    def search(self, codes: np.ndarray, queries: np.ndarray, threshold: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(query numbers, rows, distances) of every row of `codes[:size]` within `threshold` bits."""
        if threshold > self.max_threshold():
            raise ValueError(f"threshold {threshold} is beyond this index's exact range ({self.max_threshold()})")
        masks = flip_masks(self.bits, threshold // self.tables)
        probes = self.keys(queries)[:, :, None] ^ masks[None, None, :]  # (q, tables, probes)
        table = np.broadcast_to(np.arange(self.tables)[None, :, None], probes.shape)
        starts = self.offsets[table, probes].ravel().astype(np.int64)
        lengths = self.offsets[table, probes + 1].ravel().astype(np.int64) - starts
        hit = lengths > 0
        starts, lengths = starts[hit], lengths[hit]
        owner = np.broadcast_to(np.arange(len(queries))[:, None, None], probes.shape).ravel()[hit]
        base = table.ravel()[hit].astype(np.int64) * self.size + starts
        total = int(lengths.sum())
        empty = np.zeros(0, dtype=np.int64)
        if total == 0:
            return empty, empty, empty
        ends = np.cumsum(lengths)
        flat = np.repeat(base - (ends - lengths), lengths) + np.arange(total)
        candidates = self.rows.ravel()[flat].astype(np.int64)
        query_of = np.repeat(owner, lengths)
        left = codes.view(np.uint64).reshape(len(codes), 4)[candidates]
        right = np.ascontiguousarray(queries).view(np.uint64).reshape(len(queries), 4)[query_of]
        distances = np.bitwise_count(left ^ right).sum(axis=1, dtype=np.int64)
        near = distances <= threshold
        query_of, candidates, distances = query_of[near], candidates[near], distances[near]
        # a neighbour found through several tables is reported once
        _, first = np.unique(query_of * self.size + candidates, return_index=True)
        return query_of[first], candidates[first], distances[first]

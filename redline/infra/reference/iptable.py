"""IP → range record lookup over every published prefix, IPv4 and IPv6, most specific prefix first.

Prefixes form a laminar family (any two are nested or disjoint), so they flatten into disjoint
elementary segments, each labelled with its most specific covering prefix. A lookup is then one
binary search: `numpy.searchsorted` over the segment starts, done for a whole batch at once.
IPv4 keys are uint32; IPv6 keys are 16-byte big-endian strings (`S16`), which sort like the numbers.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

NO_MATCH = -1


@dataclass
class Prefix:
    start: int
    end: int
    length: int
    rank: int
    record: int


def flatten(prefixes: list[Prefix]) -> tuple[list[int], list[int], list[int]]:
    """Disjoint segments (starts, ends, record) where the most specific (then best-ranked) prefix wins."""
    prefixes.sort(key=lambda p: (p.start, p.length, -p.rank))
    starts: list[int] = []
    ends: list[int] = []
    records: list[int] = []

    def emit(lo: int, hi: int, record: int) -> None:
        if lo > hi:
            return
        if records and records[-1] == record and ends[-1] + 1 == lo:
            ends[-1] = hi
        else:
            starts.append(lo)
            ends.append(hi)
            records.append(record)

    stack: list[Prefix] = []
    cursor = 0
    previous: tuple[int, int] | None = None
    for prefix in prefixes:
        if previous == (prefix.start, prefix.length):
            continue  # same prefix from a lower-ranked source
        previous = (prefix.start, prefix.length)
        while stack and stack[-1].end < prefix.start:
            top = stack.pop()
            emit(cursor, top.end, top.record)
            cursor = max(cursor, top.end + 1)
        if stack:
            emit(cursor, prefix.start - 1, stack[-1].record)
        cursor = prefix.start
        stack.append(prefix)
    while stack:
        top = stack.pop()
        emit(cursor, top.end, top.record)
        cursor = max(cursor, top.end + 1)
    return starts, ends, records


@dataclass
class FamilyTable:
    starts: np.ndarray
    ends: np.ndarray
    records: np.ndarray

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        if len(self.starts) == 0 or len(keys) == 0:
            return np.full(len(keys), NO_MATCH, dtype=np.int32)
        idx = np.searchsorted(self.starts, keys, side="right") - 1
        safe = np.clip(idx, 0, None)
        hit = (idx >= 0) & (keys <= self.ends[safe])
        return np.where(hit, self.records[safe], NO_MATCH).astype(np.int32)


def _v6_bytes(values: Iterable[int]) -> np.ndarray:
    return np.array([v.to_bytes(16, "big") for v in values], dtype="S16")


@dataclass
class IPTable:
    v4: FamilyTable
    v6: FamilyTable

    @classmethod
    def build(cls, cidrs: Sequence[str], ranks: Sequence[int]) -> tuple["IPTable", list[int]]:
        """Build from CIDR strings (record i = cidrs[i]); returns the table and the indices of bad CIDRs."""
        v4: list[Prefix] = []
        v6: list[Prefix] = []
        bad: list[int] = []
        for i, (cidr, rank) in enumerate(zip(cidrs, ranks)):
            try:
                net = ipaddress.ip_network(cidr.strip(), strict=False)
            except ValueError:
                bad.append(i)
                continue
            start = int(net.network_address)
            prefix = Prefix(start, start + net.num_addresses - 1, net.prefixlen, rank, i)
            (v4 if net.version == 4 else v6).append(prefix)
        s4, e4, r4 = flatten(v4)
        s6, e6, r6 = flatten(v6)
        table = cls(
            FamilyTable(np.array(s4, dtype=np.uint32), np.array(e4, dtype=np.uint32), np.array(r4, dtype=np.int32)),
            FamilyTable(_v6_bytes(s6), _v6_bytes(e6), np.array(r6, dtype=np.int32)),
        )
        return table, bad

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "v4_starts": self.v4.starts, "v4_ends": self.v4.ends, "v4_records": self.v4.records,
            "v6_starts": self.v6.starts, "v6_ends": self.v6.ends, "v6_records": self.v6.records,
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> "IPTable":
        return cls(
            FamilyTable(arrays["v4_starts"], arrays["v4_ends"], arrays["v4_records"]),
            FamilyTable(arrays["v6_starts"], arrays["v6_ends"], arrays["v6_records"]),
        )

    @property
    def segments(self) -> int:
        return len(self.v4.starts) + len(self.v6.starts)

    def lookup_v4_ints(self, values: np.ndarray) -> np.ndarray:
        return self.v4.lookup(values.astype(np.uint32, copy=False))

    def lookup_many(self, ips: Sequence[str]) -> list[int]:
        """Record index per address (NO_MATCH when no range holds it, or the text is not an address)."""
        out = [NO_MATCH] * len(ips)
        v4_pos: list[int] = []
        v4_raw: list[bytes] = []
        v6_pos: list[int] = []
        v6_raw: list[bytes] = []
        for i, ip in enumerate(ips):
            try:
                if ":" in ip:
                    v6_raw.append(socket.inet_pton(socket.AF_INET6, ip.split("%")[0]))
                    v6_pos.append(i)
                else:
                    v4_raw.append(socket.inet_pton(socket.AF_INET, ip))
                    v4_pos.append(i)
            except (OSError, ValueError, TypeError):
                continue
        if v4_raw:
            keys = np.frombuffer(b"".join(v4_raw), dtype=">u4").astype(np.uint32)
            for pos, rec in zip(v4_pos, self.v4.lookup(keys).tolist()):
                out[pos] = rec
        if v6_raw:
            keys = np.array(v6_raw, dtype="S16")
            for pos, rec in zip(v6_pos, self.v6.lookup(keys).tolist()):
                out[pos] = rec
        return out

    def lookup(self, ip: str) -> int:
        return self.lookup_many([ip])[0]

"""The approximate IVF index: recall against brute force, every hit a true one, appends (tail,
segments, merges), live flags, compaction, arrays round trip (the SignalIndex's switch to it is
tested in test_index.py)."""

from __future__ import annotations

import numpy as np
import pytest

from redline.media import ivf
from redline.media.ivf import IVFIndex, lists_of


def _flip(code: np.ndarray, bits: int, rng: np.random.Generator) -> np.ndarray:
    out = code.copy()
    for bit in rng.choice(256, size=bits, replace=False):
        out[bit // 8] ^= 1 << (bit % 8)
    return out


def _distances(codes: np.ndarray, query: np.ndarray) -> np.ndarray:
    return np.count_nonzero(np.unpackbits(codes, axis=1) != np.unpackbits(query), axis=1)


Bank = tuple[np.ndarray, np.ndarray, list[dict[int, int]]]


def _recall(index: IVFIndex, bank: Bank, nprobe: int | None = None) -> float:
    found = wanted = 0
    for query, truth in zip(bank[1], bank[2]):
        hits = {h.signal_id: h.distance for h in index.search(query[None, :], 31, nprobe)}
        assert all(truth.get(i) == d for i, d in hits.items()), "a hit that is not a true neighbour"
        found += len(hits)
        wanted += len(truth)
    return found / wanted


@pytest.fixture(scope="module")
def bank() -> Bank:
    rng = np.random.default_rng(21)
    codes = rng.integers(0, 256, size=(20_000, 32), dtype=np.uint8)
    picks = codes[rng.choice(len(codes), 60, replace=False)]
    queries = np.array([_flip(q, int(rng.integers(0, 32)), rng) for q in picks])
    truths = []
    for query in queries:
        distances = _distances(codes, query)
        truths.append({int(r): int(distances[r]) for r in np.flatnonzero(distances <= 31)})
    return codes, queries, truths


def test_recall_grows_with_probes_and_hits_are_exact(bank: Bank) -> None:
    codes, queries, _ = bank
    index = IVFIndex.build(np.arange(len(codes)), codes, nlist=256, nprobe=64, seed=1)
    assert index.nlist == 256 and sum(s.ntotal for s in index.segments) == len(codes)
    few, many, every = (_recall(index, bank, p) for p in (4, 64, 256))
    hnsw = IVFIndex.build(np.arange(len(codes)), codes, nlist=256, quantizer="hnsw", seed=1)
    assert _recall(hnsw, bank, 256) == 1.0
    with pytest.raises(ValueError, match="quantizer"):
        IVFIndex.build(np.arange(10), codes[:10], quantizer="pq")
    assert few < many  # 4 of 256 lists miss neighbours; more probes find more
    assert many >= 0.9
    assert every == 1.0  # every list probed: exhaustive
    # lists are allocated at their final size and hold each row once
    lists = lists_of(index.segments[0])
    assert np.array_equal(np.sort(lists.rows), np.arange(len(codes)))
    assert np.array_equal(lists.codes, codes[lists.rows])


def test_appends_tail_segments_and_merges(bank: Bank, monkeypatch: pytest.MonkeyPatch) -> None:
    codes = bank[0]
    monkeypatch.setattr(ivf, "TAIL_ROWS", 500)
    index = IVFIndex.build(np.arange(10_000), codes[:10_000], nlist=128, nprobe=128)
    base = index.segments[0]
    index.add(np.array([10_000]), codes[10_000:10_001])
    assert index.tail.ntotal == 1 and index.segments[0] is base  # the bulk is not touched
    assert [(h.signal_id, h.distance) for h in index.search(codes[10_000:10_001], 0)] == [(10_000, 0)]
    for start in range(10_001, 20_000, 499):
        stop = min(20_000, start + 499)
        index.add(np.arange(start, stop), codes[start:stop])
    assert index.size == 20_000 and index.packed + index.tail.ntotal == 20_000
    assert 1 < len(index.segments) <= 6  # packed tails, merged geometrically
    sizes = [s.ntotal for s in index.segments]
    assert all(a > 2 * b for a, b in zip(sizes, sizes[1:]))
    assert np.array_equal(index.codes(), codes)
    for row in (0, 9_999, 10_000, 15_537, 19_999):  # nprobe = nlist: every list, exact
        assert (row, 0) in [(h.signal_id, h.distance) for h in index.search(codes[row : row + 1], 0)]


def test_live_flags_compaction_and_out_of_order_ids(bank: Bank) -> None:
    codes = bank[0]
    ids = np.arange(0, 15_000) * 3
    index = IVFIndex.build(ids, codes[:15_000], nlist=64, nprobe=64)
    assert index.set_live(30, False) and not index.set_live(31, False)
    assert index.search(codes[10:11], 0) == []
    assert index.live_count == 14_999 and not index.needs_compaction()
    for signal_id in ids[:6000]:
        index.set_live(int(signal_id), False)
    assert index.needs_compaction() and index.compact() == 6000
    assert index.size == 9_000 and index.live_count == 9_000
    assert [h.signal_id for h in index.search(codes[6000:6001], 0)] == [18_000]
    index.add(np.array([1]), codes[19_000:19_001])  # an id below the last: rebuilt in id order
    assert index.ids[0] == 1 and np.all(np.diff(index.ids) >= 0)
    assert [h.signal_id for h in index.search(codes[19_000:19_001], 0)] == [1]


def test_arrays_round_trip(bank: Bank) -> None:
    codes, queries, _ = bank
    index = IVFIndex.build(np.arange(15_000), codes[:15_000], nlist=128, nprobe=16)
    index.add(np.arange(15_000, 15_500), codes[15_000:15_500])
    index.set_live(7, False)
    arrays = index.to_arrays()
    assert index.tail.ntotal == 0  # to_arrays packs the tail first
    loaded = IVFIndex.from_arrays(arrays, index.ids, index.live)
    assert loaded.nprobe == 16 and loaded.size == 15_500 and len(loaded.segments) == 1
    assert np.array_equal(loaded.codes(), codes[:15_500])
    for query in queries:
        assert index.search(query[None, :], 31) == loaded.search(query[None, :], 31)
    assert loaded.search(codes[7:8], 0) == []
    with pytest.raises(ValueError, match="do not fit"):
        IVFIndex.from_arrays(arrays, index.ids[:-1], index.live[:-1])


def test_memory_is_under_64_bytes_a_hash(bank: Bank) -> None:
    codes = bank[0]
    index = IVFIndex.build(np.arange(len(codes)), codes, nlist=16)
    per_hash = index.memory_bytes() / len(codes)
    assert 49 <= per_hash <= 64


def test_a_split_scan_finds_what_one_thread_finds(bank: Bank, monkeypatch: pytest.MonkeyPatch) -> None:
    codes, queries, _ = bank
    index = IVFIndex.build(np.arange(len(codes)), codes, nlist=128, nprobe=37)
    single = [sorted((h.signal_id, h.distance) for h in index.search(q[None, :], 31)) for q in queries]
    monkeypatch.setattr(ivf, "SPLIT_SCAN_CODES", 0)  # every scan split (37 probes: one thread gets a padding list)
    assert [sorted((h.signal_id, h.distance) for h in index.search(q[None, :], 31)) for q in queries] == single
    assert sum(map(len, single)) >= 0.9 * len(queries)

"""The binary index: exact recall against brute force, live appends, tombstones, persistence."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from redline.context import get_context
from redline.media.banks import SignalRecord, add_signals, create_bank, set_bank_enabled, set_signal_enabled
from redline.media.index import BinaryIndex, SignalIndex, codes_to_hex, hex_to_codes


def _flip(code: np.ndarray, bits: int, rng: np.random.Generator) -> np.ndarray:
    out = code.copy()
    for bit in rng.choice(256, size=bits, replace=False):
        out[bit // 8] ^= 1 << (bit % 8)
    return out


def test_exact_recall_against_brute_force() -> None:
    rng = np.random.default_rng(7)
    base = rng.integers(0, 256, size=(20_000, 32), dtype=np.uint8)
    queries = base[rng.choice(len(base), 40, replace=False)]
    planted = np.array([_flip(q, int(d), rng) for q in queries for d in rng.integers(0, 40, size=5)])
    codes = np.concatenate([base, planted])
    index = BinaryIndex()
    index.add(np.arange(len(codes)), codes)
    bits = np.unpackbits(codes, axis=1)
    for threshold in (10, 31, 40):
        hits = index.search(queries, threshold)
        for qi, query in enumerate(queries):
            brute = np.count_nonzero(bits != np.unpackbits(query), axis=1)
            expected = set(np.flatnonzero(brute <= threshold).tolist())
            got = {h.signal_id for h in hits if h.query == qi}
            assert got == expected
            assert all(h.distance == brute[h.signal_id] for h in hits if h.query == qi)


def test_tombstones_and_compaction() -> None:
    rng = np.random.default_rng(1)
    codes = rng.integers(0, 256, size=(5000, 32), dtype=np.uint8)
    index = BinaryIndex()
    index.add(np.arange(1, 5001), codes)
    assert {h.signal_id for h in index.search(codes[:1], 0)} == {1}
    for sid in range(1, 2001):
        index.set_live(sid, False)
    assert index.search(codes[:1], 0) == []
    assert index.needs_compaction()
    assert index.compact() == 2000 and index.size == 3000
    assert {h.signal_id for h in index.search(codes[2500:2501], 0)} == {2501}
    index.add(np.array([7]), codes[6:7])  # re-enabled after compaction: merged back in id order
    assert list(index.ids[:2]) == [7, 2001]
    assert {h.signal_id for h in index.search(codes[6:7], 0)} == {7}
    assert index.memory_bytes() / index.size <= 64


def test_hex_round_trip() -> None:
    hexes = ["f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22", "0" * 64]
    assert codes_to_hex(hex_to_codes(hexes)) == hexes


def test_signal_index_follows_the_store_and_persists(redline_home: Path) -> None:
    ctx = get_context()
    rng = np.random.default_rng(3)
    hexes = codes_to_hex(rng.integers(0, 256, size=(300, 32), dtype=np.uint8))
    create_bank(ctx.store, "b")
    add_signals(ctx.store, "b", [SignalRecord("pdq", h) for h in hexes[:200]])
    index = SignalIndex.open(ctx.store, ctx.settings.home)
    assert index.pdq.live_count == 200
    # a new hash is searchable after one incremental refresh; no rebuild of what is there
    faiss_before = index.pdq.faiss
    add_signals(ctx.store, "b", [SignalRecord("pdq", hexes[250])])
    started = time.monotonic()
    assert index.refresh() == 1
    assert time.monotonic() - started < 1.0
    assert index.pdq.faiss is faiss_before
    assert [h.distance for h in index.pdq.search(hex_to_codes([hexes[250]]), 0)] == [0]
    set_signal_enabled(ctx.store, "b", hexes[250], False)
    index.refresh()
    assert index.pdq.search(hex_to_codes([hexes[250]]), 0) == []
    set_bank_enabled(ctx.store, "b", False)
    index.refresh()
    assert index.pdq.live_count == 0
    set_bank_enabled(ctx.store, "b", True)
    index.refresh()
    assert index.pdq.live_count == 200
    index.save()
    # reload from the file, then catch up with one more change made meanwhile
    add_signals(ctx.store, "b", [SignalRecord("pdq", hexes[299])])
    reloaded = SignalIndex.open(ctx.store, ctx.settings.home)
    assert reloaded.pdq.size == 202 and reloaded.pdq.live_count == 201
    assert [h.distance for h in reloaded.pdq.search(hex_to_codes([hexes[299]]), 0)] == [0]


def test_appends_go_to_the_tail_not_the_sealed_rows() -> None:
    rng = np.random.default_rng(4)
    codes = rng.integers(0, 256, size=(3001, 32), dtype=np.uint8)
    index = BinaryIndex(multi_index_from=2000)
    index.add(np.arange(3000), codes[:3000])
    sealed, mih = index.faiss, index.mih
    assert mih is not None and index.sealed == 3000
    index.add(np.array([3000]), codes[3000:])
    assert index.faiss is sealed and index.faiss.ntotal == 3000 and index.mih is mih and index.tail.ntotal == 1
    assert [(h.signal_id, h.distance) for h in index.search(codes[3000:], 0)] == [(3000, 0)]
    assert np.array_equal(index.codes(), codes)
    assert len(index._ids) > index.size  # spare capacity: the next append copies nothing
    index.seal()  # the tail folded in, the multi-index rebuilt over every row
    assert index.tail.ntotal == 0 and index.sealed == 3001 and index.mih is not None and index.mih.size == 3001
    assert [(h.signal_id, h.distance) for h in index.search(codes[3000:], 0)] == [(3000, 0)]
    assert np.array_equal(index.codes(), codes)


def test_signal_index_turns_ivf_at_its_configured_size(redline_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Exact by default; from REDLINE_PDQ_IVF_FROM hashes the approximate IVF, which follows the
    store (adds, disables) and is saved and reloaded as its lists, not re-filed."""
    from redline.config import ConfigError
    from redline.media import index as index_module
    from redline.media.ivf import IVFIndex

    ctx = get_context()
    rng = np.random.default_rng(8)
    hexes = codes_to_hex(rng.integers(0, 256, size=(3000, 32), dtype=np.uint8))
    create_bank(ctx.store, "big")
    add_signals(ctx.store, "big", [SignalRecord("pdq", h) for h in hexes[:1500]])
    assert isinstance(SignalIndex.open(ctx.store, None).pdq, BinaryIndex)  # the default: exact
    monkeypatch.setenv(index_module.IVF_FROM_ENV, "2_000")
    index = SignalIndex.open(ctx.store, ctx.settings.home)
    assert index.ivf_from == 2000 and isinstance(index.pdq, BinaryIndex)
    add_signals(ctx.store, "big", [SignalRecord("pdq", h) for h in hexes[1500:2500]])
    index.refresh()
    assert isinstance(index.pdq, IVFIndex) and index.pdq.size == 2500
    add_signals(ctx.store, "big", [SignalRecord("pdq", hexes[2999])])
    set_signal_enabled(ctx.store, "big", hexes[10], False)
    index.refresh()
    assert [h.distance for h in index.pdq.search(hex_to_codes([hexes[2999]]), 0)] == [0]
    assert index.pdq.search(hex_to_codes([hexes[10]]), 0) == []
    index.save()
    reloaded = SignalIndex.open(ctx.store, ctx.settings.home)
    assert isinstance(reloaded.pdq, IVFIndex) and reloaded.pdq.size == 2501 and reloaded.pdq.live_count == 2500
    assert np.array_equal(reloaded.pdq.codes(), index.pdq.codes())
    for h in (hexes[0], hexes[2499], hexes[2999]):
        assert [hit.distance for hit in reloaded.pdq.search(hex_to_codes([h]), 0)] == [0]
    monkeypatch.setenv(index_module.IVF_FROM_ENV, "lots")
    with pytest.raises(ConfigError, match="REDLINE_PDQ_IVF_FROM"):
        SignalIndex.open(ctx.store, None)

"""The multi-index hash: exact against brute force on random and clustered hashes, inside the
BinaryIndex (sealed rows, tail, tombstones, thresholds beyond its exact range) and saved with it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from redline.context import get_context
from redline.media import index as index_module
from redline.media.banks import SignalRecord, add_signals, create_bank
from redline.media.index import BinaryIndex, SignalIndex, codes_to_hex, hex_to_codes
from redline.media.mih import MultiIndex, flip_masks


def _flip(code: np.ndarray, bits: int, rng: np.random.Generator) -> np.ndarray:
    out = code.copy()
    for bit in rng.choice(256, size=bits, replace=False):
        out[bit // 8] ^= 1 << (bit % 8)
    return out


def _clustered(rng: np.random.Generator, sources: int, variants: int) -> np.ndarray:
    """Hashes that cluster as pictures and their edits do: variants 0-40 bits from their source."""
    base = rng.integers(0, 256, size=(sources, 32), dtype=np.uint8)
    return np.array([_flip(b, int(d), rng) for b in base for d in rng.integers(0, 41, size=variants)])


def _brute(codes: np.ndarray, query: np.ndarray) -> np.ndarray:
    return np.count_nonzero(np.unpackbits(codes, axis=1) != np.unpackbits(query), axis=1)


@pytest.mark.parametrize("kind", ["random", "clustered"])
def test_multi_index_is_exact(kind: str) -> None:
    rng = np.random.default_rng(11)
    if kind == "random":
        codes = rng.integers(0, 256, size=(30_000, 32), dtype=np.uint8)
    else:
        codes = _clustered(rng, 1500, 20)
    picks = codes[rng.choice(len(codes), 30, replace=False)]
    queries = np.concatenate([np.array([_flip(q, int(rng.integers(0, 36)), rng) for q in picks]),
                              rng.integers(0, 256, size=(10, 32), dtype=np.uint8)])
    mih = MultiIndex(codes, bits=16)
    assert mih.tables == 16
    for threshold in (0, 12, 31, mih.max_threshold()):
        query_of, rows, distances = mih.search(codes, queries, threshold)
        for qi, query in enumerate(queries):
            brute = _brute(codes, query)
            got = {int(r): int(d) for q, r, d in zip(query_of, rows, distances) if q == qi}
            assert got == {int(r): int(brute[r]) for r in np.flatnonzero(brute <= threshold)}
    with pytest.raises(ValueError, match="exact range"):
        mih.search(codes, queries, mih.max_threshold() + 1)


def test_flip_masks_count() -> None:
    assert len(flip_masks(20, 2)) == 1 + 20 + 190
    assert all(bin(int(m)).count("1") <= 2 for m in flip_masks(20, 2))


def test_binary_index_with_multi_index_matches_flat() -> None:
    rng = np.random.default_rng(5)
    codes = _clustered(rng, 400, 10)
    fast, flat = BinaryIndex(multi_index_from=1000), BinaryIndex(multi_index_from=10**9)
    for part in (slice(0, 1500), slice(1500, 1600), slice(1600, 4000)):  # sealed, then a tail, then a reseal
        ids = np.arange(part.start, part.stop)
        fast.add(ids, codes[part])
        flat.add(ids, codes[part])
        assert fast.mih is not None and flat.mih is None
    fast.add(np.arange(4000, 4050), codes[:50])  # in the tail
    flat.add(np.arange(4000, 4050), codes[:50])
    assert fast.sealed < fast.size
    for sid in range(0, 4050, 7):
        fast.set_live(sid, False)
        flat.set_live(sid, False)
    queries = np.array([_flip(c, 9, rng) for c in codes[rng.choice(4000, 25, replace=False)]])

    def found(index: BinaryIndex, threshold: int) -> set[tuple[int, int, int]]:
        return {(h.query, h.signal_id, h.distance) for h in index.search(queries, threshold)}

    for threshold in (31, 64):  # 64 is beyond the multi-index's exact range: a flat scan
        assert found(fast, threshold) == found(flat, threshold)
        assert found(fast, threshold)


def test_multi_index_saved_and_reloaded(redline_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "MIH_MIN_ROWS", 500)
    ctx = get_context()
    rng = np.random.default_rng(2)
    hexes = codes_to_hex(rng.integers(0, 256, size=(800, 32), dtype=np.uint8))
    create_bank(ctx.store, "b")
    add_signals(ctx.store, "b", [SignalRecord("pdq", h) for h in hexes[:700]])
    index = SignalIndex.open(ctx.store, ctx.settings.home)
    assert index.pdq.mih is not None and index.pdq.sealed == 700
    add_signals(ctx.store, "b", [SignalRecord("pdq", h) for h in hexes[700:]])
    reloaded = SignalIndex.open(ctx.store, ctx.settings.home)
    assert reloaded.pdq.mih is not None and reloaded.pdq.mih.size == 700  # adopted from the file
    assert reloaded.pdq.size == 800
    for value in (hexes[10], hexes[750]):
        assert [h.distance for h in reloaded.pdq.search(hex_to_codes([value]), 0)] == [0]


@pytest.mark.parametrize("bits", [16, 18])
def test_build_is_a_stable_sort_by_key(bits: int) -> None:
    """The radix build gives what a stable argsort of each table's keys gives: rows in key order
    (row order within a key) and each key's first position."""
    rng = np.random.default_rng(bits)
    codes = np.concatenate([_clustered(rng, 200, 20), rng.integers(0, 256, size=(16_000, 32), dtype=np.uint8)])
    mih = MultiIndex(codes, bits=bits)
    keys = mih.keys(codes)
    for table in range(mih.tables):
        order = np.argsort(keys[:, table], kind="stable")
        assert np.array_equal(mih.rows[table], order)
        expected = np.searchsorted(keys[order, table], np.arange((1 << bits) + 1), side="left")
        assert np.array_equal(mih.offsets[table], expected)


def test_keys_read_the_hex_order() -> None:
    code = hex_to_codes(["8000" + "00" * 29 + "01"])
    mih = MultiIndex.__new__(MultiIndex)
    mih.bits, mih.tables = 16, 16
    keys = mih.keys(code)[0]
    assert keys[0] == 0x8000 and keys[15] == 1 and not keys[1:15].any()

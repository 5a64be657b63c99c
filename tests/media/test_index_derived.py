"""Derived hashes (a banked picture's windows, bar-trimmed hash, key frames) in their own index:
exact and flat below SignalIndex.derived_ivf_from, the IVF from there; matches through them still
report the banked picture with `bank_variant`; disabling, bank deletion, saving and compaction."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from redline.context import get_context
from redline.media import index as index_module
from redline.media.banks import SignalRecord, add_signals, create_bank, delete_bank, set_signal_enabled
from redline.media.index import BinaryIndex, SignalIndex, codes_to_hex, hex_to_codes
from redline.media.ivf import IVFIndex
from redline.media.matcher import Matcher

WINDOWS = ("top_10", "bottom_20", "centre_80", "trimmed")


def _flip(code: np.ndarray, bits: int, rng: np.random.Generator) -> np.ndarray:
    out = code.copy()
    for bit in rng.choice(256, size=bits, replace=False):
        out[bit // 8] ^= 1 << (bit % 8)
    return out


def _pictures(n: int, seed: int) -> tuple[list[str], list[list[str]]]:
    """n pictures' own hashes and, for each, len(WINDOWS) derived hashes 60-120 bits from it."""
    rng = np.random.default_rng(seed)
    own = rng.integers(0, 256, size=(n, 32), dtype=np.uint8)
    windows = [codes_to_hex(np.array([_flip(code, int(rng.integers(60, 121)), rng) for _ in WINDOWS])) for code in own]
    return codes_to_hex(own), windows


def _bank(store: object, bank: str, own: list[str], windows: list[list[str]], first: int = 0) -> None:
    records: list[SignalRecord] = []
    for n, (parent, derived) in enumerate(zip(own, windows)):
        at = len(records)
        records.append(SignalRecord("pdq", parent, f"c{first + n}"))
        records += [SignalRecord("pdq", h, f"c{first + n}", derived_from=at, variant=v) for h, v in zip(derived, WINDOWS)]
    add_signals(store, bank, records)  # type: ignore[arg-type]


def test_derived_hashes_leave_the_pictures_index_and_turn_ivf(any_store: object) -> None:
    own, windows = _pictures(600, seed=4)
    create_bank(any_store, "b")  # type: ignore[arg-type]
    _bank(any_store, "b", own[:300], windows[:300])
    index = SignalIndex(any_store, None, derived_ivf_from=2000)  # type: ignore[arg-type]
    index.refresh()
    assert index.pdq.size == 300 and index.derived.size == 1200 and isinstance(index.derived, BinaryIndex)
    assert index.derived.mih is None  # flat below the switch, never a multi-index
    _bank(any_store, "b", own[300:], windows[300:], first=300)
    index.refresh()
    assert index.pdq.size == 600 and isinstance(index.pdq, BinaryIndex)
    assert isinstance(index.derived, IVFIndex) and index.derived.size == 2400
    assert index.derived.nprobe == min(index_module.DERIVED_NPROBE, index.derived.nlist)
    every = [*own, *(h for w in windows for h in w)]
    for h in (own[0], windows[0][0], windows[599][3], every[-1]):
        assert [hit.distance for hit in index.search_pdq(hex_to_codes([h]), 0)] == [0]
    own_ids = set(index.pdq.ids.tolist())
    assert not own_ids & set(index.derived.ids.tolist())


def test_matcher_reports_window_hits_as_the_picture_and_follows_the_store(
        redline_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "DERIVED_IVF_FROM", 1000)
    ctx = get_context()
    own, windows = _pictures(400, seed=5)
    create_bank(ctx.store, "gone")
    create_bank(ctx.store, "kept")
    _bank(ctx.store, "kept", own[:300], windows[:300])
    _bank(ctx.store, "gone", own[300:], windows[300:], first=300)
    matcher = Matcher.open(ctx, refresh_seconds=0)
    assert isinstance(matcher.index.derived, IVFIndex) and matcher.index.pdq.size == 400

    rng = np.random.default_rng(6)
    near_window = codes_to_hex(_flip(hex_to_codes([windows[7][1]])[0], 10, rng)[None, :])[0]
    [match] = matcher.match_pdq(near_window)
    assert (match.signal_value, match.distance, match.detail["bank_variant"]) == (own[7], 10, "bottom_20")
    far_window = codes_to_hex(_flip(hex_to_codes([windows[8][0]])[0], 28, rng)[None, :])[0]
    assert matcher.match_pdq(far_window) == []  # a window matches within the strict threshold only
    far_trimmed = codes_to_hex(_flip(hex_to_codes([windows[8][3]])[0], 28, rng)[None, :])[0]
    assert [m.detail["bank_variant"] for m in matcher.match_pdq(far_trimmed)] == ["trimmed"]

    set_signal_enabled(ctx.store, "kept", own[7], False)  # the picture's windows follow it
    assert matcher.match_pdq(windows[7][1]) == []
    set_signal_enabled(ctx.store, "kept", own[7], True)
    assert [m.signal_value for m in matcher.match_pdq(windows[7][1])] == [own[7]]

    delete_bank(ctx, "gone")
    assert matcher.match_pdq(windows[350][2]) == [] and matcher.match_pdq(own[350]) == []
    assert matcher.index.derived.dead_count() == 400 and matcher.index.pdq.dead_count() == 100
    matcher.save()
    reloaded = SignalIndex.open(ctx.store, ctx.settings.home)
    assert isinstance(reloaded.derived, IVFIndex)
    assert np.array_equal(reloaded.derived.ids, matcher.index.derived.ids)
    assert np.array_equal(reloaded.derived.live, matcher.index.derived.live)
    assert np.array_equal(reloaded.derived.codes(), matcher.index.derived.codes())
    assert [hit.distance for hit in reloaded.search_pdq(hex_to_codes([windows[299][0]]), 0)] == [0]
    assert reloaded.search_pdq(hex_to_codes([windows[350][0]]), 0) == []


def test_derived_index_compacts_its_dead_rows() -> None:
    rng = np.random.default_rng(9)
    codes = rng.integers(0, 256, size=(6000, 32), dtype=np.uint8)
    store = get_context().store
    index = SignalIndex(store, None, derived_ivf_from=3000)
    index.derived.add(np.arange(1, 6001), codes)
    for signal_id in range(1, 2001):
        assert index.set_pdq_live(signal_id, False)
    assert not index.set_pdq_live(99_999, False)
    index.compact_due()
    assert index.derived.size == 4000 and index.derived.dead_count() == 0
    assert [h.signal_id for h in index.search_pdq(codes[4999:5000], 0)] == [5000]
    assert index.pdq_live(5000) and not index.pdq_live(10)

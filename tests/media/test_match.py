"""The Matcher and `redline media match`: banks, negatives, disabling, flood quarantine, ledger, CLI."""

from __future__ import annotations

import time
from pathlib import Path

import orjson
from typer.testing import CliRunner

from redline.cli import app
from redline.context import get_context
from redline.media.banks import SignalRecord, add_signals, create_bank, set_signal_enabled
from redline.media.hashing import hash_file
from redline.media.flood import FloodRule, held_signals, release_signal
from redline.media.matcher import Matcher

BRIDGE = "media/pdq/bridge-mods/aaa-orig.jpg"


def _bank_with_bridge(data_dir: Path, name: str = "gifct", negative: bool = False) -> str:
    ctx = get_context()
    create_bank(ctx.store, name, labels=["un_listed"], negative=negative)
    h = hash_file(data_dir / BRIDGE)
    add_signals(ctx.store, name, [SignalRecord("pdq", h.pdq, "incident-1", ["branded"])])
    return h.pdq


def test_match_file_and_pdq(data_dir: Path) -> None:
    pdq = _bank_with_bridge(data_dir)
    matcher = Matcher.open(get_context())
    result = matcher.match_file(data_dir / "media/pdq/bridge-mods/blur-a-lot.jpg")
    assert [(m.bank, m.content_id, m.signal_type) for m in result.matches] == [("gifct", "incident-1", "pdq")]
    assert result.matches[0].distance <= 31
    assert result.matches[0].labels == ["entity:un_listed", "behaviour:branded_publication"]
    assert matcher.match_file(data_dir / "media/pdq/misc-images/wee.jpg").matches == []
    assert [m.distance for m in matcher.match_pdq(pdq, 100)] == [0]
    assert matcher.match_pdq(pdq, 10) == []  # below the quality floor
    entries = list(get_context().ledger.entries("media.match"))
    assert len(entries) == 1 and entries[0].outcome["matches"][0]["bank"] == "gifct"


def test_md5_exact_match(data_dir: Path) -> None:
    ctx = get_context()
    create_bank(ctx.store, "md5s")
    h = hash_file(data_dir / "media/pdq/misc-images/wee.jpg")
    add_signals(ctx.store, "md5s", [SignalRecord("md5", h.md5, "c-9")])
    result = Matcher.open(ctx).match_file(data_dir / "media/pdq/misc-images/wee.jpg")
    assert [(m.signal_type, m.distance) for m in result.matches] == [("md5", 0)]


def test_negative_bank_suppresses(data_dir: Path) -> None:
    _bank_with_bridge(data_dir)
    _bank_with_bridge(data_dir, "benign", negative=True)
    result = Matcher.open(get_context()).match_file(data_dir / "media/pdq/bridge-mods/blur-a-little.jpg")
    assert result.matches == []
    assert [m.bank for m in result.suppressed] == ["gifct"]
    assert result.suppressed[0].detail["suppressed_by"] == "benign"


def test_disabled_hash_stops_matching_within_a_second(data_dir: Path) -> None:
    pdq = _bank_with_bridge(data_dir)
    ctx = get_context()
    matcher = Matcher.open(ctx, refresh_seconds=0.2)
    assert matcher.match_pdq(pdq)
    set_signal_enabled(ctx.store, "gifct", pdq, False)
    deadline = time.monotonic() + 1.0
    while matcher.match_pdq(pdq) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert matcher.match_pdq(pdq) == []
    other = "30a10efd71cc3d429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af"
    add_signals(ctx.store, "gifct", [SignalRecord("pdq", other, "incident-2")])
    deadline = time.monotonic() + 1.0
    while not matcher.match_pdq(other) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [m.content_id for m in matcher.match_pdq(other)] == ["incident-2"]


def test_flood_rule_holds_a_suddenly_busy_hash(data_dir: Path) -> None:
    pdq = _bank_with_bridge(data_dir)
    ctx = get_context()
    rule = FloodRule(window_seconds=3600, history_windows=24, min_matches=5, factor=3.0)
    matcher = Matcher.open(ctx, flood=rule)
    match = matcher.match_pdq(pdq)
    base = 1_000 * 3600.0
    # usual rate: 2 matches an hour for the past day → mean 2 a window; the threshold is > 6 and ≥ 5
    for hour in range(24):
        for _ in range(2):
            assert not matcher.record("upload", match, now=base + hour * 3600)[0].held
    now = base + 24 * 3600
    states = [matcher.record("upload", match, now=now + i)[0].held for i in range(8)]
    assert states == [False] * 6 + [True, True]  # the 7th match in one hour exceeds 3 × usual
    assert matcher.match_pdq(pdq)[0].held
    assert [h["state"] for h in held_signals(ctx.store)] == ["held"]
    assert any(e.outcome.get("state") == "held" for e in ctx.ledger.entries("media.quarantine"))
    release_signal(ctx, match[0].signal_id)
    matcher.refresh(force=True)
    assert not matcher.match_pdq(pdq)[0].held


def test_flood_rule_spares_a_steadily_busy_hash(data_dir: Path) -> None:
    pdq = _bank_with_bridge(data_dir)
    rule = FloodRule(window_seconds=3600, history_windows=24, min_matches=5, factor=3.0)
    matcher = Matcher.open(get_context(), flood=rule)
    match = matcher.match_pdq(pdq)
    base = 2_000 * 3600.0
    for hour in range(24):
        for i in range(4):  # 4 an hour for a day: its usual rate
            matcher.record("upload", match, now=base + hour * 3600 + i)
    for hour in range(24, 30):
        for i in range(10):  # 10 an hour: above min_matches, but not 3 × usual
            out = matcher.record("upload", match, now=base + hour * 3600 + i)
            assert not out[0].held
    assert held_signals(get_context().store) == []


def test_cli_match_json_in_input_order(data_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["media", "bank", "create", "gifct", "--label", "un_listed", "--json"]).exit_code == 0
    added = runner.invoke(app, ["media", "bank", "add", "gifct", str(data_dir / BRIDGE), "--content-id", "inc-1", "--json"])
    assert added.exit_code == 0, added.output
    missing = tmp_path / "missing.jpg"
    files = [data_dir / "media/pdq/misc-images/wee.jpg", missing, data_dir / "media/pdq/dih/bridge-6-flipy.jpg"]
    result = runner.invoke(app, ["media", "match", *map(str, files), "--json"])
    assert result.exit_code == 1  # one file failed; the others were still matched
    payload = orjson.loads(result.stdout)
    assert [p["file"] for p in payload] == [str(f) for f in files]
    assert payload[0]["matches"] == [] and "error" in payload[1]
    assert payload[2]["matches"][0]["content_id"] == "inc-1"
    assert set(payload[2]["matches"][0]) >= {"bank", "content_id", "signal_type", "distance", "labels"}
    hashed = orjson.loads(runner.invoke(app, ["media", "hash", str(files[0]), "--json"]).stdout)
    assert set(hashed[0]) >= {"file", "pdq", "quality", "md5", "sha256"}

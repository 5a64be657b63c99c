"""TMK+PDQF (redline/media/tmk.py): byte-identical to the reference hashes, the reference's two-level
thresholds, the `tmk_pdqf` signal type, and `bank add` / `match` / export of videos with it.

Reference data: REDLINE_DATA/media/video/tmk-hashes (ThreatExchange `tmk/sample-hashes`, written by
`tmk-hash-video`) and the sample videos they were computed from.
"""

from __future__ import annotations

import base64
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from redline.cli import app
from redline.media import tmk
from redline.media.signals import SignalError, normalise

HASHES = "media/video/tmk-hashes"
VIDEOS = "media/video/sample-videos"


def test_reference_files_round_trip(data_dir: Path) -> None:
    for path in sorted((data_dir / HASHES).glob("*.tmk")):
        data = path.read_bytes()
        features = tmk.from_bytes(data, path.name)
        assert features.to_bytes() == data
        assert features.cos.shape == (4, 32, 256) and features.frames_per_second == 15
        assert tmk.from_signal(features.to_signal()).to_bytes() == data


def test_hash_is_byte_identical_to_the_reference(data_dir: Path) -> None:
    """`media hash --tmk` writes the reference tool's .tmk bytes, in base64."""
    out = CliRunner().invoke(app, ["media", "hash", str(data_dir / VIDEOS / "doorknob-hd-no-bar.mp4"), "--tmk",
                                   "--workers", "1", "--json"])
    assert out.exit_code == 0, out.output
    [result] = orjson.loads(out.stdout)
    assert base64.b64decode(result["tmk_pdqf"]) == (data_dir / HASHES / "doorknob-hd-no-bar.tmk").read_bytes()


def test_two_level_scores_on_the_reference_hashes(data_dir: Path) -> None:
    ref = {p.stem: tmk.read_file(p) for p in (data_dir / HASHES).glob("*.tmk")}
    same = tmk.compare(ref["chair-22-sd-sepia-bar"], ref["chair-orig-22-sd-bar"])
    assert same.matched and same.level1 > 0.9 and same.level2 > 0.9
    assert tmk.compare(ref["chair-orig-22-sd-bar"], ref["chair-orig-22-sd-bar"]).level2 == pytest.approx(1.0, abs=1e-4)
    other = tmk.compare(ref["pattern-hd-no-bar"], ref["chair-orig-22-sd-bar"])
    assert not other.matched and other.level1 < tmk.LEVEL1_THRESHOLD
    doorknob = tmk.compare(ref["doorknob-hd-no-bar"], ref["chair-orig-22-sd-bar"])
    assert not doorknob.matched


def test_signal_type_validates(data_dir: Path) -> None:
    data = (data_dir / HASHES / "pattern-hd-no-bar.tmk").read_bytes()
    value = base64.b64encode(data).decode()
    wrapped = "\n".join(value[i:i + 76] for i in range(0, len(value), 76))
    assert normalise("video_tmk_pdqf", wrapped) == ("tmk_pdqf", value)
    with pytest.raises(SignalError, match="base64"):
        normalise("tmk_pdqf", "not base64 at all!")
    with pytest.raises(SignalError, match="expected 263344"):
        normalise("tmk_pdqf", base64.b64encode(data[:-4]).decode())
    with pytest.raises(SignalError, match="magic"):
        normalise("hash_tmk", base64.b64encode(b"XXXX" + data[4:]).decode())


def test_bank_match_and_export(data_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    video = data_dir / VIDEOS / "chair-orig-22-sd-bar.mp4"
    assert runner.invoke(app, ["media", "bank", "create", "v"]).exit_code == 0
    added = runner.invoke(app, ["media", "bank", "add", "v", str(video), "--content-id", "chair", "--no-key-frames",
                                "--json"])
    assert added.exit_code == 0, added.output
    payload = orjson.loads(added.stdout)
    assert payload["added"] == 3 and payload["files"][0]["tmk_pdqf"] is True  # vpdq, video_md5, tmk_pdqf

    # the sepia copy: vPDQ's frames are too far apart, TMK (colour-blind PDQF) matches it
    sepia = data_dir / VIDEOS / "chair-22-sd-sepia-bar.mp4"
    matched = runner.invoke(app, ["media", "match", str(sepia), "--json"])
    assert matched.exit_code == 0, matched.output
    [result] = orjson.loads(matched.stdout)
    [m] = [m for m in result["matches"] if m["signal_type"] == "tmk_pdqf"]
    assert m["content_id"] == "chair" and m["level1"] >= 0.7 and m["level2"] >= 0.7
    assert m["distance"] == round(100 * (1 - m["level2"]))
    other = runner.invoke(app, ["media", "match", str(data_dir / VIDEOS / "pattern-hd-no-bar.mp4"), "--json"])
    assert orjson.loads(other.stdout)[0]["matches"] == []

    out = tmp_path / "bank.json"
    assert runner.invoke(app, ["media", "bank", "export", "v", "-o", str(out)]).exit_code == 0
    exported = orjson.loads(out.read_bytes())
    signals = exported["signals"] if isinstance(exported, dict) else exported
    [row] = [s for s in signals if s["signal_type"] == "tmk_pdqf"]
    assert tmk.from_signal(row["signal_value"]).to_bytes() == tmk.hash_video(video).to_bytes()


def test_banked_tmk_is_cached_until_the_store_revision_moves(data_dir: Path) -> None:
    from redline.context import get_context
    from redline.media.banks import SignalRecord, add_signals, create_bank, set_signal_enabled

    ctx = get_context()
    create_bank(ctx.store, "t")
    values = [base64.b64encode((data_dir / HASHES / f"{name}.tmk").read_bytes()).decode()
              for name in ("pattern-hd-no-bar", "chair-orig-22-sd-bar")]
    add_signals(ctx.store, "t", [SignalRecord("tmk_pdqf", values[0])])
    first = tmk.banked_cached(ctx.store)
    assert first.values == values[:1] and tmk.banked_cached(ctx.store) is first  # no read while nothing changed
    add_signals(ctx.store, "t", [SignalRecord("tmk_pdqf", values[1])])
    assert tmk.banked_cached(ctx.store).values == values
    set_signal_enabled(ctx.store, "t", values[0], False, kind="tmk_pdqf")
    assert tmk.banked_cached(ctx.store).values == values[1:]

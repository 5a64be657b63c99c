"""Black bars on videos: trimmed on the bank side as on the query side, so a letterboxed or
pillarboxed copy of a banked video matches it, and a clean copy matches a banked barred video.

Real sample videos: `pattern-hd-no-bar.mp4` (720x1280, no bars) and `pattern-sd-grey-bar.mp4` (the
same recording in grey, 480x720 with 32-pixel black pillars); `chair-orig-22-sd-bar.mp4` is unrelated.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from redline.cli import app
from redline.context import get_context
from redline.media.banks import bank_signals, get_bank
from redline.media.matcher import Matcher
from redline.media.robust import trimmed_video_frames, video_content_box

VIDEOS = "media/video/sample-videos"
CLEAN = "pattern-hd-no-bar.mp4"
BARRED = "pattern-sd-grey-bar.mp4"
OTHER = "chair-orig-22-sd-bar.mp4"


def _bank(name: str, video: Path, content_id: str, *extra: str) -> dict:
    runner = CliRunner()
    assert runner.invoke(app, ["media", "bank", "create", name]).exit_code == 0
    # bars alone: key frames and TMK+PDQF are tested in test_video_frames.py and test_tmk.py
    added = runner.invoke(app, ["media", "bank", "add", name, str(video), "--content-id", content_id, "--json",
                                "--no-key-frames", "--no-tmk", *extra])
    assert added.exit_code == 0, added.output
    return orjson.loads(added.stdout)


def test_video_content_box(data_dir: Path) -> None:
    videos = data_dir / VIDEOS
    top, bottom, left, right = video_content_box(videos / BARRED)
    assert (top, bottom) == (0.0, 1.0)
    assert left == pytest.approx(32 / 480, abs=0.01) and right == pytest.approx(448 / 480, abs=0.01)
    assert video_content_box(videos / CLEAN) is None
    # a dark scene is not a letterbox (its key frames light up the whole frame between them)
    assert video_content_box(videos / "doorknob-hd-no-bar.mp4") is None
    assert trimmed_video_frames(videos / CLEAN) is None
    frames = trimmed_video_frames(videos / BARRED)
    assert frames and all(len(f.pdq) == 64 for f in frames)


def test_bars_found_when_the_only_key_frame_is_black(data_dir: Path, tmp_path: Path) -> None:
    """One key frame for the whole file, and it is black: frames between key frames are sampled."""
    from PIL import Image

    from benchmarks.video_streams import write_test_stream

    picture = Image.open(data_dir / "media/pdq/bridge-mods/aaa-orig.jpg").convert("RGB")  # 3:2, boxed into 4:3
    black = Image.new("RGB", picture.size)
    path = write_test_stream([black, picture], str(tmp_path / "fade-in.mp4"), seconds=2, fps=10, size=(320, 240),
                             gop=1000, seconds_per_frame=0.5)
    top, bottom, left, right = video_content_box(path)
    assert (left, right) == (0.0, 1.0) and 0.05 < top < 0.2 and 0.8 < bottom < 0.95


def test_barred_upload_matches_a_clean_banked_video(data_dir: Path) -> None:
    videos = data_dir / VIDEOS
    assert _bank("clean", videos / CLEAN, "incident-clean")["derived"] == 0  # no bars: nothing derived
    matcher = Matcher.open(get_context())
    [match] = matcher.find_file(videos / BARRED).matches
    assert (match.bank, match.content_id, match.signal_type, match.variant) == ("clean", "incident-clean", "vpdq", "vpdq_trimmed")
    assert match.detail["query_match_percent"] >= 80 and match.distance <= 31
    # without trimming the bars (plain vPDQ) the same upload does not match
    assert Matcher.open(get_context(), robust=False, persist=False).find_file(videos / BARRED).matches == []
    assert matcher.find_file(videos / OTHER).matches == []


def test_clean_upload_matches_a_barred_banked_video(data_dir: Path) -> None:
    videos = data_dir / VIDEOS
    added = _bank("barred", videos / BARRED, "incident-barred")
    assert (added["added"], added["derived"]) == (2, 1)  # vpdq + video_md5; the vPDQ with bars cut off
    ctx = get_context()
    assert get_bank(ctx.store, "barred").derived_size == 1
    assert [r.signal_type for r in bank_signals(ctx.store, "barred")] == ["vpdq", "video_md5"]  # export: not derived
    plain = Matcher.open(ctx, robust=False, persist=False)  # no query variants: the bank's trimmed vPDQ does it
    [match] = plain.find_file(videos / CLEAN).matches
    assert (match.bank, match.content_id, match.variant) == ("barred", "incident-barred", "vpdq")
    assert match.detail["bank_variant"] == "trimmed" and match.detail["query_match_percent"] >= 80
    assert match.signal_value == bank_signals(ctx.store, "barred")[0].value  # reported as the banked video
    assert plain.find_file(videos / OTHER).matches == []


def test_no_derived_stores_no_trimmed_video(data_dir: Path) -> None:
    added = _bank("barred", data_dir / VIDEOS / BARRED, "incident-barred", "--no-derived")
    assert (added["added"], added["derived"]) == (2, 0)
    assert Matcher.open(get_context(), robust=False, persist=False).find_file(data_dir / VIDEOS / CLEAN).matches == []

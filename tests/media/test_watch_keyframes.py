"""Livestreams through the key-frame picture stages (watch.StreamKeyFrames): a cropped, mirrored
stream of a banked video alerts through its key frames where PDQ on sampled frames does not, and an
unrelated stream does not alert. The edited copy is made with ffmpeg from the real sample video."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest

from typer.testing import CliRunner

from redline.cli import app
from redline.context import get_context
from redline.media.matcher import Matcher
from redline.media.watch import (Alert, StreamKeyFrames, StreamMatcher, StreamSummary, StreamWatcher, WatchConfig,
                                 watch_many)

VIDEOS = "media/video/sample-videos"
BANKED = "chair-orig-22-sd-bar.mp4"
UNRELATED = "pattern-hd-no-bar.mp4"


def _watch(source: str, matcher: StreamMatcher, key_frames: bool) -> tuple[list[Alert], StreamSummary]:
    config = WatchConfig(fps=2, key_frames=key_frames, key_frame_every_s=3.0, duration_s=8.0)
    events = list(watch_many([source], matcher, config))
    (summary,) = [e for e in events if isinstance(e, StreamSummary)]
    return [e for e in events if isinstance(e, Alert)], summary


def test_cropped_mirrored_stream_alerts_through_key_frames_and_an_unrelated_one_does_not(
        data_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["media", "bank", "create", "v"]).exit_code == 0
    added = runner.invoke(app, ["media", "bank", "add", "v", str(data_dir / VIDEOS / BANKED), "--content-id", "chair",
                                "--no-tmk"])
    assert added.exit_code == 0, added.output
    edited = tmp_path / "edited.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-t", "8", "-i", str(data_dir / VIDEOS / BANKED), "-vf",
                    "crop=trunc(iw*0.85/2)*2:trunc(ih*0.85/2)*2:iw*0.04:ih*0.10,hflip", "-an", "-c:v", "libx264",
                    "-preset", "veryfast", "-crf", "28", str(edited)], check=True)
    matcher = StreamMatcher(Matcher.open(get_context(), persist=False))

    alerts, summary = _watch(str(edited), matcher, key_frames=False)
    assert alerts == [] and summary.key_frames == 0  # PDQ on sampled frames misses a crop + mirror
    alerts, summary = _watch(str(edited), matcher, key_frames=True)
    (alert,) = alerts
    assert alert.content_id == "chair" and alert.stage.startswith("keyframes") and alert.frames >= 2
    assert alert.to_dict()["stage"] == alert.stage and summary.alerts == 1
    assert 2 <= summary.key_frames <= summary.samples and summary.to_dict()["mean_key_frame_ms"] > 0

    alerts, summary = _watch(str(data_dir / VIDEOS / UNRELATED), matcher, key_frames=True)
    assert alerts == [] and summary.key_frames >= 2 and summary.error is None


class _Slot:
    """Stands for the one-place slot of the background thread: records the offsets of the key frames offered."""

    def __init__(self, stage: StreamKeyFrames, settle_at: float | None) -> None:
        self.stage, self.settle_at, self.seen = stage, settle_at, []

    def put(self, item: tuple, block: bool = True) -> None:
        self.seen.append(item[3])
        if self.settle_at is not None and item[3] >= self.settle_at:
            self.stage.settled = True  # what _match sets when a key frame names only items that alerted

    put_nowait = put


def _offered(config: WatchConfig, pdqs: list[str], settle_at: float | None = None) -> list[float]:
    stage = StreamKeyFrames(StreamWatcher("file.mp4", object(), config), object(), lambda e: None)  # type: ignore[arg-type]
    stage.close()  # the background thread is not needed
    stage._slot = slot = _Slot(stage, settle_at)  # type: ignore[assignment]
    for i, pdq in enumerate(pdqs):
        stage.offer(None, pdq, 90, i * 0.5, 0.0, None)
    return slot.seen


def test_key_frames_have_a_floor_between_them_and_back_off_once_the_stream_is_settled() -> None:
    rng = random.Random(7)
    moving = [f"{rng.getrandbits(256):064x}" for _ in range(40)]  # a moving camera: every sample a new scene
    still = [moving[0]] * 40
    every = WatchConfig(key_frames=True, key_frame_every_s=10.0, key_frame_gap_s=0.0)
    assert len(_offered(every, moving)) == 40  # the rule before the floor: every sample
    floor = WatchConfig(key_frames=True, key_frame_every_s=10.0, key_frame_gap_s=2.0)
    assert _offered(floor, moving) == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0]
    assert _offered(floor, still) == [0.0, 10.0]  # no scene change: at least every key_frame_every_s
    assert _offered(floor, moving, settle_at=2.0) == [0.0, 2.0, 12.0]
    with pytest.raises(ValueError, match="key_frame_gap_s"):
        WatchConfig(key_frame_every_s=3.0, key_frame_gap_s=4.0)

"""Livestreams through the key-frame picture stages (watch.StreamKeyFrames): a cropped, mirrored
stream of a banked video alerts through its key frames where PDQ on sampled frames does not, and an
unrelated stream does not alert. The edited copy is made with ffmpeg from the real sample video."""

from __future__ import annotations

import subprocess
from pathlib import Path

from typer.testing import CliRunner

from redline.cli import app
from redline.context import get_context
from redline.media.matcher import Matcher
from redline.media.watch import Alert, StreamMatcher, StreamSummary, WatchConfig, watch_many

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

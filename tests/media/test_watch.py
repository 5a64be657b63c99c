"""Livestream watching: real 720p H.264 streams made with PyAV from the sample videos and PDQ
reference images, matched through the real Matcher against real banks."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.cli import app
from redline.context import get_context
from redline.media.watch import (
    Alert,
    StreamMatcher,
    StreamSummary,
    WatchConfig,
    content_box,
    watch_many,
)
from benchmarks.video_streams import transcode_test_stream, write_test_stream


@pytest.fixture(scope="module")
def media(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    from PIL import Image

    from redline.media.hashing import pdq_file, vpdq_file

    videos = data_dir / "media" / "video" / "sample-videos"
    pdq = data_dir / "media" / "pdq"
    out = tmp_path_factory.mktemp("streams")
    q1050 = Image.open(pdq / "labelme-subset" / "q1050.jpg")
    bridge = Image.open(pdq / "bridge-mods" / "aaa-orig.jpg")
    return {
        # a portrait phone video pillarboxed into a 1280x720 stream (a banked incident video)
        "pattern": transcode_test_stream(str(videos / "pattern-hd-no-bar.mp4"), str(out / "pattern.ts"), seconds=4),
        # an unrelated video (never banked): false alerts are counted on it
        "chair": transcode_test_stream(str(videos / "chair-orig-22-sd-bar.mp4"), str(out / "chair.ts"), seconds=4),
        # stills: an unrelated photo, the banked bridge photo for 1 s (two samples at 2 fps), the photo again
        "stills": write_test_stream([q1050, bridge, q1050], str(out / "stills.mp4"), seconds=3, seconds_per_frame=1.0),
        "pattern_vpdq": vpdq_file(videos / "pattern-hd-no-bar.mp4", seconds_per_hash=0),
        "doorknob_vpdq": vpdq_file(videos / "doorknob-hd-no-bar.mp4", seconds_per_hash=0.5),
        "bridge_pdq": pdq_file(pdq / "bridge-mods" / "aaa-orig.jpg"),
    }


@pytest.fixture
def matcher(media: dict[str, object]) -> StreamMatcher:
    from redline.media.banks import SignalRecord, add_signals, create_bank
    from redline.media.matcher import Matcher
    from redline.media.signals import VpdqSignal

    ctx = get_context()
    create_bank(ctx.store, "incidents", labels=["behaviour:livestreamed_attack"], actor="t", ledger=ctx.ledger)
    add_signals(ctx.store, "incidents", [
        SignalRecord("vpdq", VpdqSignal.serialise(media["pattern_vpdq"]), content_id="incident-7"),
        SignalRecord("vpdq", VpdqSignal.serialise(media["doorknob_vpdq"]), content_id="incident-8"),
    ], actor="t", ledger=ctx.ledger)
    create_bank(ctx.store, "photos", labels=["entity:un_listed"], actor="t", ledger=ctx.ledger)
    bridge = media["bridge_pdq"]
    add_signals(ctx.store, "photos", [SignalRecord("pdq", bridge.hex, content_id="bridge")], actor="t", ledger=ctx.ledger)
    return StreamMatcher(Matcher.open(ctx))


def events_of(sources: list[str], matcher: StreamMatcher, config: WatchConfig) -> tuple[list[Alert], dict[str, StreamSummary]]:
    alerts: list[Alert] = []
    summaries: dict[str, StreamSummary] = {}
    for event in watch_many(sources, matcher, config):
        if isinstance(event, Alert):
            alerts.append(event)
        elif isinstance(event, StreamSummary):
            summaries[event.source] = event
    return alerts, summaries


def test_banked_video_in_a_720p_stream_alerts_once(media: dict, matcher: StreamMatcher) -> None:
    alerts, summaries = events_of([media["pattern"]], matcher, WatchConfig(fps=2))
    assert len(alerts) == 1
    a = alerts[0]
    assert (a.bank, a.content_id, a.labels) == ("incidents", "incident-7", ["behaviour:livestreamed_attack"])
    assert a.distance <= 31 and a.quality >= 50 and a.frames == 2
    assert a.offset_s < 2.0  # the second sampled frame of the run, early in the stream
    assert a.latency_s >= 0 and a.lag_s is None  # a file read as fast as possible has no live clock
    s = summaries[media["pattern"]]
    assert s.error is None and s.alerts == 1
    assert 7 <= s.samples <= 9  # 4 s at 2 frames/s
    assert s.frames_decoded < 4 * 30  # non-reference frames were skipped by the decoder


def test_match_frame_finds_banked_pictures_and_video_frames(media: dict, matcher: StreamMatcher) -> None:
    m = matcher.matcher  # the Matcher
    bridge = media["bridge_pdq"]
    assert [(x.bank, x.content_id, x.variant) for x in m.match_frame(bridge.hex, bridge.quality)] == [
        ("photos", "bridge", "frame")]
    frame = next(f for f in media["pattern_vpdq"] if f.quality >= 80)
    found = m.match_frame(frame.pdq, frame.quality)
    assert [(x.bank, x.content_id, x.variant, x.distance) for x in found] == [("incidents", "incident-7", "vpdq_frame", 0)]
    assert m.match_pdq(frame.pdq, frame.quality) == []  # match_pdq looks at banked pictures only
    assert m.match_frame(frame.pdq, 10) == []  # below the quality floor
    with pytest.raises(ValueError):
        m.match_frame("not a hash", 100)


def test_stream_matching_needs_only_the_public_match_frame(media: dict, matcher: StreamMatcher) -> None:
    """StreamMatcher over an object that has nothing but `match_frame`: the watcher uses no internals."""
    import types

    calls = []

    def match_frame(pdq_hex: str, quality: int = 100) -> list:
        calls.append(quality)
        return matcher.matcher.match_frame(pdq_hex, quality)

    public = StreamMatcher(types.SimpleNamespace(match_frame=match_frame))
    alerts, _ = events_of([media["pattern"]], public, WatchConfig(fps=2))
    assert [(a.bank, a.content_id) for a in alerts] == [("incidents", "incident-7")] and calls


def test_unrelated_stream_raises_no_alert(media: dict, matcher: StreamMatcher) -> None:
    # even a single matching frame would be enough here, so this counts raw false frame matches
    alerts, summaries = events_of([media["chair"]], matcher, WatchConfig(fps=2, consecutive=1))
    assert alerts == []
    assert summaries[media["chair"]].samples >= 7


def test_consecutive_frames_rule(media: dict, matcher: StreamMatcher) -> None:
    alerts, _ = events_of([media["stills"]], matcher, WatchConfig(fps=2, consecutive=2))
    assert [(a.bank, a.content_id, a.frames) for a in alerts] == [("photos", "bridge", 2)]
    assert 1.0 <= alerts[0].first_offset_s < alerts[0].offset_s < 2.0
    # the bridge is on screen for two sampled frames only: asking for three gives no alert
    alerts, _ = events_of([media["stills"]], matcher, WatchConfig(fps=2, consecutive=3))
    assert alerts == []


def test_several_streams_and_a_broken_one(media: dict, matcher: StreamMatcher, tmp_path: Path) -> None:
    junk = tmp_path / "junk.ts"
    junk.write_bytes(b"\x47" + b"\x00" * 1000)
    sources = [media["pattern"], media["chair"], str(tmp_path / "missing.ts"), str(junk), media["stills"]]
    alerts, summaries = events_of(sources, matcher, WatchConfig(fps=2))
    assert sorted((a.source, a.content_id) for a in alerts) == sorted(
        [(media["pattern"], "incident-7"), (media["stills"], "bridge")])
    assert set(summaries) == set(sources)
    assert summaries[str(tmp_path / "missing.ts")].error.startswith("cannot open")
    assert summaries[str(junk)].error
    assert summaries[media["chair"]].error is None


def test_realtime_pacing_follows_the_stream_clock(media: dict, matcher: StreamMatcher) -> None:
    alerts, summaries = events_of([media["stills"]], matcher, WatchConfig(fps=2, realtime=True, duration_s=1.6))
    s = summaries[media["stills"]]
    assert s.wall_seconds >= 1.4  # 1.6 s of stream cannot be read faster than the stream clock
    assert len(alerts) == 1 and alerts[0].lag_s is not None and alerts[0].lag_s >= 0


def test_cli_watch_json_lines_review_queue_and_ledger(media: dict, matcher: StreamMatcher, tmp_path: Path) -> None:
    runner = CliRunner()
    missing = str(tmp_path / "missing.ts")
    r = runner.invoke(app, ["media", "watch", media["pattern"], media["chair"], missing, "--json", "--account", "live-42"])
    assert r.exit_code == 1  # one source failed; the others were watched to the end
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    kinds = [line["type"] for line in lines]
    assert kinds.count("alert") == 1 and kinds.count("error") == 1 and kinds.count("summary") == 3
    alert = next(line for line in lines if line["type"] == "alert")
    assert alert["source"] == media["pattern"] and alert["bank"] == "incidents"
    assert alert["labels"] == ["behaviour:livestreamed_attack"] and alert["review_id"] >= 1
    assert {"offset_s", "latency_s", "distance", "content_id"} <= set(alert)

    queue = json.loads(runner.invoke(app, ["media", "review", "list", "--json"]).stdout)
    assert len(queue) == 1 and queue[0]["kind"] == "livestream" and queue[0]["account"] == "live-42"
    assert queue[0]["source"] == media["pattern"] and queue[0]["offset_s"] == pytest.approx(alert["offset_s"])
    done = runner.invoke(app, ["media", "review", "resolve", str(queue[0]["id"]), "--outcome", "confirmed",
                               "--note", "attack footage", "--json"])
    assert done.exit_code == 0 and json.loads(done.stdout)["status"] == "resolved"
    again = runner.invoke(app, ["media", "review", "resolve", str(queue[0]["id"]), "--outcome", "confirmed"])
    assert again.exit_code == 2 and "resolved already" in again.output
    assert json.loads(runner.invoke(app, ["media", "review", "list", "--json"]).stdout) == []
    bad = runner.invoke(app, ["media", "review", "resolve", str(queue[0]["id"]), "--outcome", "lgtm"])
    assert bad.exit_code == 2

    kinds = [e.kind for e in get_context().ledger.entries(kind="media.")]
    assert kinds.count("media.alert") == 1 and kinds.count("media.review") == 1
    report = json.loads(runner.invoke(app, ["media", "report", "--json"]).stdout)
    assert report["totals"]["livestream_alerts"] == 1
    assert report["livestream_alerts"]["by_label"] == {"behaviour:livestreamed_attack": 1}
    assert report["review"]["by_resolution"] == {"confirmed": 1}


def test_clean_stream_alerts_on_a_banked_barred_video(data_dir: Path, media: dict) -> None:
    """The bank holds the pillarboxed SD copy of the pattern video; the stream shows the clean HD
    copy (boxed into 720p, which the watcher trims). The bank's trimmed vPDQ is what matches."""
    from redline.media.banks import add_signals, create_bank
    from redline.media.hashing import hash_file
    from redline.media.matcher import Matcher
    from redline.media.robust import file_records

    ctx = get_context()
    barred = hash_file(data_dir / "media" / "video" / "sample-videos" / "pattern-sd-grey-bar.mp4", seconds_per_hash=0)
    for derived in (False, True):
        create_bank(ctx.store, f"sd-{derived}")
        records = file_records(barred, content_id="incident-9", windows=derived)
        assert len(records) == (3 if derived else 2)  # vpdq, video_md5 (+ the vPDQ with the bars cut off)
        add_signals(ctx.store, f"sd-{derived}", records)
        alerts, summaries = events_of([media["pattern"]], StreamMatcher(Matcher.open(ctx)), WatchConfig(fps=2))
        assert summaries[media["pattern"]].error is None
        # without the derived vPDQ: no alert; with it: one, reported as the banked video
        assert [(a.bank, a.content_id) for a in alerts] == ([("sd-True", "incident-9")] if derived else [])


def test_bad_options_are_refused(media: dict) -> None:
    r = CliRunner().invoke(app, ["media", "watch", media["stills"], "--fps", "0"])
    assert r.exit_code == 2 and "fps" in r.output
    with pytest.raises(ValueError, match="consecutive"):
        WatchConfig(consecutive=0)


def test_content_box_finds_added_bars(data_dir: Path) -> None:
    import numpy as np
    from PIL import Image

    photo = Image.open(data_dir / "media" / "pdq" / "bridge-mods" / "aaa-orig.jpg").convert("RGB")
    photo.thumbnail((200, 200))
    canvas = Image.new("RGB", (512, 288))
    canvas.paste(photo, (100, 40))
    box = content_box(np.asarray(canvas))
    assert box == (40, 40 + photo.height, 100, 100 + photo.width)
    assert content_box(np.asarray(photo)) is None  # no bars, nothing to crop


@pytest.mark.network
def test_live_udp_stream_on_loopback(media: dict, matcher: StreamMatcher) -> None:
    """A real live source: MPEG-TS over UDP on 127.0.0.1, sent at the stream's own pace."""
    import socket

    import av

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    url = f"udp://127.0.0.1:{port}"
    stop = threading.Event()

    def send() -> None:
        import time

        stop.wait(0.5)  # let the watcher open the port first
        with av.open(media["pattern"]) as src, av.open(url + "?pkt_size=1316", "w", format="mpegts") as dst:
            ins = src.streams.video[0]
            outs = dst.add_stream_from_template(ins)
            t0 = time.monotonic()
            first = None
            for packet in src.demux(ins):
                if packet.dts is None:
                    continue
                ts = float(packet.dts * ins.time_base)
                first = ts if first is None else first
                delay = t0 + (ts - first) - time.monotonic()
                if delay > 0 and stop.wait(delay):
                    return
                packet.stream = outs
                dst.mux(packet)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        alerts, summaries = events_of([url], matcher, WatchConfig(fps=2, duration_s=3.0, max_alerts=1, open_timeout_s=5))
    finally:
        stop.set()
        sender.join(5)
    assert summaries[url].error is None, summaries[url].error
    assert [a.content_id for a in alerts] == ["incident-7"]
    assert alerts[0].lag_s is not None  # a network source runs on a live clock


@pytest.mark.slow
def test_worker_processes(media: dict, matcher: StreamMatcher) -> None:
    """Streams spread over two spawned processes, each opening the store's Matcher itself."""
    r = CliRunner().invoke(app, ["media", "watch", media["pattern"], media["chair"], media["stills"], "--workers", "2",
                                 "--json", "--no-queue"])
    assert r.exit_code == 0, r.output
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    alerts = sorted((line["source"], line["content_id"]) for line in lines if line["type"] == "alert")
    assert alerts == sorted([(media["pattern"], "incident-7"), (media["stills"], "bridge")])
    assert sum(1 for line in lines if line["type"] == "summary") == 3
    assert all(line["latency_s"] >= 0 for line in lines if line["type"] == "alert")

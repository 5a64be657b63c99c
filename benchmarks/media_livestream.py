"""Livestream matching benchmark: N concurrent 720p streams at 2 sampled frames/s, paced to the
stream clock (simulated live), matched through the real Matcher against real banks.

    .venv/bin/python benchmarks/media_livestream.py [--streams 8] [--seconds 20] [--fps 2] [--out result.json]

What it does, all in one run:
1. Makes 720p H.264 test streams (CRF 23, GOP 2 s, B-frames) from the real sample videos in
   REDLINE_DATA/media/video/sample-videos (cached in a temp folder between runs).
2. Builds a real store in a temp REDLINE_HOME: bank "incidents" (vPDQ of pattern-hd-no-bar and
   doorknob-hd-no-bar, label behaviour:livestreamed_attack) and bank "haystack" (the 1,350 real
   PDQ hashes of ThreatExchange's haystack.txt), so the index is not trivially small.
3. Baseline, same streams: the naive pipeline — decode every frame, convert the sampled frames to
   full-size RGB and hash them at 720p — single-threaded, as fast as it goes. Cost = CPU seconds per
   stream second.
4. Redline's pipeline (watch.py): non-reference frames skipped in the decoder, sampled frames
   converted straight to ≤ 512 px, one thread a stream, every stream paced to real time. Reports
   whether all streams kept up, CPU use, alert latency (frame decoded → alert delivered), lag behind
   the stream clock, and alerts on streams that carry no banked content (false alerts).
5. False frame matches: for the negative streams, how many sampled frames match anything at
   distance ≤ 31 (consecutive=1) — what the 2-frame rule protects against.

The machine is shared: figures are ratios within one run, not absolute capacity.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SOURCES = [  # (sample video, expected content id or None for a negative stream)
    ("pattern-hd-no-bar.mp4", "incident-pattern"),
    ("chair-orig-22-sd-bar.mp4", None),
    ("doorknob-hd-no-bar.mp4", "incident-doorknob"),
    ("chair-19-sd-bar.mp4", None),
    ("chair-20-sd-bar.mp4", None),
    ("chair-22-sd-grey-bar.mp4", None),
    ("chair-22-sd-sepia-bar.mp4", None),
    ("chair-22-with-small-logo-bar.mp4", None),
    ("test-padded-dimensions.mp4", None),
]


def cpu_seconds() -> float:
    """CPU of this process and of its finished children (worker processes)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        r = resource.getrusage(who)
        total += r.ru_utime + r.ru_stime
    return total


def make_streams(video_dir: Path, cache: Path, n: int, seconds: float) -> list[tuple[str, str | None]]:
    from benchmarks.video_streams import transcode_test_stream

    cache.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        name, expected = SOURCES[i % len(SOURCES)]
        path = cache / f"{Path(name).stem}-{int(seconds)}s-720p.ts"
        if not path.exists():
            tmp = path.with_suffix(".part.ts")
            transcode_test_stream(str(video_dir / name), str(tmp), seconds=seconds)
            tmp.rename(path)
        out.append((str(path), expected))
    return out


def build_banks(data: Path) -> None:
    from redline.context import get_context
    from redline.media.banks import SignalRecord, add_signals, create_bank
    from redline.media.hashing import vpdq_file
    from redline.media.signals import VpdqSignal

    ctx = get_context()
    videos = data / "media" / "video" / "sample-videos"
    create_bank(ctx.store, "incidents", labels=["behaviour:livestreamed_attack"], actor="bench")
    add_signals(ctx.store, "incidents", [
        SignalRecord("vpdq", VpdqSignal.serialise(vpdq_file(videos / "pattern-hd-no-bar.mp4", 0)), content_id="incident-pattern"),
        SignalRecord("vpdq", VpdqSignal.serialise(vpdq_file(videos / "doorknob-hd-no-bar.mp4", 0)), content_id="incident-doorknob"),
    ], actor="bench")
    hay = [line.strip() for line in (data / "media" / "pdq" / "hash-lists" / "haystack.txt").read_text().splitlines() if line.strip()]
    create_bank(ctx.store, "haystack", labels=["x-haystack"], actor="bench")
    add_signals(ctx.store, "haystack", [SignalRecord("pdq", h, content_id=f"hay-{i}") for i, h in enumerate(hay)], actor="bench")


def naive_baseline(streams: list[tuple[str, str | None]], fps: float) -> dict:
    """Decode every frame; sampled frames to full-size RGB and PDQ at 720p; one thread."""
    import av
    import numpy as np
    import pdqhash

    stream_seconds = 0.0
    samples = 0
    c0, w0 = cpu_seconds(), time.perf_counter()
    for path, _ in streams:
        with av.open(path) as c:
            s = c.streams.video[0]
            next_at, first = 0.0, None
            for frame in c.decode(s):
                ts = float(frame.time)
                first = ts if first is None else first
                off = ts - first
                stream_seconds = max(stream_seconds, off)
                rgb = frame.to_ndarray(format="rgb24")  # every decoded frame converted (the naive loop)
                if off + 1e-6 < next_at:
                    continue
                next_at += 1.0 / fps
                bits, q = pdqhash.compute(rgb)
                np.packbits(bits.astype(np.uint8)).tobytes().hex()
                samples += 1
    cpu, wall = cpu_seconds() - c0, time.perf_counter() - w0
    total_stream = stream_seconds * len(streams)
    return {"cpu_s": round(cpu, 3), "wall_s": round(wall, 3), "stream_s": round(total_stream, 1), "samples": samples,
            "cpu_per_stream_s": round(cpu / total_stream, 4)}


def sampled_baseline(streams: list[tuple[str, str | None]], fps: float) -> dict:
    """A fairer baseline: decode every frame (no skipping), convert + hash only the sampled ones at full size."""
    import av
    import numpy as np
    import pdqhash

    stream_seconds = 0.0
    c0, w0 = cpu_seconds(), time.perf_counter()
    for path, _ in streams:
        with av.open(path) as c:
            s = c.streams.video[0]
            next_at, first = 0.0, None
            for frame in c.decode(s):
                ts = float(frame.time)
                first = ts if first is None else first
                off = ts - first
                stream_seconds = max(stream_seconds, off)
                if off + 1e-6 < next_at:
                    continue
                next_at += 1.0 / fps
                bits, q = pdqhash.compute(frame.to_ndarray(format="rgb24"))
                np.packbits(bits.astype(np.uint8)).tobytes().hex()
    cpu, wall = cpu_seconds() - c0, time.perf_counter() - w0
    total_stream = stream_seconds * len(streams)
    return {"cpu_s": round(cpu, 3), "wall_s": round(wall, 3), "stream_s": round(total_stream, 1),
            "cpu_per_stream_s": round(cpu / total_stream, 4)}


def redline_offline(streams: list[tuple[str, str | None]], matcher, config) -> dict:  # noqa: ANN001
    """Redline's pipeline unpaced (as fast as it goes), for the same cost metric as the baselines."""
    from dataclasses import replace

    from redline.media.watch import StreamSummary, watch_many

    cfg = replace(config, realtime=False)
    c0, w0 = cpu_seconds(), time.perf_counter()
    total = 0.0
    for event in watch_many([p for p, _ in streams], matcher, cfg):
        if isinstance(event, StreamSummary):
            total += event.stream_seconds
    cpu, wall = cpu_seconds() - c0, time.perf_counter() - w0
    return {"cpu_s": round(cpu, 3), "wall_s": round(wall, 3), "stream_s": round(total, 1),
            "cpu_per_stream_s": round(cpu / total, 4)}


def redline_live(streams: list[tuple[str, str | None]], matcher, config, workers: int = 1) -> dict:  # noqa: ANN001
    from redline.media.watch import Alert, StreamError, StreamSummary, watch_many

    alerts: list[Alert] = []
    summaries: dict[str, StreamSummary] = {}
    errors = []
    c0, w0 = cpu_seconds(), time.perf_counter()
    for event in watch_many([p for p, _ in streams], matcher if workers == 1 else None, config, workers=workers):
        if isinstance(event, Alert):
            alerts.append(event)
        elif isinstance(event, StreamSummary):
            summaries[event.source + f"#{event.stream}"] = event
        elif isinstance(event, StreamError):
            errors.append(event.to_dict())
    cpu, wall = cpu_seconds() - c0, time.perf_counter() - w0
    expected = {i: e for i, (_, e) in enumerate(streams)}
    true_alerts = [a for a in alerts if expected[a.stream] == a.content_id]
    false_alerts = [a for a in alerts if expected[a.stream] != a.content_id]
    positives = [p for p, e in streams if e]
    found = {a.stream for a in true_alerts}
    longest = max(s.stream_seconds for s in summaries.values())
    lat = sorted(a.latency_s for a in alerts)
    lag = sorted(a.lag_s for a in alerts if a.lag_s is not None)
    return {
        "streams": len(streams),
        "workers": workers,
        "wall_s": round(wall, 2),
        "longest_stream_s": round(longest, 2),
        "kept_up": wall <= longest + 1.5,  # paced: finishing ~on time means no stream fell behind
        "cpu_s": round(cpu, 2),
        # with workers the children's CPU is not in RUSAGE_SELF: add RUSAGE_CHILDREN
        "cpu_cores_used": round(cpu / wall, 3),
        "cpu_per_stream_s": round(cpu / sum(s.stream_seconds for s in summaries.values()), 4),
        "samples": sum(s.samples for s in summaries.values()),
        "mean_sample_ms": round(sum(sum(s.sample_ms) for s in summaries.values()) /
                                max(1, sum(len(s.sample_ms) for s in summaries.values())), 2),
        "positive_streams": len(positives),
        "positive_streams_alerted": len(found),
        "false_alerts": len(false_alerts),
        "false_alert_detail": [a.to_dict() for a in false_alerts],
        "alert_latency_s": {"max": round(lat[-1], 4), "median": round(lat[len(lat) // 2], 4)} if lat else None,
        "alert_lag_behind_stream_clock_s": {"max": round(lag[-1], 4), "median": round(lag[len(lag) // 2], 4)} if lag else None,
        "alert_offsets_s": sorted(round(a.offset_s, 2) for a in true_alerts),
        "errors": errors,
    }


def frame_false_matches(streams: list[tuple[str, str | None]], matcher, max_distance: int) -> dict:  # noqa: ANN001
    """Sampled frames of the negative streams that match anything (what one-frame alerts would fire on)."""
    from redline.media.watch import WatchConfig, watch_many, Alert, StreamSummary

    negatives = [p for p, e in streams if not e]
    out = {}
    for consecutive in (1, 2):
        cfg = WatchConfig(fps=2, consecutive=consecutive, max_distance=max_distance, key_frames=False)
        alerts = samples = 0
        for event in watch_many(negatives, matcher, cfg):
            if isinstance(event, Alert):
                alerts += 1
            elif isinstance(event, StreamSummary):
                samples += event.samples
        out[f"consecutive_{consecutive}"] = {"alerts": alerts, "sampled_frames": samples}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--streams", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--fps", type=float, default=2)
    ap.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "redline-live-bench"))
    ap.add_argument("--out")
    ap.add_argument("--scale", type=int, default=0, help="also run this many paced streams, threads vs --workers processes")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    home = tempfile.mkdtemp(prefix="redline-live-home-")
    os.environ["REDLINE_HOME"] = home
    from redline.config import load_settings
    from redline.context import get_context
    from redline.media.matcher import Matcher
    from redline.media.watch import StreamMatcher, WatchConfig

    data = load_settings().data_dir
    if data is None:
        sys.exit("REDLINE_DATA is not set")
    t = time.perf_counter()
    streams = make_streams(data / "media" / "video" / "sample-videos", Path(args.cache), args.streams, args.seconds)
    made = time.perf_counter() - t
    build_banks(data)
    matcher = StreamMatcher(Matcher.open(get_context()))
    # the PDQ path (--no-key-frames): key frames are measured by benchmarks/media_live_edits.py
    config = WatchConfig(fps=args.fps, realtime=True, key_frames=False)

    result = {
        "machine": {"cpus": os.cpu_count(), "note": "shared with other workers; compare ratios within this run"},
        "streams": [{"file": Path(p).name, "expected": e} for p, e in streams],
        "stream_setup_s": round(made, 1),
        "fps": args.fps,
        "baseline_naive_decode_convert_every_frame": naive_baseline(streams, args.fps),
        "baseline_decode_every_frame_fullsize_pdq": sampled_baseline(streams, args.fps),
        "redline_unpaced": redline_offline(streams, matcher, config),
        "redline_live_paced": redline_live(streams, matcher, config),
        "false_frame_matches_on_negative_streams": frame_false_matches(streams, matcher, 31),
    }
    if args.scale:
        many = make_streams(data / "media" / "video" / "sample-videos", Path(args.cache), args.scale, args.seconds)
        result["scale_threads"] = redline_live(many, matcher, config, workers=1)
        result["scale_processes"] = redline_live(many, matcher, config, workers=args.workers)
        for key in ("scale_threads", "scale_processes"):
            result[key].pop("false_alert_detail", None)
    base = result["baseline_naive_decode_convert_every_frame"]["cpu_per_stream_s"]
    fair = result["baseline_decode_every_frame_fullsize_pdq"]["cpu_per_stream_s"]
    ours = result["redline_unpaced"]["cpu_per_stream_s"]
    result["ratios"] = {
        "cost_naive_over_redline": round(base / ours, 2),
        "cost_fullsize_sampled_over_redline": round(fair / ours, 2),
        "streams_per_core_redline": round(1 / ours, 1),
        "streams_per_core_naive": round(1 / base, 1),
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()

"""Livestreams of edited copies of banked videos: PDQ on sampled frames (the code before the key-frame
stage, `--no-key-frames`) beside the key-frame picture stages (`watch.StreamKeyFrames`), same streams,
same store, same run (issue 16, item 4 for streams).

    nice .venv/bin/python -m benchmarks.media_live_edits --work /tmp/media-live-work [--seconds 20] [--out result.json]
        [--ways pdq,keyframes,nofloor] [--gap 2] [--paced 20]

Banked (one bank, one content id each, vPDQ + key frames, no TMK: streams use neither vPDQ nor TMK):
`chair-orig-22-sd-bar.mp4` and `doorknob-hd-no-bar.mp4`. Streams: the 7 edits of benchmarks/media_video.py
(crop10, crop20, mirror, reencode, trim, logo, combined) of those two (an alert naming the right content
id is a hit) and of two videos that are not banked, `pattern-hd-no-bar.mp4` and
`test-padded-dimensions.mp4` (any alert is false), plus the four unedited. Each stream is read from its
file unpaced (every key frame is matched: the slot waits, nothing is dropped), at most `--seconds` of it,
at 2 sampled frames a second, consecutive = 2, a key frame on a scene change at most every `--gap` s
and at least every `--every` s. Ways: `pdq` (no key frames), `keyframes` (the floor `--gap`),
`nofloor` (the rule before the floor: a key frame on every scene change). Cost: CPU seconds of this
process (decoding, PDQ, the background key-frame thread) per second of stream, and the key-frame
stage's own time per key frame.

`--paced S`: then the 8 streams of the first banked video at once, paced to their clock (as live),
S seconds, once a way: the PDQ path's alert latency (frame decoded -> alert delivered) with and
without the key-frame threads beside it in the same process.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from benchmarks.media_common import media_dir
from benchmarks.media_video import bank, cpu, make_edits

BANKED = ["chair-orig-22-sd-bar.mp4", "doorknob-hd-no-bar.mp4"]
UNBANKED = ["pattern-hd-no-bar.mp4", "test-padded-dimensions.mp4"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "media-live-edits")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--every", type=float, default=10.0)
    parser.add_argument("--gap", type=float, default=2.0)
    parser.add_argument("--ways", default="pdq,keyframes")
    parser.add_argument("--paced", type=float, default=0.0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    os.environ["REDLINE_HOME"] = str(Path(tempfile.mkdtemp(prefix="live-edits-home-")))

    from redline.context import get_context
    from redline.media.matcher import Matcher
    from redline.media.watch import Alert, StreamMatcher, StreamSummary, WatchConfig, watch_many

    videos = media_dir() / "video/sample-videos"
    streams: list[tuple[str, str, Path, str | None]] = []  # (base, edit, file, expected content id)
    for name in BANKED + UNBANKED:
        expected = Path(name).stem if name in BANKED else None
        streams.append((name, "none", videos / name, expected))
        streams += [(name, edit, path, expected) for edit, path in make_edits(videos / name, args.work).items()]
    ctx = get_context()
    bank(ctx, "incidents", {Path(n).stem: videos / n for n in BANKED}, key_frames=True, tmk=False, derived=True)
    matcher = StreamMatcher(Matcher.open(ctx, persist=False))

    rows: dict[tuple[str, str], dict[str, object]] = {}
    totals: dict[str, dict[str, float]] = {}
    ways = args.ways.split(",")
    gaps = {"pdq": args.gap, "keyframes": args.gap, "nofloor": 0.0}
    for mode in ways:
        config = WatchConfig(fps=2, consecutive=2, key_frames=mode != "pdq", key_frame_every_s=args.every,
                             key_frame_gap_s=gaps[mode], duration_s=args.seconds)
        spent = totals.setdefault(mode, {"cpu": 0.0, "stream_s": 0.0, "key_frames": 0, "key_ms": 0.0, "wall": 0.0})
        for base, edit, path, expected in streams:
            started, wall = cpu(), time.perf_counter()
            events = list(watch_many([str(path)], matcher, config))
            used = cpu() - started
            spent["wall"] += time.perf_counter() - wall
            (summary,) = [e for e in events if isinstance(e, StreamSummary)]
            alerts = [e for e in events if isinstance(e, Alert)]
            spent["cpu"] += used
            spent["stream_s"] += summary.stream_seconds
            spent["key_frames"] += summary.key_frames
            spent["key_ms"] += sum(summary.key_frame_ms)
            rows.setdefault((base, edit), {"expected": expected})[mode] = {
                "alerts": [(a.content_id, a.stage, round(a.offset_s, 1)) for a in alerts],
                "hit": any(a.content_id == expected for a in alerts) if expected else None,
                "first_hit_s": min((a.offset_s for a in alerts if a.content_id == expected), default=None),
                "false": sum(a.content_id != expected for a in alerts),
                "cpu_per_stream_s": round(used / max(summary.stream_seconds, 1e-6), 4),
                "key_frames": summary.key_frames, "skipped": summary.key_frames_skipped,
            }
            print(base, edit, mode, rows[(base, edit)][mode], flush=True)

    edits = ["none", "crop10", "crop20", "mirror", "reencode", "trim", "logo", "combined"]
    print("\n| way | " + " | ".join(edits) + " | all | false alerts (unbanked streams) | CPU s / stream s | key frames, ms each |")
    print("|---" * (len(edits) + 5) + "|")
    labels = {"pdq": "PDQ on sampled frames", "keyframes": f"+ key frames, floor {args.gap:g} s",
              "nofloor": "+ key frames, no floor (the rule before)"}
    for mode, label in ((m, labels[m]) for m in ways):
        cells, hits = [], 0
        for edit in edits:
            got = sum(bool(rows[(b, edit)][mode]["hit"]) for b in BANKED)  # type: ignore[index]
            hits += got
            cells.append(f"{got}/{len(BANKED)}")
        false = sum(rows[(b, e)][mode]["false"] for b in BANKED + UNBANKED for e in edits)  # type: ignore[index]
        t = totals[mode]
        per_key = t["key_ms"] / t["key_frames"] if t["key_frames"] else 0.0
        print(f"| {label} | " + " | ".join(cells) + f" | {hits}/{len(BANKED) * len(edits)} | {false} of "
              f"{len(UNBANKED) * len(edits)} streams | {t['cpu'] / t['stream_s']:.4f} | {int(t['key_frames'])}, {per_key:.0f} |")
    for mode in ways:
        t = totals[mode]
        print(f"{mode}: stream seconds {t['stream_s']:.0f}, wall {t['wall']:.0f} s, CPU {t['cpu']:.1f} s")
    paced = {}
    if args.paced:
        sources = [str(p) for b, _, p, _ in streams if b == BANKED[0]]
        for mode in ways:
            config = WatchConfig(fps=2, consecutive=2, key_frames=mode != "pdq", key_frame_every_s=args.every,
                                 key_frame_gap_s=gaps[mode], duration_s=args.paced, realtime=True)
            started = cpu()
            events = list(watch_many(sources, matcher, config))
            used = cpu() - started
            lat = sorted(a.latency_s for a in events if isinstance(a, Alert) and a.stage == "pdq")
            kf = [a for a in events if isinstance(a, Alert) and a.stage != "pdq"]
            sums = [e for e in events if isinstance(e, StreamSummary)]
            paced[mode] = {"pdq_alerts": len(lat), "pdq_latency_s": [round(x, 3) for x in lat],
                           "key_frame_alerts": len(kf), "cpu_s": round(used, 1),
                           "key_frames": sum(e.key_frames for e in sums),
                           "key_frames_skipped": sum(e.key_frames_skipped for e in sums)}
            print("paced", mode, paced[mode], flush=True)
    if args.out:
        args.out.write_text(json.dumps({"rows": {f"{b}|{e}": v for (b, e), v in rows.items()}, "totals": totals,
                                        "paced": paced, "args": {k: str(v) for k, v in vars(args).items()}}, indent=1))


if __name__ == "__main__":
    main()

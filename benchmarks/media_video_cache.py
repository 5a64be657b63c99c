"""What a video query pays to read the banked videos' TMK hashes and key-frame keypoints: the per-process
caches (`tmk.banked_cached`, `video_frames.keypoint_index`, caught up by store revision) beside the
uncached code (`tmk.banked` read and a `KeyFrameKeypoints` index built on every query), same run, same store.

    nice .venv/bin/python -m benchmarks.media_video_cache [--sizes 19,300] [--repeat 5] [--out FILE.json]

The bank: the 12 sample videos but the query (`doorknob-hd-no-bar.mp4`), each with its vPDQ, video MD5,
key frames (PDQ, windows, keypoints; derived from the vPDQ) and TMK+PDQF (the reference `.tmk` files,
byte-identical to `tmk.hash_video`'s). Larger sizes are SYNTHETIC copies of those: the same keypoints and
TMK features, with a different vPDQ first frame, key-frame PDQs XORed with random bits and a TMK value
whose last feature bytes differ (distinct rows, so the stores hold that many videos). The query is an
unrelated video, so every stage runs (vPDQ, TMK, key-frame PDQ, key-frame keypoints).

Figures: "read" = the banked TMK read plus the keypoint index (uncached: built from the store; cached:
a revision check), median of `--repeat`; "query" = `video_frames.find_video` wall, median of `--repeat`.
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import orjson

QUERY = "doorknob-hd-no-bar.mp4"


def _records(data: Path, sizes: list[int]) -> dict[int, list[Any]]:
    from redline.media.banks import SignalRecord
    from redline.media.hashing import hash_file
    from redline.media.robust import file_records
    from redline.media.signals import VpdqSignal
    from redline.media.video_frames import bank_records

    videos = sorted(p for p in (data / "media/video/sample-videos").glob("*.mp4") if p.name != QUERY)
    real: list[tuple[list[Any], str]] = []  # (records of one video, its TMK value)
    for path in videos:
        records = file_records(hash_file(path), content_id=path.stem)
        records += bank_records(path, parent=0, content_id=path.stem).records
        tmk_file = data / "media/video/tmk-hashes" / f"{path.stem}.tmk"
        real.append((records, base64.b64encode(tmk_file.read_bytes()).decode() if tmk_file.exists() else ""))
    rng = np.random.default_rng(7)
    out: dict[int, list[Any]] = {}
    for size in sizes:
        batch: list[Any] = []
        for k in range(size):
            records, tmk_value = real[k % len(real)]
            copy = k // len(real)
            start = len(batch)
            for r in records:
                value = r.value
                if copy and r.signal_type == "vpdq":
                    frames = VpdqSignal.parse(value)
                    first = int(frames[0].pdq, 16) ^ int.from_bytes(rng.bytes(32), "big")
                    value = VpdqSignal.serialise([replace(frames[0], pdq=f"{first:064x}"), *frames[1:]])
                elif copy and r.signal_type in ("pdq", "video_md5", "md5"):
                    bits = len(value) * 4
                    value = f"{int(value, 16) ^ int.from_bytes(rng.bytes(bits // 8), 'big'):0{len(value)}x}"
                batch.append(replace(r, value=value, content_id=f"{r.content_id}-{copy}",
                                     derived_from=None if r.derived_from is None else r.derived_from + start))
            if tmk_value:
                raw = bytearray(base64.b64decode(tmk_value))
                if copy:
                    raw[-4:] = np.float32(copy * 1e-6).tobytes()
                batch.append(SignalRecord("tmk_pdqf", base64.b64encode(bytes(raw)).decode(), f"tmk-{k}"))
        out[size] = batch
    return out


def _fresh_index(store: Any) -> Any:
    """The uncached code: an index built from the store for this one query."""
    from redline.media.video_frames import KeyFrameKeypoints

    index = KeyFrameKeypoints()
    index.refresh(store)
    return index


def _median(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="19,300")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    home = tempfile.mkdtemp(prefix="rl-video-cache-")
    os.environ["REDLINE_HOME"] = home

    from redline.context import get_context
    from redline.media import tmk, video_frames
    from redline.media.banks import add_signals, create_bank
    from redline.media.matcher import Matcher

    data = Path(os.environ.get("REDLINE_DATA", Path(__file__).resolve().parents[2] / "shared/data"))
    query = data / "media/video/sample-videos" / QUERY
    batches = _records(data, sizes)
    ctx = get_context()
    rows: list[dict[str, Any]] = []
    for n, size in enumerate(sizes):
        create_bank(ctx.store, f"v{n}")
        add_signals(ctx.store, f"v{n}", batches[size])
        if n:  # only this size's bank is enabled
            from redline.media.banks import set_bank_enabled
            set_bank_enabled(ctx.store, f"v{n - 1}", False)
        matcher = Matcher.open(ctx, persist=False)
        banked_videos = len(tmk.banked(ctx.store).ids)

        def uncached_read() -> None:
            tmk.banked(ctx.store)
            video_frames.KeyFrameKeypoints().refresh(ctx.store)

        def cached_read() -> None:
            tmk.banked_cached(ctx.store)
            video_frames.keypoint_index(ctx.store)

        cached_read()  # the first query of a process builds them
        cached, original = tmk.banked_cached, video_frames.keypoint_index
        query_cached = _median(lambda: video_frames.find_video(matcher, query), args.repeat)
        tmk.banked_cached = tmk.banked  # type: ignore[assignment]
        video_frames.keypoint_index = _fresh_index  # type: ignore[assignment]
        try:
            query_uncached = _median(lambda: video_frames.find_video(matcher, query), args.repeat)
        finally:
            tmk.banked_cached, video_frames.keypoint_index = cached, original
        rows.append({"videos": size, "tmk_banked": banked_videos,
                     "key_frames_indexed": len(video_frames.keypoint_index(ctx.store).index),
                     "read_ms_uncached": _median(uncached_read, args.repeat),
                     "read_ms_cached": _median(cached_read, args.repeat),
                     "query_ms_uncached": query_uncached, "query_ms_cached": query_cached,
                     "load": os.getloadavg()[0]})
        print(orjson.dumps(rows[-1]).decode(), flush=True)
    if args.out:
        args.out.write_bytes(orjson.dumps(rows, option=orjson.OPT_INDENT_2))


if __name__ == "__main__":
    main()

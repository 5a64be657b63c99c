"""Livestream matching: read streams with PyAV, sample frames, hash (PDQ), match, alert.

    watcher = StreamWatcher(source, matcher, WatchConfig(fps=2))
    for event in watch_many([src1, src2, …], matcher, config):   # one thread a stream
        ...  # Alert / StreamError / StreamSummary, as they happen

A source is anything PyAV (FFmpeg) opens: rtmp://, udp://, srt://, http(s) HLS playlists, or a file.
For a file, `realtime=True` paces packets to the stream clock, the way they would arrive live.

Cost per stream is kept low three ways: the decoder skips non-reference frames (no picture depends
on them, so nothing is lost but frames we would not sample anyway), only the sampled frames are
converted, and they are converted straight to ≤ 512 px RGB by swscale (PDQ reduces to 64×64
anyway), so hashing a 720p frame costs a few milliseconds instead of ~18.

"Confident" (measured in docs/benchmarks-media-live.md): a sampled frame counts towards a match
when its PDQ quality is ≥ `min_quality` and its distance to a bank hash is ≤ `max_distance`; an
alert is raised when `consecutive` sampled frames in a row count towards the same bank item
(bank, content_id). Frames below the quality floor (black frames, fades) neither count nor break a
run. One alert per bank item per stream.

Latency is measured from the moment the alerting frame left the decoder to the moment the alert is
delivered (`latency_s`); for paced/live sources `lag_s` is how far behind the stream clock the alert
came (0 = the instant the frame was due).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from redline.media.signals import PDQ_DEFAULT_THRESHOLD


class PdqMatcher(Protocol):
    """What the watcher needs from a matcher: the matches of one sampled frame's PDQ hash
    (StreamMatcher adapts redline.media.matcher.Matcher to it)."""

    def match_pdq(self, hex_hash: str, quality: int) -> list[Any]: ...


@dataclass(frozen=True)
class WatchConfig:
    fps: float = 2.0  # sampled frames per second of stream time
    max_distance: int = PDQ_DEFAULT_THRESHOLD  # PDQ bits; 31 is ThreatExchange's match threshold
    min_quality: int = 50  # PDQ quality floor for a frame to count (PDQ's own advice: < 50 is unreliable)
    consecutive: int = 2  # sampled frames in a row on the same bank item before an alert
    realtime: bool = False  # pace a file to its stream clock (simulate live)
    skip_nonref: bool = True  # let the decoder drop non-reference frames
    max_side: int = 512  # sampled frames are scaled to this long side before hashing
    uncrop: bool = True  # also hash each sampled frame with black letterbox/pillarbox bars cropped off
    decoder_threads: int = 1  # FFmpeg threads per stream (1 scales best with many streams)
    open_timeout_s: float = 10.0  # for network sources
    duration_s: float | None = None  # stop a stream after this much stream time
    max_alerts: int | None = None  # stop a stream after this many alerts (None: watch to the end)
    # also run the picture stages (windows, keypoints) on key frames, in the background (on by default:
    # ~1.9x the PDQ path's CPU with the floor below, docs/benchmarks-media-live.md)
    key_frames: bool = True
    key_frame_every_s: float = 10.0  # a key frame at least this often
    # and at most this often, scene change or not (on a moving camera almost every sample is a "scene change")
    key_frame_gap_s: float = 2.0

    def __post_init__(self) -> None:
        if not (0 < self.fps <= 60):
            raise ValueError(f"fps must be in (0, 60], got {self.fps}")
        if not (0 <= self.max_distance <= 256):
            raise ValueError(f"max_distance must be 0–256, got {self.max_distance}")
        if not (0 <= self.min_quality <= 100):
            raise ValueError(f"min_quality must be 0–100, got {self.min_quality}")
        if self.consecutive < 1:
            raise ValueError(f"consecutive must be ≥ 1, got {self.consecutive}")
        if self.max_side < 64:
            raise ValueError(f"max_side must be ≥ 64, got {self.max_side}")
        if self.key_frame_every_s <= 0:
            raise ValueError(f"key_frame_every_s must be > 0, got {self.key_frame_every_s}")
        if not (0 <= self.key_frame_gap_s <= self.key_frame_every_s):
            raise ValueError(f"key_frame_gap_s (--key-frame-gap) must be 0–{self.key_frame_every_s:g} "
                             f"(key_frame_every_s, --key-frame-every), got {self.key_frame_gap_s:g}")


@dataclass
class Alert:
    source: str
    stream: int  # index of the source in the watch
    offset_s: float  # position of the alerting frame in the stream
    bank: str
    content_id: str
    signal_type: str
    distance: int
    quality: int
    labels: list[str]
    frames: int  # consecutive sampled frames that matched
    first_offset_s: float  # position of the first frame of the run
    decoded_at: float  # time.monotonic() when the frame left the decoder
    due_at: float | None  # time.monotonic() when the frame was due on the stream clock (paced/live)
    alerted_at: float = 0.0
    latency_s: float = 0.0
    lag_s: float | None = None
    review_id: int | None = None
    ledger_seq: int | None = None
    stage: str = "pdq"  # pdq (consecutive sampled frames), keyframes or keyframes_keypoints (key frames agreeing)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["type"] = "alert"
        for key in ("decoded_at", "due_at", "alerted_at"):
            out.pop(key)
        out["offset_s"] = round(self.offset_s, 3)
        out["first_offset_s"] = round(self.first_offset_s, 3)
        out["latency_s"] = round(self.latency_s, 4)
        out["lag_s"] = None if self.lag_s is None else round(self.lag_s, 4)
        return out


@dataclass
class StreamError:
    source: str
    stream: int
    error: str

    def to_dict(self) -> dict[str, Any]:
        return {"type": "error", "source": self.source, "stream": self.stream, "error": self.error}


@dataclass
class StreamSummary:
    source: str
    stream: int
    packets: int = 0
    frames_decoded: int = 0
    samples: int = 0
    low_quality: int = 0
    alerts: int = 0
    stream_seconds: float = 0.0
    wall_seconds: float = 0.0
    error: str | None = None
    sample_ms: list[float] = field(default_factory=list, repr=False)  # hash+match time per sample
    key_frames: int = 0  # key frames put through the picture stages (in the background)
    key_frames_skipped: int = 0  # key frames dropped because the previous one was still being matched
    key_frame_ms: list[float] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        samples = out.pop("sample_ms")
        key_ms = out.pop("key_frame_ms")
        out["mean_key_frame_ms"] = round(sum(key_ms) / len(key_ms), 1) if key_ms else None
        out["type"] = "summary"
        out["stream_seconds"] = round(self.stream_seconds, 3)
        out["wall_seconds"] = round(self.wall_seconds, 3)
        out["mean_sample_ms"] = round(sum(samples) / len(samples), 3) if samples else None
        return out


Event = Alert | StreamError | StreamSummary


class FrameMatcher(Protocol):
    """The public method of redline.media.matcher.Matcher that streams use."""

    def match_frame(self, pdq_hex: str, quality: int = 100) -> list[Any]: ...


class StreamMatcher:
    """Frame matching for streams over a `redline.media.matcher.Matcher`, through its public
    `match_frame`: banked pictures *and* the frames of banked videos, with negative banks, derived
    hashes and quarantine flags applied by the matcher. A matcher without `match_frame` (another
    implementation of `PdqMatcher`) is asked through its `match_pdq`.
    """

    def __init__(self, matcher: FrameMatcher | PdqMatcher) -> None:
        self.matcher = matcher
        frame = getattr(matcher, "match_frame", None)
        self._match: Callable[[str, int], list[Any]] = frame if callable(frame) else matcher.match_pdq  # type: ignore[union-attr]

    def match_pdq(self, hex_hash: str, quality: int) -> list[Any]:
        return self._match(hex_hash, quality)


def _match_fields(m: Any) -> tuple[str, str, str, int, list[str]]:
    if isinstance(m, dict):
        get = m.get
    else:
        def get(key: str, default: Any = None) -> Any:
            return getattr(m, key, default)
    labels = get("labels") or []
    return (str(get("bank")), str(get("content_id")), str(get("signal_type") or "pdq"), int(get("distance")),
            sorted({str(x) for x in labels}))


def _hex(bits: Any) -> str:
    import numpy as np

    return np.packbits(bits.astype(np.uint8)).tobytes().hex()


def content_box(rgb: Any, black: int = 40, min_fraction: float = 0.25) -> tuple[int, int, int, int] | None:
    """The box (top, bottom, left, right) inside black letterbox/pillarbox bars, or None if there are none
    (redline.media.robust.content_box: the same rule trims banked videos)."""
    from redline.media.robust import content_box as box

    return box(rgb, black, min_fraction)


def frame_pdq(frame: Any, max_side: int = 512, uncrop: bool = True) -> list[tuple[str, int]]:
    """`frame_rgb_pdq` without the picture."""
    return frame_rgb_pdq(frame, max_side, uncrop)[1]


def frame_rgb_pdq(frame: Any, max_side: int = 512, uncrop: bool = True) -> tuple[Any, list[tuple[str, int]]]:
    """The ≤ max_side RGB picture and PDQ hashes of a PyAV VideoFrame: scaled by swscale to ≤ max_side (bilinear) and hashed as is,
    and, when it has black letterbox/pillarbox bars, hashed again with the bars cropped off.

    PDQ is not robust to added bars (a 9:16 phone video pillarboxed into a 16:9 stream is ~100 bits
    from itself), so both are matched and the closer one wins: that covers banks hashed from the
    barred original and banks hashed from clean content.
    """
    import numpy as np
    import pdqhash

    w, h = frame.width, frame.height
    scale = min(1.0, max_side / max(w, h))
    tw, th = max(1, round(w * scale)), max(1, round(h * scale))
    rgb = frame.to_ndarray(width=tw, height=th, format="rgb24", interpolation="BILINEAR")
    bits, quality = pdqhash.compute(rgb)
    out = [(_hex(bits), int(quality))]
    box = content_box(rgb) if uncrop else None
    if box is not None:
        top, bottom, left, right = box
        inner = np.ascontiguousarray(rgb[top:bottom, left:right])
        bits2, quality2 = pdqhash.compute(inner)
        out.append((_hex(bits2), int(quality2)))
    return rgb, out


class StreamKeyFrames:
    """The key-frame picture stages on a stream, off the alert path (`video_frames.key_frame_evidence`:
    the robust picture query, windows and small rotations, against the PDQ index at the strict
    threshold, then ORB keypoints against the banked videos' key frames).

    A sampled frame of quality ≥ the floor becomes a key frame when at least `key_frame_gap_s` of
    stream time passed since the last one (the floor, whatever the scene) and its PDQ is more than
    `video_frames.SCENE_BITS` from each of the last key frames (a scene change), or when
    `key_frame_every_s` passed. Once a key frame's evidence names only banked items that already
    alerted on this stream (by either path), the floor rises to `key_frame_every_s` until a key frame
    finds something else or nothing: a stream that goes on showing what it alerted on costs one key
    frame every `key_frame_every_s`, and new content is still looked at. Key frames go to one background
    thread a stream through a one-place slot: on a live (or paced) source a key frame that finds the
    thread busy takes the place of the one waiting (counted in `key_frames_skipped`), so decoding and
    the PDQ path never wait; a file read unpaced waits for the slot instead (every key frame is matched).
    A banked file that `video_frames.MIN_FRAMES` key frames of the stream match raises one alert
    (`stage` keyframes or keyframes_keypoints), unless the PDQ path already alerted on it."""

    RECENT = 4  # key frames kept for the scene-change test
    # the picture query of a key frame: upright and mirrored (a stream is not turned by 90° or flipped;
    # the keypoint stage sees turns anyway), the windows, no small-rotation hashes: 12 PDQ hashes, not 30
    ORIENTATIONS = ("original", "mirror")

    def __init__(self, watcher: StreamWatcher, matcher: Any, emit: Callable[[Event], None]) -> None:
        self.watcher = watcher
        self.matcher = matcher
        self.emit = emit
        self.recent: list[tuple[str, float]] = []  # (pdq, offset) of the last key frames
        self.evidence: dict[int, dict[float, tuple[int, str, dict[str, Any]]]] = {}  # banked file -> offset -> hit
        self.alerted: set[int] = set()  # banked files that alerted on this stream (either path)
        self.settled = False  # the last key frame named only alerted banked files: the floor is key_frame_every_s
        from redline.media.robust import RobustPolicy

        self.policy = RobustPolicy(min_quality=getattr(matcher, "min_quality", 50), derotate=False,
                                   orientations=self.ORIENTATIONS)
        self._slot: queue.Queue[Any] = queue.Queue(maxsize=1)
        self._thread = threading.Thread(target=self._work, name=f"keyframes-{watcher.index}", daemon=True)
        self._thread.start()

    def offer(self, rgb: Any, pdq: str, quality: int, offset: float, decoded_at: float, due_at: float | None) -> None:
        from redline.media.signals import hamming_hex
        from redline.media.video_frames import SCENE_BITS

        cfg = self.watcher.config
        if quality < cfg.min_quality:
            return
        if self.recent:
            since = offset - self.recent[-1][1]
            if since < (cfg.key_frame_every_s if self.settled else cfg.key_frame_gap_s):
                return
            if since < cfg.key_frame_every_s and not all(hamming_hex(pdq, p) > SCENE_BITS for p, _ in self.recent):
                return
        self.recent = (self.recent + [(pdq, offset)])[-self.RECENT:]
        item = (rgb, pdq, quality, offset, decoded_at, due_at)
        if not self.watcher._live_clock():  # a file read as fast as it decodes: every key frame, in order
            self._slot.put(item)
            return
        try:
            self._slot.put_nowait(item)
        except queue.Full:
            try:
                self._slot.get_nowait()
                self.watcher.summary.key_frames_skipped += 1
            except queue.Empty:
                pass
            self._slot.put(item)

    def close(self, timeout: float = 60.0) -> None:
        """Let the thread finish the key frame it has and the one waiting, then stop it."""
        self._slot.put(None)
        self._thread.join(timeout)

    def _work(self) -> None:
        while (item := self._slot.get()) is not None:
            try:
                self._match(*item)
            except Exception as exc:  # noqa: BLE001 — the PDQ path goes on whatever happens here
                self.emit(StreamError(self.watcher.source, self.watcher.index, f"key-frame stage: {exc}"))

    def _match(self, rgb: Any, pdq: str, quality: int, offset: float, decoded_at: float, due_at: float | None) -> None:
        from PIL import Image

        from redline.media.video_frames import MIN_FRAMES, KeyFrame, key_frame_evidence

        started = time.perf_counter()
        frame = KeyFrame(round(offset, 3), Image.fromarray(rgb), pdq, quality)
        found = key_frame_evidence(self.matcher, frame, policy=self.policy)
        summary = self.watcher.summary
        summary.key_frames += 1
        summary.key_frame_ms.append((time.perf_counter() - started) * 1000)
        held: set[int] = getattr(self.matcher, "_held", set())
        metas = self.matcher._metadata(set(found) - self.alerted) if found else {}
        self.alerted |= {o for o, m in metas.items() if self.watcher.has_alerted((m.bank, str(m.content_id)))}
        for owner, hit in found.items():
            if owner in self.alerted:
                continue
            frames = self.evidence.setdefault(owner, {})
            frames[offset] = hit
            if len(frames) < MIN_FRAMES or owner in held:
                continue
            meta = metas.get(owner)
            if meta is None:
                continue
            key = (meta.bank, str(meta.content_id))
            if not self.watcher.claim_alert(key):
                self.alerted.add(owner)
                continue
            self.alerted.add(owner)
            distance, _, detail = min(frames.values(), key=lambda h: h[0])
            summary.alerts += 1
            self.emit(Alert(
                source=self.watcher.source, stream=self.watcher.index, offset_s=offset, bank=meta.bank,
                content_id=str(meta.content_id), signal_type=meta.signal_type, distance=distance, quality=quality,
                labels=sorted(set(meta.labels)), frames=len(frames), first_offset_s=min(frames),
                decoded_at=decoded_at, due_at=due_at, stage=detail.get("stage", "keyframes")))
        self.settled = bool(found) and set(found) <= self.alerted


class StreamWatcher:
    """Watches one source; `run()` blocks and reports events through `emit`."""

    def __init__(self, source: str, matcher: PdqMatcher, config: WatchConfig, index: int = 0) -> None:
        self.source = source
        self.matcher = matcher
        self.config = config
        self.index = index
        self.summary = StreamSummary(source=source, stream=index)
        self._alerted: set[tuple[str, str]] = set()
        self._alert_lock = threading.Lock()

    def claim_alert(self, key: tuple[str, str]) -> bool:
        """True the first time a bank item is claimed for an alert on this stream (PDQ path or key frames)."""
        with self._alert_lock:
            if key in self._alerted:
                return False
            self._alerted.add(key)
            return True

    def has_alerted(self, key: tuple[str, str]) -> bool:
        with self._alert_lock:
            return key in self._alerted

    def _key_frame_stage(self, emit: Callable[[Event], None]) -> StreamKeyFrames | None:
        """The key-frame stage when asked for and the matcher is Redline's (it needs the index and store)."""
        if not self.config.key_frames:
            return None
        matcher = getattr(self.matcher, "matcher", self.matcher)
        if not all(hasattr(matcher, a) for a in ("index", "store", "_metadata", "strict_threshold")):
            return None
        return StreamKeyFrames(self, matcher, emit)

    def _open(self) -> Any:
        import av

        options: dict[str, str] = {}
        lowered = self.source.lower()
        network = "://" in lowered and not lowered.startswith("file:")
        if network:
            # FFmpeg timeouts are in microseconds; rw_timeout covers stalled live sources.
            us = str(int(self.config.open_timeout_s * 1_000_000))
            options = {"rw_timeout": us}
            if lowered.startswith(("udp://", "rtp://")):
                options["fifo_size"] = "1000000"
                options["overrun_nonfatal"] = "1"
        return av.open(self.source, mode="r", options=options, timeout=(self.config.open_timeout_s, self.config.open_timeout_s))

    def run(self, emit: Callable[[Event], None], stop: threading.Event | None = None) -> StreamSummary:
        import av

        cfg = self.config
        summary = self.summary
        started = time.monotonic()
        stop = stop or threading.Event()
        try:
            container = self._open()
        except (av.error.FFmpegError, OSError, ValueError) as exc:
            summary.error = f"cannot open: {exc}"
            emit(StreamError(self.source, self.index, summary.error))
            return summary
        try:
            if not container.streams.video:
                summary.error = "no video stream"
                emit(StreamError(self.source, self.index, summary.error))
                return summary
            vstream = container.streams.video[0]
            ctx = vstream.codec_context
            if cfg.skip_nonref:
                ctx.skip_frame = "NONREF"
            ctx.thread_count = cfg.decoder_threads
            ctx.thread_type = "SLICE" if cfg.decoder_threads == 1 else "AUTO"
            stage = self._key_frame_stage(emit)
            try:
                self._loop(container, vstream, emit, stop, stage)
            finally:
                if stage is not None:
                    stage.close()
        except av.error.FFmpegError as exc:
            summary.error = f"stream failed: {exc}"
            emit(StreamError(self.source, self.index, summary.error))
        finally:
            container.close()
            summary.wall_seconds = time.monotonic() - started
        return summary

    def _loop(self, container: Any, vstream: Any, emit: Callable[[Event], None], stop: threading.Event,
              stage: StreamKeyFrames | None = None) -> None:
        cfg = self.config
        summary = self.summary
        period = 1.0 / cfg.fps
        next_at: float | None = None
        first_ts: float | None = None
        clock0: float | None = None  # monotonic time of stream time first_ts
        runs: dict[tuple[str, str], list[Any]] = {}  # (bank, content_id) -> [count, first_offset]
        tb = vstream.time_base
        for packet in container.demux(vstream):
            if stop.is_set():
                break
            summary.packets += 1
            if packet.pts is not None and tb is not None:
                pts_s = float(packet.pts * tb)
                if clock0 is None:
                    clock0, first_ts = time.monotonic(), pts_s
                if cfg.realtime:
                    wait = clock0 + (pts_s - first_ts) - time.monotonic()
                    if wait > 0:
                        if stop.wait(wait):
                            break
            for frame in packet.decode():
                decoded_at = time.monotonic()
                summary.frames_decoded += 1
                ts = float(frame.time) if frame.time is not None else 0.0
                if first_ts is None:
                    first_ts, clock0 = ts, decoded_at
                offset = ts - first_ts
                summary.stream_seconds = max(summary.stream_seconds, offset)
                if cfg.duration_s is not None and offset > cfg.duration_s:
                    return
                if next_at is not None and offset + 1e-6 < next_at:
                    continue
                next_at = (next_at + period) if next_at is not None else offset + period
                if next_at <= offset:  # fell behind (skipped frames): resync on the stream clock
                    next_at = offset + period
                t0 = time.perf_counter()
                rgb, hashes = frame_rgb_pdq(frame, cfg.max_side, cfg.uncrop)
                summary.samples += 1
                quality = max(q for _, q in hashes)
                if quality < cfg.min_quality:
                    summary.low_quality += 1
                    summary.sample_ms.append((time.perf_counter() - t0) * 1000)
                    continue
                found: dict[tuple[str, str], tuple[Any, ...]] = {}
                for hex_hash, q in hashes:
                    if q < cfg.min_quality:
                        continue
                    for m in self.matcher.match_pdq(hex_hash, q):
                        if (m.get("held") if isinstance(m, dict) else getattr(m, "held", False)):
                            continue  # a quarantined (flooding) hash: never acted on
                        bank, content_id, signal_type, distance, labels = _match_fields(m)
                        if distance > cfg.max_distance:
                            continue
                        key = (bank, content_id)
                        if key not in found or distance < found[key][2]:
                            found[key] = (signal_type, labels, distance, q)
                summary.sample_ms.append((time.perf_counter() - t0) * 1000)
                if stage is not None and not found:
                    due = None if clock0 is None or not self._live_clock() else clock0 + offset
                    stage.offer(rgb, hashes[0][0], hashes[0][1], offset, decoded_at, due)
                for key in list(runs):
                    if key not in found:
                        del runs[key]
                for key, (signal_type, labels, distance, quality) in sorted(found.items(), key=lambda kv: kv[1][2]):
                    run = runs.setdefault(key, [0, offset])
                    run[0] += 1
                    if run[0] >= cfg.consecutive and self.claim_alert(key):
                        summary.alerts += 1
                        due = None if clock0 is None or not self._live_clock() else clock0 + offset
                        emit(Alert(
                            source=self.source, stream=self.index, offset_s=offset, bank=key[0], content_id=key[1],
                            signal_type=signal_type, distance=distance, quality=quality, labels=labels,
                            frames=run[0], first_offset_s=run[1], decoded_at=decoded_at, due_at=due,
                        ))
                        if cfg.max_alerts is not None and summary.alerts >= cfg.max_alerts:
                            return

    def _live_clock(self) -> bool:
        lowered = self.source.lower()
        return self.config.realtime or ("://" in lowered and not lowered.startswith("file:"))


def default_matcher() -> StreamMatcher:
    """The Matcher of the current REDLINE_HOME's store, for streams (used in worker processes)."""
    from redline.context import get_context
    from redline.media.matcher import Matcher

    return StreamMatcher(Matcher.open(get_context()))


def _stamp(event: Event) -> Event:
    if isinstance(event, Alert):
        # time.monotonic() is CLOCK_MONOTONIC: one clock for every process on the machine
        event.alerted_at = time.monotonic()
        event.latency_s = event.alerted_at - event.decoded_at
        if event.due_at is not None:
            event.lag_s = event.alerted_at - event.due_at
    return event


def _run_threads(
    indexed: list[tuple[int, str]], matcher: PdqMatcher, config: WatchConfig, put: Callable[[Any], None], stop: Any
) -> list[threading.Thread]:
    def work(w: StreamWatcher) -> None:
        try:
            summary = w.run(put, stop)
        except Exception as exc:  # noqa: BLE001 — one broken stream must not stop the others
            w.summary.error = f"{type(exc).__name__}: {exc}"
            put(StreamError(w.source, w.index, w.summary.error))
            summary = w.summary
        put(summary)

    threads = []
    for index, src in indexed:
        t = threading.Thread(target=work, args=(StreamWatcher(src, matcher, config, index),), name=f"watch-{index}",
                             daemon=True)
        t.start()
        threads.append(t)
    return threads


def _worker(indexed: list[tuple[int, str]], factory: Callable[[], PdqMatcher], config: WatchConfig, events: Any,
            stop: Any) -> None:
    """One worker process: its own matcher, one thread a stream, events back through a queue."""
    try:
        matcher = factory()
    except Exception as exc:  # noqa: BLE001
        for index, src in indexed:
            events.put(StreamError(src, index, f"worker could not open the matcher: {exc}"))
            events.put(StreamSummary(src, index, error=str(exc)))
        return
    for t in _run_threads(indexed, matcher, config, events.put, stop):
        t.join()


def watch_many(
    sources: list[str], matcher: PdqMatcher | None, config: WatchConfig, stop: Any = None, *, workers: int = 1,
    matcher_factory: Callable[[], PdqMatcher] | None = None,
) -> Iterator[Event]:
    """Watch every source at once and yield events (Alert, StreamError, StreamSummary) as they happen.

    workers=1: one thread a stream in this process. PyAV's decoder and pdqhash hold the GIL, so
    threads share one core; that is enough for ~20 paced 720p streams (docs/benchmarks-media-live.md).
    workers=N: the streams are dealt round-robin to N processes (spawned), each with its own
    matcher from `matcher_factory` (a module-level function; default: the store's Matcher), so
    decoding uses every core. Either way the consumer of this iterator is the only writer to the store.
    The iterator ends when every stream has sent its StreamSummary.
    """
    if workers < 1:
        raise ValueError(f"workers must be ≥ 1, got {workers}")
    workers = min(workers, max(1, len(sources)))
    procs: list[Any] = []
    threads: list[threading.Thread] = []
    if workers == 1:
        if matcher is None:
            matcher = (matcher_factory or default_matcher)()
        stop = stop or threading.Event()
        events: Any = queue.Queue()
        threads = _run_threads(list(enumerate(sources)), matcher, config, events.put, stop)
    else:
        import multiprocessing as mp

        mpc = mp.get_context("spawn")
        stop_ev = mpc.Event()
        events = mpc.Queue()
        indexed = list(enumerate(sources))
        for w in range(workers):
            share = indexed[w::workers]
            p = mpc.Process(target=_worker, args=(share, matcher_factory or default_matcher, config, events, stop_ev),
                            name=f"watch-worker-{w}", daemon=True)
            p.start()
            procs.append(p)
        outer_stop = stop
        stop = stop_ev
        if outer_stop is not None:  # relay a caller's threading.Event to the workers
            def relay() -> None:
                while not stop_ev.is_set():
                    if outer_stop.wait(0.2):
                        stop_ev.set()
            threading.Thread(target=relay, daemon=True).start()
    remaining = len(sources)
    try:
        while remaining:
            try:
                event = events.get(timeout=1.0)
            except queue.Empty:
                if procs and not any(p.is_alive() for p in procs):
                    break  # every worker died without reporting: do not wait forever
                continue
            if isinstance(event, StreamSummary):
                remaining -= 1
            yield _stamp(event)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=5)
        for p in procs:
            p.join(timeout=5)
            if p.is_alive():
                p.terminate()

"""Robustness beyond plain PDQ: the extra hashes worth trying for a query, and worth storing in a bank.

Plain PDQ survives re-encoding, resizing and small edits, but not rotation, mirroring, added bars,
crops, small rotations or an overlay. PDQ is also very sensitive to where the picture's edges fall:
on the reference stills and video frames, moving a window by 1 % of its width flips ~29 bits (median),
a 2 % scale change ~27 bits. So the only way to match a changed picture is to hash *the same region*
on both sides. For a query image we hash (`query_hashes`):

* its eight rotations/mirrors, each hashed from the transposed pixels (pdqhash's one-DCT dihedral
  hashes were measured 14–84 bits away from the hash of the truly mirrored picture, because PDQ's
  box filters are not symmetric; transposing costs about 0.1 ms and is exact);
* the picture with letterbox/pillarbox bars trimmed off, in all eight orientations. A row or column
  belongs to a bar when at least 75 % of it is within 14 grey levels of the bar's colour, so a logo or
  a caption drawn over the bar does not hide it;
* fixed *windows*: the picture without its top or bottom 10, 20, 25 or 33 %, and its central 90 % and
  80 % (`WINDOWS`); those exclude caption bars, tickers, corner logos and frames;
* the picture turned back by ±1°, ±2° and ±3° (nearest-neighbour resampling: PDQ's own 64×64 box
  filter makes bilinear resampling pointless and it was 15× slower), trimmed if that leaves bars
  (a rotation that enlarged the canvas), hashed whole and as its central 80 % window (which leaves
  out the black corners the rotations made).

When banking a picture from its file we store (`bank_hashes`) its plain hash and, as *derived* hashes
of it, the bar-trimmed hash and the same windows (of the picture and of its trimmed content). A
query window then meets the same bank window: a caption bar over the bottom quarter of a banked
picture is matched by "without_bottom_25" on both sides, a picture cropped by 10 % at the bottom
by the bank's "without_bottom_10" against the query's plain hash. Banks imported as hash lists have
only the plain hash; the query variants alone still help them (measured apart in
docs/benchmarks-media.md).

Thresholds: the plain query hash against a plain or trimmed bank hash matches at the configured
distance (31); every other pairing — a query variant, or a derived window in the bank — at the
stricter threshold (24), because each is one more chance of a false match.

What this does not fix: crops that also shift the picture (most real crops: a 5 % crop with the cut
split at random between the two sides moves it by up to 2.5 %, which is ~70 bits), rotations over
~4°, overlays in the middle of the picture larger than a small logo. See docs/benchmarks-media.md.

For video, `video_content_box` finds black bars over a whole video (the union of the lit area of
its key frames, or of frames half a second apart, as FFmpeg's cropdetect does) and
`trimmed_video_frames` hashes the video's frames with the bars cut off, so a letterboxed copy of a
banked video matches and vice versa.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from redline.media.hashing import PDQ_MAX_SIDE, PdqHash, pdq_of_image

ORIENTATIONS: dict[str, Image.Transpose | None] = {
    "original": None,
    "rot90": Image.Transpose.ROTATE_90,
    "rot180": Image.Transpose.ROTATE_180,
    "rot270": Image.Transpose.ROTATE_270,
    "mirror": Image.Transpose.FLIP_LEFT_RIGHT,
    "flip": Image.Transpose.FLIP_TOP_BOTTOM,
    "transpose": Image.Transpose.TRANSPOSE,
    "transverse": Image.Transpose.TRANSVERSE,
}
BAR_TOLERANCE = 14  # grey levels from the bar's colour
BAR_COVER = 0.75  # share of a row/column within tolerance for it to count as bar (the rest: a logo, text)
BAR_MAX_FRACTION = 0.40  # never trim more than this from one side
BAR_MIN_FRACTION = 0.02  # trims smaller than this are not worth an extra query
VIDEO_BLACK = 40  # a video bar pixel is no brighter than this (of 255)
VIDEO_BAR_SAMPLES = 32  # key frames read to find a video's bars
WINDOWS: dict[str, tuple[float, float, float, float]] = {
    # name: (left, top, right, bottom) as fractions of width/height; the same set on both sides
    "without_top_10": (0.0, 0.10, 1.0, 1.0),
    "without_bottom_10": (0.0, 0.0, 1.0, 0.90),
    "without_top_20": (0.0, 0.20, 1.0, 1.0),
    "without_bottom_20": (0.0, 0.0, 1.0, 0.80),
    "without_top_25": (0.0, 0.25, 1.0, 1.0),
    "without_bottom_25": (0.0, 0.0, 1.0, 0.75),
    "without_top_33": (0.0, 0.33, 1.0, 1.0),
    "without_bottom_33": (0.0, 0.0, 1.0, 0.67),
    "centre_90": (0.05, 0.05, 0.95, 0.95),
    "centre_80": (0.10, 0.10, 0.90, 0.90),
}
DEROTATE_ANGLES = (1.0, -1.0, 2.0, -2.0, 3.0, -3.0)
DEROTATE_WINDOW = "centre_80"
FULL_THRESHOLD_BANK_VARIANTS = frozenset({"trimmed"})  # derived bank hashes matched like the plain one


@dataclass(frozen=True)
class QueryHash:
    variant: str
    pdq: str
    quality: int
    strict: bool  # variants other than the plain hash use the stricter threshold


@dataclass(frozen=True)
class RobustPolicy:
    dihedral: bool = True
    trim_bars: bool = True
    crops: bool = True  # the fixed windows
    derotate: bool = True
    min_quality: int = 50
    orientations: tuple[str, ...] | None = None  # with dihedral: these of ORIENTATIONS only (None: all eight)


def bank_variant_is_strict(variant: str | None) -> bool:
    """Whether a hit on a derived bank hash of this variant needs the strict threshold."""
    return variant is not None and variant not in FULL_THRESHOLD_BANK_VARIANTS


# --- bars -----------------------------------------------------------------------------------------


def _bar_run(lines: np.ndarray, limit: int) -> int:
    """How many lines, from the first, are the first line's colour (≥ BAR_COVER of each within tolerance)."""
    if limit <= 0:
        return 0
    head = lines[:limit]
    colour = np.median(lines[0])
    near = (np.abs(head - colour) <= BAR_TOLERANCE).mean(axis=1) >= BAR_COVER
    return int(limit if near.all() else np.argmin(near))


def find_bars(image: Image.Image) -> tuple[int, int, int, int] | None:
    """(left, top, right, bottom) box of the picture inside uniform bars, or None when there are none.

    Bars come in pairs of similar size (letterbox: top and bottom; pillarbox: left and right); a
    uniform band on one side only is picture content (sky, a wall) and is left alone.
    """
    grey = np.asarray(image.convert("L"), dtype=np.int16)
    height, width = grey.shape
    if height < 16 or width < 16:
        return None
    rows, cols = int(height * BAR_MAX_FRACTION), int(width * BAR_MAX_FRACTION)
    top = _bar_run(grey, rows)
    bottom = _bar_run(grey[::-1], rows)
    left = _bar_run(grey.T, cols)
    right = _bar_run(grey.T[::-1], cols)
    vertical = (top + bottom) if min(top, bottom) >= 0.5 * max(top, bottom) else 0
    horizontal = (left + right) if min(left, right) >= 0.5 * max(left, right) else 0
    if vertical < BAR_MIN_FRACTION * height:
        top = bottom = 0
    if horizontal < BAR_MIN_FRACTION * width:
        left = right = 0
    if not (top or bottom or left or right):
        return None
    return left, top, width - right, height - bottom


def trim_bars(image: Image.Image) -> Image.Image | None:
    box = find_bars(image)
    return image.crop(box) if box else None


def content_box(rgb: np.ndarray, black: int = VIDEO_BLACK, min_fraction: float = 0.25) -> tuple[int, int, int, int] | None:
    """The box (top, bottom, left, right) inside black letterbox/pillarbox bars of one video frame
    (an RGB array), or None if there are none.

    A border row or column is "black" when no pixel in it is brighter than `black` (of 255). The box
    must keep at least `min_fraction` of each side, so a dark scene is not cropped to a sliver.
    """
    return _box_of_extent(_lit_extent(rgb, black), rgb.shape[0], rgb.shape[1], min_fraction)


def _lit_extent(rgb: np.ndarray, black: int) -> tuple[int, int, int, int] | None:
    luma = rgb.max(axis=2)
    rows = np.flatnonzero(luma.max(axis=1) > black)
    cols = np.flatnonzero(luma.max(axis=0) > black)
    if rows.size == 0 or cols.size == 0:
        return None
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def _box_of_extent(extent: tuple[int, int, int, int] | None, h: int, w: int, min_fraction: float) -> tuple[int, int, int, int] | None:
    if extent is None:
        return None
    top, bottom, left, right = extent
    if (top, bottom, left, right) == (0, h, 0, w):
        return None
    if (bottom - top) < min_fraction * h or (right - left) < min_fraction * w:
        return None
    if (bottom - top) * (right - left) > 0.97 * h * w:  # a few dark edge pixels: not a letterbox
        return None
    return top, bottom, left, right


# --- images ---------------------------------------------------------------------------------------


def window(image: Image.Image, name: str) -> Image.Image:
    left, top, right, bottom = WINDOWS[name]
    w, h = image.size
    return image.crop((round(left * w), round(top * h), round(right * w), round(bottom * h)))


def _hash(variant: str, image: Image.Image, strict: bool = True) -> QueryHash:
    pdq: PdqHash = pdq_of_image(image)
    return QueryHash(variant, pdq.hex, pdq.quality, strict)


def oriented_hashes(image: Image.Image, prefix: str = "", only: tuple[str, ...] | None = None) -> list[QueryHash]:
    """The image in all eight orientations, or those named in `only` (upright first); all but the
    upright one are strict."""
    out = []
    for name, transpose in ORIENTATIONS.items():
        if only is not None and name not in only and name != "original":
            continue
        out.append(_hash(prefix + name, image if transpose is None else image.transpose(transpose),
                         bool(prefix) or transpose is not None))
    return out


def window_hashes(image: Image.Image, prefix: str = "") -> list[QueryHash]:
    return [_hash(prefix + name, window(image, name)) for name in WINDOWS]


def derotated_hashes(image: Image.Image) -> list[QueryHash]:
    """The picture turned back by each of DEROTATE_ANGLES: whole (bars trimmed if the turn left any)
    and its central window, away from the black corners."""
    out = []
    for angle in DEROTATE_ANGLES:
        turned = image.rotate(-angle, resample=Image.Resampling.NEAREST, expand=False)
        box = find_bars(turned)
        if box:
            turned = turned.crop(box)
        out.append(_hash(f"derotate_{angle:+g}", turned))
        out.append(_hash(f"derotate_{angle:+g}_{DEROTATE_WINDOW}", window(turned, DEROTATE_WINDOW)))
    return out


def query_hashes(image: Image.Image, policy: RobustPolicy = RobustPolicy()) -> list[QueryHash]:
    """The plain hash first, then every variant the policy asks for (image already ≤ 512 px, RGB).
    Variants below the policy's quality floor are dropped (the plain hash is always kept)."""
    if policy.dihedral:
        out = oriented_hashes(image, only=policy.orientations)
    else:
        out = [_hash("original", image, False)]
    trimmed = trim_bars(image) if policy.trim_bars else None
    if trimmed is not None:
        out.extend(oriented_hashes(trimmed, "trimmed_", policy.orientations) if policy.dihedral
                   else [_hash("trimmed_original", trimmed)])
    if policy.crops:
        out.extend(window_hashes(image))
        if trimmed is not None:
            out.extend(window_hashes(trimmed, "trimmed_"))
    if policy.derotate:
        out.extend(derotated_hashes(trimmed if trimmed is not None else image))
    return [q for q in out if q.quality >= policy.min_quality or q.variant == "original"]


def bank_hashes(image: Image.Image, *, windows: bool = True) -> list[QueryHash]:
    """Hashes to store when banking an image: the plain hash first, then derived hashes — the
    bar-trimmed hash when it has letterbox/pillarbox bars (so a copy re-posted with other bars, or
    none, still matches) and, with `windows`, the WINDOWS of the picture and of its trimmed content
    (so the same window of an edited copy meets them). Duplicated values are dropped."""
    out = [_hash("original", image, False)]
    trimmed = trim_bars(image)
    if trimmed is not None:
        out.append(_hash("trimmed", trimmed, False))
    if windows:
        out.extend(window_hashes(image))
        if trimmed is not None:
            out.extend(window_hashes(trimmed, "trimmed/"))
    seen: set[str] = set()
    unique = []
    for q in out:
        if q.pdq not in seen:
            seen.add(q.pdq)
            unique.append(q)
    return unique


# --- video ----------------------------------------------------------------------------------------


def video_content_box(path: Path | str, samples: int = VIDEO_BAR_SAMPLES) -> tuple[float, float, float, float] | None:
    """Black letterbox/pillarbox bars of a whole video, as (top, bottom, left, right) fractions of the
    frame, or None when it has none. The lit area of up to `samples` key frames is united (dark
    scenes and fades do not shrink it); the bars are what stays black in all of them. A video with
    fewer than 3 lit key frames (one key frame for the whole file, a black opening) is sampled
    every half second instead."""
    from redline.media.hashing import probe_video

    path = Path(path)
    probe_video(path)
    lit, size = _lit_union(path, samples, keyframes=True)
    if lit[1] < 3:
        lit, size = _lit_union(path, samples, keyframes=False)
    extent = lit[0]
    if size is None or extent is None:
        return None
    h, w = size
    box = _box_of_extent(extent, h, w, 0.25)
    if box is None:
        return None
    top, bottom, left, right = box
    return top / h, bottom / h, left / w, right / w


def _lit_union(path: Path, samples: int, keyframes: bool) -> tuple[tuple[tuple[int, int, int, int] | None, int], tuple[int, int] | None]:
    """((union of the lit extents, lit frames seen), frame size) over up to `samples` frames: key
    frames only, or one frame every half second."""
    import av

    from redline.media.hashing import HashError

    extent: tuple[int, int, int, int] | None = None
    size: tuple[int, int] | None = None
    seen = lit_frames = 0
    next_at = 0.0
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            if keyframes:
                stream.codec_context.skip_frame = "NONKEY"
            for frame in container.decode(stream):
                if not keyframes:
                    ts = float(frame.time) if frame.time is not None else 0.0
                    if ts + 1e-6 < next_at:
                        continue
                    next_at = ts + 0.5
                rgb = _frame_rgb(frame)
                size = rgb.shape[:2]
                lit = _lit_extent(rgb, VIDEO_BLACK)
                seen += 1
                if lit is not None:
                    lit_frames += 1
                    extent = lit if extent is None else (
                        min(extent[0], lit[0]), max(extent[1], lit[1]), min(extent[2], lit[2]), max(extent[3], lit[3]))
                if seen >= samples:
                    break
    except (av.error.FFmpegError, OSError) as exc:
        raise HashError(f"{path}: video decoding failed ({exc})") from None
    return (extent, lit_frames), size


def _frame_rgb(frame: Any, max_side: int = PDQ_MAX_SIDE) -> np.ndarray:
    """A PyAV frame as RGB, scaled by swscale to ≤ max_side (what PDQ is computed on)."""
    scale = min(1.0, max_side / max(frame.width, frame.height))
    return frame.to_ndarray(width=max(1, round(frame.width * scale)), height=max(1, round(frame.height * scale)),
                            format="rgb24", interpolation="BILINEAR")


def _crop_fraction(rgb: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    h, w = rgb.shape[:2]
    top, bottom, left, right = box
    return np.ascontiguousarray(rgb[round(top * h):round(bottom * h), round(left * w):round(right * w)])


def _sampled_frames(path: Path, seconds_per_hash: float) -> Iterator[tuple[int, float, Any]]:
    import av

    from redline.media.hashing import HashError

    next_at = 0.0
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            for number, frame in enumerate(container.decode(stream)):
                ts = float(frame.time) if frame.time is not None else 0.0
                if ts + 1e-6 < next_at:
                    continue
                next_at = ts + seconds_per_hash if seconds_per_hash > 0 else ts
                yield number, ts, frame
    except (av.error.FFmpegError, OSError) as exc:
        raise HashError(f"{path}: video decoding failed ({exc})") from None


def trimmed_video_frames(path: Path | str, seconds_per_hash: float = 1.0) -> list[Any] | None:
    """vPDQ-style frame hashes (VpdqFrame) of the video with its black bars cut off, one every
    `seconds_per_hash` (0 = every frame); None when the video has no bars. Frames are decoded with
    PyAV, scaled to ≤ 512 px and hashed with pdqhash, so they agree with vpdq's own frame hashes of
    the same picture within a few bits."""
    import pdqhash

    from redline.media.hashing import bits_to_hex
    from redline.media.signals import VpdqFrame

    path = Path(path)
    box = video_content_box(path)
    if box is None:
        return None
    out = []
    for number, ts, frame in _sampled_frames(path, seconds_per_hash):
        bits, quality = pdqhash.compute(_crop_fraction(_frame_rgb(frame), box))
        out.append(VpdqFrame(number, int(quality), bits_to_hex(bits), round(ts, 3)))
    return out


# --- what `bank add` stores -----------------------------------------------------------------------


def file_records(
    hashes: Any, *, content_id: str | None = None, labels: list[str] | None = None, contributor: str | None = None,
    windows: bool = True,
) -> list[Any]:
    """The bank records (banks.SignalRecord) for one hashed file (hashing.FileHashes): the file's own
    hashes, then the hashes derived from it for robust matching, each linked to its parent.

    Photo: `pdq` (carrying the picture's ORB keypoints, keypoints.py) and `md5`, then the bar-trimmed
    PDQ and the WINDOWS (`bank_hashes`). `windows=False` stores neither windows nor keypoints.
    Video: `vpdq` and `video_md5`, then, when it has black bars, the vPDQ of the video with its bars
    cut off (`trimmed_video_frames`, at the rate of the file's own vPDQ)."""
    from redline.media import keypoints
    from redline.media.banks import SignalRecord
    from redline.media.hashing import HashError, open_image
    from redline.media.signals import VpdqSignal

    def record(kind: str, value: str, quality: int | None = None, parent: int | None = None,
               variant: str | None = None) -> SignalRecord:
        return SignalRecord(kind, value, content_id, list(labels or []), contributor, quality=quality,
                            derived_from=parent, variant=variant)

    if hashes.kind == "video":
        out = [record("vpdq", VpdqSignal.serialise(hashes.vpdq)), record("video_md5", hashes.md5)]
        trimmed = trimmed_video_frames(hashes.file, _vpdq_rate(hashes.vpdq)) if windows else None
        if trimmed:
            out.append(record("vpdq", VpdqSignal.serialise(trimmed), None, 0, "trimmed"))
        return out
    try:
        image = open_image(hashes.file)
        stored = bank_hashes(image, windows=windows)
        packed = keypoints.pack(keypoints.extract(image)) if windows else None
    except HashError:
        stored, packed = [], None
    if not stored:
        return [record("pdq", hashes.pdq or "", hashes.quality), record("md5", hashes.md5)]
    out = [record("pdq", stored[0].pdq, stored[0].quality), record("md5", hashes.md5)]
    out[0].keypoints = packed
    out.extend(record("pdq", q.pdq, q.quality, 0, q.variant) for q in stored[1:])
    return out


def _vpdq_rate(frames: list[Any]) -> float:
    """Seconds between a vPDQ's frame hashes (what `bank add` hashed the video at), 1 s if unknown."""
    times = sorted({f.timestamp for f in frames})
    if len(times) < 2:
        return 1.0
    steps = sorted(b - a for a, b in zip(times, times[1:]))
    return max(0.0, round(steps[len(steps) // 2], 3))

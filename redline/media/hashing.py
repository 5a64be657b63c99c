"""Hashing files: PDQ (images), vPDQ and sampled-frame PDQ (video), MD5 and SHA-256.

Image preprocessing follows the PDQ reference advice: honour EXIF orientation, convert to RGB as
python-threatexchange does (Pillow's `convert("RGB")`, alpha dropped), shrink to at most 512 px on
the long side, then hash (pdqhash, the C++ PDQ core). JPEGs are
decoded at a reduced DCT scale when they are much larger than 512 px (Pillow's `draft`), which is
where most of the speed comes from.

Untrusted input: dimensions are read from the header and checked before any pixel is decoded;
Pillow's decompression-bomb limit is set to our own policy; truncated, corrupt and empty files give
a `HashError` naming the file. Batch helpers return one result or one error per file, in order.
"""

from __future__ import annotations

import hashlib
import os
import warnings
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from redline.media.signals import VpdqFrame

MAX_PIXELS = 80_000_000  # ~80 MP: bigger is refused as a possible decompression bomb
MAX_SIDE = 30_000
MAX_VIDEO_PIXELS = 4096 * 4096
MAX_VIDEO_SECONDS = 6 * 3600
PDQ_MAX_SIDE = 512
VIDEO_EXTENSIONS = {".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi", ".flv", ".ts", ".mpg", ".mpeg", ".wmv", ".3gp"}

Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ImageFile.LOAD_TRUNCATED_IMAGES = False


class HashError(ValueError):
    """A file that cannot be hashed; the message says which file and why."""


@dataclass(frozen=True)
class PdqHash:
    hex: str
    quality: int


@dataclass
class FileHashes:
    file: str
    kind: str  # "photo" | "video"
    md5: str
    sha256: str
    pdq: str | None = None
    quality: int | None = None
    vpdq: list[VpdqFrame] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": self.file,
            "kind": self.kind,
            "pdq": self.pdq,
            "quality": self.quality,
            "md5": self.md5,
            "sha256": self.sha256,
        }
        if self.kind == "video":
            out["video_md5"] = self.md5
            out["vpdq"] = [f.to_dict() for f in self.vpdq]
        return out


# --- bits -----------------------------------------------------------------------------------------


def bits_to_hex(bits: np.ndarray) -> str:
    """pdqhash's 256-element 0/1 vector (most significant bit first) → 64 hex digits."""
    return np.packbits(bits.astype(np.uint8)).tobytes().hex()


def hex_to_bytes(hex_hash: str) -> bytes:
    return bytes.fromhex(hex_hash)


# --- file digests ---------------------------------------------------------------------------------


def file_digests(path: Path) -> tuple[str, str]:
    md5 = hashlib.md5(usedforsecurity=False)
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            md5.update(chunk)
            sha.update(chunk)
    return md5.hexdigest(), sha.hexdigest()


# --- images ---------------------------------------------------------------------------------------


def open_image(path: Path | str, *, target: int | None = PDQ_MAX_SIDE) -> Image.Image:
    """Open, check and decode an image for hashing: oriented, RGB on white, long side ≤ `target`."""
    path = Path(path)
    _check_readable(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
            width, height = image.size
            _check_dimensions(path, width, height)
            if target and image.format == "JPEG" and max(width, height) >= 2 * target:
                image.draft("RGB", (target, target))
            image.load()
            image = ImageOps.exif_transpose(image)
            image = flatten_to_rgb(image)
            if target:
                shrink(image, target)
            return image
    except HashError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise HashError(f"{path}: refused, too many pixels ({exc})") from None
    except UnidentifiedImageError:
        raise HashError(f"{path}: not a readable image") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise HashError(f"{path}: corrupt or truncated image ({exc})") from None


def _check_readable(path: Path) -> None:
    if not path.is_file():
        raise HashError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise HashError(f"{path}: empty file (0 bytes)")


def _check_dimensions(path: Path, width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise HashError(f"{path}: invalid dimensions {width}x{height}")
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise HashError(
            f"{path}: refused, {width}x{height} exceeds the limit ({MAX_SIDE} px a side, {MAX_PIXELS:,} pixels)"
        )


def flatten_to_rgb(image: Image.Image) -> Image.Image:
    """Any Pillow mode → RGB exactly as the reference (python-threatexchange) does: `convert("RGB")`.

    Alpha is dropped, not composited: banks shared by other platforms hold hashes computed this
    way, and compositing onto white moves a partly transparent picture ~60 bits away from them.
    """
    if image.mode == "RGB":
        return image
    return image.convert("RGB")


def shrink(image: Image.Image, target: int = PDQ_MAX_SIDE) -> None:
    if max(image.size) > target:
        image.thumbnail((target, target), Image.Resampling.BILINEAR, reducing_gap=None)


def pdq_of_image(image: Image.Image) -> PdqHash:
    import pdqhash

    array = np.asarray(image if image.mode == "RGB" else image.convert("RGB"))
    bits, quality = pdqhash.compute(array)
    return PdqHash(bits_to_hex(bits), int(quality))


def dihedral_pdq_of_image(image: Image.Image) -> tuple[list[str], int]:
    """Hashes of the image and its seven rotations/mirrors from one DCT (original first)."""
    import pdqhash

    array = np.asarray(image if image.mode == "RGB" else image.convert("RGB"))
    vectors, quality = pdqhash.compute_dihedral(array)
    return [bits_to_hex(v) for v in vectors], int(quality)


def pdq_file(path: Path | str) -> PdqHash:
    return pdq_of_image(open_image(path))


def is_video(path: Path | str) -> bool:
    return Path(path).suffix.lower() in VIDEO_EXTENSIONS


def hash_image_file(path: Path | str) -> FileHashes:
    path = Path(path)
    pdq = pdq_file(path)
    md5, sha = file_digests(path)
    return FileHashes(str(path), "photo", md5, sha, pdq.hex, pdq.quality)


# --- video ----------------------------------------------------------------------------------------


def probe_video(path: Path) -> tuple[int, int, float]:
    """(width, height, seconds) from the container header; HashError if it is not a usable video."""
    import av

    _check_readable(path)
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise HashError(f"{path}: no video stream")
            stream = container.streams.video[0]
            width, height = stream.codec_context.width, stream.codec_context.height
            if stream.duration is not None and stream.time_base is not None:
                seconds = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                seconds = container.duration / 1_000_000
            else:
                seconds = 0.0
    except HashError:
        raise
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise HashError(f"{path}: not a readable video ({exc})") from None
    if width <= 0 or height <= 0 or width * height > MAX_VIDEO_PIXELS:
        raise HashError(f"{path}: refused, video frame size {width}x{height}")
    if seconds > MAX_VIDEO_SECONDS:
        raise HashError(f"{path}: refused, video is {seconds:.0f} s long (limit {MAX_VIDEO_SECONDS} s)")
    return width, height, seconds


def vpdq_file(path: Path | str, seconds_per_hash: float = 1.0) -> list[VpdqFrame]:
    """vPDQ frame hashes with the reference library (0 = every frame)."""
    import vpdq

    path = Path(path)
    probe_video(path)
    try:
        features = vpdq.computeHash(str(path), seconds_per_hash=seconds_per_hash, thread_count=1)
    except Exception as exc:  # the extension raises plain exceptions on decoder failures
        raise HashError(f"{path}: vPDQ failed ({exc})") from None
    if not features:
        raise HashError(f"{path}: no decodable video frames")
    return [VpdqFrame(int(f.frame_number), int(f.quality), f.hex, round(float(f.timestamp), 3)) for f in features]


def sample_frames(path: Path | str, every_seconds: float = 1.0) -> Iterator[tuple[float, Image.Image]]:
    """Decode frames with PyAV, one every `every_seconds` (0 = every frame), as (timestamp, RGB image)."""
    import av

    path = Path(path)
    probe_video(path)
    next_at = 0.0
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            for frame in container.decode(stream):
                ts = float(frame.time) if frame.time is not None else 0.0
                if ts + 1e-6 < next_at:
                    continue
                next_at = ts + every_seconds if every_seconds > 0 else ts
                yield ts, frame.to_image()
    except (av.error.FFmpegError, OSError) as exc:
        raise HashError(f"{path}: video decoding failed ({exc})") from None


def frame_pdqs(path: Path | str, every_seconds: float = 1.0) -> list[VpdqFrame]:
    """PDQ of frames sampled with PyAV at the chosen rate (each shrunk to ≤ 512 px first)."""
    out: list[VpdqFrame] = []
    for i, (ts, image) in enumerate(sample_frames(path, every_seconds)):
        shrink(image)
        pdq = pdq_of_image(image)
        out.append(VpdqFrame(i, pdq.quality, pdq.hex, round(ts, 3)))
    return out


def hash_video_file(path: Path | str, seconds_per_hash: float = 1.0) -> FileHashes:
    path = Path(path)
    frames = vpdq_file(path, seconds_per_hash)
    md5, sha = file_digests(path)
    return FileHashes(str(path), "video", md5, sha, vpdq=frames)


def hash_file(path: Path | str, seconds_per_hash: float = 1.0) -> FileHashes:
    return hash_video_file(path, seconds_per_hash) if is_video(path) else hash_image_file(path)


# --- batches --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One file's result in a batch: `hashes` or `error`, never both."""

    file: str
    hashes: FileHashes | None = None
    error: str | None = None


def _hash_one(args: tuple[str, float]) -> Outcome:
    path, rate = args
    try:
        return Outcome(path, hashes=hash_file(path, rate))
    except HashError as exc:
        return Outcome(path, error=str(exc))
    except Exception as exc:  # noqa: BLE001 — one bad file must not stop the batch
        return Outcome(path, error=f"{path}: {type(exc).__name__}: {exc}")


def hash_files(paths: Iterable[Path | str], *, workers: int | None = None, seconds_per_hash: float = 1.0) -> list[Outcome]:
    """Hash many files, in input order, with a process pool when there are several."""
    items = [(str(p), seconds_per_hash) for p in paths]
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(items) < 4:
        return [_hash_one(item) for item in items]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_hash_one, items, chunksize=max(1, len(items) // (workers * 8))))


def _pdq_one(path: str) -> tuple[str, str | None, int | None, str | None]:
    try:
        pdq = pdq_file(path)
        return path, pdq.hex, pdq.quality, None
    except HashError as exc:
        return path, None, None, str(exc)


def pdq_files(paths: Iterable[Path | str], *, workers: int | None = None) -> list[tuple[str, str | None, int | None, str | None]]:
    """PDQ only (no digests) for many images: (file, hex, quality, error), in order."""
    items = [str(p) for p in paths]
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(items) < 4:
        return [_pdq_one(p) for p in items]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_pdq_one, items, chunksize=max(1, len(items) // (workers * 8))))

"""TMK+PDQF: Meta's whole-video signal, beside vPDQ, through `tmkpy` (the reference C++ TMK library).

A TMK+PDQF hash is a fixed-size summary of a whole video: PDQF (PDQ's float features, before the
bits are taken) of frames resampled to 15 fps, folded by a temporal match kernel into a pure average
feature (256 floats) and cos/sin features for 4 periods × 32 Fourier coefficients (256 floats each):
263,344 bytes in the reference `.tmk` file format (`tmk-hash-video`, `tmkdump.py`).

Matching follows the reference (`tmk/cpp/bin/tmk_default_thresholds.h`): level 1 is the cosine
similarity of the two pure average features, a cheap filter (≥ 0.7); level 2 is TMK's own score,
the best alignment of the two videos' Fourier features over time offsets (≥ 0.7), computed by
`TMKFeatureVectors.computeLevel2Score`. TMK is made for copies of the same length: it survives
re-encoding, resizing and colour changes, not trimmed or inserted segments (vPDQ does).

Serialised form (signal type `tmk_pdqf`, ThreatExchange's planned name; `video_tmk_pdqf`,
`hash_tmk`, NCMEC's `TMK_PDQF` are aliases): the `.tmk` file's bytes in base64, so a value is
byte-for-byte what the reference tools write and read.
"""

from __future__ import annotations

import base64
import binascii
import os
import shutil
import struct
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import numpy as np

LEVEL1_THRESHOLD = 0.7  # DEFAULT_LEVEL_1_THRESHOLD
LEVEL2_THRESHOLD = 0.7  # DEFAULT_LEVEL_2_THRESHOLD
_MAGIC = b"TMK1FVECPDQF"
_HEADER = struct.Struct("<12s5i")  # magics, fps, periods, coefficients, feature dimension, frame count
_DIMENSION = 256


class TmkError(ValueError):
    """A TMK value that is not a valid TMK+PDQF feature file, or a video TMK could not hash."""


class TmkUnavailable(RuntimeError):
    """tmkpy (or the ffmpeg binary it runs) is not installed."""


@dataclass(frozen=True)
class TmkFeatures:
    frames_per_second: int
    frame_count: int
    periods: np.ndarray  # (P,) int32
    coefficients: np.ndarray  # (M,) float32
    pure_average: np.ndarray  # (d,) float32, the level-1 feature
    cos: np.ndarray  # (P, M, d) float32
    sin: np.ndarray  # (P, M, d) float32

    def to_bytes(self) -> bytes:
        """The reference `.tmk` file (tmkiotypes.h FeatureVectorFileHeader, then the arrays)."""
        p, m, d = self.cos.shape
        return (_HEADER.pack(_MAGIC, self.frames_per_second, p, m, d, self.frame_count)
                + self.periods.astype("<i4").tobytes() + self.coefficients.astype("<f4").tobytes()
                + self.pure_average.astype("<f4").tobytes() + self.cos.astype("<f4").tobytes()
                + self.sin.astype("<f4").tobytes())

    def to_signal(self) -> str:
        return base64.b64encode(self.to_bytes()).decode("ascii")

    @property
    def unit_average(self) -> np.ndarray:
        norm = float(np.linalg.norm(self.pure_average))
        return self.pure_average / norm if norm > 0 else self.pure_average


def from_bytes(data: bytes, source: str = "tmk") -> TmkFeatures:
    """Parse a `.tmk` file's bytes; TmkError naming what is wrong."""
    if len(data) < _HEADER.size:
        raise TmkError(f"{source}: {len(data)} bytes is too short for a TMK feature file")
    magic, fps, p, m, d, count = _HEADER.unpack_from(data)
    if magic != _MAGIC:
        raise TmkError(f"{source}: not a TMK+PDQF feature file (magic {magic[:12]!r}, expected {_MAGIC!r})")
    if not (0 < p <= 64 and 0 < m <= 1024 and d == _DIMENSION and fps > 0 and count >= 0):
        raise TmkError(f"{source}: implausible TMK header (periods {p}, coefficients {m}, dimension {d}, fps {fps})")
    expected = _HEADER.size + 4 * (p + m + d + 2 * p * m * d)
    if len(data) != expected:
        raise TmkError(f"{source}: {len(data)} bytes, expected {expected} for {p} periods × {m} coefficients")
    at = _HEADER.size
    periods = np.frombuffer(data, "<i4", p, at)
    at += 4 * p
    coefficients = np.frombuffer(data, "<f4", m, at)
    at += 4 * m
    pure = np.frombuffer(data, "<f4", d, at)
    at += 4 * d
    cos = np.frombuffer(data, "<f4", p * m * d, at).reshape(p, m, d)
    at += 4 * p * m * d
    sin = np.frombuffer(data, "<f4", p * m * d, at).reshape(p, m, d)
    if not (np.isfinite(pure).all() and np.isfinite(cos).all() and np.isfinite(sin).all()):
        raise TmkError(f"{source}: features are not finite numbers")
    return TmkFeatures(fps, count, periods, coefficients, pure, cos, sin)


def from_signal(value: str) -> TmkFeatures:
    text = "".join(value.split())
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise TmkError("tmk_pdqf: expected the base64 of a .tmk feature file") from None
    return from_bytes(data, "tmk_pdqf")


def read_file(path: Path | str) -> TmkFeatures:
    return from_bytes(Path(path).read_bytes(), str(path))


# --- hashing (tmkpy) ------------------------------------------------------------------------------


def _tmkpy() -> Any:
    try:
        import tmkpy  # type: ignore[import-untyped]
    except ImportError:
        raise TmkUnavailable("TMK+PDQF needs tmkpy (pip install tmkpy==0.1.1; builds with swig and g++)") from None
    return tmkpy


def ffmpeg_path() -> str:
    found = shutil.which("ffmpeg")
    if not found:
        raise TmkUnavailable("TMK+PDQF hashing needs the ffmpeg program on PATH")
    return found


def available() -> bool:
    try:
        _tmkpy()
        ffmpeg_path()
    except TmkUnavailable:
        return False
    return True


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """tmkpy runs ffmpeg with its stderr inherited: its banner and progress would fill ours."""
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def hash_video(path: Path | str) -> TmkFeatures:
    """TMK+PDQF of a video file, exactly as `tmk-hash-video` computes it (15 fps, PDQF frames)."""
    from redline.media.hashing import probe_video

    tmkpy = _tmkpy()
    path = Path(path)
    probe_video(path)  # the same refusal of non-videos and oversized streams as vPDQ
    with _quiet_stderr():
        features = tmkpy.hashVideo(str(path), ffmpeg_path())
    if features.getFrameFeatureCount() <= 0:
        raise TmkError(f"{path}: TMK hashing read no frames")
    with tempfile.TemporaryDirectory(prefix="redline-tmk-") as tmp:
        out = Path(tmp) / "video.tmk"
        if not features.writeToOutputFile(str(out), "redline"):
            raise TmkError(f"{path}: TMK could not write its features")
        return read_file(out)


# --- scoring --------------------------------------------------------------------------------------


def level1(query: TmkFeatures, banked: np.ndarray) -> np.ndarray:
    """Cosine similarity of the query's pure average feature with each row of `banked` (unit rows)."""
    return banked @ query.unit_average.astype(np.float32)


def _native(features: TmkFeatures) -> Any:
    tmkpy = _tmkpy()
    return tmkpy.createTMKFeatureVectors(
        int(features.frames_per_second), int(features.frame_count), features.periods.tolist(),
        features.coefficients.tolist(), features.pure_average.tolist(), features.cos.tolist(), features.sin.tolist())


def level2(query: TmkFeatures, banked: TmkFeatures) -> float:
    """TMK's level-2 score (the reference `computeLevel2Score`), in [-1, 1]; 1 for the same video."""
    if query.cos.shape != banked.cos.shape or not np.array_equal(query.periods, banked.periods):
        return -1.0
    tmkpy = _tmkpy()
    return float(tmkpy.TMKFeatureVectors.computeLevel2Score(_native(query), _native(banked)))


@dataclass(frozen=True)
class TmkScore:
    level1: float
    level2: float

    @property
    def matched(self) -> bool:
        return self.level1 >= LEVEL1_THRESHOLD and self.level2 >= LEVEL2_THRESHOLD


def compare(query: TmkFeatures, banked: TmkFeatures) -> TmkScore:
    """Level 1, then level 2 only when level 1 passes (as the reference's two-level query does)."""
    one = float(level1(query, banked.unit_average[None, :].astype(np.float32))[0])
    two = level2(query, banked) if one >= LEVEL1_THRESHOLD else float("nan")
    return TmkScore(round(one, 4), round(two, 4))


# --- banks ----------------------------------------------------------------------------------------


@dataclass
class BankedTmk:
    ids: list[int]
    unit: np.ndarray  # (n, 256) float32 unit pure-average features, for level 1
    values: list[str]


def banked(store: Any) -> BankedTmk:
    """Every enabled TMK+PDQF hash of every enabled bank."""
    from sqlalchemy import and_, select

    from redline.media import tables as t

    with store.connect() as conn:
        rows = conn.execute(
            select(t.signals.c.id, t.signals.c.value).join(t.banks, t.banks.c.id == t.signals.c.bank_id)
            .where(and_(t.signals.c.signal_type == TMK_SIGNAL, t.signals.c.enabled.is_(True),
                        t.banks.c.enabled.is_(True)))
            .order_by(t.signals.c.id)).all()
    units = [from_signal(r.value).unit_average.astype(np.float32) for r in rows]
    return BankedTmk([r.id for r in rows], np.stack(units) if units else np.zeros((0, _DIMENSION), np.float32),
                     [r.value for r in rows])


TMK_SIGNAL = "tmk_pdqf"

_banked_cache: dict[tuple[str, str], tuple[int, BankedTmk]] = {}  # (url, store id) -> (revision read at, TMK)


def banked_cached(store: Any) -> BankedTmk:
    """`banked`, kept per process and store, read again only when the store revision moved (every
    write takes one: an add, an enable or disable, a deletion), as the Matcher does for PDQ."""
    from redline.media.banks import current_rev, store_identity

    key = (store.url, store_identity(store))  # a store made again at the same place starts over
    with store.connect() as conn:
        rev = current_rev(conn)
    held = _banked_cache.get(key)
    if held is not None and held[0] == rev:
        return held[1]
    bank = banked(store)
    _banked_cache[key] = (rev, bank)
    return bank


def matches(matcher: Any, query: TmkFeatures, bank: BankedTmk | None = None) -> tuple[list[Any], list[Any]]:
    """Banked TMK+PDQF hashes that pass level 1 and level 2 (0.7 each): (matches, suppressed) as
    matcher.Match, `distance` = round(100 × (1 − level-2 score)), the scores in the detail; a negative
    bank's TMK hash at least as close suppresses a positive one."""
    from dataclasses import replace

    from redline.media.matcher import Match

    bank = bank if bank is not None else banked(matcher.store)
    if not bank.ids:
        return [], []
    one = level1(query, bank.unit)
    scored: dict[int, TmkScore] = {}
    for i in np.flatnonzero(one >= LEVEL1_THRESHOLD):
        score = TmkScore(round(float(one[i]), 4), round(level2(query, from_signal(bank.values[i])), 4))
        if score.matched:
            scored[bank.ids[i]] = score
    if not scored:
        return [], []
    meta = matcher._metadata(scored)
    held: set[int] = getattr(matcher, "_held", set())
    found = [Match(m.bank, m.content_id, m.signal_type, round(100 * (1 - scored[i].level2)), m.labels, i, m.value,
                   "tmk", m.negative, i in held, {"level1": scored[i].level1, "level2": scored[i].level2})
             for i, m in meta.items() if i in scored]
    closest = min((m.distance for m in found if m.negative), default=None)
    negative = next((m.bank for m in found if m.negative and m.distance == closest), None)
    kept = [m for m in found if not m.negative and (closest is None or m.distance < closest)]
    suppressed = [replace(m, detail={**m.detail, "suppressed_by": negative}) for m in found
                  if not m.negative and closest is not None and m.distance >= closest]
    order = lambda m: (m.distance, m.bank, m.signal_id)  # noqa: E731
    return sorted(kept, key=order), sorted(suppressed, key=order)

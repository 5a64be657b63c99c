"""Signal types: what a hash is, how it is written as a string, and how two are compared.

Names follow the ThreatExchange conventions (`pdq`, `md5`, `video_md5`, `vpdq`, `tmk_pdqf`) so hash lists from
existing exchanges load unchanged. Every hash serialises to a string; each signal type has one job:
validate and normalise that string, and (for perceptual types) measure distance between two.
Pure Python; no heavy imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

PDQ_DEFAULT_THRESHOLD = 31  # ThreatExchange's "confident match" distance for PDQ
PDQ_HEX_LENGTH = 64


class SignalError(ValueError):
    """A hash string that is not a valid value of its signal type."""


_HEX = re.compile(r"^[0-9a-f]+$")


def hamming_hex(left: str, right: str) -> int:
    """Bits that differ between two equal-length hex strings."""
    return (int(left, 16) ^ int(right, 16)).bit_count()


@dataclass(frozen=True)
class SignalType:
    name: ClassVar[str]
    content: ClassVar[str]  # "photo" or "video"
    perceptual: ClassVar[bool] = False

    @classmethod
    def normalise(cls, value: str) -> str:
        raise NotImplementedError


class HexDigest(SignalType):
    length: ClassVar[int]

    @classmethod
    def normalise(cls, value: str) -> str:
        text = cls.normalise_length(value)
        if not _HEX.match(text):
            raise cls.error(value)
        return text

    @classmethod
    def normalise_length(cls, value: str) -> str:
        """Stripped, lower-cased and of the right length; the digits checked later with `all_hex`
        over a whole batch (one scan instead of one regex call a hash)."""
        text = value.strip().lower()
        if len(text) != cls.length:
            raise cls.error(value)
        return text

    @classmethod
    def error(cls, value: str) -> SignalError:
        return SignalError(f"{cls.name}: expected {cls.length} hex digits, got {value.strip()[:80]!r}")


_HEX_DIGITS = b"0123456789abcdef"


def all_hex(texts: list[str]) -> bool:
    """Whether every string is lower-case hex digits (an empty string counts)."""
    return not "".join(texts).encode().translate(None, _HEX_DIGITS)


class PdqSignal(HexDigest):
    name = "pdq"
    content = "photo"
    perceptual = True
    length = PDQ_HEX_LENGTH

    @staticmethod
    def distance(left: str, right: str) -> int:
        return hamming_hex(left, right)


class Md5Signal(HexDigest):
    name = "md5"
    content = "photo"
    length = 32


class VideoMd5Signal(HexDigest):
    name = "video_md5"
    content = "video"
    length = 32


@dataclass(frozen=True)
class VpdqFrame:
    frame: int
    quality: int
    pdq: str
    timestamp: float

    def to_dict(self) -> dict[str, object]:
        return {"frame": self.frame, "quality": self.quality, "pdq": self.pdq, "timestamp": self.timestamp}


class VpdqSignal(SignalType):
    """A video's frame hashes, serialised as ThreatExchange does: `pdq_hex,timestamp` pairs joined by `,`.

    The reference tool writes `frame,quality,pdq_hex,timestamp` lines; both forms are accepted
    (lines joined with `;` or newlines). Frames are kept in order.
    """

    name = "vpdq"
    content = "video"
    perceptual = True

    @classmethod
    def parse(cls, value: str) -> list[VpdqFrame]:
        text = value.strip()
        if not text:
            raise SignalError("vpdq: empty value")
        records = [r.strip() for r in re.split(r"[;\n]", text) if r.strip()]
        frames: list[VpdqFrame] = []
        if len(records) == 1 and records[0].count(",") % 2 == 1 and len(records[0].split(",")[0]) == 64:
            parts = records[0].split(",")
            for i in range(0, len(parts), 2):
                frames.append(VpdqFrame(i // 2, 100, PdqSignal.normalise(parts[i]), _float(parts[i + 1])))
            return frames
        for record in records:
            parts = [p.strip() for p in record.split(",")]
            if len(parts) == 4:
                frame, quality, pdq, ts = parts
                frames.append(VpdqFrame(_int(frame), _int(quality), PdqSignal.normalise(pdq), _float(ts)))
            elif len(parts) == 2:
                frames.append(VpdqFrame(len(frames), 100, PdqSignal.normalise(parts[0]), _float(parts[1])))
            else:
                raise SignalError(f"vpdq: cannot read frame record {record[:80]!r}")
        return frames

    @classmethod
    def serialise(cls, frames: list[VpdqFrame]) -> str:
        return ";".join(f"{f.frame},{f.quality},{f.pdq},{f.timestamp:.3f}" for f in frames)

    @classmethod
    def normalise(cls, value: str) -> str:
        return cls.serialise(cls.parse(value))


class TmkPdqfSignal(SignalType):
    """TMK+PDQF (`tmk.py`): the reference `.tmk` feature file's bytes in base64 (351,128 characters).

    Normalising checks the header and size (numpy, no tmkpy needed) and re-encodes without whitespace."""

    name = "tmk_pdqf"
    content = "video"
    perceptual = True

    @classmethod
    def normalise(cls, value: str) -> str:
        from redline.media.tmk import TmkError, from_signal

        try:
            return from_signal(value).to_signal()
        except TmkError as exc:
            raise SignalError(str(exc)) from None


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise SignalError(f"vpdq: not an integer: {text!r}") from None


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise SignalError(f"vpdq: not a number: {text!r}") from None


SIGNAL_TYPES: dict[str, type[SignalType]] = {
    t.name: t for t in (PdqSignal, Md5Signal, VideoMd5Signal, VpdqSignal, TmkPdqfSignal)
}

# Names other exchanges and older ThreatExchange exports use for the same types.
SIGNAL_ALIASES = {
    "pdq": "pdq",
    "hash_pdq": "pdq",
    "photo_pdq": "pdq",
    "md5": "md5",
    "hash_md5": "md5",
    "photo_md5": "md5",
    "video_md5": "video_md5",
    "hash_video_md5": "video_md5",
    "vpdq": "vpdq",
    "video_vpdq": "vpdq",
    "tmk_pdqf": "tmk_pdqf",
    "video_tmk_pdqf": "tmk_pdqf",
    "hash_tmk": "tmk_pdqf",
    "tmk": "tmk_pdqf",
}


def signal_type(name: str) -> type[SignalType]:
    key = SIGNAL_ALIASES.get(name.strip().lower())
    if key is None:
        raise SignalError(f"unknown signal type {name!r}; known: {', '.join(SIGNAL_TYPES)}")
    return SIGNAL_TYPES[key]


def normalise(signal_type_name: str, value: str) -> tuple[str, str]:
    """(canonical type name, canonical value) or SignalError."""
    kind = signal_type(signal_type_name)
    return kind.name, kind.normalise(value)

"""Which reader reads a file: format detection over every known reader, and discovery in folders.

Exactly one reader must claim a file. Multi-file formats (OFAC's CSV sets, the UK derived
tables) are claimed by their folder: a reader whose `detect(folder)` is True reads the folder
as one unit, and discovery does not descend into it. Files in such a folder that another
reader claims (a BIS Denied Persons file beside an OFAC set) are still found on their own.
"""

from __future__ import annotations

import importlib
import os
import zipfile
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from redline.parties.sources.base import Reader

# One module per list format; each exposes READERS.
READER_MODULES: tuple[str, ...] = (
    "csl",
    "ofac_sdn",
    "ofac_cons",
    "ofac_enhanced",
    "bis_dpl",
    "un_sc",
    "uk_derived",
    "uk_ofsi",
    "au_dfat",
    "eu_fsf",
    "ca_sema",
    "dod_1260h",
    "fcc_covered",
    "ndaa",
    "bis_mieu",
    "cn_mfa",
    "names_only",
    "ftm_json",
)
_PACKAGE = "redline.parties.sources"
_QUIET_NAMES = ("readme", "provenance", "license", "licence")


class FormatDetectionError(ValueError):
    """No reader, or more than one, claims a file."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str


class Discovery(list[tuple[Reader, Path]]):
    """The (reader, path) units to import, in path order; `skipped` holds what no reader took, and why."""

    def __init__(self) -> None:
        super().__init__()
        self.skipped: list[Skipped] = []


@cache
def _readers() -> tuple[Reader, ...]:
    """Every reader of READER_MODULES; a module that is missing or fails to import is an error."""
    return tuple(reader for name in READER_MODULES for reader in importlib.import_module(f"{_PACKAGE}.{name}").READERS)


def all_readers() -> list[Reader]:
    return list(_readers())


def module_readers(module: str) -> tuple[Reader, ...]:
    """The READERS of one module named in READER_MODULES."""
    if module not in READER_MODULES:
        raise KeyError(f"unknown reader module {module!r}")
    return tuple(importlib.import_module(f"{_PACKAGE}.{module}").READERS)


def reader_for(source: str) -> Reader:
    """The reader whose `info.name` is `source`."""
    for reader in all_readers():
        if reader.info.name == source:
            return reader
    known = ", ".join(sorted(reader.info.name for reader in all_readers()))
    raise KeyError(f"no reader named {source!r}; known: {known}")


def claims(path: Path, readers: list[Reader] | None = None) -> list[Reader]:
    """Every reader whose detect() accepts `path`."""
    found = []
    for reader in readers if readers is not None else all_readers():
        try:
            if reader.detect(path):
                found.append(reader)
        except (OSError, ValueError, zipfile.BadZipFile, zlib.error, EOFError, KeyError):
            continue  # unreadable for this reader: not its format (ListFormatError is a ValueError)
    return found


def known_formats() -> str:
    return "; ".join(f"{reader.info.name} ({reader.info.title})" for reader in all_readers())


def detect(path: Path) -> Reader:
    """The one reader for `path`; FormatDetectionError when none or several claim it."""
    path = Path(path)
    if not path.exists():
        raise FormatDetectionError(path, "no such file or folder")
    found = claims(path)
    if not found:
        what = diagnose(path) if path.is_file() else "no reader recognises this folder"
        raise FormatDetectionError(path, f"{what}; known formats: {known_formats()}")
    if len(found) > 1:
        names = " and ".join(reader.info.name for reader in found)
        raise FormatDetectionError(path, f"ambiguous format, claimed by {names}")
    return found[0]


def discover(path: Path) -> Discovery:
    """Every importable unit under `path` (a file or a folder, searched recursively), in path order."""
    path = Path(path)
    discovery = Discovery()
    readers = all_readers()
    if not path.exists():
        discovery.skipped.append(Skipped(path, "no such file or folder"))
    elif path.is_dir():
        _discover_folder(path, readers, discovery)
    else:
        _discover_file(path, readers, discovery, explicit=True)
    return discovery


def _is_quiet(path: Path) -> bool:
    name = path.name.lower()
    return name.startswith(".") or name.split(".")[0] in _QUIET_NAMES


def _discover_file(
    path: Path, readers: list[Reader], discovery: Discovery, unit: Reader | None = None, explicit: bool = False
) -> None:
    if _is_quiet(path) and not explicit:
        return
    found = claims(path, readers)
    if unit is not None:
        others = [reader for reader in found if reader is not unit]
        if not others or unit in found:
            return  # a member of the folder's unit
        found = others
    if len(found) == 1:
        discovery.append((found[0], path))
    elif found:
        names = " and ".join(reader.info.name for reader in found)
        discovery.skipped.append(Skipped(path, f"ambiguous format, claimed by {names}"))
    elif unit is None:
        discovery.skipped.append(Skipped(path, diagnose(path)))


def diagnose(path: Path) -> str:
    """Why no reader recognises a file, in words: empty, a broken archive, binary, an encoding
    Redline does not read, or text in a format no reader knows (naming the encoding read)."""
    from redline.parties.sources.common import TextEncodingError, detect_text_encoding, first_decode_error

    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if size == 0:
        return "empty file (0 bytes); no reader recognises it"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        try:
            with zipfile.ZipFile(path) as archive:
                bad = archive.testzip()
                names = archive.namelist()
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            return f"a truncated or corrupt ZIP archive ({exc}); no reader recognises it"
        if bad is not None:
            return f"a corrupt ZIP archive (member {bad!r} fails its CRC check); no reader recognises it"
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        return f"a ZIP archive ({shown}) that no reader recognises"
    if head.startswith((b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf", b"Rar!")):
        return "a compressed archive (gzip, bzip2, xz, 7z or RAR); unpack it first"
    try:
        codec, encoding = detect_text_encoding(path)
        broken = first_decode_error(path, codec)
    except TextEncodingError as exc:
        return f"{exc}; no reader recognises it"
    if broken is not None:
        return f"line {broken[0]}: {broken[1]}; no reader recognises the file"
    return f"text ({encoding}) in a format no reader recognises (unexpected header or layout)"


def _discover_folder(folder: Path, readers: list[Reader], discovery: Discovery) -> None:
    found = claims(folder, readers)
    if len(found) > 1:
        names = " and ".join(reader.info.name for reader in found)
        discovery.skipped.append(Skipped(folder, f"ambiguous format, claimed by {names}"))
        return
    unit = found[0] if found else None
    if unit is not None:
        discovery.append((unit, folder))
    for entry in sorted(os.scandir(folder), key=lambda item: item.name):
        child = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            if unit is None:
                _discover_folder(child, readers, discovery)
        elif entry.is_dir():
            discovery.skipped.append(Skipped(child, "symbolic link to a folder, not followed"))
        elif entry.is_file():
            _discover_file(child, readers, discovery, unit)

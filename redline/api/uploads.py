"""Uploaded files: written under REDLINE_HOME/uploads with a safe name, removed after use.

The request body is already size-limited by the Guard middleware; decoding limits (pixels, video
length) are the media hashing module's."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import HTTPException, UploadFile

from redline.media.hashing import VIDEO_EXTENSIONS

SAFE_SUFFIX = re.compile(r"^\.[a-z0-9]{1,5}$")


def suffix_for(upload: UploadFile, kind: str | None) -> str:
    """The file's extension when it is a plain one; else one that tells photo from video."""
    suffix = Path(upload.filename or "").suffix.lower()
    if kind == "video":
        return suffix if suffix in VIDEO_EXTENSIONS else ".mp4"
    if kind == "photo":
        return suffix if SAFE_SUFFIX.match(suffix) and suffix not in VIDEO_EXTENSIONS else ".img"
    return suffix if SAFE_SUFFIX.match(suffix) else ".bin"


@contextmanager
def saved(upload: UploadFile, home: Path, suffix: str, field: str = "file") -> Iterator[Path]:
    folder = home / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=folder, suffix=suffix)
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            size = 0
            while chunk := upload.file.read(1 << 20):
                out.write(chunk)
                size += len(chunk)
        if size == 0:
            raise HTTPException(422, f"{field}: the uploaded file is empty")
        yield path
    finally:
        path.unlink(missing_ok=True)

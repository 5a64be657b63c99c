"""Pickled cache files beside the store: written whole or not at all, replacing older ones."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any


def write_cache(path: Path, value: Any, stale: str) -> None:
    """Remove the files matching `stale` in path's folder, then write `value` to `path` through a
    temporary file renamed into place, so a reader in another process never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob(stale):
        old.unlink(missing_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)

"""The frozen tune/test split shared by every parties evaluation set.

A case's half is a salted hash of its set name and its group key (the thing that must never sit in
both halves: a Latin name and its native forms, a listed entity and its aliases). The salt is fixed;
changing it re-draws every split and invalidates the committed case files, so never change it.
Engine work is tuned on the "tune" half; figures are reported on the "test" half only.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

SALT = "redline-parties-eval-frozen-2026-12-03"
HALVES = ("tune", "test")


def split_of(set_name: str, group: str) -> str:
    digest = hashlib.sha256(f"{SALT}|{set_name}|{group}".encode()).digest()
    return HALVES[digest[0] & 1]


def data_root() -> Path:
    return Path(os.environ.get("REDLINE_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))



def split_argument(value: str) -> str:
    """--split: 'tune' (default for engine work), 'test' (the figures that are reported) or 'all'."""
    if value not in (*HALVES, "all"):
        print(f"error: --split must be tune, test or all, not {value!r}", file=sys.stderr)
        raise SystemExit(2)
    return value

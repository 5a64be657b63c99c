"""Recorded observations (the DESIGN.md evidence format): read one, a list, or a JSON-lines journal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson


class EvidenceError(ValueError):
    pass


def read_observations(path: Path) -> list[dict[str, Any]]:
    """Observations from a .json file (one object or a list) or a .jsonl journal (one a line)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EvidenceError(f"cannot read {path}: {exc.strerror}") from exc
    text = raw.strip()
    if not text:
        return []
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        data = None
    if data is None:
        observations = []
        for n, line in enumerate(raw.splitlines(), 1):
            if line.strip():
                try:
                    observations.append(orjson.loads(line))
                except orjson.JSONDecodeError as exc:
                    raise EvidenceError(f"{path}:{n}: not JSON ({exc})") from exc
        data = observations
    items = data if isinstance(data, list) else [data]
    out = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("domain"), str):
            raise EvidenceError(f"{path}: observation {n} has no \"domain\"")
        out.append(item)
    return out

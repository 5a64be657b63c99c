"""FollowTheMoney JSON: import entity files (JSON lines, or one JSON array) and export them.

The line format is what OpenSanctions and the `ftm` tools emit: one {"id", "schema",
"properties"} object a line. `export_entities` writes the same format, so one Redline's export
loads unchanged into another.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from followthemoney import EntityProxy, model

from redline.parties.sources.base import ListFormatError, SourceInfo
from redline.parties.sources.common import make_entity

SOURCE = "ftm_json"
SUFFIXES = {".json", ".jsonl", ".ijson", ".ftm", ".ndjson"}


class FtmJsonReader:
    info = SourceInfo(
        name=SOURCE,
        title="FollowTheMoney entities (JSON lines)",
        publisher="Any FollowTheMoney producer (OpenSanctions, ftm tools, another Redline)",
        url=None,
        licence="As stated by the file's producer (OpenSanctions exports are CC BY-NC 4.0).",
    )

    def detect(self, path: Path) -> bool:
        if not path.is_file() or path.suffix.lower() not in SUFFIXES:
            return False
        try:
            with path.open("r", encoding="utf-8") as handle:
                head = handle.read(4096).lstrip()
        except (OSError, UnicodeDecodeError):
            return False
        if head.startswith("["):
            head = head[1:].lstrip()
        return head.startswith("{") and '"schema"' in head and '"id"' in head

    def read(self, path: Path) -> Iterator[EntityProxy]:
        entities = [_entity(path, where, data) for where, data in _records(path)]
        return iter(entities)

    def data_date(self, path: Path) -> str | None:
        return None


def export_entities(entities: Iterable[EntityProxy], path_or_stream: str | Path | IO[Any]) -> int:
    """Write `entities` as FtM JSON lines to a path or an open text/binary stream; returns the count."""
    if isinstance(path_or_stream, (str, Path)):
        with Path(path_or_stream).open("w", encoding="utf-8") as handle:
            return export_entities(entities, handle)
    binary = not isinstance(path_or_stream, io.TextIOBase) and "b" in getattr(path_or_stream, "mode", "")
    count = 0
    for entity in entities:
        line = json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True) + "\n"
        path_or_stream.write(line.encode("utf-8") if binary else line)
        count += 1
    return count


def _records(path: Path) -> Iterator[tuple[str, Any]]:
    """JSON lines are read a line at a time (as followthemoney reads them); a JSON array is parsed whole."""
    with path.open("rb") as handle:
        array = handle.read(4096).lstrip().startswith(b"[")
    if array:
        try:
            items = json.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            raise ListFormatError(path, None, f"not UTF-8 text ({exc.reason})") from exc
        except json.JSONDecodeError as exc:
            raise ListFormatError(path, exc.lineno, f"bad JSON: {exc.msg}; the file may be truncated") from exc
        for index, item in enumerate(items):
            yield f"element {index}", item
        return
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise ListFormatError(path, number, f"not UTF-8 text ({exc.reason})") from exc
            if not line.strip():
                continue
            try:
                yield str(number), json.loads(line)
            except json.JSONDecodeError as exc:
                raise ListFormatError(path, number, f"bad JSON: {exc.msg}; the file may be truncated") from exc


def _entity(path: Path, where: str, data: Any) -> EntityProxy:
    line: int | str = int(where) if where.isdigit() else where
    if not isinstance(data, dict):
        raise ListFormatError(path, line, "an entity must be a JSON object")
    schema = model.get(data.get("schema") or "")
    if schema is None:
        raise ListFormatError(path, line, f"unknown FtM schema {data.get('schema')!r}")
    entity_id = data.get("id")
    if not isinstance(entity_id, str) or not entity_id:
        raise ListFormatError(path, line, "entity without an id")
    entity = make_entity(schema.name, entity_id)
    properties = data.get("properties") or {}
    if not isinstance(properties, dict):
        raise ListFormatError(path, line, "'properties' must be an object")
    for name, values in properties.items():
        if schema.get(name) is None:
            raise ListFormatError(path, line, f"schema {schema.name} has no property {name!r}")
        values = values if isinstance(values, list) else [values]
        if not all(isinstance(value, str) for value in values):
            raise ListFormatError(path, line, f"property {name!r} must hold strings")
        entity.add(name, values, cleaned=True)
    return entity


READERS = (FtmJsonReader(),)

"""List snapshots: every import is a versioned, all-or-nothing snapshot in the store.

A file is read completely before anything is written; a malformed file raises ListFormatError
and the store is untouched, so the previous snapshot of that source stays in force. For each
source the snapshot in force is the one with the latest data date (then the latest import).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select, update

from redline.parties.sources.base import ListFormatError, Reader
from redline.parties.tables import entities as entities_table
from redline.parties.tables import snapshots as snapshots_table
from redline.store import Store
from redline.store.snapshots import snapshot_rows

BATCH = 5000


@dataclass
class ImportResult:
    source: str
    path: str
    status: str  # imported | unchanged | refused
    snapshot_id: int | None = None
    sha256: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    data_date: str | None = None
    error: str | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def file_digest(path: Path) -> str:
    """SHA-256 of a file, or of a folder's files (names and contents, in name order)."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for file in files:
        if path.is_dir():
            digest.update(str(file.relative_to(path)).encode() + b"\0")
        with file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def snapshot_label(row: Mapping[str, Any]) -> str:
    """'us_ofac_sdn@2024-12-31#7': source, data date (else retrieval date) and snapshot id."""
    when = row["data_date"] or row["retrieved_at"][:10]
    return f"{row['source']}@{when}#{row['id']}"


IMPORTS = [0]  # bumped by every import in this process, so cached screeners know to look again


def import_unit(
    store: Store,
    reader: Reader,
    path: Path,
    url: str | None = None,
    retrieved_at: str | None = None,
    force: bool = False,
) -> ImportResult:
    started = datetime.now(timezone.utc)
    source = reader.info.name
    result = ImportResult(source=source, path=str(path), status="refused")
    result.sha256 = file_digest(path)
    if not force:
        with store.connect() as conn:
            existing = conn.execute(
                select(snapshots_table.c.id).where(
                    snapshots_table.c.source == source, snapshots_table.c.sha256 == result.sha256
                )
            ).first()
        if existing:
            result.status, result.snapshot_id = "unchanged", existing.id
            return result
    try:
        rows = [entity.to_dict() for entity in reader.read(path)]
    except ListFormatError as exc:
        result.error = str(exc)
        return result
    if not any(row["schema"] != "Sanction" for row in rows):
        result.error = f"{path}: no entities found; refusing an empty snapshot"
        return result
    duplicate = _first_duplicate(row["id"] for row in rows)
    if duplicate:
        result.error = f"{path}: entity id {duplicate!r} appears twice; refusing the file"
        return result
    result.counts = dict(Counter(row["schema"] for row in rows))
    result.data_date = reader.data_date(path)
    with store.transaction() as conn:
        snapshot_id = conn.execute(
            snapshots_table.insert().values(
                source=source,
                url=url or reader.info.url,
                path=str(path),
                retrieved_at=retrieved_at or started.isoformat(timespec="seconds"),
                data_date=result.data_date,
                sha256=result.sha256,
                counts=orjson.dumps(result.counts).decode(),
                active=False,
            )
        ).inserted_primary_key[0]
        for start in range(0, len(rows), BATCH):
            conn.execute(
                entities_table.insert(),
                [
                    {
                        "snapshot_id": snapshot_id,
                        "entity_id": row["id"],
                        "schema": row["schema"],
                        "caption": (row["properties"].get("name") or [row["id"]])[0],
                        "data": orjson.dumps(row).decode(),
                    }
                    for row in rows[start:start + BATCH]
                ],
            )
        _activate_latest(conn, source)
    IMPORTS[0] += 1
    result.status, result.snapshot_id = "imported", snapshot_id
    result.seconds = round((datetime.now(timezone.utc) - started).total_seconds(), 3)
    return result


def _first_duplicate(ids: Iterator[str]) -> str | None:
    seen: set[str] = set()
    for entity_id in ids:
        if entity_id in seen:
            return entity_id
        seen.add(entity_id)
    return None


def _activate_latest(conn: Any, source: str) -> None:
    rows = conn.execute(select(snapshots_table).where(snapshots_table.c.source == source)).all()
    latest = max(rows, key=lambda r: ((r.data_date or r.retrieved_at[:10]), r.id))
    conn.execute(update(snapshots_table).where(snapshots_table.c.source == source).values(active=False))
    conn.execute(update(snapshots_table).where(snapshots_table.c.id == latest.id).values(active=True))


def list_snapshots(store: Store, active_only: bool = False) -> list[dict[str, Any]]:
    return [{**row, "label": snapshot_label(row)} for row in snapshot_rows(store, snapshots_table, active_only)]


def active_entities(store: Store) -> Iterator[tuple[dict[str, Any], str, str]]:
    """(entity dict, source, snapshot label) for every entity of every snapshot in force."""
    with store.connect() as conn:
        snaps = {row.id: row for row in conn.execute(select(snapshots_table).where(snapshots_table.c.active.is_(True)))}
        if not snaps:
            return
        query = select(entities_table.c.snapshot_id, entities_table.c.data).where(
            entities_table.c.snapshot_id.in_(list(snaps))
        )
        for row in conn.execute(query):
            snap = snaps[row.snapshot_id]
            yield orjson.loads(row.data), snap.source, snapshot_label(snap._mapping)


def _entity_map(conn: Any, snapshot_id: int) -> dict[str, dict[str, Any]]:
    rows = conn.execute(select(entities_table.c.entity_id, entities_table.c.data).where(entities_table.c.snapshot_id == snapshot_id))
    return {row.entity_id: orjson.loads(row.data) for row in rows}


def diff(store: Store, source: str, old_id: int | None = None, new_id: int | None = None) -> dict[str, Any]:
    """What was added, removed and changed between two snapshots of one source
    (by default the two latest by data date)."""
    with store.connect() as conn:
        rows = conn.execute(select(snapshots_table).where(snapshots_table.c.source == source)).all()
        ordered = sorted(rows, key=lambda r: ((r.data_date or r.retrieved_at[:10]), r.id))
        by_id = {r.id: r for r in rows}
        if old_id is None or new_id is None:
            if len(ordered) < 2:
                raise ValueError(f"source {source!r} has {len(ordered)} snapshot(s); a diff needs two")
            old_row, new_row = ordered[-2], ordered[-1]
        else:
            if old_id not in by_id or new_id not in by_id:
                raise ValueError(f"snapshots {old_id} and {new_id} are not both snapshots of {source!r}")
            old_row, new_row = by_id[old_id], by_id[new_id]
        old, new = _entity_map(conn, old_row.id), _entity_map(conn, new_row.id)
    changed = []
    for entity_id in sorted(old.keys() & new.keys()):
        before, after = old[entity_id], new[entity_id]
        if before != after:
            props = sorted(
                p for p in before["properties"].keys() | after["properties"].keys()
                if sorted(before["properties"].get(p, [])) != sorted(after["properties"].get(p, []))
            )
            if props or before["schema"] != after["schema"]:
                changed.append({"id": entity_id, "caption": _caption(after), "properties": props})
    return {
        "source": source,
        "old": snapshot_label(old_row._mapping),
        "new": snapshot_label(new_row._mapping),
        "added": [{"id": i, "schema": new[i]["schema"], "caption": _caption(new[i])} for i in sorted(new.keys() - old.keys())],
        "removed": [{"id": i, "schema": old[i]["schema"], "caption": _caption(old[i])} for i in sorted(old.keys() - new.keys())],
        "changed": changed,
    }


def _caption(entity: dict[str, Any]) -> str:
    return (entity["properties"].get("name") or [entity["id"]])[0]


def import_paths(
    store: Store,
    paths: list[Path],
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> tuple[list[ImportResult], list[dict[str, str]]]:
    """Import every list found under `paths`. Each unit is its own all-or-nothing snapshot."""
    from redline.parties.sources.registry import discover

    results: list[ImportResult] = []
    skipped: list[dict[str, str]] = []
    for path in paths:
        found = discover(Path(path))
        skipped.extend({"path": str(s.path), "reason": s.reason} for s in found.skipped)
        for reader, unit in found:
            if progress:
                progress(f"{reader.info.name}: {unit}")
            results.append(import_unit(store, reader, unit, force=force))
    return results, skipped

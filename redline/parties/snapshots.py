"""List snapshots: every import is a versioned, all-or-nothing snapshot in the store.

A file is read completely before anything is written; a malformed file raises ListFormatError
and the store is untouched, so the previous snapshot of that source stays in force. Each
snapshot is written in one transaction with its ledger entry, and one file (SHA-256) is stored
once per source, concurrent imports included. For each source the snapshot in force is the one
with the latest data date: the date the file states, else one its name or content shows (see
`data_date_of`); a snapshot that would put in force a list with far fewer entities is held.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import IntegrityError

from redline.config import load_settings
from redline.ledger import Ledger
from redline.parties.sources.base import ListFormatError, Reader
from redline.parties.sources.common import parse_date
from redline.parties.tables import entities as entities_table
from redline.parties.tables import snapshots as snapshots_table
from redline.store import Store
from redline.store.snapshots import snapshot_rows

BATCH = 5000


@dataclass
class ImportResult:
    source: str
    path: str
    status: str  # imported | reimported | unchanged | held | refused
    snapshot_id: int | None = None
    sha256: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    data_date: str | None = None
    date_basis: str | None = None  # where data_date came from, in words; None with no date
    label: str | None = None
    in_force: bool = False
    shrink: dict[str, Any] | None = None  # set when the snapshot in force would lose >SHRINK_LIMIT of its entities
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


SHRINK_LIMIT = 0.10  # a new snapshot put in force with more than 10% fewer entities is held for confirmation
UNKNOWN_DATE = "date unknown"


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
    """'us_ofac_sdn@2024-05-03#7': source, the data's own date and snapshot id; 'date unknown' when the
    data state no date (never the import date, which would read as current)."""
    return f"{row['source']}@{row['data_date'] or UNKNOWN_DATE}#{row['id']}"


IMPORTS = [0]  # bumped by every import in this process, so cached screeners know to look again


def import_unit(
    store: Store,
    reader: Reader,
    path: Path,
    url: str | None = None,
    retrieved_at: str | None = None,
    force: bool = False,
    accept_shrink: bool = False,
    actor: str | None = None,
) -> ImportResult:
    """Import one unit as a snapshot, with its ledger entry in the same transaction.

    A file whose SHA-256 is already stored is "unchanged" (a unique constraint makes that hold for
    concurrent imports too); `force` re-reads it into the same snapshot. A snapshot that would go in
    force with more than SHRINK_LIMIT fewer entities than the one in force is "held": nothing is
    written but its ledger entry, unless `accept_shrink`."""
    started = datetime.now(timezone.utc)
    source = reader.info.name
    result = ImportResult(source=source, path=str(path), status="refused")
    result.sha256 = file_digest(path)
    if not force:
        with store.connect() as conn:
            existing = _by_digest(conn, source, result.sha256)
        if existing is not None:
            return _unchanged(result, existing)
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
    result.data_date, result.date_basis = data_date_of(reader, path, rows, retrieved_at if url else None)
    values = {
        "source": source,
        "url": url or reader.info.url,
        "path": str(path),
        "retrieved_at": retrieved_at or started.isoformat(timespec="seconds"),
        "data_date": result.data_date,
        "sha256": result.sha256,
        "counts": orjson.dumps(result.counts).decode(),
        "active": False,
    }
    ledger = Ledger(store)
    actor = actor or load_settings().user
    try:
        with store.transaction() as conn:
            _lock_source(conn, source)
            existing = _by_digest(conn, source, result.sha256)
            if existing is not None and not force:
                return _unchanged(result, existing)  # a concurrent import stored it first
            snapshot_id = _store_snapshot(conn, values, rows, existing, result, accept_shrink)
            if snapshot_id is None:
                ledger.append("parties.import", actor, {"path": str(path), "source": source},
                              _outcome(result, "held"), conn=conn)
                return result
            if not result.in_force:
                result.warnings.append(_not_in_force_note(conn, source))
            ledger.append("parties.import", actor, {"path": str(path), "source": source},
                          _outcome(result, result.status), refs={"snapshot": result.label}, conn=conn)
    except IntegrityError:
        with store.connect() as conn:
            existing = _by_digest(conn, source, result.sha256)
        if existing is None:
            raise
        return _unchanged(ImportResult(source=source, path=str(path), status="refused", sha256=result.sha256), existing)
    IMPORTS[0] += 1
    result.seconds = round((datetime.now(timezone.utc) - started).total_seconds(), 3)
    return result


def _store_snapshot(
    conn: Any, values: dict[str, Any], rows: list[dict[str, Any]], existing: Any, result: ImportResult, accept_shrink: bool
) -> int | None:
    """Insert (or, forced, refill) the snapshot and its entities and decide what is in force; None when held."""
    source = values["source"]
    stored = _source_rows(conn, source)
    others = [row for row in stored if existing is None or row.id != existing.id]
    current = next((row for row in stored if row.active), None)  # a forced refill compares with itself
    candidate = {"id": existing.id if existing is not None else _NEW, "data_date": values["data_date"], "source": source}
    chosen, warning = _choose_in_force([*({"id": r.id, "data_date": r.data_date, "source": r.source} for r in others), candidate])
    goes_in_force = chosen["id"] == candidate["id"]
    if goes_in_force and current is not None:
        result.shrink = _shrink(current, result.counts)
        if result.shrink is not None and not accept_shrink:
            result.status = "held"
            result.error = (
                f"{values['path']}: {result.shrink['new']:,} entities against {result.shrink['previous']:,} in force "
                f"({result.shrink['percent']:+.1f}%); held, {result.shrink['previous_snapshot']} stays in force. "
                "If the list really shrank, import it again with --accept-shrink"
            )
            return None
    if existing is not None:
        snapshot_id = existing.id
        conn.execute(delete(entities_table).where(entities_table.c.snapshot_id == snapshot_id))
        conn.execute(update(snapshots_table).where(snapshots_table.c.id == snapshot_id).values(
            path=values["path"], data_date=values["data_date"], counts=values["counts"]))
        result.status = "reimported"
    else:
        snapshot_id = conn.execute(snapshots_table.insert().values(**values)).inserted_primary_key[0]
        result.status = "imported"
    for start in range(0, len(rows), BATCH):
        conn.execute(entities_table.insert(), [_entity_row(snapshot_id, row) for row in rows[start:start + BATCH]])
    in_force = _activate_latest(conn, source)
    result.snapshot_id = snapshot_id
    result.in_force = in_force == snapshot_id
    result.label = snapshot_label({**values, "id": snapshot_id})
    if warning and result.in_force:
        result.warnings.append(warning)
    return snapshot_id


_NEW = 1 << 62  # the id a snapshot not yet inserted sorts as: after every stored one


def _entity_row(snapshot_id: int, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "snapshot_id": snapshot_id,
        "entity_id": row["id"],
        "schema": row["schema"],
        "caption": (row["properties"].get("name") or [row["id"]])[0],
        "data": orjson.dumps(row).decode(),
    }


def _shrink(current: Any, counts: dict[str, int]) -> dict[str, Any] | None:
    previous = sum(orjson.loads(current.counts).values())
    new = sum(counts.values())
    if previous <= 0 or new >= previous * (1 - SHRINK_LIMIT):
        return None
    return {
        "previous": previous,
        "new": new,
        "lost": previous - new,
        "percent": round(100.0 * (new - previous) / previous, 1),
        "previous_snapshot": snapshot_label(current._mapping),
    }


def _outcome(result: ImportResult, summary: str) -> dict[str, Any]:
    return {
        "summary": summary,
        "snapshot": result.snapshot_id,
        "sha256": result.sha256,
        "counts": result.counts,
        "data_date": result.data_date,
        "date_basis": result.date_basis,
        "in_force": result.in_force,
        "shrink": result.shrink,
    }


def _unchanged(result: ImportResult, existing: Any) -> ImportResult:
    result.status, result.snapshot_id = "unchanged", existing.id
    result.counts = orjson.loads(existing.counts)
    result.data_date = existing.data_date
    result.label = snapshot_label(existing._mapping)
    result.in_force = bool(existing.active)
    return result


def _lock_source(conn: Any, source: str) -> None:
    """On PostgreSQL, imports of one source queue here, so that two different files of a source
    imported at once cannot both be put in force (SQLite's BEGIN IMMEDIATE already serialises)."""
    if conn.dialect.name == "postgresql":
        key = int(hashlib.sha256(f"redline.parties.import:{source}".encode()).hexdigest()[:15], 16)
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _by_digest(conn: Any, source: str, sha256: str) -> Any:
    return conn.execute(
        select(snapshots_table).where(snapshots_table.c.source == source, snapshots_table.c.sha256 == sha256)
        .order_by(snapshots_table.c.id).limit(1)
    ).first()


def _source_rows(conn: Any, source: str) -> list[Any]:
    return list(conn.execute(select(snapshots_table).where(snapshots_table.c.source == source)).all())


def _not_in_force_note(conn: Any, source: str) -> str:
    active = next((row for row in _source_rows(conn, source) if row.active), None)
    kept = snapshot_label(active._mapping) if active is not None else "none"
    return f"stored but not in force: {kept} has newer data"


def _first_duplicate(ids: Iterator[str]) -> str | None:
    seen: set[str] = set()
    for entity_id in ids:
        if entity_id in seen:
            return entity_id
        seen.add(entity_id)
    return None


def _choose_in_force(rows: list[Mapping[str, Any]]) -> tuple[Mapping[str, Any], str | None]:
    """The snapshot in force among one source's: the latest data date (ties: the later import).
    A snapshot without a data date can only be placed by import order: it is in force when it is
    the latest import, and that comes with a warning."""
    latest_import = max(rows, key=lambda row: row["id"])
    if latest_import["data_date"] is None:
        return latest_import, (
            "the data state no date (none in the file, its name or its content): "
            "in force only because it was imported last"
        )
    dated = [row for row in rows if row["data_date"]]
    return max(dated, key=lambda row: (row["data_date"], row["id"])), None


def _activate_latest(conn: Any, source: str) -> int:
    rows = _source_rows(conn, source)
    chosen, _warning = _choose_in_force([{"id": r.id, "data_date": r.data_date, "source": r.source} for r in rows])
    conn.execute(update(snapshots_table).where(snapshots_table.c.source == source, snapshots_table.c.id != chosen["id"]).values(active=False))
    conn.execute(update(snapshots_table).where(snapshots_table.c.id == chosen["id"]).values(active=True))
    return int(chosen["id"])


# --- the data's own date -------------------------------------------------------------------------

_PATH_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2}-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)(?!\d)")
_CONTENT_DATE_PROPS = frozenset({"listingDate", "startDate", "date", "modifiedAt", "createdAt"})
_DATE_WORDS = re.compile(
    r"\b(?:listing date|effective date|designation date|date of designation|issue date|issued|date issued"
    r"|last updated|updated on|modified on|publication date|published on)(?:\s*\([^)]{0,60}\))?[\s:]*"
    r"(\d{1,2} [A-Za-z]{3,9}\.? \d{4}|\d{4}-\d{2}-\d{2}|[A-Za-z]{3,9} \d{1,2}, \d{4})",
    re.IGNORECASE,
)


def data_date_of(
    reader: Reader, path: Path, rows: list[dict[str, Any]], retrieved_at: str | None = None
) -> tuple[str | None, str | None]:
    """(the data's own date, where it came from). In order: the date the file states; a date in
    the file's or its folder's name, when it is not older than what the content shows; the newest
    listing, modification or issue date inside the content; for a download, the day it was
    retrieved from the publisher. (None, None) when nothing dates the data."""
    stated = reader.data_date(path)
    if stated:
        return stated, "stated in the file"
    today = date.today().isoformat()
    content = content_date(rows, today)
    named = path_date(path, today)
    if named and (content is None or named >= content[: len(named)]):
        return named, "the file's or folder's name"
    if content:
        return content, "newest listing, modification or issue date in the content"
    if retrieved_at:
        return retrieved_at[:10], "retrieved from the publisher"
    return None, None


def path_date(path: Path, today: str | None = None) -> str | None:
    """An ISO date (or year-month) in the unit's own name or its folder's name, not in the future."""
    today = today or date.today().isoformat()
    for part in (path.name, path.parent.name):
        for found in _PATH_DATE.findall(part):
            if found <= today:
                return found
    return None


def content_date(rows: list[dict[str, Any]], today: str | None = None) -> str | None:
    """The newest listing or modification date the entities carry, not in the future: from date
    fields (Sanction listingDate, startDate, modifiedAt…), and from dates that free text names
    ("Listing Date (EO 14024): 24 Feb 2022", "Passport … issued 21 Aug 2006"). A date read from
    free text counts only when two records carry it, so one typo ("issued 03 Nov 2024" in a file
    of May 2024) cannot date a whole list."""
    today = today or date.today().isoformat()
    best = ""
    in_text: Counter[str] = Counter()
    for row in rows:
        found: set[str] = set()
        for prop, values in row["properties"].items():
            for value in values:
                if not isinstance(value, str):
                    continue
                if prop in _CONTENT_DATE_PROPS and row["schema"] in _DATED_SCHEMAS:
                    candidate = value[:10]
                    if best < candidate <= today and _PLAUSIBLE.fullmatch(candidate):
                        best = candidate
                elif len(value) > 12 and ("ate" in value or "ssued" in value or "pdated" in value or "ublished" in value):
                    found.update(parsed for text in _DATE_WORDS.findall(value) if (parsed := parse_date(text)))
        in_text.update(found)
    repeated = max((day for day, count in in_text.items() if count >= 2 and day <= today), default="")
    return max(best, repeated) or None


_DATED_SCHEMAS = ("Sanction", "Person", "Company", "Organization", "LegalEntity", "Vessel", "Airplane", "PublicBody")
_PLAUSIBLE = re.compile(r"(?:19|20)\d{2}(?:-\d{2}(?:-\d{2})?)?")


def list_snapshots(store: Store, active_only: bool = False) -> list[dict[str, Any]]:
    return [{**row, "label": snapshot_label(row)} for row in snapshot_rows(store, snapshots_table, active_only)]


def active_entities(store: Store) -> Iterator[tuple[dict[str, Any], str, str]]:
    """(entity dict, source, snapshot label) for every entity of every snapshot in force."""
    with store.connect() as conn:
        snaps = {row.id: row for row in conn.execute(select(snapshots_table).where(snapshots_table.c.active.is_(True)))}
        if not snaps:
            return
        # One order on every backend (SQLite's index gives it already; PostgreSQL gives none): a cluster's first
        # entity names its party, so the same lists must give the same party ids and captions.
        query = select(entities_table.c.snapshot_id, entities_table.c.data).where(
            entities_table.c.snapshot_id.in_(list(snaps))
        ).order_by(entities_table.c.snapshot_id, entities_table.c.entity_id)
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
        ordered = sorted(rows, key=lambda r: (r.data_date or "", r.id))
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
    accept_shrink: bool = False,
    actor: str | None = None,
) -> tuple[list[ImportResult], list[dict[str, str]]]:
    """Import every list found under `paths`. Each unit is its own all-or-nothing snapshot.

    A file named in `paths` that no reader recognises is a refused result (a file found while
    searching a folder is only reported as skipped)."""
    from redline.parties.sources.registry import discover

    results: list[ImportResult] = []
    skipped: list[dict[str, str]] = []
    for path in paths:
        path = Path(path)
        found = discover(path)
        for item in found.skipped:
            if item.path == path and not path.is_dir():
                results.append(ImportResult(source="", path=str(path), status="refused", error=f"{path}: {item.reason}"))
            else:
                skipped.append({"path": str(item.path), "reason": item.reason})
        for reader, unit in found:
            if progress:
                progress(f"{reader.info.name}: {unit}")
            results.append(import_unit(store, reader, unit, force=force, accept_shrink=accept_shrink, actor=actor))
    return results, skipped

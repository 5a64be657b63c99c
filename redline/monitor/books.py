"""Customer books: a CSV or Parquet file of counterparties, imported by `id` and kept in the store.

An import is streamed in chunks and is all or nothing: a bad row refuses the file, naming its line
(CSV) or row number (Parquet). Re-importing a book updates it by `id`: rows absent from the new
file are removed, and the import says how many were added, changed, removed and unchanged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from redline.context import Context
from redline.csvio import CsvInputError, is_parquet, read_parquet, read_rows
from redline.inputs import InputError, parse_country, parse_date, parse_name, parse_schema
from redline.monitor.tables import monitor_alerts, monitor_books, monitor_rows

QUERY_COLUMNS = ("id", "name", "schema", "country", "birth_date", "identifiers")
CHUNK = 2000
MAX_ID = 200


class BookError(ValueError):
    """A file or a book name that cannot be used; the message says where and why (exit 2)."""


class BookNotFound(LookupError):
    pass


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _digest(value: Any) -> str:
    return hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _split_identifiers(value: str) -> list[str]:
    return sorted({part.strip() for part in value.replace("|", ";").split(";") if part.strip()})


def parse_row(values: dict[str, Any], where: str) -> dict[str, Any]:
    """One book row as stored, or BookError naming `where` (file:line) and the column."""

    def text(column: str) -> str:
        value = values.get(column)
        return "" if value is None else str(value).strip()

    row_id = text("id")
    if not row_id:
        raise BookError(f"{where}: id: is empty")
    if len(row_id) > MAX_ID:
        raise BookError(f"{where}: id: is {len(row_id)} characters long; at most {MAX_ID}")
    try:
        schema = parse_schema(text("schema"), "schema")
        name = parse_name(text("name"), "name")
        country = parse_country(text("country"), "country") if text("country") else None
        birth_date = parse_date(text("birth_date") or None, "birth_date")
    except InputError as exc:
        raise BookError(f"{where}: {exc}") from None
    attributes = {k: (v if isinstance(v, (int, float, bool)) else str(v)) for k, v in values.items()
                  if k not in QUERY_COLUMNS and v not in (None, "")}
    query = {"name": name, "schema": schema, "country": country, "birth_date": birth_date,
             "identifiers": _split_identifiers(text("identifiers"))}
    query_hash = _digest(query)
    return {"row_id": row_id, **query, "identifiers": orjson.dumps(query["identifiers"]).decode(),
            "attributes": orjson.dumps(attributes, option=orjson.OPT_SORT_KEYS).decode(),
            "query_hash": query_hash, "row_hash": _digest([query_hash, attributes])}


def read_book(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """The rows of a CSV or Parquet (by its suffix) book file, parsed, streamed, each with where it is."""
    if not path.is_file():
        raise BookError(f"FILE: no such file: {path}")
    if is_parquet(path):
        yield from _read_parquet(path)
        return
    try:
        header, rows = read_rows(path)
        _check_header(header, path)
        for line, values in rows:
            where = f"{path}:{line}"
            yield where, parse_row(dict(zip(header, values)), where)
    except CsvInputError as exc:
        raise BookError(str(exc)) from None


def _check_header(columns: list[str], path: Path) -> None:
    missing = [c for c in ("id", "name") if c not in columns]
    if missing:
        raise BookError(f"{path}:1: no {' or '.join(missing)} column (a book needs id and name; found {', '.join(columns)})")


def _read_parquet(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    try:
        columns, _, rows = read_parquet(path, CHUNK)
        _check_header(columns, path)
        for number, values in rows:
            where = f"{path}: row {number}"
            yield where, parse_row(values, where)
    except CsvInputError as exc:
        raise BookError(str(exc)) from None


def _org_key(org: str | None) -> str:
    return org or ""


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 200 or any(c in name for c in "\n\r\t"):
        raise BookError("--book: a book name is 1 to 200 characters on one line")
    return name


def get_book(conn: Connection, ctx: Context, name: str) -> Any:
    row = conn.execute(select(monitor_books).where(
        monitor_books.c.org_key == _org_key(ctx.org), monitor_books.c.name == name)).first()
    if row is None:
        raise BookNotFound(f"--book: no book named {name!r}" + (f" in organisation {ctx.org!r}" if ctx.org else ""))
    return row


_EXISTING = select(monitor_rows.c.row_id, monitor_rows.c.row_hash).where(
    monitor_rows.c.book_id == bindparam("book"), monitor_rows.c.row_id.in_(bindparam("ids", expanding=True)))


def import_book(ctx: Context, path: Path, name: str) -> dict[str, Any]:
    """Create or update book `name` of the context's organisation from `path`, in one transaction."""
    name = _check_name(name)
    path = Path(path)
    counts = {"added": 0, "changed": 0, "unchanged": 0, "removed": 0}
    rows = read_book(path)
    with ctx.store.transaction() as conn:
        existing = conn.execute(select(monitor_books).where(
            monitor_books.c.org_key == _org_key(ctx.org), monitor_books.c.name == name)).first()
        now = _now()
        if existing is None:
            try:
                key = conn.execute(insert(monitor_books).values(
                    org=ctx.org, org_key=_org_key(ctx.org), name=name, generation=1, created_at=now, updated_at=now,
                )).inserted_primary_key
            except IntegrityError:
                raise BookError(f"--book: another import created book {name!r} at the same time; import again to update it") from None
            assert key is not None
            book_id = key[0]
            generation = 1
        else:
            book_id, generation = existing.id, existing.generation + 1
            conn.execute(update(monitor_books).where(monitor_books.c.id == book_id).values(generation=generation, updated_at=now))
        seen: set[str] = set()
        while located := list(islice(rows, CHUNK)):
            for where, row in located:
                if row["row_id"] in seen:
                    raise BookError(f"{where}: id: {row['row_id']!r} appears twice")
                seen.add(row["row_id"])
            chunk = [row for _, row in located]
            known = dict(conn.execute(_EXISTING, {"book": book_id, "ids": [r["row_id"] for r in chunk]}).all())
            added = [{**r, "book_id": book_id, "generation": generation} for r in chunk if r["row_id"] not in known]
            changed = [r for r in chunk if r["row_id"] in known and known[r["row_id"]] != r["row_hash"]]
            same = [r["row_id"] for r in chunk if known.get(r["row_id"]) == r["row_hash"]]
            if added:
                conn.execute(insert(monitor_rows), added)
            for row in changed:
                conn.execute(update(monitor_rows).where(
                    monitor_rows.c.book_id == book_id, monitor_rows.c.row_id == row["row_id"],
                ).values(**{k: v for k, v in row.items() if k != "row_id"}, generation=generation))
            if same:
                conn.execute(update(monitor_rows).where(
                    monitor_rows.c.book_id == book_id, monitor_rows.c.row_id.in_(same)).values(generation=generation))
            counts["added"] += len(added)
            counts["changed"] += len(changed)
            counts["unchanged"] += len(same)
        counts["removed"] = conn.execute(delete(monitor_rows).where(
            monitor_rows.c.book_id == book_id, monitor_rows.c.generation != generation)).rowcount
        total = counts["added"] + counts["changed"] + counts["unchanged"]
        entry = ctx.ledger.append("monitor.book_import", ctx.actor,
                                  {"book": name, "org": ctx.org, "file": str(path)}, {**counts, "rows": total}, conn=conn)
    return {"book": name, "id": book_id, "org": ctx.org, "file": str(path), "rows": total, **counts,
            "ledger_seq": entry.seq}


def list_books(ctx: Context) -> list[dict[str, Any]]:
    rows = func.count(monitor_rows.c.row_id)
    alerts = select(func.count()).where(monitor_alerts.c.book_id == monitor_books.c.id).scalar_subquery()
    query = (select(monitor_books, rows.label("rows"), alerts.label("alerts"))
             .outerjoin(monitor_rows, monitor_rows.c.book_id == monitor_books.c.id)
             .where(monitor_books.c.org_key == _org_key(ctx.org))
             .group_by(monitor_books.c.id).order_by(monitor_books.c.name))
    with ctx.store.connect() as conn:
        return [_book_dict(r) | {"rows": r.rows, "alerts": r.alerts} for r in conn.execute(query)]


def _book_dict(row: Any) -> dict[str, Any]:
    return {"book": row.name, "id": row.id, "org": row.org, "created_at": row.created_at,
            "updated_at": row.updated_at, "last_run_at": row.last_run_at,
            "last_snapshots": orjson.loads(row.last_snapshots) if row.last_snapshots else None}


def row_dict(row: Any) -> dict[str, Any]:
    return {"id": row.row_id, "name": row.name, "schema": row.schema, "country": row.country,
            "birth_date": row.birth_date, "identifiers": orjson.loads(row.identifiers),
            "attributes": orjson.loads(row.attributes)}


def iter_rows(conn: Connection, book_id: int, where: Any = None) -> Iterator[Any]:
    query = select(monitor_rows).where(monitor_rows.c.book_id == book_id)
    if where is not None:
        query = query.where(and_(where))
    yield from conn.execution_options(yield_per=CHUNK).execute(query.order_by(monitor_rows.c.row_id))


def show_book(ctx: Context, name: str, limit: int = 20) -> dict[str, Any]:
    with ctx.store.connect() as conn:
        book = get_book(conn, ctx, name)
        total = conn.execute(select(func.count()).where(monitor_rows.c.book_id == book.id)).scalar()
        sample = [row_dict(r) for r in islice(iter_rows(conn, book.id), limit)]
        alerts = conn.execute(select(monitor_alerts).where(monitor_alerts.c.book_id == book.id)
                              .order_by(monitor_alerts.c.id.desc()).limit(limit)).all()
    return {**_book_dict(book), "rows": total, "sample": sample,
            "recent_alerts": [alert_dict(a, name) for a in alerts]}


def alert_dict(row: Any, book: str) -> dict[str, Any]:
    return {"book": book, "book_id": row.row_id, "name": row.name, "hit_id": row.hit_id, "caption": row.caption,
            "score": row.score, "reason": row.reason, "snapshot": row.snapshot, "raised_at": row.raised_at,
            "ledger_seq": row.ledger_seq, "review_item": row.review_item}


def export_book(ctx: Context, name: str, output: Path) -> dict[str, Any]:
    """The book's rows as CSV (attributes as columns) or Parquet, by `output`'s suffix."""
    output = Path(output)
    if not output.parent.is_dir():
        raise BookError(f"--output: no such folder: {output.parent}")
    with ctx.store.connect() as conn:
        book = get_book(conn, ctx, name)
        rows = [row_dict(r) for r in iter_rows(conn, book.id)]
    extra = sorted({k for r in rows for k in r["attributes"]} - set(QUERY_COLUMNS))
    flat = [{**{k: r[k] for k in QUERY_COLUMNS if k != "identifiers"}, "identifiers": ";".join(r["identifiers"]),
             **{k: r["attributes"].get(k) for k in extra}} for r in rows]
    columns = list(QUERY_COLUMNS) + extra
    tmp = output.with_name(f".{output.name}.tmp")
    if is_parquet(output):
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({c: [None if r[c] is None else str(r[c]) for r in flat] for c in columns})
        pq.write_table(table, tmp)
    else:
        from redline.csvio import dict_writer

        with tmp.open("w", newline="", encoding="utf-8") as handle:
            writer = dict_writer(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(flat)
    tmp.replace(output)
    return {"book": name, "output": str(output), "rows": len(flat)}

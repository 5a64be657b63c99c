"""Writing many bank hashes in one transaction, fast on SQLite and on PostgreSQL.

Rows go in as plain tuples: SQLite through the driver's `executemany`, PostgreSQL through `COPY`.
A load at least as large as the table already is (and at least `REBUILD_MIN_ROWS`) drops the table's
indexes first and builds them once at the end, inside the same transaction: building an index from
sorted keys is several times faster than a million random B-tree inserts (1 M PDQ hashes on SQLite:
75 s with the indexes in place, 17 s rebuilt). Smaller loads keep the indexes; SQLite gets a larger
page cache for the duration. Duplicates are removed by the caller before the load, inside the write
transaction, so the unique index never has to refuse a row here.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import groupby
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import Connection, func, select

from redline.media import tables as t

SIGNAL_COLUMNS = ("bank_id", "signal_type", "value", "value_key", "content_id", "labels", "contributor",
                  "added_on", "enabled", "quality", "rev")
PLAIN_TEXT_COLUMNS = frozenset({"signal_type", "value", "value_key"})
REBUILD_MIN_ROWS = 50_000
SORTED_LOAD_MIN_ROWS = 50_000  # a load this large into a non-empty table goes in sorted (insert_signals)
SQLITE_BULK_CACHE_KIB = 256 * 1024
SQLITE_DEFAULT_CACHE = -2000
COPY_BLOCK_ROWS = 50_000
PG_BULK_MAINTENANCE_MEM = "512MB"
JSON_RUN_MIN_ROWS = 64
EXISTING_CHUNK = 900  # under SQLite's and PostgreSQL's bound-parameter limits
log = logging.getLogger(__name__)


def table_rows(conn: Connection) -> int:
    """An upper bound on the rows of media_signals (ids only grow), in O(log n)."""
    return int(conn.execute(select(func.coalesce(func.max(t.signals.c.id), 0))).scalar_one())


def insert_signals(conn: Connection, rows: Sequence[tuple[Any, ...]], *, reorder: bool = False) -> bool:
    """Insert rows (values in SIGNAL_COLUMNS order). Returns whether the indexes were rebuilt.

    With `reorder`, a load of SORTED_LOAD_MIN_ROWS or more into a table that already holds rows goes
    in sorted by value_key (ids follow that order): SQLite extends or rebuilds its two key indexes
    far cheaper from sorted keys (1 M hashes in a fetch's groups, 50k to 400k: 23.6 -> 17.0 s CPU,
    benchmarks/exchange_groups). Into an empty table the sort costs more than it saves."""
    if not rows:
        return False
    big = len(rows) >= REBUILD_MIN_ROWS
    existing = table_rows(conn)
    rebuild = big and len(rows) >= existing
    if reorder and existing and len(rows) >= SORTED_LOAD_MIN_ROWS:
        rows = sorted(rows, key=_value_key)
    sqlite = conn.dialect.name == "sqlite"
    if sqlite and big:
        conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_BULK_CACHE_KIB}")
    try:
        started = time.perf_counter()
        foreign_keys: list[tuple[str, str]] = []
        if rebuild:
            for index in t.signals.indexes:
                index.drop(conn)
            if not sqlite:
                conn.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{PG_BULK_MAINTENANCE_MEM}'")
                foreign_keys = _drop_foreign_keys(conn)
        if sqlite:
            _sqlite_executemany(conn, rows)
        else:
            _copy(conn, rows)
        loaded = time.perf_counter()
        if rebuild:
            for index in sorted(t.signals.indexes, key=lambda i: i.name or ""):
                index.create(conn)
            for name, definition in foreign_keys:
                conn.exec_driver_sql(f'ALTER TABLE {t.signals.name} ADD CONSTRAINT "{name}" {definition}')
            # statistics for the planner: without them SQLite reads "new rows since revision R" through
            # the (signal_type, value_key) index, every PDQ row of the table (2.6 s a refresh at 200 k)
            conn.exec_driver_sql(f"ANALYZE {t.signals.name}")
        log.debug("bulk insert of %d rows: load %.1f s, indexes %.1f s", len(rows), loaded - started,
                  time.perf_counter() - loaded)
    finally:
        if sqlite and big:
            conn.exec_driver_sql(f"PRAGMA cache_size={SQLITE_DEFAULT_CACHE}")
    return rebuild


_value_key = itemgetter(3)  # a row's value_key (SIGNAL_COLUMNS order)


def _drop_foreign_keys(conn: Connection) -> list[tuple[str, str]]:
    """PostgreSQL checks a foreign key with one query a row (half the time of a 1 M-row COPY); dropped
    for a rebuilding load, the table's constraints are added back after it, checked in one pass."""
    found = [(name, definition) for name, definition in conn.exec_driver_sql(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        f"WHERE conrelid = '{t.signals.name}'::regclass AND contype = 'f'")]
    for name, _ in found:
        conn.exec_driver_sql(f'ALTER TABLE {t.signals.name} DROP CONSTRAINT "{name}"')
    return found


def _sqlite_executemany(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """A run of rows that differ only in their hash (a list of one type, with the same labels,
    contributor, date…) goes in as one statement over a JSON array of the hashes (`json_each`),
    the other columns bound once: SQLite parses the array in C, where binding 11 parameters a row
    cost 6 s of CPU for 1 M rows (1.7 s this way). Other rows go through `executemany`. Rows keep
    their order (ids follow it)."""
    columns = ", ".join(SIGNAL_COLUMNS)
    marks = ", ".join("?" for _ in SIGNAL_COLUMNS)
    many = f"INSERT INTO {t.signals.name} ({columns}) VALUES ({marks})"
    constant = [c for c in SIGNAL_COLUMNS if c not in ("value", "value_key")]
    from_array = (f"INSERT INTO {t.signals.name} ({', '.join(constant)}, value, value_key) "
                  f"SELECT {', '.join('?' for _ in constant)}, j.value, j.value FROM json_each(?) AS j")
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        single: list[tuple[Any, ...]] = []
        for (same, *fixed), run in groupby(rows, key=_run_key):
            block = list(run)
            if same and len(block) >= JSON_RUN_MIN_ROWS:
                if single:
                    cursor.executemany(many, single)
                    single = []
                cursor.execute(from_array, (*fixed, orjson.dumps([row[2] for row in block]).decode()))
            else:
                single.extend(block)
        if single:
            cursor.executemany(many, single)
    finally:
        cursor.close()


def _run_key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """(value is its own key, then every column but value and value_key, in SIGNAL_COLUMNS order)."""
    return (row[2] == row[3], row[0], row[1], *row[4:])


def _copy(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """COPY in PostgreSQL's text format, written in large blocks (psycopg's per-row `write_row`
    took 60 s for 1 M rows)."""
    raw = conn.connection.driver_connection  # a psycopg connection, inside SQLAlchemy's transaction
    with raw.cursor() as cursor:  # type: ignore[union-attr]
        with cursor.copy(f"COPY {t.signals.name} ({', '.join(SIGNAL_COLUMNS)}) FROM STDIN") as copy:
            for start in range(0, len(rows), COPY_BLOCK_ROWS):
                copy.write(_copy_block(rows[start : start + COPY_BLOCK_ROWS]))


def _copy_block(block: Sequence[tuple[Any, ...]]) -> str:
    """Rows as COPY text, converted a column at a time: hash values and types need no escaping (hex
    digits, or a vPDQ serialisation of digits, commas and semicolons); other columns repeat a few
    values, each converted once."""
    columns: list[Sequence[str]] = []
    for name, column in zip(SIGNAL_COLUMNS, zip(*block)):
        if name in PLAIN_TEXT_COLUMNS:
            columns.append(column)
            continue
        memo: dict[Any, str] = {}
        columns.append([memo[v] if v in memo else memo.setdefault(v, _copy_field(v)) for v in column])
    return "\n".join(map("\t".join, zip(*columns))) + "\n"


def _copy_field(value: Any) -> str:
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def existing_keys(conn: Connection, bank_id: int, keys: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (signal_type, value_key) pairs among `keys` already in the bank. A batch that is large next
    to the bank reads the bank's keys in one scan; a small one looks its keys up through the unique
    index, in chunks."""
    found: set[tuple[str, str]] = set()
    if not keys:
        return found
    in_bank = bank_rows_up_to(conn, bank_id, 4 * len(keys) + 1)
    if in_bank == 0:
        return found
    if len(keys) >= EXISTING_CHUNK and in_bank <= 4 * len(keys):
        # plain tuples from the driver, intersected in C (SQLAlchemy rows cost ~3 s a million)
        scanned = driver_rows(conn, f"SELECT signal_type, value_key FROM {t.signals.name} WHERE bank_id = {int(bank_id)}")
        return set(keys).intersection(scanned)
    by_type: dict[str, list[str]] = {}
    for kind, value in dict.fromkeys(keys):
        by_type.setdefault(kind, []).append(value)
    for kind, values in by_type.items():
        for start in range(0, len(values), EXISTING_CHUNK):
            result = conn.execute(select(t.signals.c.value_key).where(
                t.signals.c.bank_id == bank_id, t.signals.c.signal_type == kind,
                t.signals.c.value_key.in_(values[start : start + EXISTING_CHUNK])))
            found.update((kind, row.value_key) for row in result)
    return found


def bank_rows_up_to(conn: Connection, bank_id: int, limit: int) -> int:
    """The bank's rows, counted no further than `limit` (a large bank is not scanned for a small batch)."""
    inner = select(t.signals.c.id).where(t.signals.c.bank_id == bank_id).limit(limit).subquery()
    return int(conn.execute(select(func.count()).select_from(inner)).scalar_one())


def driver_rows(conn: Connection, sql: str) -> list[tuple[Any, ...]]:
    """Every row of a parameterless query as the driver's own tuples (sqlite3 and psycopg both give
    tuples), inside the caller's transaction."""
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a bulk step builds millions of short-lived objects: each
    full collection walks every object alive, again and again as the heap grows. Process-wide
    while it lasts (a bulk step makes no reference cycles of its own to leave behind)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

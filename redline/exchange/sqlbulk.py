"""Many rows in one statement through the database driver's own executemany.

SQLAlchemy's per-row parameter processing cost more than the inserts themselves for a fetched
page (10,000 rows) or a published bank (a million). The statement text is the same on SQLite and
PostgreSQL (including ON CONFLICT … DO UPDATE); only the parameter marker differs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

BATCH = 5000


def insert_many(conn: Connection, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]], *,
                conflict: Sequence[str] = (), update: Sequence[str] = ()) -> None:
    """INSERT rows (tuples in `columns` order) inside the caller's transaction; with `conflict`
    (a unique key) and `update`, an existing row gets those columns from the new one."""
    marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([marker] * len(columns))})"
    if conflict:
        sql += f" ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in update)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start:start + BATCH])
    finally:
        cursor.close()

"""The shape every domain's snapshot table shares: one row per imported reference file (source,
where it came from, when, its SHA-256 and counts, whether it is in force)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Boolean, Column, Integer, String, Table, Text, select
from sqlalchemy.sql.schema import SchemaItem

from redline.store.base import Store, metadata


def snapshot_table(name: str, *extra: SchemaItem) -> Table:
    """The snapshot table `name`; `extra` adds a domain's own indexes or constraints."""
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("source", String(80), nullable=False, index=True),
        Column("url", Text, nullable=True),
        Column("path", Text, nullable=True),
        Column("retrieved_at", String(40), nullable=False),
        Column("data_date", String(40), nullable=True),
        Column("sha256", String(64), nullable=False),
        Column("counts", Text, nullable=False),
        Column("active", Boolean, nullable=False, default=True),
        *extra,
    )


def snapshot_rows(store: Store, table: Table, active_only: bool) -> list[dict[str, Any]]:
    """Every row of a snapshot table (or those in force), by source then age, as plain dicts."""
    query = select(table).order_by(table.c.source, table.c.id)
    if active_only:
        query = query.where(table.c.active.is_(True))
    with store.connect() as conn:
        return [
            {
                "id": row.id,
                "source": row.source,
                "url": row.url,
                "path": row.path,
                "retrieved_at": row.retrieved_at,
                "data_date": row.data_date,
                "sha256": row.sha256,
                "counts": orjson.loads(row.counts),
                "active": bool(row.active),
            }
            for row in conn.execute(query)
        ]


def file_sha256(path: Path) -> str:
    """The SHA-256 every snapshot, batch record and reference file is identified by."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()

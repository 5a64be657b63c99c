"""Each reference file, as loaded, is a snapshot row: source, path, URL, retrieval time, SHA-256, counts.

Loading the same bytes again reuses the row; new bytes make a new active row and retire the old one.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import orjson
from sqlalchemy import select, update

from redline.infra.reference.loader import ReferenceData
from redline.infra.tables import ref_snapshots
from redline.store.base import Store
from redline.store.snapshots import snapshot_rows


def register_snapshots(store: Store, ref: ReferenceData) -> dict[str, int]:
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    ids: dict[str, int] = {}
    with store.transaction() as conn:
        for key, info in ref.sources.items():
            row = conn.execute(
                select(ref_snapshots.c.id).where(ref_snapshots.c.source == key, ref_snapshots.c.sha256 == info.sha256,
                                                 ref_snapshots.c.active.is_(True))
            ).first()
            if row is not None:
                ids[key] = row.id
            else:
                conn.execute(update(ref_snapshots).where(ref_snapshots.c.source == key).values(active=False))
                result = conn.execute(ref_snapshots.insert().values(
                    source=key, path=info.path, url=info.url, retrieved_at=now, data_date=info.data_date,
                    sha256=info.sha256, counts=orjson.dumps(info.counts).decode(), active=True))
                ids[key] = int(result.inserted_primary_key[0])
            info.snapshot = ids[key]
    return ids


def list_snapshots(store: Store, active_only: bool = True) -> list[dict[str, Any]]:
    return snapshot_rows(store, ref_snapshots, active_only)

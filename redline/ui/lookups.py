"""Single-record reads the media library does not offer yet: one review item by id, one banked
signal by its content id. The library lists whole queues and whole banks; a page needs one row,
and a bank may hold millions. These read its tables and decide nothing."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import select

from redline.store.base import Store


def media_review_item(store: Store, review_id: int) -> dict[str, Any] | None:
    """The row of `redline.media.review.list_items` for one item, or None."""
    from redline.media.tables_actions import review_table

    with store.connect() as conn:
        row = conn.execute(select(review_table).where(review_table.c.id == review_id)).first()
    if row is None:
        return None
    item = dict(row._mapping)
    item["labels"] = orjson.loads(item["labels"] or "[]")
    return item


def banked_signal(store: Store, bank: str, content_id: str, signal_type: str | None) -> dict[str, Any] | None:
    """The bank's signal for `content_id` (of `signal_type` when it has one), shaped as
    `SignalRecord.to_dict()`; None when the bank no longer has it."""
    from redline.media.tables import banks, signals

    query = (select(signals).join(banks, banks.c.id == signals.c.bank_id)
             .where(banks.c.name == bank, signals.c.content_id == content_id).order_by(signals.c.id).limit(20))
    with store.connect() as conn:
        rows = conn.execute(query).all()
    if not rows:
        return None
    row = next((r for r in rows if r.signal_type == signal_type), rows[0])
    return {"signal_type": row.signal_type, "signal_value": row.value, "content_id": row.content_id,
            "labels": orjson.loads(row.labels or "[]"), "contributor": row.contributor, "added_on": row.added_on,
            "enabled": bool(row.enabled)}

"""The real-time review queue: flagged livestreams and uploads held for a person.

`record_alert` is called by the watch loop (the single writer) for each alert: one row in
media_review and one media.alert ledger entry, in one transaction (both or neither). `list_items`
and `resolve` back `redline media review list|resolve`; a resolution's row update and its
media.review ledger entry are one transaction too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import select

from redline.ledger import Ledger
from redline.media.actions import iso, now_utc
from redline.media.tables_actions import review_table
from redline.store.base import Store

RESOLUTIONS = ("confirmed", "false_positive", "escalated")
STATUSES = ("open", "resolved", "all")


class ReviewError(ValueError):
    pass


def record_alert(store: Store, ledger: Ledger, actor: str, alert: dict[str, Any], at: datetime | None = None) -> tuple[int, int]:
    """Put a livestream alert in the queue and the ledger, in one transaction; returns (review_id, ledger_seq)."""
    moment = at or now_utc()
    with store.transaction() as conn:
        entry = ledger.append(
            "media.alert",
            actor,
            inputs={"source": alert["source"], "offset_s": alert.get("offset_s"), "quality": alert.get("quality")},
            outcome={
                "bank": alert.get("bank"), "content_id": alert.get("content_id"), "signal_type": alert.get("signal_type"),
                "distance": alert.get("distance"), "labels": alert.get("labels") or [], "frames": alert.get("frames"),
            },
            refs={"watch": alert.get("config") or {}},
            at=moment,
            conn=conn,
        )
        review_id = conn.execute(
            review_table.insert().values(
                created_at=iso(moment), kind="livestream", source=alert["source"], account=alert.get("account"),
                offset_s=alert.get("offset_s"), bank=alert.get("bank"), content_id=alert.get("content_id"),
                signal_type=alert.get("signal_type"), distance=alert.get("distance"), quality=alert.get("quality"),
                labels=orjson.dumps(alert.get("labels") or []).decode(), latency_s=alert.get("latency_s"),
                status="open", ledger_seq=entry.seq,
            )
        ).inserted_primary_key[0]
    return int(review_id), entry.seq


def _row(r: Any) -> dict[str, Any]:
    out = dict(r._mapping)
    out["labels"] = orjson.loads(out["labels"] or "[]")
    return out


def list_items(store: Store, status: str = "open", limit: int | None = None) -> list[dict[str, Any]]:
    if status not in STATUSES:
        raise ReviewError(f"status must be one of {', '.join(STATUSES)} (got {status!r})")
    query = select(review_table).order_by(review_table.c.id)
    if status != "all":
        query = query.where(review_table.c.status == status)
    if limit:
        query = query.limit(limit)
    with store.connect() as conn:
        return [_row(r) for r in conn.execute(query)]


def resolve(
    store: Store, ledger: Ledger, actor: str, review_id: int, resolution: str, note: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    if resolution not in RESOLUTIONS:
        raise ReviewError(f"resolution must be one of {', '.join(RESOLUTIONS)} (got {resolution!r})")
    with store.connect() as conn:
        row = conn.execute(select(review_table).where(review_table.c.id == review_id)).first()
    if row is None:
        raise ReviewError(f"no review item with id {review_id}")
    if row.status == "resolved":
        raise ReviewError(f"review item {review_id} was resolved already ({row.resolution} by {row.resolved_by})")
    moment = at or now_utc()
    with store.transaction() as conn:
        result = conn.execute(
            review_table.update().where((review_table.c.id == review_id) & (review_table.c.status != "resolved")).values(
                status="resolved", resolution=resolution, note=note, resolved_by=actor, resolved_at=iso(moment)
            )
        )
        if not result.rowcount:  # resolved by someone else since it was read
            raise ReviewError(f"review item {review_id} was resolved already")
        entry = ledger.append(
            "media.review", actor,
            inputs={"review_id": review_id, "kind": row.kind, "source": row.source, "note": note},
            outcome={"resolution": resolution, "bank": row.bank, "content_id": row.content_id},
            refs={"item_ledger_seq": row.ledger_seq}, at=moment, conn=conn,
        )
        updated = conn.execute(select(review_table).where(review_table.c.id == review_id)).first()
    out = _row(updated)
    out["resolution_ledger_seq"] = entry.seq
    return out

"""What this installation publishes to its peers, and the feedback they send back.

`publish(bank)` appends to the feed every hash of the bank not yet published, and a deletion for
every published hash since disabled or removed from it; the new records are signed in blocks (see
`signing`) with the installation key, in the same transaction as the feed rows and the ledger entry.
`withdraw_bank` appends a deletion for every hash still live on the feed of a bank being deleted
(`banks.delete_bank` calls it in its own transaction), so peers stop matching them on their next fetch. `feed_page` is
what /v1/exchange/feed serves; denial notices of the licensing domain travel in the same pages,
each signed by this installation. `receive_feedback` records a peer's deconfirmations.
"""

from __future__ import annotations

import importlib
import importlib.util
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import Connection, and_, func, select

from redline.checkpoints import Signer
from redline.context import Context
from redline.exchange import signing, sqlbulk
from redline.exchange import tables as t
from redline.exchange.exchanges import ExchangeProblem, now
from redline.media import banks, bulk
from redline.media import tables as media_tables
from redline.media.signals import SignalError, normalise

NOTICES_MODULE = "redline.licensing.notices"
FEED_COLUMNS = ("bank", "signal_type", "value_key", "deleted", "record", "block_id", "block_index")
MAX_PAGE = 50_000
FEED_REBUILD_MIN = 50_000


def signer(ctx: Context) -> Signer:
    return Signer(ctx.settings.ledger_key)


def publish(ctx: Context, bank_name: str) -> dict[str, Any]:
    with bulk.gc_paused():
        return _publish(ctx, bank_name)


def _publish(ctx: Context, bank_name: str) -> dict[str, Any]:
    bank = banks.get_bank(ctx.store, bank_name)
    if bank.negative:
        raise ExchangeProblem(f"BANK: {bank_name} is a negative (known-benign) bank; only positive banks are published")
    key = signer(ctx)
    origin = key.key_id
    with ctx.store.connect() as conn:
        state: dict[tuple[str, str], bool] = {}
        for kind, key_value, was_deleted in bulk.driver_rows(conn, _compiled(conn,
                select(t.feed.c.signal_type, t.feed.c.value_key, t.feed.c.deleted)
                .where(t.feed.c.bank == bank_name).order_by(t.feed.c.seq))):
            state[(kind, key_value)] = bool(was_deleted)
    at = now()
    rows = _bank_rows(ctx, bank.id)
    records: list[tuple[str, str, bool, bytes]] = []
    derived = 0
    label_sets: dict[str, list[str]] = {}  # a bank repeats a few label sets
    for (kind, value, key_value, labels, contributor, content_id, added_on, enabled, variant, parent_type,
         parent_value) in rows:
        key_ = (kind, key_value)
        deleted = not enabled or not bank.enabled
        if state.get(key_, True) == deleted:  # unpublished and disabled, or unchanged
            continue
        merged = label_sets.get(labels)
        if merged is None:
            merged = label_sets[labels] = sorted(set(bank.labels) | set(orjson.loads(labels)))
        content = {"kind": "signal", "origin": origin, "bank": bank_name, "signal_type": kind,
                   "signal_value": value, "labels": merged, "contributor": contributor, "content_id": content_id,
                   "added_on": added_on, "deleted": deleted, "published_at": at}
        if variant is not None:  # a hash derived from a banked file: it matches as its parent
            content["derived_from"] = {"signal_type": parent_type, "signal_value": parent_value}
            content["variant"] = variant
            derived += 1
        records.append((kind, key_value, deleted, signing.canonical(content)))
    live = {k for k, was_deleted in state.items() if not was_deleted}
    gone = live.difference(map(itemgetter(0, 2), rows)) if live else set()  # removed from the bank
    with ctx.store.transaction() as conn:
        if gone:
            records += _withdrawals(conn, bank_name, gone, at)
        _write_records(conn, key, at, bank_name, records)
        added = sum(1 for r in records if not r[2])
        outcome = {"published": added, "deleted": len(records) - added, "derived": derived}
        ctx.ledger.append("exchange.publish", ctx.actor, {"bank": bank_name, "origin": origin}, outcome, conn=conn)
    return {"bank": bank_name, "origin": origin, **outcome}


def withdraw_bank(ctx: Any, conn: Connection, bank_name: str) -> int:
    """Inside the caller's transaction (a bank's deletion): a signed deletion for every hash of the
    bank that is live on the feed. Returns how many; 0, signing nothing, for a bank never published.
    `ctx` needs `settings` (the installation key)."""
    state: dict[tuple[str, str], bool] = {}
    for kind, key_value, was_deleted in bulk.driver_rows(conn, _compiled(conn,
            select(t.feed.c.signal_type, t.feed.c.value_key, t.feed.c.deleted)
            .where(t.feed.c.bank == bank_name).order_by(t.feed.c.seq))):
        state[(kind, key_value)] = bool(was_deleted)
    live = {k for k, was_deleted in state.items() if not was_deleted}
    if not live:
        return 0
    at = now()
    records = _withdrawals(conn, bank_name, live, at)
    _write_records(conn, signer(ctx), at, bank_name, records)
    return len(records)


def _withdrawals(conn: Connection, bank_name: str, keys: set[tuple[str, str]], at: str) -> list[tuple[str, str, bool, bytes]]:
    """A deletion record for each key: its last published record with `deleted` set and published now
    (the hash's value, labels and parent as peers know them; the bank's rows may be gone)."""
    last: dict[tuple[str, str], str] = {}
    for kind, key_value, record in bulk.driver_rows(conn, _compiled(conn,
            select(t.feed.c.signal_type, t.feed.c.value_key, t.feed.c.record)
            .where(t.feed.c.bank == bank_name).order_by(t.feed.c.seq))):
        if (kind, key_value) in keys:
            last[(kind, key_value)] = record
    records = []
    for key_, record in last.items():
        content = orjson.loads(record)
        content.update(deleted=True, published_at=at)
        records.append((key_[0], key_[1], True, signing.canonical(content)))
    return records


def _write_records(conn: Connection, key: Signer, at: str, bank_name: str,
                   records: list[tuple[str, str, bool, bytes]]) -> None:
    """Feed rows (type, key, deleted, canonical record) signed in blocks of signing.BLOCK_SIZE; a
    large publication next to the feed builds the feed's index once after its rows."""
    if not records:
        return
    origin = key.key_id
    rebuild = len(records) >= FEED_REBUILD_MIN and len(records) >= conn.execute(
        select(func.coalesce(func.max(t.feed.c.seq), 0))).scalar_one()
    if rebuild:
        for index in t.feed.indexes:
            index.drop(conn)
    for start in range(0, len(records), signing.BLOCK_SIZE):
        chunk = records[start:start + signing.BLOCK_SIZE]
        digests = [signing.digest(r[3]) for r in chunk]
        signature = signing.sign(key, signing.block_message(origin, at, digests))
        block_id = conn.execute(t.blocks.insert().values(origin=origin, at=at, digests="".join(digests),
                                                         signature=signature).returning(t.blocks.c.id)).scalar_one()
        sqlbulk.insert_many(conn, t.feed.name, FEED_COLUMNS,
                            [(bank_name, r[0], r[1], r[2], r[3].decode(), block_id, i) for i, r in enumerate(chunk)])
    if rebuild:
        for index in t.feed.indexes:
            index.create(conn)


def _compiled(conn: Connection, query: Any) -> str:
    """A query's SQL with its (trusted: ids, bank names) values inlined, for `bulk.driver_rows`."""
    return str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))


def _bank_rows(ctx: Context, bank_id: int) -> list[tuple[Any, ...]]:
    """A bank's hashes in the order added, each derived one with its variant and its parent's hash
    (parents come first: a derived hash is always added after the hash it derives from), as plain
    tuples: (signal_type, value, value_key, labels, contributor, content_id, added_on, enabled,
    variant, parent_type, parent_value)."""
    s, d = media_tables.signals, media_tables.derived
    parent = s.alias("parent")
    query = (select(s.c.signal_type, s.c.value, s.c.value_key, s.c.labels, s.c.contributor, s.c.content_id,
                    s.c.added_on, s.c.enabled, d.c.variant, parent.c.signal_type.label("parent_type"),
                    parent.c.value.label("parent_value"))
             .select_from(s.outerjoin(d, d.c.signal_id == s.c.id).outerjoin(parent, parent.c.id == d.c.parent_id))
             .where(s.c.bank_id == bank_id).order_by(s.c.id))
    with ctx.store.connect() as conn:
        return bulk.driver_rows(conn, _compiled(conn, query))


def parse_since(since: str | None) -> tuple[int, int]:
    """'S' or 'S:N' -> (signal seq, notice seq); ValueError when it is neither."""
    if not since:
        return 0, 0
    parts = since.split(":")
    if len(parts) > 2 or not all(p.isdigit() for p in parts):
        raise ValueError(f"since: a checkpoint is S or S:N (numbers), got {since!r}")
    return int(parts[0]), int(parts[1]) if len(parts) == 2 else 0


def feed_page(ctx: Context, since: str | None, limit: int) -> dict[str, Any]:
    signal_seq, notice_seq = parse_since(since)
    limit = max(1, min(limit, MAX_PAGE))
    key = signer(ctx)
    with ctx.store.connect() as conn:
        # the driver's tuples (seq, record, block_id, block_index): SQLAlchemy rows cost more than the query
        rows = bulk.driver_rows(conn, _compiled(conn, select(t.feed.c.seq, t.feed.c.record, t.feed.c.block_id,
                                                             t.feed.c.block_index)
                                                .where(t.feed.c.seq > signal_seq).order_by(t.feed.c.seq).limit(limit)))
        block_ids = sorted({r[2] for r in rows})
        blocks = {}
        for start in range(0, len(block_ids), 500):
            for b in conn.execute(select(t.blocks).where(t.blocks.c.id.in_(block_ids[start:start + 500]))):
                blocks[str(b.id)] = {"at": b.at, "signature": b.signature,
                                     "digests": [b.digests[i:i + 64] for i in range(0, len(b.digests), 64)]}
    # a record travels as the exact bytes whose digest its block signs: the receiver hashes them as they are
    records: list[dict[str, Any]] = [{"kind": "signal", "seq": seq, "block": block, "index": index, "body": record}
                                     for seq, record, block, index in rows]
    notices = _notices(ctx, notice_seq, limit)
    for n in notices:
        message = signing.canonical({"kind": "denial_notice", "origin": key.key_id, "notice": n["notice"]})
        records.append({"kind": "denial_notice", "seq": n["seq"], "notice": n["notice"],
                        "signature": signing.sign(key, message)})
    last_signal = rows[-1][0] if rows else signal_seq
    last_notice = max([n["seq"] for n in notices], default=notice_seq)
    return {"origin": key.key_id, "records": records, "blocks": blocks, "checkpoint": f"{last_signal}:{last_notice}",
            "more": len(rows) == limit or len(notices) == limit}


def _notices(ctx: Context, since_seq: int, limit: int) -> list[dict[str, Any]]:
    if importlib.util.find_spec(NOTICES_MODULE) is None:
        return []
    return list(importlib.import_module(NOTICES_MODULE).feed(ctx, since_seq, limit))


def receive_feedback(ctx: Context, body: dict[str, Any], *, from_key: str, from_org: str | None) -> dict[str, Any]:
    """A peer's deconfirmations: each item signed by the peer installation's key (sent with them);
    items that do not verify or name no valid hash are refused, the rest recorded with the ledger entry."""
    try:
        peer = signing.load_public_key(str(body.get("public_key", "")))
    except signing.KeyProblem as exc:
        raise ExchangeProblem(f"public_key: {exc}") from None
    origin = signing.key_id(peer)
    if body.get("origin") != origin:
        raise ExchangeProblem(f"origin: {body.get('origin')!r} is not the id of the public key sent ({origin})")
    items = body.get("items")
    if not isinstance(items, list) or not items:
        raise ExchangeProblem("items: a non-empty list of signed feedback items is required")
    rows: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    at = now()
    for number, item in enumerate(items):
        if not isinstance(item, dict):
            refused.append({"item": number, "reason": "not an object"})
            continue
        fields = {k: item.get(k) for k in ("origin", "signal_type", "signal_value", "opinion", "reason", "at")}
        if fields["origin"] != origin or not signing.verify(peer, str(item.get("signature", "")), signing.canonical(fields)):
            refused.append({"item": number, "reason": "the signature does not verify with the sender's key"})
            continue
        if fields["opinion"] != "false_positive":
            refused.append({"item": number, "reason": f"unknown opinion {fields['opinion']!r}"})
            continue
        try:
            kind, value = normalise(str(fields["signal_type"]), str(fields["signal_value"]))
        except SignalError as exc:
            refused.append({"item": number, "reason": str(exc)})
            continue
        rows.append({"at": at, "from_key": from_key, "from_org": from_org, "origin": origin, "signal_type": kind,
                     "value_key": banks.value_key(kind, value), "value": value, "opinion": "false_positive",
                     "reason": (str(fields["reason"]) if fields["reason"] else None), "sent_at": str(fields["at"])})
    with ctx.store.transaction() as conn:
        for row in rows:
            row["published"] = conn.execute(select(func.count()).select_from(t.feed).where(and_(
                t.feed.c.signal_type == row["signal_type"], t.feed.c.value_key == row["value_key"]))).scalar_one() > 0
        if rows:
            conn.execute(t.feedback.insert(), rows)
        ctx.ledger.append("exchange.feedback", ctx.actor, {"from_key": from_key, "from_org": from_org, "origin": origin},
                          {"accepted": [{"signal_type": r["signal_type"], "value": r["value"], "reason": r["reason"]}
                                        for r in rows], "refused": refused}, conn=conn)
    return {"accepted": len(rows), "refused": refused}


def list_feedback(ctx: Context, limit: int = 100) -> list[dict[str, Any]]:
    with ctx.store.connect() as conn:
        rows = conn.execute(select(t.feedback).order_by(t.feedback.c.id.desc()).limit(limit)).all()
    return [{"at": r.at, "from_key": r.from_key, "from_org": r.from_org, "origin": r.origin, "signal_type": r.signal_type,
             "signal_value": r.value, "opinion": r.opinion, "reason": r.reason, "sent_at": r.sent_at,
             "published_here": bool(r.published)} for r in rows]

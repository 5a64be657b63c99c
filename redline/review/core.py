"""The review queue of screening hits and the decisions on them.

Every screening (`redline.parties.api.screen`, `screen-file`, the HTTP routes) is written to the
ledger by `record_screening`, and its reviewable hits (a match, or a listed candidate above
REVIEW_FLOOR) become review items in the same transaction. An item stands for a (query, listed
party) pair within one organisation, keyed on a fingerprint of the party's listings: the same pair
is not raised again, whatever was decided on it, until the party's listings change.

A decision (`decide`) is written to the ledger in the same transaction as its row. Confirming a
match on a sanctions list takes two people (four-eyes): the first confirmation leaves the item
awaiting a second, which a different person with the analyst role or above must give.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import datetime, timezone
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, select, update

from redline.keys import ROLES, role_rank
from redline.ledger import Compiled, Ledger
from redline.parties.score import REVIEW_FLOOR
from redline.review.tables import review_decisions, review_items
from redline.store.base import Store

DECISIONS = ("confirmed", "cleared", "escalated")
STATUSES = ("open", "escalated", "awaiting_second", "confirmed", "cleared")
QUEUE = ("open", "escalated", "awaiting_second")  # still needing someone's decision
DECIDER_ROLE = "analyst"
# Programmes whose listing makes a confirmed match a sanctions hit, which needs two people. The
# export-control and procurement lists (BIS Entity List, 1260H, FCC Covered List…) do not.
SANCTIONS_PROGRAMS = frozenset({
    "US-OFAC-SDN", "US-OFAC-CONS", "US-OFAC-NS-CMIC", "US-OFAC-SSI", "US-OFAC-FSE", "US-OFAC-PLC",
    "US-OFAC-CAPTA", "US-OFAC-MBS", "US-STATE-ISN", "UN-SC", "UK-FCDO", "AU-DFAT", "EU-FSF", "CA-SEMA",
})


# Built once: every screening runs them (building a statement costs more than running it). The
# lookup of known pairs has one form for each number of keys, compiled on first use (ledger.Compiled).
_KNOWN: dict[int, Compiled] = {}
_RAISE = review_items.insert()


def _known(conn: Connection, keys: list[str]) -> set[str]:
    """The pair keys among `keys` that have an item already."""
    statement = _KNOWN.get(len(keys))
    if statement is None:
        statement = _KNOWN[len(keys)] = Compiled(select(review_items.c.pair_key).where(
            review_items.c.pair_key.in_([bindparam(f"k{i}") for i in range(len(keys))])))
    cursor = statement.execute(conn, {f"k{i}": key for i, key in enumerate(keys)})
    try:
        return {row[0] for row in cursor.fetchall()}
    finally:
        cursor.close()


class ReviewProblem(ValueError):
    """A decision that cannot be made as asked; the message says why (exit 2 / HTTP 409 or 422)."""


class ItemNotFound(LookupError):
    """No such item, or one of another organisation (the two are indistinguishable)."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _digest(value: Any) -> str:
    return hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)).hexdigest()


def query_key(query: dict[str, Any]) -> dict[str, Any]:
    """The query as compared for clearances: the name case-folded, NFKC, spaces collapsed."""
    name = " ".join(unicodedata.normalize("NFKC", str(query.get("name", ""))).casefold().split())
    return {**{k: v for k, v in query.items() if k != "name"}, "name": name}


def listing_fingerprint(hit: dict[str, Any]) -> str:
    """What a clearance holds for: the party's listings and listed relations (not the snapshot
    labels, so a new snapshot that lists the party unchanged keeps the clearance)."""

    def listings(rows: list[dict[str, Any]]) -> list[list[Any]]:
        return sorted([[l.get("source"), l.get("program_id"), l.get("program"), l.get("authority"), l.get("listed_on")]
                       for l in rows])

    via = sorted([[v.get("relation"), v.get("id"), v.get("percentage"), v.get("rule"), listings(v.get("lists") or [])]
                  for v in hit.get("via") or []], key=repr)
    return _digest({"id": hit["id"], "schema": hit.get("schema"), "caption": hit.get("caption"),
                    "lists": listings(hit.get("lists") or []), "via": via})


def reviewable(hit: dict[str, Any]) -> bool:
    return bool(hit.get("match")) or (float(hit.get("score") or 0) > REVIEW_FLOOR and bool(hit.get("lists") or hit.get("via")))


def compact_hit(hit: dict[str, Any]) -> dict[str, Any]:
    return {k: hit.get(k) for k in ("id", "caption", "schema", "score", "match", "matched_name", "lists", "via", "explanation")}


def sanctions_programs(hit: dict[str, Any]) -> list[str]:
    """The sanctions programmes a hit is listed on, directly or through a relation a rule applies to."""
    found = {l.get("program_id") for l in hit.get("lists") or []}
    found |= {l.get("program_id") for v in hit.get("via") or [] if v.get("rule") for l in v.get("lists") or []}
    return sorted(p for p in found if p in SANCTIONS_PROGRAMS)


def record_screening(
    conn: Connection,
    ledger: Ledger,
    *,
    kind: str,
    actor: str,
    org: str | None,
    query: dict[str, Any],
    hits: list[dict[str, Any]],
    snapshots: list[str],
    extra: dict[str, Any] | None = None,
) -> tuple[int, list[int]]:
    """One screening: its ledger entry and the review items its reviewable hits raise, inside the
    caller's transaction `conn`. Returns the entry's seq and the ids of the items raised."""
    best = hits[0] if hits else None
    entry = ledger.append(
        kind, actor, {**query, **({"org": org} if org else {}), **(extra or {})},
        {"summary": "match" if best and best.get("match") else "no match",
         "hits": [{"id": h["id"], "score": h["score"], "match": h["match"]} for h in hits]},
        refs={"snapshots": snapshots}, conn=conn,
    )
    candidates = [h for h in hits if reviewable(h)]
    if not candidates:
        return entry.seq, []
    qkey = query_key(query)
    keyed = {}
    for hit in candidates:
        fingerprint = listing_fingerprint(hit)
        keyed[_digest({"org": org, "query": qkey, "party": hit["id"], "fingerprint": fingerprint})] = (hit, fingerprint)
    known = _known(conn, list(keyed))
    now = _now()
    raised = []
    for pair_key, (hit, fingerprint) in keyed.items():
        if pair_key in known:
            continue
        row = conn.execute(_RAISE, dict(
            org=org, pair_key=pair_key, origin=kind, ledger_seq=entry.seq, query=orjson.dumps(query).decode(),
            party_id=hit["id"], party_caption=hit.get("caption") or hit["id"], score=float(hit["score"]),
            match=bool(hit["match"]), fingerprint=fingerprint, hit=orjson.dumps(compact_hit(hit)).decode(),
            snapshots=orjson.dumps(snapshots).decode(), status="open", raised_at=now, raised_by=actor, updated_at=now,
        ))
        raised.append(int(row.inserted_primary_key[0]))  # type: ignore[index]
    return entry.seq, raised


def _item_dict(row: Any, decisions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    hit = orjson.loads(row.hit)
    item = {
        "id": row.id, "status": row.status, "org": row.org, "origin": row.origin, "ledger_seq": row.ledger_seq,
        "query": orjson.loads(row.query), "party_id": row.party_id, "party_caption": row.party_caption,
        "score": row.score, "match": bool(row.match), "sanctions_programs": sanctions_programs(hit),
        "lists": hit.get("lists") or [], "via": hit.get("via") or [], "explanation": hit.get("explanation"),
        "fingerprint": row.fingerprint, "snapshots": orjson.loads(row.snapshots), "raised_at": row.raised_at,
        "raised_by": row.raised_by, "updated_at": row.updated_at,
    }
    if decisions is not None:
        item["decisions"] = decisions
    return item


def _visible(org: str | None) -> Any:
    return review_items.c.org.is_(None) if org is None else review_items.c.org == org


def list_items(store: Store, org: str | None, status: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Items of `org` (None: the items raised outside any organisation), newest first; `status`
    "queue" means every item still waiting for a decision."""
    if status is not None and status not in STATUSES + ("queue",):
        raise ReviewProblem(f"--status: {status!r} is not one of {', '.join(STATUSES + ('queue',))}")
    query = select(review_items).where(_visible(org)).order_by(review_items.c.id.desc()).limit(limit)
    if status == "queue":
        query = query.where(review_items.c.status.in_(QUEUE))
    elif status:
        query = query.where(review_items.c.status == status)
    with store.connect() as conn:
        return [_item_dict(row) for row in conn.execute(query)]


def _decisions(conn: Connection, item_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(select(review_decisions).where(review_decisions.c.item_id == item_id).order_by(review_decisions.c.id))
    return [{"decision": r.decision, "stage": r.stage, "reason": r.reason, "actor": r.actor, "role": r.role, "at": r.at,
             "snapshots": orjson.loads(r.snapshots), "ledger_seq": r.ledger_seq} for r in rows]


def get_item(store: Store, org: str | None, item_id: int) -> dict[str, Any]:
    with store.connect() as conn:
        row = conn.execute(select(review_items).where(review_items.c.id == item_id, _visible(org))).first()
        if row is None:
            raise ItemNotFound(f"no review item {item_id}")
        return _item_dict(row, _decisions(conn, item_id))


def in_force(store: Store) -> list[str]:
    """Labels of the list snapshots in force: what a decision is made on."""
    from redline.parties.snapshots import list_snapshots

    return [s["label"] for s in list_snapshots(store, active_only=True)]


def decide(
    store: Store,
    ledger: Ledger,
    *,
    item_id: int,
    decision: str,
    reason: str,
    actor: str,
    role: str,
    org: str | None,
    snapshots: list[str],
) -> dict[str, Any]:
    """Record `actor`'s decision on an item, with the ledger entry in the same transaction.
    `snapshots` are the labels of the lists in force as the decision is made."""
    if decision not in DECISIONS:
        raise ReviewProblem(f"--decision: {decision!r} is not one of {', '.join(DECISIONS)}")
    reason = (reason or "").strip()
    if not reason:
        raise ReviewProblem("--reason: a decision needs a reason")
    if role not in ROLES or role_rank(role) < role_rank(DECIDER_ROLE):
        raise ReviewProblem(f"deciding needs the {DECIDER_ROLE} role; {actor!r} is {role}")
    with store.transaction() as conn:
        row = conn.execute(select(review_items).where(review_items.c.id == item_id, _visible(org))).first()
        if row is None:
            raise ItemNotFound(f"no review item {item_id}")
        if row.status in ("confirmed", "cleared"):
            raise ReviewProblem(f"item {item_id} is already {row.status}")
        hit = orjson.loads(row.hit)
        programs = sanctions_programs(hit)
        status, stage = decision, "single"
        if row.status == "awaiting_second":
            first = conn.execute(
                select(review_decisions.c.actor).where(review_decisions.c.item_id == item_id, review_decisions.c.stage == "first")
                .order_by(review_decisions.c.id.desc()).limit(1)
            ).scalar()
            if first == actor:
                raise ReviewProblem(f"item {item_id}: {actor!r} gave the first confirmation; a second person must decide (four-eyes)")
            stage = "second"
        elif decision == "confirmed" and programs:
            status, stage = "awaiting_second", "first"
        when = _now()
        entry = ledger.append(
            "review.decide", actor,
            {"item": item_id, "decision": decision, "reason": reason, "stage": stage, "role": role, "org": org,
             "query": orjson.loads(row.query), "party_id": row.party_id, "fingerprint": row.fingerprint},
            {"status": status, "previous": row.status, "sanctions_programs": programs},
            refs={"snapshots": snapshots, "raised_by_seq": row.ledger_seq}, conn=conn,
        )
        conn.execute(review_decisions.insert().values(
            item_id=item_id, decision=decision, stage=stage, reason=reason, actor=actor, role=role, at=when,
            snapshots=orjson.dumps(snapshots).decode(), ledger_seq=entry.seq,
        ))
        conn.execute(update(review_items).where(review_items.c.id == item_id).values(status=status, updated_at=when))
        fresh = conn.execute(select(review_items).where(review_items.c.id == item_id)).first()
        return _item_dict(fresh, _decisions(conn, item_id))

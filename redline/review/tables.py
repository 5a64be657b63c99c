"""Tables of the review queue: one row per raised (query, listed party) pair, one per decision."""

from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, Integer, String, Table, Text

from redline.store.base import metadata

review_items = Table(
    "review_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("org", String(100), nullable=True),
    # sha256 of org, query and party and the fingerprint of the party's listings: a pair is raised
    # once; a new listing of the party gives a new fingerprint, so the pair is raised again.
    Column("pair_key", String(64), nullable=False, unique=True),
    Column("origin", String(64), nullable=False),  # the ledger kind of the screening that raised it
    Column("ledger_seq", Integer, nullable=True),
    Column("query", Text, nullable=False),
    Column("party_id", String(200), nullable=False),
    Column("party_caption", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("match", Boolean, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("hit", Text, nullable=False),  # lists, via, explanation, schema, as screened
    Column("snapshots", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("raised_at", String(40), nullable=False),
    Column("raised_by", String(200), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Index("ix_review_items_org_status", "org", "status"),
)

review_decisions = Table(
    "review_decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", Integer, ForeignKey("review_items.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("decision", String(20), nullable=False),
    Column("stage", String(20), nullable=False),  # single | first | second
    Column("reason", Text, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("at", String(40), nullable=False),
    Column("snapshots", Text, nullable=False),
    Column("ledger_seq", Integer, nullable=False),
)

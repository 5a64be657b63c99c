"""Tables of the parties domain: list snapshots and the entities each one holds."""

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from redline.store.base import metadata

snapshots = Table(
    "party_snapshots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(64), nullable=False, index=True),
    Column("url", Text, nullable=True),
    Column("path", Text, nullable=True),
    Column("retrieved_at", String(40), nullable=False),
    Column("data_date", String(40), nullable=True),
    Column("sha256", String(64), nullable=False),
    Column("counts", Text, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
)

entities = Table(
    "party_entities",
    metadata,
    Column("snapshot_id", Integer, ForeignKey("party_snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("schema", String(40), nullable=False),
    Column("caption", Text, nullable=False),
    Column("data", Text, nullable=False),
    Index("ix_party_entities_snapshot", "snapshot_id", "entity_id", unique=True),
)

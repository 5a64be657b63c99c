"""Tables of the parties domain: list snapshots and the entities each one holds."""

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from redline.store.base import metadata
from redline.store.snapshots import snapshot_table

# One file (SHA-256) is one snapshot of a source: the constraint, not a check-then-insert, is what
# keeps two concurrent imports of the same file from storing it twice.
snapshots = snapshot_table(
    "party_snapshots",
    Index("ux_party_snapshots_source_sha256", "source", "sha256", unique=True),
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

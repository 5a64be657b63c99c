"""Tables of the licensing domain: denial notifications (own and partners')."""

from sqlalchemy import Column, Integer, String, Table, Text

from redline.store.base import metadata

denials = Table(
    "licensing_denials",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("denial_id", String(200), nullable=False, unique=True),  # e.g. "NO:APP-2026-0042"
    Column("origin", String(16), nullable=False, index=True),  # "own" | "partner"
    Column("authority", String(200), nullable=False),
    Column("application_id", String(200), nullable=True),
    Column("decided_on", String(10), nullable=False),
    Column("item_categories", Text, nullable=False),  # JSON {"categories", "control_codes", "policy"} (old rows: a list)
    Column("parties", Text, nullable=False),  # JSON list of {role, name, country, type}
    Column("reason", Text, nullable=False),
    Column("citations", Text, nullable=False),  # JSON list
    Column("destination", String(2), nullable=True),
    Column("imported_at", String(40), nullable=False),
    Column("source_file", Text, nullable=True),
)

"""Tables of monitoring: books of customers, their rows, the listings each book last saw, alerts."""

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, String, Table, Text

from redline.store.base import metadata

monitor_books = Table(
    "monitor_books",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("org", String(100), nullable=True),
    Column("name", String(200), nullable=False),
    Column("generation", Integer, nullable=False),  # bumped by every import; rows not seen by the last one are removed
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("last_run_at", String(40), nullable=True),
    Column("last_snapshots", Text, nullable=True),  # JSON labels of the snapshots the last run screened against
    # "" for no organisation: NULLs are distinct in a unique index, "" is not.
    Column("org_key", String(100), nullable=False),
    Index("ux_monitor_books_org_name", "org_key", "name", unique=True),
)

monitor_rows = Table(
    "monitor_rows",
    metadata,
    Column("book_id", Integer, ForeignKey("monitor_books.id", ondelete="CASCADE"), nullable=False),
    Column("row_id", String(200), nullable=False),
    Column("name", Text, nullable=False),
    Column("schema", String(40), nullable=True),
    Column("country", String(10), nullable=True),
    Column("birth_date", String(10), nullable=True),
    Column("identifiers", Text, nullable=False),  # JSON list
    Column("attributes", Text, nullable=False),  # JSON object: every other column
    Column("row_hash", String(64), nullable=False),  # of everything: an import reports the row changed
    Column("query_hash", String(64), nullable=False),  # of what screening reads
    Column("screened_hash", String(64), nullable=True),  # query_hash when last screened whole; NULL: never
    Column("generation", Integer, nullable=False),
    Index("ux_monitor_rows_book_row", "book_id", "row_id", unique=True),
)

# The listed parties, and the fingerprint of each one's names and listings, as a book's last run saw them.
monitor_seen = Table(
    "monitor_seen",
    metadata,
    Column("book_id", Integer, ForeignKey("monitor_books.id", ondelete="CASCADE"), nullable=False),
    Column("party_id", String(200), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Index("ux_monitor_seen_book_party", "book_id", "party_id", unique=True),
)

monitor_alerts = Table(
    "monitor_alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("book_id", Integer, ForeignKey("monitor_books.id", ondelete="CASCADE"), nullable=False),
    Column("row_id", String(200), nullable=False),
    Column("name", Text, nullable=False),
    Column("hit_id", String(200), nullable=False),
    Column("caption", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("reason", String(20), nullable=False),  # new_listing | changed_listing | delisted
    Column("fingerprint", String(64), nullable=False),  # of the listing alerted on ("delisted" once delisted)
    Column("snapshot", Text, nullable=False),
    Column("raised_at", String(40), nullable=False),
    Column("ledger_seq", Integer, nullable=True),
    Column("review_item", Integer, nullable=True),
    Index("ux_monitor_alerts_key", "book_id", "row_id", "hit_id", "fingerprint", unique=True),
)

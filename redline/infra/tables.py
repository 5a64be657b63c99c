"""Tables of the infra domain: reference-data snapshots and stored scan results."""

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from redline.store.base import metadata

ref_snapshots = Table(
    "infra_ref_snapshots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(80), nullable=False, index=True),
    Column("path", Text, nullable=True),
    Column("url", Text, nullable=True),
    Column("retrieved_at", String(40), nullable=False),
    Column("data_date", String(40), nullable=True),
    Column("sha256", String(64), nullable=False),
    Column("counts", Text, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
)

scan_results = Table(
    "infra_scan_results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("domain", String(300), nullable=False),
    Column("scanned_at", String(40), nullable=False),
    Column("observed_at", String(40), nullable=True),
    Column("status", String(40), nullable=False),
    Column("owner", Text, nullable=True),
    Column("result", Text, nullable=False),
    Column("ledger_seq", Integer, ForeignKey("ledger.seq"), nullable=True),
    Index("ix_infra_scan_results_domain", "domain", "id"),
)

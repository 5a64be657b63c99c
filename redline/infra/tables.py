"""Tables of the infra domain: reference-data snapshots and stored scan results."""

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from redline.store.base import metadata
from redline.store.snapshots import snapshot_table

ref_snapshots = snapshot_table("infra_ref_snapshots")

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

"""party snapshots: one file (SHA-256) is one snapshot of a source

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 08:30:00

A unique index on party_snapshots(source, sha256) makes the import of one file idempotent under
concurrency. Stores written by `parties import --force` before this revision may hold the same
file twice: of each such group the snapshot in force (else the latest) is kept and the
byte-identical copies are removed with their entities; their ledger entries stay as written.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, source, sha256, active FROM party_snapshots ORDER BY id")).all()
    keep: dict[tuple[str, str], tuple[bool, int]] = {}
    for row in rows:
        key = (row.source, row.sha256)
        rank = (bool(row.active), row.id)
        if key not in keep or rank > keep[key]:
            keep[key] = rank
    kept = {rank[1] for rank in keep.values()}
    for row in rows:
        if row.id not in kept:
            conn.execute(sa.text("DELETE FROM party_entities WHERE snapshot_id = :id"), {"id": row.id})
            conn.execute(sa.text("DELETE FROM party_snapshots WHERE id = :id"), {"id": row.id})
    op.create_index('ux_party_snapshots_source_sha256', 'party_snapshots', ['source', 'sha256'], unique=True)


def downgrade() -> None:
    op.drop_index('ux_party_snapshots_source_sha256', table_name='party_snapshots')

"""media: media_bank_tombstones (a deleted bank, its name freed at once, its rows purged later)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 13:20:00
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('media_bank_tombstones',
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('deleted_at', sa.String(length=40), nullable=False),
    sa.Column('deleted_by', sa.String(length=200), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('hashes', sa.Integer(), nullable=False),
    sa.Column('purged_at', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['bank_id'], ['media_banks.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('bank_id')
    )


def downgrade() -> None:
    op.drop_table('media_bank_tombstones')

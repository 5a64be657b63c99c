"""exchanges: configured exchanges, provenance of fetched hashes, refused records, the signed feed and feedback

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:30:00
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('exchange_blocks',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('at', sa.String(length=40), nullable=False),
    sa.Column('digests', sa.Text(), nullable=False),
    sa.Column('signature', sa.String(length=128), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('exchange_feedback',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.String(length=40), nullable=False),
    sa.Column('from_key', sa.String(length=100), nullable=False),
    sa.Column('from_org', sa.String(length=100), nullable=True),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('signal_type', sa.String(length=32), nullable=False),
    sa.Column('value_key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('opinion', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('sent_at', sa.String(length=40), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_exchange_feedback_key', 'exchange_feedback', ['signal_type', 'value_key'], unique=False)
    op.create_table('exchanges',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('adapter', sa.String(length=40), nullable=False),
    sa.Column('bank', sa.String(length=200), nullable=False),
    sa.Column('config', sa.Text(), nullable=False),
    sa.Column('credential', sa.Text(), nullable=True),
    sa.Column('checkpoint', sa.Text(), nullable=True),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('exchange_feed',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('bank', sa.String(length=200), nullable=False),
    sa.Column('signal_type', sa.String(length=32), nullable=False),
    sa.Column('value_key', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('record', sa.Text(), nullable=False),
    sa.Column('block_id', sa.Integer(), nullable=False),
    sa.Column('block_index', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['block_id'], ['exchange_blocks.id'], ),
    sa.PrimaryKeyConstraint('seq')
    )
    op.create_index('ix_exchange_feed_key', 'exchange_feed', ['bank', 'signal_type', 'value_key'], unique=False)
    op.create_table('exchange_refused',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('exchange_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('record', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['exchange_id'], ['exchanges.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_exchange_refused_exchange_id'), 'exchange_refused', ['exchange_id'], unique=False)
    op.create_table('exchange_signals',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('exchange_id', sa.Integer(), nullable=False),
    sa.Column('signal_type', sa.String(length=32), nullable=False),
    sa.Column('value_key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('remote_id', sa.String(length=200), nullable=True),
    sa.Column('contributor', sa.String(length=200), nullable=True),
    sa.Column('labels', sa.Text(), nullable=False),
    sa.Column('first_seen', sa.String(length=40), nullable=False),
    sa.Column('last_confirmed', sa.String(length=40), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('deconfirmed_at', sa.String(length=40), nullable=True),
    sa.Column('deconfirmed_by', sa.String(length=200), nullable=True),
    sa.Column('deconfirm_reason', sa.Text(), nullable=True),
    sa.Column('feedback', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['exchange_id'], ['exchanges.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_exchange_signals_key', 'exchange_signals', ['exchange_id', 'signal_type', 'value_key'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_exchange_signals_key', table_name='exchange_signals')
    op.drop_table('exchange_signals')
    op.drop_index(op.f('ix_exchange_refused_exchange_id'), table_name='exchange_refused')
    op.drop_table('exchange_refused')
    op.drop_index('ix_exchange_feed_key', table_name='exchange_feed')
    op.drop_table('exchange_feed')
    op.drop_table('exchanges')
    op.drop_index('ix_exchange_feedback_key', table_name='exchange_feedback')
    op.drop_table('exchange_feedback')
    op.drop_table('exchange_blocks')

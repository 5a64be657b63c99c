"""monitor books rows seen alerts (and media_keypoints, committed in 8040852 without a migration)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 09:10:25.116279
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('monitor_books',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org', sa.String(length=100), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.String(length=40), nullable=False),
    sa.Column('last_run_at', sa.String(length=40), nullable=True),
    sa.Column('last_snapshots', sa.Text(), nullable=True),
    sa.Column('org_key', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('monitor_books', schema=None) as batch_op:
        batch_op.create_index('ux_monitor_books_org_name', ['org_key', 'name'], unique=True)

    op.create_table('monitor_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('book_id', sa.Integer(), nullable=False),
    sa.Column('row_id', sa.String(length=200), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('hit_id', sa.String(length=200), nullable=False),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('snapshot', sa.Text(), nullable=False),
    sa.Column('raised_at', sa.String(length=40), nullable=False),
    sa.Column('ledger_seq', sa.Integer(), nullable=True),
    sa.Column('review_item', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['book_id'], ['monitor_books.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('monitor_alerts', schema=None) as batch_op:
        batch_op.create_index('ux_monitor_alerts_key', ['book_id', 'row_id', 'hit_id', 'fingerprint'], unique=True)

    op.create_table('monitor_rows',
    sa.Column('book_id', sa.Integer(), nullable=False),
    sa.Column('row_id', sa.String(length=200), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('schema', sa.String(length=40), nullable=True),
    sa.Column('country', sa.String(length=10), nullable=True),
    sa.Column('birth_date', sa.String(length=10), nullable=True),
    sa.Column('identifiers', sa.Text(), nullable=False),
    sa.Column('attributes', sa.Text(), nullable=False),
    sa.Column('row_hash', sa.String(length=64), nullable=False),
    sa.Column('query_hash', sa.String(length=64), nullable=False),
    sa.Column('screened_hash', sa.String(length=64), nullable=True),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['book_id'], ['monitor_books.id'], ondelete='CASCADE')
    )
    with op.batch_alter_table('monitor_rows', schema=None) as batch_op:
        batch_op.create_index('ux_monitor_rows_book_row', ['book_id', 'row_id'], unique=True)

    op.create_table('monitor_seen',
    sa.Column('book_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.String(length=200), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['book_id'], ['monitor_books.id'], ondelete='CASCADE')
    )
    with op.batch_alter_table('monitor_seen', schema=None) as batch_op:
        batch_op.create_index('ux_monitor_seen_book_party', ['book_id', 'party_id'], unique=True)

    op.create_table('media_keypoints',
    sa.Column('signal_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['signal_id'], ['media_signals.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('signal_id')
    )


def downgrade() -> None:
    op.drop_table('media_keypoints')
    with op.batch_alter_table('monitor_seen', schema=None) as batch_op:
        batch_op.drop_index('ux_monitor_seen_book_party')

    op.drop_table('monitor_seen')
    with op.batch_alter_table('monitor_rows', schema=None) as batch_op:
        batch_op.drop_index('ux_monitor_rows_book_row')

    op.drop_table('monitor_rows')
    with op.batch_alter_table('monitor_alerts', schema=None) as batch_op:
        batch_op.drop_index('ux_monitor_alerts_key')

    op.drop_table('monitor_alerts')
    with op.batch_alter_table('monitor_books', schema=None) as batch_op:
        batch_op.drop_index('ux_monitor_books_org_name')

    op.drop_table('monitor_books')

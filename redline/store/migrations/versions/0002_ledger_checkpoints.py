"""ledger checkpoints: signed heads of the ledger chain

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 07:48:04.288759
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ledger_checkpoints',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('at', sa.String(length=40), nullable=False),
    sa.Column('key_id', sa.String(length=16), nullable=False),
    sa.Column('signature', sa.String(length=128), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ledger_checkpoints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_checkpoints_seq'), ['seq'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ledger_checkpoints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_checkpoints_seq'))

    op.drop_table('ledger_checkpoints')

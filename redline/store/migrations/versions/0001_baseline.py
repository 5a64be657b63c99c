"""baseline: the schema of stores made before migrations

Revision ID: 0001
Revises: (none)
Create Date: 2026-12-03 07:42:09.694270
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('infra_ref_snapshots',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('source', sa.String(length=80), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('path', sa.Text(), nullable=True),
    sa.Column('retrieved_at', sa.String(length=40), nullable=False),
    sa.Column('data_date', sa.String(length=40), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('counts', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('infra_ref_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_infra_ref_snapshots_source'), ['source'], unique=False)

    op.create_table('ledger',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('at', sa.String(length=40), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint('hash')
    )
    with op.batch_alter_table('ledger', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_kind'), ['kind'], unique=False)

    op.create_table('licensing_denials',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('denial_id', sa.String(length=200), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('authority', sa.String(length=200), nullable=False),
    sa.Column('application_id', sa.String(length=200), nullable=True),
    sa.Column('decided_on', sa.String(length=10), nullable=False),
    sa.Column('item_categories', sa.Text(), nullable=False),
    sa.Column('parties', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('citations', sa.Text(), nullable=False),
    sa.Column('destination', sa.String(length=2), nullable=True),
    sa.Column('imported_at', sa.String(length=40), nullable=False),
    sa.Column('source_file', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('denial_id')
    )
    with op.batch_alter_table('licensing_denials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_licensing_denials_origin'), ['origin'], unique=False)

    op.create_table('media_actions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('account', sa.String(length=200), nullable=False),
    sa.Column('file', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('rule', sa.String(length=200), nullable=True),
    sa.Column('banks', sa.Text(), nullable=False),
    sa.Column('labels', sa.Text(), nullable=False),
    sa.Column('matches', sa.Text(), nullable=False),
    sa.Column('policy', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('ledger_seq', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('media_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_actions_account'), ['account'], unique=False)
        batch_op.create_index(batch_op.f('ix_media_actions_created_at'), ['created_at'], unique=False)

    op.create_table('media_banks',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('negative', sa.Boolean(), nullable=False),
    sa.Column('labels', sa.Text(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('media_review',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('account', sa.String(length=200), nullable=True),
    sa.Column('offset_s', sa.Float(), nullable=True),
    sa.Column('bank', sa.String(length=200), nullable=True),
    sa.Column('content_id', sa.String(length=400), nullable=True),
    sa.Column('signal_type', sa.String(length=40), nullable=True),
    sa.Column('distance', sa.Integer(), nullable=True),
    sa.Column('quality', sa.Integer(), nullable=True),
    sa.Column('labels', sa.Text(), nullable=False),
    sa.Column('latency_s', sa.Float(), nullable=True),
    sa.Column('action_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('resolution', sa.String(length=40), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('resolved_by', sa.String(length=200), nullable=True),
    sa.Column('resolved_at', sa.String(length=40), nullable=True),
    sa.Column('ledger_seq', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('media_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_review_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_media_review_status'), ['status'], unique=False)

    op.create_table('media_state',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('party_snapshots',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('source', sa.String(length=80), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('path', sa.Text(), nullable=True),
    sa.Column('retrieved_at', sa.String(length=40), nullable=False),
    sa.Column('data_date', sa.String(length=40), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('counts', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('party_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_snapshots_source'), ['source'], unique=False)

    op.create_table('infra_scan_results',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('domain', sa.String(length=300), nullable=False),
    sa.Column('scanned_at', sa.String(length=40), nullable=False),
    sa.Column('observed_at', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('ledger_seq', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['ledger_seq'], ['ledger.seq'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('infra_scan_results', schema=None) as batch_op:
        batch_op.create_index('ix_infra_scan_results_domain', ['domain', 'id'], unique=False)

    op.create_table('media_appeals',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('account', sa.String(length=200), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.String(length=200), nullable=False),
    sa.Column('strikes_reversed', sa.Integer(), nullable=False),
    sa.Column('ledger_seq', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['media_actions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('media_appeals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_appeals_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_media_appeals_created_at'), ['created_at'], unique=False)

    op.create_table('media_signals',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('signal_type', sa.String(length=32), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('value_key', sa.String(length=64), nullable=False),
    sa.Column('content_id', sa.String(length=200), nullable=True),
    sa.Column('labels', sa.Text(), nullable=False),
    sa.Column('contributor', sa.String(length=200), nullable=True),
    sa.Column('added_on', sa.String(length=40), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('quality', sa.Integer(), nullable=True),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['bank_id'], ['media_banks.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('media_signals', schema=None) as batch_op:
        batch_op.create_index('ix_media_signals_lookup', ['signal_type', 'value_key'], unique=False)
        batch_op.create_index('ix_media_signals_rev', ['rev'], unique=False)
        batch_op.create_index('ix_media_signals_unique', ['bank_id', 'signal_type', 'value_key'], unique=True)

    op.create_table('media_strikes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('account', sa.String(length=200), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=200), nullable=False),
    sa.Column('penalty', sa.String(length=20), nullable=False),
    sa.Column('expires_at', sa.String(length=40), nullable=True),
    sa.Column('reversed', sa.Integer(), nullable=False),
    sa.Column('reversed_by_appeal', sa.Integer(), nullable=True),
    sa.Column('ledger_seq', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['media_actions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('media_strikes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_strikes_account'), ['account'], unique=False)
        batch_op.create_index(batch_op.f('ix_media_strikes_created_at'), ['created_at'], unique=False)

    op.create_table('party_entities',
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.String(length=200), nullable=False),
    sa.Column('schema', sa.String(length=40), nullable=False),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['snapshot_id'], ['party_snapshots.id'], ondelete='CASCADE')
    )
    with op.batch_alter_table('party_entities', schema=None) as batch_op:
        batch_op.create_index('ix_party_entities_snapshot', ['snapshot_id', 'entity_id'], unique=True)

    op.create_table('media_match_counts',
    sa.Column('signal_id', sa.Integer(), nullable=False),
    sa.Column('window', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['signal_id'], ['media_signals.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('signal_id', 'window')
    )
    op.create_table('media_quarantine',
    sa.Column('signal_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('held_at', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('released_at', sa.String(length=40), nullable=True),
    sa.Column('released_by', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['signal_id'], ['media_signals.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('signal_id')
    )
    op.create_table('media_signal_derived',
    sa.Column('signal_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=False),
    sa.Column('variant', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['media_signals.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signal_id'], ['media_signals.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('signal_id')
    )
    with op.batch_alter_table('media_signal_derived', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_signal_derived_parent_id'), ['parent_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('media_signal_derived', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_signal_derived_parent_id'))

    op.drop_table('media_signal_derived')
    op.drop_table('media_quarantine')
    op.drop_table('media_match_counts')
    with op.batch_alter_table('party_entities', schema=None) as batch_op:
        batch_op.drop_index('ix_party_entities_snapshot')

    op.drop_table('party_entities')
    with op.batch_alter_table('media_strikes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_strikes_created_at'))
        batch_op.drop_index(batch_op.f('ix_media_strikes_account'))

    op.drop_table('media_strikes')
    with op.batch_alter_table('media_signals', schema=None) as batch_op:
        batch_op.drop_index('ix_media_signals_unique')
        batch_op.drop_index('ix_media_signals_rev')
        batch_op.drop_index('ix_media_signals_lookup')

    op.drop_table('media_signals')
    with op.batch_alter_table('media_appeals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_appeals_created_at'))
        batch_op.drop_index(batch_op.f('ix_media_appeals_action_id'))

    op.drop_table('media_appeals')
    with op.batch_alter_table('infra_scan_results', schema=None) as batch_op:
        batch_op.drop_index('ix_infra_scan_results_domain')

    op.drop_table('infra_scan_results')
    with op.batch_alter_table('party_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_snapshots_source'))

    op.drop_table('party_snapshots')
    op.drop_table('media_state')
    with op.batch_alter_table('media_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_review_status'))
        batch_op.drop_index(batch_op.f('ix_media_review_created_at'))

    op.drop_table('media_review')
    op.drop_table('media_banks')
    with op.batch_alter_table('media_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_actions_created_at'))
        batch_op.drop_index(batch_op.f('ix_media_actions_account'))

    op.drop_table('media_actions')
    with op.batch_alter_table('licensing_denials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_licensing_denials_origin'))

    op.drop_table('licensing_denials')
    with op.batch_alter_table('ledger', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_kind'))

    op.drop_table('ledger')
    with op.batch_alter_table('infra_ref_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_infra_ref_snapshots_source'))

    op.drop_table('infra_ref_snapshots')

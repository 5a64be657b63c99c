"""exchange: no schema change (deletions travel as feed records; exchange removal and purges use existing tables)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 15:50:00
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

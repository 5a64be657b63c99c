"""Alembic's entry point: migrations run on the connection `redline.store.schema` hands in."""

from __future__ import annotations

from alembic import context

import redline.store.tables  # noqa: F401  registers every domain's tables on the metadata
from redline.store.base import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

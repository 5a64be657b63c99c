"""Write a new Alembic revision for the tables you changed: `python scripts/new_migration.py "what changed"`.

It upgrades a scratch SQLite store to the newest revision, compares it with the table definitions
and writes the difference under redline/store/migrations/versions/. Read it before committing,
then set HEAD in redline/store/schema.py to its revision id.

`python scripts/new_migration.py --print` writes nothing: it prints the operations that would bring
the newest revision to the table definitions, to paste into a revision that already exists."""

from __future__ import annotations

import sys

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import produce_migrations, render_python_code
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

import redline.store.tables  # noqa: F401  registers every domain's tables
from redline.store.base import metadata
from redline.store.schema import alembic_config


def main(message: str) -> None:
    engine = sa.create_engine("sqlite://")
    with engine.begin() as conn:
        config = alembic_config(conn)
        command.upgrade(config, "head")
        head = ScriptDirectory.from_config(config).get_current_head()
        rev_id = f"{int(head or '0') + 1:04d}"
        command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
    print(f"now set HEAD = {rev_id!r} in redline/store/schema.py")


def print_difference() -> None:
    engine = sa.create_engine("sqlite://")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
        script = produce_migrations(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    print("def upgrade() -> None:\n" + render_python_code(script.upgrade_ops))
    print("\n\ndef downgrade() -> None:\n" + render_python_code(script.downgrade_ops))


if __name__ == "__main__":
    if sys.argv[1:] == ["--print"]:
        print_difference()
    elif len(sys.argv) == 2:
        main(sys.argv[1])
    else:
        sys.exit('usage: python scripts/new_migration.py "what changed" | --print')

"""Write a new Alembic revision for the tables you changed: `python scripts/new_migration.py "what changed"`.

It upgrades a scratch SQLite store to the newest revision, compares it with the table definitions
and writes the difference under redline/store/migrations/versions/. Read it before committing,
then set HEAD in redline/store/schema.py to its revision id."""

from __future__ import annotations

import sys

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

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


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit('usage: python scripts/new_migration.py "what changed"')
    main(sys.argv[1])

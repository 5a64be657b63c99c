"""The store's schema version: Alembic migrations, the same for SQLite and PostgreSQL.

A new, empty store is created from the table definitions and stamped with the newest revision; a
store made before migrations existed is stamped with the baseline revision and then upgraded. On
SQLite (the embedded default, one user) a store that is behind is upgraded when first opened; on
any other database `redline db upgrade` does it, and the server refuses to start until it is done.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, inspect, text

if TYPE_CHECKING:
    from redline.store.base import Store

HEAD = "0010"  # the newest revision under migrations/versions; tests/store checks it against Alembic
BASELINE = "0001"  # the schema of every store created before migrations existed
VERSION_TABLE = "alembic_version"
MIGRATIONS = Path(__file__).with_name("migrations")
_LOCK_ID = 0x5265646C  # "Redl": one PostgreSQL advisory lock serialises schema changes


class SchemaBehind(RuntimeError):
    def __init__(self, current: str | None) -> None:
        super().__init__(
            f"the store's schema is at revision {current or 'none'}, this Redline needs {HEAD}: "
            "run `redline db upgrade` (back the database up first)"
        )
        self.current = current


class SchemaUnknown(SchemaBehind):
    """The store records a revision this code has no migration for (a newer or a development build's)."""

    def __init__(self, current: str) -> None:
        RuntimeError.__init__(
            self,
            f"the store's schema is at revision {current}, which this Redline does not know (a newer or a "
            f"development build wrote it; this one knows up to {HEAD}): use the Redline that wrote it, or restore a backup",
        )
        self.current = current


def known_revisions() -> set[str]:
    return {path.name.split("_", 1)[0] for path in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")}


def current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def status(store: Store) -> dict[str, Any]:
    with store.engine.connect() as conn:
        current = current_revision(conn)
        tables = set(inspect(conn).get_table_names()) - {VERSION_TABLE}
    if current is None:
        state = "unversioned" if tables else "empty"
    elif current == HEAD:
        state = "current"
    else:
        state = "behind" if current in known_revisions() else "unknown"
    return {"url": store.safe_url, "backend": store.engine.dialect.name, "current": current, "head": HEAD, "state": state}


def ensure(store: Store, auto_upgrade: bool | None = None) -> None:
    """Make the store usable by this code: create it, stamp it, or upgrade it (see the module doc)."""
    from redline.store.base import metadata
    import redline.store.tables  # noqa: F401  registers every domain's tables

    if auto_upgrade is None:
        auto_upgrade = _auto_upgrade_default(store)
    with store.engine.connect() as conn:
        conn.execution_options(redline_write=True)
        with conn.begin():
            _lock(conn)
            current = current_revision(conn)
            if current == HEAD:
                return
            if current is not None and current not in known_revisions():
                raise SchemaUnknown(current)
            tables = set(inspect(conn).get_table_names())
            if current is None and not tables & set(metadata.tables):
                metadata.create_all(conn)
                _stamp(conn, HEAD)
                return
            if current is None:
                _stamp(conn, BASELINE)
                current = BASELINE
            if not auto_upgrade:
                raise SchemaBehind(current)
            _alembic_upgrade(conn)


def upgrade(store: Store) -> dict[str, Any]:
    """`redline db upgrade`: bring the store to HEAD; says from which revision."""
    before = status(store)
    ensure(store, auto_upgrade=True)
    return {**status(store), "from": before["current"]}


def require_current(store: Store) -> None:
    """For the server: refuse a store that is behind instead of changing it under other processes."""
    found = status(store)
    if found["state"] == "unknown":
        raise SchemaUnknown(found["current"])
    if found["state"] in ("behind", "unversioned"):
        raise SchemaBehind(found["current"])


def _auto_upgrade_default(store: Store) -> bool:
    setting = os.environ.get("REDLINE_DB_AUTO_UPGRADE")
    if setting is not None:
        return setting.lower() in ("1", "true", "yes")
    return store.is_sqlite


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})


def _stamp(conn: Connection, revision: str) -> None:
    conn.execute(text(f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
    conn.execute(text(f"DELETE FROM {VERSION_TABLE}"))
    conn.execute(text(f"INSERT INTO {VERSION_TABLE} (version_num) VALUES (:v)"), {"v": revision})


def alembic_config(conn: Connection):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def _alembic_upgrade(conn: Connection) -> None:
    from alembic import command

    command.upgrade(alembic_config(conn), "head")

"""The schema under Alembic: the migrations build exactly the tables the code declares, on both backends."""

from __future__ import annotations

import json

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from typer.testing import CliRunner

import redline.store.tables  # noqa: F401
from redline.cli import app
from redline.store import Store, metadata
from redline.store import schema
from redline.store.schema import SchemaBehind, alembic_config


def _migrated_diff(url: str) -> list:
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    engine.dispose()
    return diff


def test_head_constant_is_alembics_head() -> None:
    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        assert ScriptDirectory.from_config(alembic_config(conn)).get_current_head() == schema.HEAD


def test_migrations_build_the_declared_schema(db_url: str) -> None:
    assert _migrated_diff(db_url) == []


def test_new_store_is_created_and_stamped(any_store: Store) -> None:
    with any_store.connect() as conn:
        assert schema.current_revision(conn) == schema.HEAD
        assert {"ledger", "party_snapshots"} <= set(inspect(conn).get_table_names())
    assert schema.status(any_store)["state"] == "current"


def _legacy_store(url: str) -> None:
    """A store as Redline made it before migrations: the baseline's tables and no version table."""
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), schema.BASELINE)
        conn.execute(text("DROP TABLE alembic_version"))
    engine.dispose()


def test_legacy_store_is_stamped_then_upgraded(db_url: str) -> None:
    _legacy_store(db_url)
    store = Store(db_url)
    assert schema.status(store)["state"] == "unversioned"
    assert schema.upgrade(store)["state"] == "current"
    with store.connect() as conn:
        assert schema.current_revision(conn) == schema.HEAD
    store.close()


def test_postgres_store_behind_is_refused_until_upgraded(pg_url: str) -> None:
    _legacy_store(pg_url)
    store = Store(pg_url)
    with pytest.raises(SchemaBehind, match="redline db upgrade"):
        schema.require_current(store)
    if schema.HEAD != schema.BASELINE:
        with pytest.raises(SchemaBehind):
            store.create_all()
    result = CliRunner().invoke(app, ["db", "upgrade", "--json"], env={"REDLINE_DB": pg_url})
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["state"] == "current"
    schema.require_current(Store(pg_url))


def test_db_status_names_the_backend_without_its_password(monkeypatch: pytest.MonkeyPatch, pg_url: str) -> None:
    url = pg_url.replace("redline@", "redline:secret@")
    monkeypatch.setenv("REDLINE_DB", url)
    from redline.context import reset_context

    reset_context()
    result = CliRunner().invoke(app, ["db", "status", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["backend"] == "postgresql" and "secret" not in found["url"]


def test_server_refuses_a_store_that_is_behind(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), schema.BASELINE)
    engine.dispose()
    monkeypatch.setenv("REDLINE_DB", url)
    result = CliRunner().invoke(app, ["serve", "--port", "0"])
    assert result.exit_code == 2 and "redline db upgrade" in result.output and "Traceback" not in result.output
    with create_engine(url).connect() as conn:
        assert schema.current_revision(conn) == schema.BASELINE  # the server changed nothing


def test_a_store_at_a_revision_this_code_does_not_know_is_refused_in_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'later.db'}"
    Store(url).create_all()
    with create_engine(url).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    store = Store(url)
    assert schema.status(store)["state"] == "unknown"
    with pytest.raises(schema.SchemaUnknown, match="revision 0999, which this Redline does not know"):
        schema.require_current(store)
    result = CliRunner().invoke(app, ["db", "upgrade", "--json"], env={"REDLINE_DB": url})
    assert result.exit_code != 0 and "0999" in result.output and "Traceback" not in result.output, result.output
    result = CliRunner().invoke(app, ["parties", "screen", "Some Name"], env={"REDLINE_DB": url})
    assert result.exit_code == 2 and "does not know" in result.output, result.output

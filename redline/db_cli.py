"""`redline db`: the store's schema revision, and migrations (Alembic; SQLite and PostgreSQL alike)."""

from __future__ import annotations

import typer

from redline.context import get_context
from redline.output import console, emit
from redline.store.schema import status, upgrade as upgrade_store

app = typer.Typer(no_args_is_help=True)

JSON_HELP = "Machine-readable output."


def _render(found: dict) -> None:
    console.print(
        f"{found['backend']} store {found['url']}: revision {found['current'] or 'none'} "
        f"(this Redline needs {found['head']}): [bold]{found['state']}[/]",
        highlight=False,
    )


@app.command("status")
def show_status(json: bool = typer.Option(False, "--json", help=JSON_HELP)) -> None:
    """Which schema revision the store is at, and whether it is behind this Redline."""
    emit(status(get_context().store), json, _render)


@app.command("upgrade")
def run_upgrade(json: bool = typer.Option(False, "--json", help=JSON_HELP)) -> None:
    """Migrate the store to this Redline's schema (create it when empty). Back a server database up first."""
    emit(upgrade_store(get_context().store), json, _render)  # a refusal: redline.cli's SchemaBehind handler

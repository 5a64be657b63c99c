"""`redline serve` and `redline keys`: the HTTP service and its API keys."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from redline.output import console, emit, fail

keys_app = typer.Typer(no_args_is_help=True, help="API keys for `redline serve`: create, list, revoke.")
JSON = typer.Option(False, "--json", help="Machine-readable output.")


def _context() -> Any:
    from redline.context import get_context

    return get_context()


@keys_app.command("create")
def keys_create(
    name: str = typer.Argument(..., help="Who or what uses the key; the ledger records writes under this name."),
    role: str = typer.Option(..., "--role", help="reader | analyst | curator | admin"),
    org: str = typer.Option(None, "--org", help="The organisation whose private data the key may see."),
    json: bool = JSON,
) -> None:
    """Create a key; it is printed once and stored only as its SHA-256."""
    from redline import keys

    if role not in keys.ROLES:
        raise fail(f"--role: {role!r} is not a role; use one of {', '.join(keys.ROLES)}")
    ctx = _context()
    try:
        created = keys.create_key(ctx.store, ctx.ledger, name, role, org=org, actor=ctx.settings.user)
    except keys.KeyProblem as exc:
        raise fail(str(exc)) from None

    def render(k: dict[str, Any]) -> None:
        console.print(f"key for [bold]{k['name']}[/] ({k['role']}{', ' + k['org'] if k['org'] else ''}); "
                      "it is shown only this once:")
        console.print(k["key"], highlight=False, soft_wrap=True)

    emit(created, json, render)


@keys_app.command("list")
def keys_list(all_: bool = typer.Option(False, "--all", help="Include revoked keys."), json: bool = JSON) -> None:
    """The keys (never their secrets)."""
    from redline import keys

    rows = [k.to_dict() for k in keys.list_keys(_context().store, include_revoked=all_)]

    def render(items: list[dict[str, Any]]) -> None:
        table = Table("name", "role", "org", "key starts", "created", "revoked")
        for k in items:
            table.add_row(k["name"], k["role"], k["org"] or "", k["hint"] + "…", k["created_at"][:19],
                          (k["revoked_at"] or "")[:19])
        console.print(table)

    emit(rows, json, render)


@keys_app.command("revoke")
def keys_revoke(name: str = typer.Argument(..., help="The key's name."), json: bool = JSON) -> None:
    """Revoke a key: requests with it get 401 within seconds."""
    from redline import keys

    ctx = _context()
    try:
        revoked = keys.revoke_key(ctx.store, ctx.ledger, name, actor=ctx.settings.user)
    except keys.KeyProblem as exc:
        raise fail(str(exc)) from None
    emit(revoked.to_dict(), json, lambda k: console.print(f"revoked key [bold]{k['name']}[/]"))


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="Worker processes (they share the loaded lists)."),
    timeout: float = typer.Option(60.0, "--timeout", min=1.0, help="Seconds before a request is answered 504."),
    max_body_mb: float = typer.Option(32.0, "--max-body-mb", min=0.01, help="Largest request body (413 above)."),
    monitor_every: str = typer.Option(None, "--monitor-every", help="Also run `redline monitor --every PERIOD` (update the lists, run every book) beside the server; its cycles go to REDLINE_HOME/logs/monitor.jsonl."),
    json: bool = JSON,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs). Open routes: /healthz, /readyz; the rest need a key."""
    from redline.api.server import ServeOptions, run
    from redline.monitor.schedule import ScheduleError, parse_interval

    if monitor_every is not None:
        try:
            parse_interval(monitor_every, "--monitor-every")
        except ScheduleError as exc:
            raise fail(str(exc)) from None
    options = ServeOptions(host, port, workers, timeout, int(max_body_mb * 1024 * 1024), json, monitor_every)
    try:
        run(options)
    except OSError as exc:
        raise fail(f"--port: cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    except SQLAlchemyError as exc:  # a store whose tables do not match its recorded revision, or unreachable
        problem = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise fail(f"the store cannot be served: {problem} (check it with `redline db status`)", code=1) from None

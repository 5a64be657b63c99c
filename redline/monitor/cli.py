"""`redline parties book …` (customer books) and `redline monitor run` (delta screening)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from redline.output import JSON_HELP, console, emit, err_console, fail

book_app = typer.Typer(no_args_is_help=True, help="Customer books: import, list, show, export.")
app = typer.Typer(no_args_is_help=True, invoke_without_command=True)
ENGINE_HELP = "local: in this process; dask: rows screened whole go to a Dask cluster (--scheduler, else a local cluster of --workers processes)."


def _context():  # type: ignore[no-untyped-def]
    from redline.context import get_context

    return get_context()


@book_app.command("import")
def import_(
    file: Path = typer.Argument(..., help="CSV or Parquet (.parquet) with id and name; optional schema, country, birth_date, identifiers (; separated); any other column is kept as an attribute."),
    book: str = typer.Option(..., "--book", help="The book's name; importing into an existing book updates it by id."),
    json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Import or update a book of customers; says how many rows were added, changed, removed."""
    from redline.monitor.books import BookError, import_book

    try:
        result = import_book(_context(), file, book)
    except BookError as exc:
        raise fail(str(exc)) from None
    emit(result, json, lambda r: console.print(
        f"book {r['book']}: {r['rows']} rows ({r['added']} added, {r['changed']} changed, "
        f"{r['removed']} removed, {r['unchanged']} unchanged)", highlight=False))


@book_app.command("list")
def list_(json: bool = typer.Option(False, "--json", help=JSON_HELP)) -> None:
    """The books of your organisation, with their rows, alerts and last run."""
    from redline.monitor.books import list_books

    books = list_books(_context())

    def render(rows: list[dict]) -> None:
        if not rows:
            console.print("no books: import one with `redline parties book import FILE --book NAME`")
            return
        table = Table("book", "rows", "alerts", "updated", "last run")
        for b in rows:
            table.add_row(b["book"], str(b["rows"]), str(b["alerts"]), b["updated_at"], b["last_run_at"] or "never")
        console.print(table)

    emit(books, json, render)


@book_app.command("show")
def show(
    book: str = typer.Argument(..., help="The book's name."),
    limit: int = typer.Option(20, "--limit", min=1, max=10000, help="Rows and alerts shown."),
    json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """A book: its size, first rows and latest alerts."""
    from redline.monitor.books import BookNotFound, show_book

    try:
        result = show_book(_context(), book, limit)
    except BookNotFound as exc:
        raise fail(str(exc).replace("--book", "BOOK")) from None

    def render(r: dict) -> None:
        console.print(f"book {r['book']}: {r['rows']} rows, last run {r['last_run_at'] or 'never'}", highlight=False)
        _alerts_table(r["recent_alerts"])

    emit(result, json, render)


@book_app.command("export")
def export(
    book: str = typer.Argument(..., help="The book's name."),
    output: Path = typer.Option(..., "--output", "-o", help="CSV, or Parquet when it ends in .parquet."),
    json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Write a book back out in the format `book import` reads."""
    from redline.monitor.books import BookError, BookNotFound, export_book

    try:
        result = export_book(_context(), book, output)
    except BookNotFound as exc:
        raise fail(str(exc).replace("--book", "BOOK")) from None
    except (BookError, OSError) as exc:
        raise fail(str(exc)) from None
    emit(result, json, lambda r: console.print(f"{r['rows']} rows written to {r['output']}", highlight=False))


@app.callback()
def schedule(
    ctx: typer.Context,
    every: str = typer.Option(None, "--every", help="Without a command: update the lists and run every book now and then every period (6h, 30m, 1d), until stopped."),
    cycles: int = typer.Option(None, "--cycles", min=1, help="With --every: stop after this many cycles (--cycles 1 for cron or a systemd timer)."),
    source: list[str] = typer.Option(None, "--source", help="With --every: update only these publishers (repeat; default: all)."),
    threshold: float = typer.Option(None, "--threshold", min=0.0, max=1.0, help="Score from which a hit is an alert (default: the engine's match threshold)."),
    engine: str = typer.Option("local", "--engine", help=ENGINE_HELP),
    scheduler: str = typer.Option(None, "--scheduler", help="With --engine dask: the scheduler's address."),
    json: bool = typer.Option(False, "--json", help=JSON_HELP + " With --every: one JSON object a line, a line a cycle."),
) -> None:
    """Monitor customer books: `monitor run` once, or `monitor --every 6h` to keep the lists and the
    books current (a failed download leaves the list in force and says so)."""
    if ctx.invoked_subcommand is not None:
        return
    if every is None:
        console.print(ctx.get_help())
        raise typer.Exit(0)
    from redline.monitor.schedule import ScheduleError, every as run_every, parse_interval
    from redline.parties.dask_engine import EngineError, check_engine

    try:
        interval = parse_interval(every)
        check_engine(engine, scheduler)
    except (ScheduleError, EngineError) as exc:
        raise fail(str(exc)) from None
    try:
        run_every(_context(), interval, lambda r: _print_cycle(r, json), cycles=cycles, sources=source or None,
                  threshold=_threshold(threshold), engine=engine, scheduler=scheduler)
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


def _print_cycle(result: dict, as_json: bool) -> None:
    if as_json:
        import orjson

        typer.echo(orjson.dumps(result).decode())
        return
    update = result["update"]
    console.print(f"{result['started_at']}: {len(update['results'])} list files downloaded", highlight=False)
    for failure in update["failures"]:
        kept = failure["in_force"] or "no snapshot of this list"
        err_console.print(f"[yellow]download failed[/] {failure['source']}: {failure['error']}; still in force: {kept}",
                          highlight=False)
    _render_run(result)
    if result.get("next_at"):
        console.print(f"next cycle at {result['next_at']}", highlight=False)


@app.command("run")
def run(
    book: str = typer.Option(None, "--book", help="Run this book only (default: every book of your organisation)."),
    threshold: float = typer.Option(None, "--threshold", min=0.0, max=1.0, help="Score from which a hit is an alert (default: the engine's match threshold)."),
    engine: str = typer.Option("local", "--engine", help=ENGINE_HELP),
    scheduler: str = typer.Option(None, "--scheduler", help="With --engine dask: the scheduler's address, e.g. tcp://10.0.0.5:8786."),
    workers: int = typer.Option(None, "--workers", min=1, max=256, help="With --engine dask and no --scheduler: processes of the local cluster (default 2)."),
    json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Screen what changed since each book's last run (a first run screens the whole book); alerts
    go to the review queue and the ledger, once per listing."""
    from redline.monitor.books import BookNotFound
    from redline.monitor.delta import run as run_books
    from redline.parties.api import NoListsLoaded
    from redline.parties.dask_engine import EngineError, check_engine

    try:
        check_engine(engine, scheduler)
    except EngineError as exc:
        raise fail(str(exc)) from None
    try:
        result = run_books(_context(), book, _threshold(threshold), engine=engine, scheduler=scheduler, workers=workers)
    except BookNotFound as exc:
        raise fail(str(exc)) from None
    except (NoListsLoaded, EngineError) as exc:
        raise fail(str(exc), code=1) from None
    emit(result, json, _render_run)


def _render_run(r: dict) -> None:
    if r.get("error"):
        err_console.print(f"[red]not run:[/] {r['error']}", highlight=False)
    for b in r["books"]:
        kind = "first run, whole book" if b["first_run"] else f"{b['rows_screened_whole']} new or changed rows, {b['rows_screened_for_delta']} rows near changed listings"
        console.print(f"book {b['book']}: {kind}; {b['alerts_raised']} alerts ({b['seconds']} s)", highlight=False)
    _alerts_table(r["alerts"])


def _alerts_table(alerts: list[dict]) -> None:
    if not alerts:
        return
    table = Table("reason", "id", "name", "listed party", "score", "snapshot")
    for a in alerts:
        table.add_row(a["reason"], a["book_id"], a["name"], a["caption"], f"{a['score']:.2f}", a["snapshot"])
    console.print(table)


def _threshold(given: float | None) -> float:
    from redline.parties.score import MATCH_THRESHOLD

    return MATCH_THRESHOLD if given is None else given

"""`redline parties book …` (customer books) and `redline monitor run` (delta screening)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from redline.output import JSON_HELP, console, emit, fail

book_app = typer.Typer(no_args_is_help=True, help="Customer books: import, list, show, export.")
app = typer.Typer(no_args_is_help=True)


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


@app.command("run")
def run(
    book: str = typer.Option(None, "--book", help="Run this book only (default: every book of your organisation)."),
    threshold: float = typer.Option(0.75, "--threshold", min=0.0, max=1.0, help="Score from which a hit is an alert."),
    json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Screen what changed since each book's last run (a first run screens the whole book); alerts
    go to the review queue and the ledger, once per listing."""
    from redline.monitor.books import BookNotFound
    from redline.monitor.delta import run as run_books
    from redline.parties.api import NoListsLoaded

    try:
        result = run_books(_context(), book, threshold)
    except BookNotFound as exc:
        raise fail(str(exc)) from None
    except NoListsLoaded as exc:
        raise fail(str(exc), code=1) from None

    def render(r: dict) -> None:
        for b in r["books"]:
            kind = "first run, whole book" if b["first_run"] else f"{b['rows_screened_whole']} new or changed rows, {b['rows_screened_for_delta']} rows near changed listings"
            console.print(f"book {b['book']}: {kind}; {b['alerts_raised']} alerts ({b['seconds']} s)", highlight=False)
        _alerts_table(r["alerts"])

    emit(result, json, render)


def _alerts_table(alerts: list[dict]) -> None:
    if not alerts:
        return
    table = Table("reason", "id", "name", "listed party", "score", "snapshot")
    for a in alerts:
        table.add_row(a["reason"], a["book_id"], a["name"], a["caption"], f"{a['score']:.2f}", a["snapshot"])
    console.print(table)

from __future__ import annotations

from pathlib import Path

import orjson
import typer
from rich.table import Table

from redline.context import get_context
from redline.output import console, emit, fail

app = typer.Typer(no_args_is_help=True)


@app.command()
def show(
    kind: str = typer.Option(None, help="Only entries whose kind starts with this, e.g. licensing."),
    limit: int = typer.Option(50, help="At most this many entries (the latest)."),
    json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Show the latest ledger entries."""
    entries = [e.to_dict() for e in get_context().ledger.entries(kind=kind)][-limit:]

    def render(rows: list[dict]) -> None:
        table = Table("seq", "at", "kind", "actor", "outcome", "hash")
        for row in rows:
            outcome = row["outcome"]
            summary = outcome.get("summary", outcome) if isinstance(outcome, dict) else outcome
            table.add_row(str(row["seq"]), row["at"][:19], row["kind"], row["actor"], str(summary)[:60], row["hash"][:12])
        console.print(table)

    emit(entries, json, render)


@app.command()
def export(
    output: Path = typer.Option(..., "-o", "--output", help="Write JSON Lines here ('-' for stdout)."),
    kind: str = typer.Option(None, help="Only entries whose kind starts with this."),
) -> None:
    """Export the ledger as JSON Lines, one entry a line, with its hashes for independent checking."""
    lines = (orjson.dumps(e.to_dict()) + b"\n" for e in get_context().ledger.entries(kind=kind))
    if str(output) == "-":
        import sys

        for line in lines:
            sys.stdout.buffer.write(line)
        return
    count = 0
    with output.open("wb") as handle:
        for line in lines:
            handle.write(line)
            count += 1
    console.print(f"wrote {count} entries to {output}")


@app.command()
def verify(json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Recompute the hash chain; exit 1 if any entry was edited, deleted or reordered."""
    ledger = get_context().ledger
    breaches = ledger.verify()
    count = sum(1 for _ in ledger.entries())
    result = {"entries": count, "ok": not breaches, "breaches": [b.__dict__ for b in breaches]}

    def render(res: dict) -> None:
        if res["ok"]:
            console.print(f"[green]ledger intact[/]: {res['entries']} entries, chain verified")
        for b in res["breaches"]:
            console.print(f"[red]entry {b['seq']}[/]: {b['problem']}")

    emit(result, json, render)
    if breaches:
        raise fail(f"{len(breaches)} problem(s) in the ledger", code=1)

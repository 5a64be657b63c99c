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
    limit: int = typer.Option(50, min=1, help="At most this many entries (the latest)."),
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
    json: bool = typer.Option(False, "--json", help="Print a JSON summary (entries, file) instead of a sentence."),
) -> None:
    """Export the ledger as JSON Lines, one entry a line, with its hashes for independent checking."""
    lines = (orjson.dumps(e.to_dict()) + b"\n" for e in get_context().ledger.entries(kind=kind))
    if str(output) == "-":
        import sys

        for line in lines:
            sys.stdout.buffer.write(line)
        return
    count = 0
    try:
        with output.open("wb") as handle:
            for line in lines:
                handle.write(line)
                count += 1
    except OSError as exc:
        raise fail(f"--output: {output}: {exc.strerror}") from None
    emit({"entries": count, "output": str(output)}, json, lambda r: console.print(f"wrote {r['entries']} entries to {r['output']}"))


WITNESS_HELP = "A witness file of checkpoints (JSON lines), kept where the store's writers cannot reach."


@app.command()
def verify(
    witness: Path = typer.Option(None, "--witness", help=WITNESS_HELP, dir_okay=False, exists=True),
    json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Recompute the hash chain and check it against the signed checkpoints; exit 1 naming any entry
    edited, deleted, reordered, cut from the tail or rewritten since a checkpoint."""
    ledger = get_context().ledger
    try:
        breaches = ledger.verify(witness=witness)
    except ValueError as exc:
        raise fail(str(exc)) from exc
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


@app.command()
def checkpoint(
    witness: Path = typer.Option(None, "--witness", help="Also append the checkpoints to this witness file.", dir_okay=False),
    json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Sign the ledger's head now with the installation's key (checkpoints are also taken every
    REDLINE_LEDGER_CHECKPOINT_EVERY entries); with --witness, copy every checkpoint there."""
    from redline.checkpoints import append_witness, stored_checkpoints

    ctx = get_context()
    made = ctx.ledger.checkpoint()
    result = {"checkpoint": made.to_dict(), "key_id": made.key_id, "public_key": ctx.ledger.signer.public_pem()}
    if witness is not None:
        try:
            result["witness"] = {"file": str(witness), "added": append_witness(witness, stored_checkpoints(ctx.store))}
        except ValueError as exc:
            raise fail(str(exc)) from exc

    def render(res: dict) -> None:
        cp = res["checkpoint"]
        console.print(f"signed the head at entry {cp['seq']} ({cp['hash'][:12]}) with key {cp['key_id']}")
        if "witness" in res:
            console.print(f"{res['witness']['added']} checkpoint(s) added to {res['witness']['file']}")

    emit(result, json, render)

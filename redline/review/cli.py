"""`redline review …`: the queue of screening hits and the decisions on them.

The CLI acts as the local operator (REDLINE_USER, the login name by default) with the admin role
and no organisation: it sees the items raised outside any organisation (CLI, Python API, keys
without one). Four-eyes still holds: the second confirmation must come from another name."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from redline.output import JSON_HELP, console, emit, fail

app = typer.Typer(no_args_is_help=True, help="Review screening hits: list the queue, decide an item.")
CLI_ROLE = "admin"


def _context() -> Any:
    from redline.context import get_context

    return get_context()


@app.command("list")
def list_(
    status: str = typer.Option(None, "--status", help="open | escalated | awaiting_second | confirmed | cleared | queue (every item waiting for a decision). Default: all."),
    limit: int = typer.Option(100, min=1, max=1000, help="How many items, newest first (1–1000)."),
    json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """The review items raised by screenings (a match, or a listed near miss), newest first."""
    from redline.review.core import ReviewProblem, list_items

    ctx = _context()
    try:
        items = list_items(ctx.store, ctx.org, status, limit)
    except ReviewProblem as exc:
        raise fail(str(exc)) from None

    def render(rows: list[dict[str, Any]]) -> None:
        if not rows:
            console.print("no review items" + (f" with status {status}" if status else ""))
            return
        table = Table("item", "status", "score", "query", "listed party", "lists", "raised")
        for item in rows:
            lists = sorted({l["program_id"] for l in item["lists"]} | {f"via {l['program_id']}" for v in item["via"] for l in v.get("lists", [])})
            flag = "[bold red]MATCH[/] " if item["match"] else ""
            table.add_row(str(item["id"]), item["status"], f"{flag}{item['score']:.2f}", item["query"].get("name", ""),
                          item["party_caption"], ", ".join(lists), f"{item['raised_at'][:19]} {item['raised_by']}")
        console.print(table)

    emit(items, json, render)


@app.command()
def show(
    item: int = typer.Argument(..., help="The item's number (from `redline review list`)."),
    json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """One item with its explanation, listings and every decision on it."""
    from redline.review.core import ItemNotFound, get_item

    ctx = _context()
    try:
        found = get_item(ctx.store, ctx.org, item)
    except ItemNotFound as exc:
        raise fail(f"ITEM: {exc}") from None
    emit(found, json, _render_item)


def _render_item(item: dict[str, Any]) -> None:
    console.print(f"[bold]item {item['id']}[/]: {item['status']} · score {item['score']:.2f}{' · MATCH' if item['match'] else ''}")
    console.print(f"query {item['query']} → {item['party_caption']} ({item['party_id']})", highlight=False)
    if item["sanctions_programs"]:
        console.print(f"sanctions programmes: {', '.join(item['sanctions_programs'])} (confirming takes two people)")
    console.print(f"[dim]{item['explanation']}[/]", highlight=False)
    for d in item.get("decisions", []):
        console.print(f"  {d['at'][:19]} {d['actor']} ({d['role']}): {d['decision']} [{d['stage']}] — {d['reason']} (ledger {d['ledger_seq']})", highlight=False)


@app.command()
def decide(
    item: int = typer.Argument(..., help="The item's number (from `redline review list`)."),
    decision: str = typer.Option(..., "--decision", help="confirmed | cleared | escalated"),
    reason: str = typer.Option(..., "--reason", help="Why, in words: it goes in the ledger."),
    json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Decide an item: confirmed (a true match), cleared (a false positive: the pair is not raised
    again until the party's listings change) or escalated. Recorded in the ledger with who, when,
    why and the snapshots in force. Confirming a match on a sanctions list needs a second person."""
    from redline.review.core import ItemNotFound, ReviewProblem, decide as decide_item, in_force

    ctx = _context()
    try:
        result = decide_item(ctx.store, ctx.ledger, item_id=item, decision=decision, reason=reason, actor=ctx.actor,
                             role=CLI_ROLE, org=ctx.org, snapshots=in_force(ctx.store))
    except ItemNotFound as exc:
        raise fail(f"ITEM: {exc}") from None
    except ReviewProblem as exc:
        raise fail(str(exc)) from None

    def render(found: dict[str, Any]) -> None:
        last = found["decisions"][-1]
        console.print(f"item {found['id']}: {last['decision']} by {last['actor']} → status {found['status']} (ledger entry {last['ledger_seq']})")
        if found["status"] == "awaiting_second":
            console.print("[yellow]a match on a sanctions list: a second person must confirm it[/]")

    emit(result, json, render)

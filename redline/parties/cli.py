"""`redline parties …`: import, update, export, status, diff, screen, screen-file, compare."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import typer
from rich import box
from rich.table import Table

from redline.inputs import DATE_ORDERS, InputError, parse_country, parse_date, parse_name, parse_schema
from redline.output import JSON_HELP, console, emit, err_console, fail

app = typer.Typer(no_args_is_help=True)

def _check_schema(schema: str | None, argument: str = "--schema") -> None:
    try:
        parse_schema(schema, argument)
    except InputError as exc:
        raise fail(str(exc)) from None


def _check_date_order(order: str | None) -> None:
    if order is not None and order not in DATE_ORDERS:
        raise fail(f"--date-order must be one of {', '.join(DATE_ORDERS)}, not {order!r}")


@app.command("import")
def import_(
    paths: list[Path] = typer.Argument(None, help="List files or folders (searched recursively). Default: REDLINE_DATA/lists."),
    force: bool = typer.Option(False, help="Read a file again even when its SHA-256 is already in the store (its snapshot is refilled)."),
    accept_shrink: bool = typer.Option(False, "--accept-shrink", help="Put in force a snapshot with more than 10% fewer entities than the one in force (otherwise it is held)."),
    if_changed: bool = typer.Option(False, "--if-changed", help="Show only what changed."),
    keep_going: bool = typer.Option(False, "--keep-going", help="Exit 0 even when a file is refused or held (it is still reported)."),
    json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Import list files; each becomes a versioned snapshot (all or nothing), logged in the ledger.

    Exit 1 when a file is refused (unreadable, unrecognised) or held (it would shrink its list by
    more than 10%)."""
    from redline.context import get_context
    from redline.parties.snapshots import import_paths

    ctx = get_context()
    if not paths:
        paths = [ctx.settings.data("lists")]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise fail(f"no such file or folder: {', '.join(missing)}")
    with console.status("importing lists…") as status:
        results, skipped = import_paths(
            ctx.store, paths, force=force, accept_shrink=accept_shrink, actor=ctx.settings.user,
            progress=lambda msg: status.update(f"importing {msg}"),
        )
    payload = {"results": [r.to_dict() for r in results], "skipped": skipped}

    def render(_: dict) -> None:
        table = Table("source", "status", "entities", "data date", "path")
        for r in results:
            if if_changed and r.status == "unchanged":
                continue
            style = {"imported": "green", "reimported": "green", "unchanged": "dim", "held": "yellow", "refused": "red"}[r.status]
            status_text = r.status + ("" if r.in_force or r.status in ("held", "refused") else " (not in force)")
            table.add_row(r.source or "?", f"[{style}]{status_text}[/]", str(sum(r.counts.values()) or ""), r.data_date or ("" if r.status == "refused" else "date unknown"), r.path)
        if table.rows:
            console.print(table)
        elif if_changed:
            console.print(f"lists unchanged ({len(results)} snapshots in the store)")
        for r in results:
            for warning in r.warnings:
                err_console.print(f"[yellow]note[/] {r.label or r.path}: {warning}", highlight=False)
            if r.status == "held":
                err_console.print(f"[yellow]held[/] {r.error}", highlight=False)
            elif r.error:
                kept = f" (the previous snapshot of {r.source} stays in force)" if r.source else ""
                err_console.print(f"[red]refused[/] {r.error}{kept}", highlight=False)
        for s in skipped:
            err_console.print(f"[yellow]skipped[/] {s['path']}: {s['reason']}", highlight=False)

    emit(payload, json, render)
    if any(r.status in ("refused", "held") for r in results) and not keep_going:
        raise typer.Exit(1)


@app.command()
def update(
    sources: list[str] = typer.Argument(None, help="Publishers to fetch (default: all): ofac_sdn, ofac_cons, us_csl, un_sc, uk_fcdo, eu_fsf, ca_sema, au_dfat."),
    json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Download the current lists from their official publishers and import them (recorded in the ledger)."""
    from redline.parties import api

    with console.status("downloading…"):
        payload = api.update(sources or None)
    emit(payload, json, lambda p: _render_update(p))
    if payload["failures"] or any(r["status"] in ("refused", "held") for r in payload["results"]):
        raise typer.Exit(1)


def _render_update(payload: dict) -> None:
    for r in payload["results"]:
        console.print(f"{r['source']}: {r['status']} {r.get('error') or ''}")
    for f in payload["failures"]:
        err_console.print(f"[red]failed[/] {f['source']} {f['url']}: {f['error']}")


@app.command()
def export(
    output: Path = typer.Option(..., "-o", "--output", help="FollowTheMoney JSON lines file to write."),
    source: list[str] = typer.Option(None, "--source", help="Only these sources (repeat the option); default: every list in force."),
    json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Export the entities in force as FollowTheMoney JSON lines (what `import` reads)."""
    from redline.parties import api

    try:
        summary = api.export_ftm(output, source or None)
    except OSError as exc:
        raise fail(f"--output: {output}: {exc.strerror}") from None
    if not summary["entities"]:
        raise fail("nothing to export: no list in force" + (f" from {', '.join(source)}" if source else ""))
    emit(summary, json, lambda s: console.print(f"wrote {s['entities']} entities from {', '.join(s['sources'])} → {s['output']}"))


@app.command()
def status(
    all_: bool = typer.Option(False, "--all", help="Every snapshot, not only those in force."),
    json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """The list snapshots in the store: source, URL, retrieval time, SHA-256, counts."""
    from redline.context import get_context
    from redline.parties.snapshots import list_snapshots

    snaps = list_snapshots(get_context().store, active_only=not all_)

    def render(rows: list[dict]) -> None:
        if not rows:
            console.print("no lists imported yet: run `redline parties import` (or `make run`)")
            return
        table = Table("id", "source", "data date", "retrieved", "entities", "sha256", "in force")
        for s in rows:
            table.add_row(str(s["id"]), s["source"], s["data_date"] or "date unknown", s["retrieved_at"][:19], str(sum(s["counts"].values())), s["sha256"][:12], "yes" if s["active"] else "")
        console.print(table)
        console.print("[dim]Snapshot data are as of their data date, not current, unless updated with `redline parties update`.[/]")

    emit(snaps, json, render)


@app.command()
def diff(
    source: str = typer.Argument(..., help="Source name, e.g. un_sc."),
    old: int = typer.Option(None, help="Older snapshot id (default: the second latest)."),
    new: int = typer.Option(None, help="Newer snapshot id (default: the latest)."),
    json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """What was added, removed and changed between two snapshots of one source."""
    from redline.context import get_context
    from redline.parties.snapshots import diff as snapshot_diff

    try:
        result = snapshot_diff(get_context().store, source, old, new)
    except ValueError as exc:
        raise fail(str(exc)) from None

    def render(d: dict) -> None:
        console.print(f"{d['source']}: {d['old']} → {d['new']}: {len(d['added'])} added, {len(d['removed'])} removed, {len(d['changed'])} changed")
        for label, rows, style in (("+", d["added"], "green"), ("-", d["removed"], "red")):
            for row in rows[:50]:
                console.print(f"[{style}]{label} {row['caption']}[/] ({row['id']})")
        for row in d["changed"][:50]:
            console.print(f"[yellow]~ {row['caption']}[/] ({row['id']}): {', '.join(row['properties'])}")

    emit(result, json, render)


@app.command()
def screen(
    name: str = typer.Argument(..., help="The name to screen."),
    schema: str = typer.Option(None, help="Company | Person | Organization | Vessel | LegalEntity"),
    country: str = typer.Option(None, help="The party's country: a name or an ISO 3166 code (CN, CHN, China)."),
    birth_date: str = typer.Option(None, "--birth-date", help="For persons: 1958, 1958-05-12, 12.05.1958, 5 May 1958…"),
    date_order: str = typer.Option(None, "--date-order", help="How to read 12/05/1958: dmy or mdy (refused otherwise)."),
    identifier: list[str] = typer.Option(None, "--id", help="An identifier (IMO, ISIN, registration…); repeatable."),
    limit: int = typer.Option(5, min=1, max=1000, help="How many hits to show (1–1000)."),
    ofac: bool = typer.Option(False, "--ofac", help="Show the OFAC-style score column."),
    json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Screen one party against every list in force."""
    from redline.parties import api

    _check_schema(schema)
    _check_date_order(date_order)
    try:
        name = parse_name(name, "NAME")
        country = parse_country(country, "--country")
        birth_date = parse_date(birth_date, "--birth-date", date_order)
        identifier = [parse_name(i, "--id") for i in identifier or []]
    except InputError as exc:
        raise fail(str(exc)) from None
    try:
        result = api.screen(name, schema=schema, country=country, birth_date=birth_date, identifiers=identifier, limit=limit)
    except api.NoListsLoaded as exc:
        raise fail(str(exc)) from None
    emit(result, json, lambda r: _render_screen(r, ofac))  # api.screen wrote it to the ledger


def _render_screen(result: dict, ofac: bool) -> None:
    if not result["results"]:
        console.print(f"[green]no hits[/] for {result['query']['name']!r}")
        return
    columns = ["match", "score"] + (["ofac"] if ofac else []) + ["party", "lists"]
    table = Table(*columns, title=f"screening {result['query']['name']!r}", show_lines=True)
    for hit in result["results"]:
        lists = sorted({f"{l['program_id']}" for l in hit["lists"]})
        if hit["via"]:
            lists += [f"via {v['relation']} {v['caption']}" for v in hit["via"][:3]]
            lists += [f"… {len(hit['via']) - 3} more relations"] if len(hit["via"]) > 3 else []
        row = ["[bold red]MATCH[/]" if hit["match"] else "no", f"{hit['score']:.2f}"]
        row += [f"{hit['ofac_score']:.0f}"] if ofac else []
        row += [f"{hit['caption']}\n[dim]{hit['schema']} · {hit['id']}[/]", "\n".join(lists)]
        table.add_row(*row)
    console.print(table)
    console.print(f"[dim]{result['results'][0]['explanation']}[/]")


@app.command("screen-file")
def screen_file(
    input_csv: Path = typer.Argument(..., help="CSV with a header, or Parquet (.parquet): name, and optionally schema, country, id, birth_date…"),
    output: Path = typer.Option(..., "-o", "--output", help="Output CSV: every input row, in order, with the best hit."),
    resume: bool = typer.Option(True, help="Continue an interrupted run: rows already in OUTPUT are kept."),
    show: int = typer.Option(0, "--show", min=0, help="Then print a table of the first N rows of OUTPUT."),
    explain: bool = typer.Option(False, "--explain", help="With --show: the full explanation and every list of each row."),
    date_order: str = typer.Option(None, "--date-order", help="How to read birth dates such as 12/05/1958: dmy or mdy."),
    engine: str = typer.Option("local", "--engine", help="local: this machine's cores; dask: a Dask cluster (--scheduler, else a local cluster of --workers processes)."),
    scheduler: str = typer.Option(None, "--scheduler", help="With --engine dask: the scheduler's address, e.g. tcp://10.0.0.5:8786."),
    workers: int = typer.Option(None, "--workers", min=1, max=256, help="Processes on this machine (default: its cores, at most 8; a local Dask cluster: 2)."),
    json: bool = typer.Option(False, "--json", help="Print a JSON summary at the end instead of a progress bar."),
) -> None:
    """Screen a CSV or Parquet file of parties, streaming, with progress; resumable. A row whose
    values cannot be read is written back with its line and the reason in the `error` column."""
    from redline.parties import api
    from redline.parties.batch import BatchError, screen_csv
    from redline.parties.dask_engine import EngineError, check_engine

    _check_date_order(date_order)
    try:
        check_engine(engine, scheduler)
    except EngineError as exc:
        raise fail(str(exc)) from None
    if output.resolve() == input_csv.resolve():
        raise fail("--output must not be the input file")
    try:
        summary = screen_csv(input_csv, output, resume=resume, progress=not json, date_order=date_order,
                             workers=workers, engine=engine, scheduler=scheduler)
    except (BatchError, api.NoListsLoaded) as exc:
        raise fail(str(exc)) from None
    except EngineError as exc:
        raise fail(str(exc), code=1) from None
    except OSError as exc:
        raise fail(f"{exc.filename or output}: {exc.strerror}") from None

    def render(s: dict) -> None:
        console.print(f"screened {s['rows']} rows ({s['resumed']} resumed), {s['matches']} matches → {s['output']}")
        if s["errors"]:
            err_console.print(f"[yellow]{s['errors']} row(s) not screened[/] (see the error column):")
            for message in s["row_errors"][:10]:
                err_console.print(f"  {message}", highlight=False)
        if show:
            _print_hits(output, show, explain)

    emit(summary, json, render)


def _print_hits(output: Path, limit: int, explain: bool) -> None:
    """The first rows of a screen-file output. Each row is one line at 80 columns unless `explain`."""
    from redline.csvio import read_rows
    from redline.parties.score import VALUES

    header, rows = read_rows(output, "utf-8")
    if explain:
        table = Table(show_lines=True)
        for column in ("name", "match", "score", "hit", "lists", "explanation"):
            table.add_column(column, overflow="fold", ratio=3 if column == "explanation" else None)
    else:
        table = Table(box=box.SIMPLE_HEAD, expand=True, caption="[dim]--explain for the full explanations, or read the output CSV[/]")
        table.add_column("name", no_wrap=True, overflow="ellipsis", ratio=2, max_width=30)
        table.add_column("match", no_wrap=True, width=5)
        table.add_column("score", no_wrap=True, width=5)
        table.add_column("hit", no_wrap=True, overflow="ellipsis", ratio=2, max_width=30)
        table.add_column("explanation", no_wrap=True, overflow="ellipsis", ratio=3)
    for _, values in itertools.islice(rows, limit):
        row = dict(zip(header, values))
        match = row.get("match") == "true"
        flag = "[bold red]MATCH[/]" if match else ("[yellow]error[/]" if row.get("error") else "no")
        relevant = match or _score(row.get("score")) >= VALUES["generic_only_cap"]  # what more than generic words reached
        if explain:
            why = row.get("error") or (row.get("explanation", "") if relevant else "")
            table.add_row(row["name"], flag, row.get("score", ""), row.get("hit_caption", ""), row.get("hit_lists", "").replace(";", " "), why)
        else:
            why = row.get("error") or (_short(row.get("explanation", "")) if relevant else "")
            table.add_row(row["name"], flag, row.get("score", "")[:4], row.get("hit_caption", ""), why)
    console.print(table)


def _score(value: str | None) -> float:
    try:
        return float(value or 0)
    except ValueError:
        return 0.0


def _short(explanation: str) -> str:
    """The word pairs of an explanation, without the quotes and bracketed notes."""
    import re

    first = explanation.split(". ", 1)[0]
    pairs = first.split("': ", 1)[-1]
    return re.sub(r" \[[^\]]*\]|'", "", pairs)


@app.command()
def compare(
    pairs: Path = typer.Option(..., "--pairs", help="CSV with a header: left,right and optionally schema."),
    json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Score pairs of names against each other; rows come back in input order with score and match.

    With lists loaded, words weigh by how many listed parties carry them, as in screening; with none, every word weighs by its kind."""
    from redline.csvio import CsvInputError, dict_writer, read_rows
    from redline.parties.api import compare_names

    if not pairs.is_file():
        raise fail(f"--pairs: {pairs}: " + ("not a file" if pairs.exists() else "no such file"))
    try:
        header, lines = read_rows(pairs)
        if not {"left", "right"} <= set(header):
            raise fail(f"{pairs}:1: the header must have 'left' and 'right' columns")
        rows = []
        for line, values in lines:
            row = dict(zip(header, values))
            try:
                left, right = parse_name(row.get("left"), "left"), parse_name(row.get("right"), "right")
            except InputError as exc:
                raise fail(f"{pairs}:{line}: {exc}") from None
            schema = row.get("schema") or None
            _check_schema(schema, f"{pairs}:{line}: schema")
            rows.append({**row, **compare_names(left, right, schema)})
    except (OSError, CsvInputError) as exc:
        raise fail(str(exc)) from None

    def render(result: list[dict]) -> None:
        writer = dict_writer(sys.stdout, fieldnames=list(result[0].keys()) if result else ["left", "right", "score", "match"], extrasaction="ignore")
        writer.writeheader()
        for r in result:
            writer.writerow({k: v for k, v in r.items() if k != "explanation"})

    if not json:
        for r in rows:
            r.pop("explanation", None)
    emit(rows, json, render)


@app.command()
def clusters(
    audit: bool = typer.Option(False, "--audit", help="Show the evidence of every merge: which key, which entities."),
    contains: str = typer.Option(None, "--contains", help="Only clusters with a name holding this text."),
    limit: int = typer.Option(0, "--limit", min=0, help="Show at most this many clusters (0: all)."),
    json: bool = typer.Option(False, "--json", help="Print machine-readable JSON instead of a table."),
) -> None:
    """Parties that join entities of several lists (or rows), largest first; --audit says why each merge was made."""
    from rich.markup import escape

    from redline.parties.api import NoListsLoaded, cluster_audit

    try:
        result = cluster_audit(contains)
    except NoListsLoaded as exc:
        raise fail(str(exc), code=1) from None
    if limit:
        result["clusters"] = result["clusters"][:limit]
    if not audit:
        for cluster in result["clusters"]:
            cluster.pop("merges")

    def render(payload: dict) -> None:
        if not payload["clusters"]:
            console.print("no cluster joins several entities" + (f" with a name holding {contains!r}" if contains else ""))
            return
        if not audit:
            table = Table("id", "caption", "schema", "entities", "lists")
            for c in payload["clusters"]:
                table.add_row(c["id"], c["caption"], c["schema"], str(len(c["entities"])), ", ".join(c["lists"]))
            console.print(table)
            return
        for c in payload["clusters"]:
            console.print(f"[bold]{escape(c['caption'])}[/] ({c['schema']}, {len(c['entities'])} entities, id {c['id']})", highlight=False)
            names = {e["id"]: f"{e['id']} [{e['source']}] {e['name']!r}" for e in c["entities"]}
            for m in c["merges"]:
                pair = names[m["left"]] if m["left"] == m["right"] else f"{names[m['left']]} = {names[m['right']]}"
                console.print(f"  {m['evidence']}: {m['key']}\n    {pair}", highlight=False, markup=False)

    emit(result, json, render)


from redline.monitor.cli import book_app  # noqa: E402  (light: the books load when a command runs)

app.add_typer(book_app, name="book", help="Customer books: import, list, show, export (monitored by `redline monitor run`).")

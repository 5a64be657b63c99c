"""`redline report media|licensing --from DATE --to DATE`: a thin layer over redline.reports."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

import typer

from redline.output import console, emit, fail

app = typer.Typer(no_args_is_help=True, help="Transparency reports for a closed period: media and licensing.")

FORMATS = ("html", "csv", "pdf", "json")
FROM = typer.Option(None, "--from", help="First day of the period (YYYY-MM-DD, UTC), included.")
TO = typer.Option(None, "--to", help="Last day of the period (YYYY-MM-DD, UTC), included; not in the future.")
FORMAT = typer.Option(None, "--format", help="html | csv | pdf | json (default: from the -o file's suffix).")
OUTPUT = typer.Option(None, "-o", "--output", help="Write the report to this file (a PDF needs one).")
JSON = typer.Option(False, "--json", help="Print JSON: the report, or with -o what was written.")
VERIFY = typer.Option(False, "--verify-ledger", help="Check the whole ledger chain for the report (slow on a big ledger).")


def _format(fmt: str | None, output: Path | None) -> str | None:
    if fmt is None:
        if output is None:
            return None
        fmt = output.suffix.lstrip(".").lower()
        if fmt not in FORMATS:
            raise fail(f"--format: give one of {', '.join(FORMATS)} (the suffix of {output} does not say)")
        return fmt
    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        raise fail(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    return fmt


def _render(report: dict[str, Any], fmt: str) -> bytes:
    from redline.output import to_json
    from redline.reports.render import RENDERERS

    if fmt == "json":
        return (to_json(report) + "\n").encode()
    out = RENDERERS[fmt](report)
    return out if isinstance(out, bytes) else out.encode("utf-8")


def _summary(report: dict[str, Any]) -> None:
    from rich.table import Table

    period = report["period"]
    console.print(f"[bold]{report['title']}[/]  {period['from']} to {period['to']} (UTC)", highlight=False)
    for sec in report["sections"]:
        table = Table(title=f"{sec['title']} ({sec['basis']})", title_justify="left", show_header=False)
        for fig in sec["figures"]:
            table.add_row(fig["label"], fig["text"])
        for tab in sec["tables"]:
            rows = ", ".join(f"{r['key']} {r['count']}" for r in tab["rows"][:8]) or "none"
            table.add_row(tab["title"], rows + (" …" if len(tab["rows"]) > 8 else ""))
        console.print(table)


def _run(kind: str, start: str | None, end: str | None, fmt: str | None, output: Path | None, as_json: bool,
         **options: Any) -> None:
    from redline.context import get_context
    from redline.reports import REPORTS, ReportError, period

    chosen = _format(fmt, output)
    if chosen == "pdf" and output is None:
        raise fail("--output: a PDF is written to a file: give -o FILE.pdf")
    if output is None and as_json and chosen not in (None, "json"):
        raise fail(f"--json: without -o it prints the report as JSON, not {chosen}: drop one, or give -o FILE")
    try:
        span = period(start, end, names=("--from", "--to"))
    except ReportError as exc:
        raise fail(str(exc)) from None
    report = REPORTS[kind](get_context(), span.start, span.end, **options)
    if output is None:
        if chosen is None or chosen == "json":
            emit(report, as_json or chosen == "json", _summary)
        else:
            sys.stdout.write(_render(report, chosen).decode("utf-8"))
        return
    data = _render(report, chosen or "json")
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise fail(f"--output: cannot write {output} ({exc.strerror or exc})") from None
    written = {"report": kind, "period": report["period"], "format": chosen, "output": str(output), "bytes": len(data)}
    emit(written, as_json, lambda w: console.print(
        f"{kind} report {w['period']['from']} to {w['period']['to']} written to {w['output']} "
        f"({w['format']}, {w['bytes']} bytes)", highlight=False))


@app.command("media")
def media(start: Optional[str] = FROM, end: Optional[str] = TO, fmt: Optional[str] = FORMAT,
          output: Optional[Path] = OUTPUT, as_json: bool = JSON, verify_ledger: bool = VERIFY) -> None:
    """Platforms: EU Regulation 2021/784 Art. 7(3) figures and GIFCT hash-sharing counts."""
    _run("media", start, end, fmt, output, as_json, verify_ledger=verify_ledger)


@app.command("licensing")
def licensing(start: Optional[str] = FROM, end: Optional[str] = TO, fmt: Optional[str] = FORMAT,
              output: Optional[Path] = OUTPUT, as_json: bool = JSON) -> None:
    """Licensing offices: decisions by destination, policy, item category and outcome; denials shared."""
    _run("licensing", start, end, fmt, output, as_json)

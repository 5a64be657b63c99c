"""A report as HTML (inline SVG bar charts, no script), CSV (formula cells neutralised) and PDF (WeasyPrint)."""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from typing import Any

from redline.csvio import writer as csv_writer
from redline.reports.model import plural

CSV_COLUMNS = ("report", "from", "to", "section", "basis", "row", "key", "label", "value", "of", "percent", "text", "source")
CHART = {"width": 640, "row_h": 22, "label_w": 230, "bar_w": 340, "chart_rows": 15}


@cache
def _templates() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("redline.reports", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["plural"] = lambda noun, count: plural(count, noun)
    return env


def render_html_body(report: dict[str, Any]) -> str:
    """The report as an <article>, to place inside a page's layout."""
    return _templates().get_template("body.html.j2").render(report=report, **CHART)


def render_html(report: dict[str, Any]) -> str:
    """The report as a complete HTML page (what the CLI writes and WeasyPrint prints)."""
    from markupsafe import Markup

    body = Markup(render_html_body(report))  # already escaped by its own template
    return _templates().get_template("page.html.j2").render(report=report, body=body)


def csv_rows(report: dict[str, Any]) -> list[list[Any]]:
    """One row per figure and per breakdown entry, each naming its report, period, section, legal basis and source."""
    head = [report["kind"], report["period"]["from"], report["period"]["to"]]
    rows: list[list[Any]] = []
    for sec in report["sections"]:
        for fig in sec["figures"]:
            value = fig["value"]
            if isinstance(value, dict):
                count, of, percent = value.get("count", value.get("ok")), value.get("of"), value.get("percent")
            else:
                count, of, percent = value, None, None
            rows.append([*head, sec["key"], sec["basis"], "figure", fig["key"], fig["label"], count, of, percent, fig["text"],
                         fig["source"]])
        for tab in sec["tables"]:
            for row in tab["rows"]:
                rows.append([*head, sec["key"], sec["basis"], tab["key"], row["key"], tab["title"], row["count"], tab["total"],
                             None, f"{row['count']} of {tab['total']} {plural(tab['total'], tab['unit'])}".strip(), tab["source"]])
    return rows


def render_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    w = csv_writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    w.writerows(csv_rows(report))
    return out.getvalue()


def render_pdf(report: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]

    return HTML(string=render_html(report)).write_pdf()


RENDERERS: dict[str, Callable[[dict[str, Any]], str | bytes]] = {"html": render_html, "csv": render_csv, "pdf": render_pdf}

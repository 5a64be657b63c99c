"""The shape every report shares, so one renderer serves them all.

A report is a JSON-ready dict: `kind`, `title`, `period`, `generated_at`, `scope`, `legal_basis` and
`sections`. A section has `figures` (one number or rate each, with the text a reader sees and where
the number comes from) and `tables` (a breakdown of counts, drawn as a bar chart). A figure whose
value Redline does not record has `value` None and says so in its text: it is never a zero."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

NOT_RECORDED = "not recorded by Redline"


def rate(count: int, of: int, noun: str) -> dict[str, Any]:
    """`count` out of `of` with its denominator stated: "12 of 340 alerts (3.5%)"."""
    percent = round(100.0 * count / of, 1) if of else None
    shown = f"{percent}%" if percent is not None else "no rate: none in the period"
    return {"count": count, "of": of, "percent": percent, "text": f"{count} of {of} {noun} ({shown})"}


def plural(count: int, noun: str) -> str:
    """`noun` is singular: 1 hash, 2 hashes; 1 alert, 0 alerts; 3 entries."""
    if count == 1 or not noun:
        return noun
    head, _, last = noun.rpartition(" ")
    if last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last = last + ("es" if last.endswith(("s", "sh", "ch", "x")) else "s")
    return f"{head} {last}" if head else last


def figure(key: str, label: str, value: int | dict[str, Any] | None, source: str, *, noun: str = "",
           note: str | None = None) -> dict[str, Any]:
    if value is None:
        text = NOT_RECORDED
    elif isinstance(value, dict):
        text = value["text"]
    else:
        text = f"{value} {plural(value, noun)}".strip()
    out: dict[str, Any] = {"key": key, "label": label, "value": value, "text": text, "source": source}
    if note:
        out["note"] = note
    return out


def table(key: str, title: str, counts: Counter[str] | dict[str, int], source: str, *,
          dimension: str = "", unit: str = "") -> dict[str, Any]:
    """A breakdown, largest first (ties by name), with its total; `unit` is singular ("upload")."""
    rows = sorted(((str(k), int(v)) for k, v in counts.items() if v), key=lambda kv: (-kv[1], kv[0]))
    return {"key": key, "title": title, "dimension": dimension, "unit": unit, "source": source,
            "rows": [{"key": k, "count": v} for k, v in rows], "total": sum(v for _, v in rows)}


def section(key: str, title: str, basis: str, figures: Iterable[dict[str, Any]] = (),
            tables: Iterable[dict[str, Any]] = (), notes: Iterable[str] = ()) -> dict[str, Any]:
    return {"key": key, "title": title, "basis": basis, "figures": list(figures), "tables": list(tables),
            "notes": list(notes)}


def find_figure(report: dict[str, Any], key: str) -> dict[str, Any]:
    for sec in report["sections"]:
        for fig in sec["figures"]:
            if fig["key"] == key:
                return fig
    raise KeyError(key)


def find_table(report: dict[str, Any], key: str) -> dict[str, int]:
    """A table's rows as {key: count}."""
    for sec in report["sections"]:
        for tab in sec["tables"]:
            if tab["key"] == key:
                return {row["key"]: row["count"] for row in tab["rows"]}
    raise KeyError(key)

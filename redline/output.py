"""Shared terminal output: JSON for machines, Rich for people."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import orjson
import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)

JSON_HELP = "Print machine-readable JSON instead of a table."


def to_json(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS, default=str).decode()


def emit(value: Any, as_json: bool, render: Callable[[Any], None]) -> None:
    """Print `value` as JSON when asked, otherwise through the command's own renderer."""
    if as_json:
        sys.stdout.write(to_json(value) + "\n")
    else:
        render(value)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a clear error and return the Exit to raise: `raise fail("…")`. Never wrapped: a file
    and line named in it stay on one line for whoever greps a log."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)

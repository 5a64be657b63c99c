"""Helpers for the hostile-input suite: run the CLI in-process and check that a refusal is clean
(the expected exit code, the argument or file named, no traceback) and leaves the ledger intact."""

from __future__ import annotations

import json

from typer.testing import CliRunner, Result

from redline.cli import app
from redline.context import get_context


def invoke(*args: str, input: str | bytes | None = None) -> Result:
    """Run `redline ARGS…` in-process; any exception other than a clean exit fails the test."""
    result = CliRunner().invoke(app, list(args), input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"redline {' '.join(args)} raised {result.exception!r}") from result.exception
    assert "Traceback" not in result.output, result.output
    return result


def refused(result: Result, *named: str, code: int = 2) -> str:
    """Assert a clean refusal with `code` whose message names each of `named`; return the message."""
    assert result.exit_code == code, (result.exit_code, result.output)
    flat = " ".join(result.output.split())  # Rich wraps long messages at the terminal width
    for word in named:
        assert word in flat, (word, result.output)
    return result.output


def ledger_state() -> tuple[int, bool]:
    """How many entries the ledger holds, and whether its chain verifies."""
    ledger = get_context().ledger
    return sum(1 for _ in ledger.entries()), not ledger.verify()


def payload(result: Result) -> dict:
    return json.loads(result.output)

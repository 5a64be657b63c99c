"""The same commands on SQLite and on PostgreSQL: every domain writes and reads through one store interface."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from redline.cli import app
from redline.context import reset_context

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "lists"
APPLICATIONS = Path(__file__).resolve().parent.parent / "licensing" / "applications"


def _run(*args: str) -> dict | list:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, (args, result.output)
    return json.loads(result.stdout)


def test_every_domain_round_trips(db_url: str, tmp_path: Path) -> None:
    _run("parties", "import", str(FIXTURES / "eu_fsf"))
    listed = _run("parties", "status")
    assert listed and all(s["source"] for s in listed)
    hashes = tmp_path / "hashes.csv"
    hashes.write_text("signal_type,signal\npdq," + "f" * 32 + "0" * 32 + "\n")
    _run("media", "bank", "create", "tvec")
    _run("media", "bank", "import", "tvec", str(hashes))
    banks = _run("media", "bank", "list")
    assert [b["size"] for b in banks if b["name"] == "tvec"] == [1]
    application = next(APPLICATIONS.glob("*.yaml"))
    assert _run("licensing", "assess", str(application))
    reset_context()
    verified = _run("ledger", "verify")
    assert verified["ok"] and verified["entries"] >= 3

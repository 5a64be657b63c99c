"""PDQ's quality floor: `bank add` refuses pictures too flat to hash reliably, `match` says so."""

from __future__ import annotations

from pathlib import Path

import orjson
from typer.testing import CliRunner

from redline.cli import app

FLAT = "media/pdq/labelme-subset/q0003.jpg"  # PDQ quality 3
GOOD = "media/pdq/bridge-mods/aaa-orig.jpg"  # PDQ quality 100


def test_bank_add_refuses_a_flat_picture_naming_file_and_quality(data_dir: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["media", "bank", "create", "b"]).exit_code == 0
    flat, good = str(data_dir / FLAT), str(data_dir / GOOD)
    refused = runner.invoke(app, ["media", "bank", "add", "b", good, flat])
    assert refused.exit_code == 2
    text = " ".join(refused.output.split())
    assert "q0003.jpg: PDQ quality 3 is below 50" in text and "Traceback" not in refused.output
    listed = orjson.loads(runner.invoke(app, ["media", "bank", "list", "--json"]).stdout)
    assert next(b for b in listed if b["name"] == "b")["size"] == 0  # nothing added, not even the good file

    allowed = runner.invoke(app, ["media", "bank", "add", "b", good, flat, "--allow-low-quality", "--json"])
    assert allowed.exit_code == 0, allowed.output
    files = orjson.loads(allowed.stdout)["files"]
    note = next(f for f in files if f["file"] == flat)
    assert note["quality"] == 3 and "MD5" in note["note"]
    assert "note" not in next(f for f in files if f["file"] == good)


def test_match_reports_quality_and_flatness(data_dir: Path) -> None:
    runner = CliRunner()
    runner.invoke(app, ["media", "bank", "create", "b"])
    flat = str(data_dir / FLAT)
    runner.invoke(app, ["media", "bank", "add", "b", flat, "--allow-low-quality"])
    shown = runner.invoke(app, ["media", "match", flat, str(data_dir / GOOD)])
    assert shown.exit_code == 0, shown.output
    text = " ".join(shown.output.split())  # the console wraps long lines
    assert "q0003.jpg: PDQ quality 3 — too flat to match by PDQ" in text
    assert "aaa-orig.jpg: PDQ quality 100 " in text and "aaa-orig.jpg: PDQ quality 100 —" not in text
    payload = orjson.loads(runner.invoke(app, ["media", "match", flat, "--json"]).stdout)
    assert payload[0]["hashes"]["quality"] == 3 and payload[0]["hashes"]["pdq_usable"] is False
    assert [m["signal_type"] for m in payload[0]["matches"]] == ["md5"]  # the exact copy, by MD5

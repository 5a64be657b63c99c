from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from redline.cli import app
from redline.ledger import Ledger
from redline.store import Store


def _fill(ledger: Ledger, n: int = 5) -> None:
    for i in range(n):
        ledger.append("test.event", "alice", {"i": i}, {"summary": f"done {i}"}, refs={"snapshot": i})


def test_chain_verifies_and_reads_back(any_store: Store) -> None:
    ledger = Ledger(any_store)
    _fill(ledger)
    entries = list(ledger.entries())
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[1].prev_hash == entries[0].hash
    assert entries[3].inputs == {"i": 3}
    assert ledger.verify() == []


def test_edit_is_detected(any_store: Store) -> None:
    ledger = Ledger(any_store)
    _fill(ledger)
    with any_store.transaction() as conn:
        conn.execute(text("UPDATE ledger SET body = replace(body, 'done 2', 'done 9') WHERE seq = 3"))
    problems = ledger.verify()
    assert [p.seq for p in problems] == [3]
    assert "altered" in problems[0].problem


def test_deletion_is_detected(any_store: Store) -> None:
    ledger = Ledger(any_store)
    _fill(ledger)
    with any_store.transaction() as conn:
        conn.execute(text("DELETE FROM ledger WHERE seq = 2"))
    problems = ledger.verify()
    assert problems and problems[0].seq == 3
    assert any("missing" in p.problem for p in problems)


def test_truncated_tail_is_not_an_edit_but_rewritten_tail_is(any_store: Store) -> None:
    ledger = Ledger(any_store)
    _fill(ledger)
    with any_store.transaction() as conn:
        conn.execute(text("UPDATE ledger SET actor = 'mallory' WHERE seq = 5"))
    assert [p.seq for p in ledger.verify()] == [5]


def test_append_inside_the_callers_transaction(any_store: Store) -> None:
    """With `conn`, the entry commits or rolls back with the caller's own writes."""
    ledger = Ledger(any_store)
    _fill(ledger, 2)
    with pytest.raises(RuntimeError):
        with any_store.transaction() as conn:
            ledger.append("test.decision", "alice", {"i": 9}, "rolled back", conn=conn)
            raise RuntimeError("the caller's own write failed")
    assert [e.seq for e in ledger.entries()] == [1, 2]
    with any_store.transaction() as conn:
        first = ledger.append("test.decision", "alice", {"i": 3}, "kept", conn=conn)
        second = ledger.append("test.decision", "alice", {"i": 4}, "kept", conn=conn)  # sees the first
    assert (first.seq, second.seq, second.prev_hash) == (3, 4, first.hash)
    ledger.append("test.event", "bob", {"i": 5}, "own transaction")  # without conn, as before
    assert [e.seq for e in ledger.entries()] == [1, 2, 3, 4, 5]
    assert ledger.verify() == []


def _writer(url: str, n: int) -> None:
    ledger = Ledger(Store(url))
    for i in range(n):
        ledger.append("test.concurrent", "proc", {"i": i}, "ok")


def test_concurrent_writers_keep_one_chain(db_url: str) -> None:
    url = db_url
    Store(url).create_all()
    procs = [multiprocessing.Process(target=_writer, args=(url, 40)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    ledger = Ledger(Store(url))
    assert len(list(ledger.entries())) == 120
    assert ledger.verify() == []


def test_cli_verify_and_export(any_store: Store, tmp_path: Path) -> None:
    _fill(Ledger(any_store))
    runner = CliRunner()
    result = runner.invoke(app, ["ledger", "verify", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"entries": 5, "ok": True, "breaches": []}
    out = tmp_path / "ledger.jsonl"
    result = runner.invoke(app, ["ledger", "export", "-o", str(out)])
    assert result.exit_code == 0
    lines = out.read_text().splitlines()
    assert len(lines) == 5 and json.loads(lines[0])["seq"] == 1
    with any_store.transaction() as conn:
        conn.execute(text("DELETE FROM ledger WHERE seq = 1"))
    result = runner.invoke(app, ["ledger", "verify", "--json"])
    assert result.exit_code == 1

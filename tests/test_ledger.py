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
    # Spawned, not forked: by this point of the suite the test process runs threads (servers, group
    # committers, clusters), and a child forked from it may inherit a lock held mid-call and crash without a
    # traceback (a CI dry run lost 22 of the 120 entries and showed no writer's traceback). Writers are separate
    # programs, as the CLI, the API's workers and other installations' processes are.
    spawn = multiprocessing.get_context("spawn")
    procs = [spawn.Process(target=_writer, args=(url, 40)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0, 0]
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


def _signed(store: Store, tmp_path: Path, every: int = 3) -> Ledger:
    from redline.checkpoints import Signer

    return Ledger(store, signer=Signer(tmp_path / "keys" / "ledger.pem"), checkpoint_every=every)


def test_checkpoints_are_taken_every_n_entries_and_signed(any_store: Store, tmp_path: Path) -> None:
    from redline.checkpoints import stored_checkpoints

    ledger = _signed(any_store, tmp_path)
    _fill(ledger, 7)
    assert [c.seq for c in stored_checkpoints(any_store)] == [3, 6]
    assert ledger.verify() == []
    assert (tmp_path / "keys" / "ledger.pem").stat().st_mode & 0o777 == 0o600


def test_deleted_tail_is_found_by_the_checkpoint(any_store: Store, tmp_path: Path) -> None:
    ledger = _signed(any_store, tmp_path)
    _fill(ledger, 7)
    with any_store.transaction() as conn:
        conn.execute(text("DELETE FROM ledger WHERE seq >= 5"))
    problems = ledger.verify()
    assert [p.seq for p in problems] == [6] and "5–6 are missing" in problems[0].problem


def test_rewritten_chain_is_found_by_the_checkpoint(any_store: Store, tmp_path: Path) -> None:
    """Someone with write access edits entry 2 and recomputes every hash after it: the chain is
    self-consistent again, but no longer matches what was signed."""
    from redline.ledger import _entry_hash, ledger_table

    ledger = _signed(any_store, tmp_path)
    _fill(ledger, 4)
    with any_store.transaction() as conn:
        rows = conn.execute(ledger_table.select().order_by(ledger_table.c.seq)).fetchall()
        prev = rows[0].hash
        for row in rows[1:]:
            body = row.body.replace("done", "undone")
            digest = _entry_hash(row.seq, row.kind, row.actor, row.at, body, prev)
            conn.execute(ledger_table.update().where(ledger_table.c.seq == row.seq).values(body=body, prev_hash=prev, hash=digest))
            prev = digest
    assert Ledger(any_store).verify() == []  # the chain alone cannot tell
    problems = ledger.verify()
    assert [p.seq for p in problems] == [3] and "rewritten" in problems[0].problem


def test_witness_keeps_checkpoints_the_store_lost(store: Store, tmp_path: Path) -> None:
    from redline.checkpoints import append_witness, stored_checkpoints

    ledger = _signed(store, tmp_path)
    _fill(ledger, 6)
    witness = tmp_path / "witness.jsonl"
    assert append_witness(witness, stored_checkpoints(store)) == 2
    assert append_witness(witness, stored_checkpoints(store)) == 0
    with store.transaction() as conn:
        conn.execute(text("DELETE FROM ledger_checkpoints"))
        conn.execute(text("DELETE FROM ledger WHERE seq >= 4"))
    assert ledger.verify() == []  # the store's own checkpoints went with the tail
    problems = ledger.verify(witness=witness)
    assert problems and "witness" in problems[0].problem and "4–6 are missing" in problems[0].problem


def test_forged_checkpoint_is_refused(store: Store, tmp_path: Path) -> None:
    from redline.checkpoints import Signer, write_checkpoint

    ledger = _signed(store, tmp_path, every=0)
    _fill(ledger, 2)
    intruder = Signer(tmp_path / "other.pem")
    with store.transaction() as conn:
        write_checkpoint(conn, intruder, 2, "f" * 64)
    problems = ledger.verify()
    assert len(problems) == 1 and "another key" in problems[0].problem


def test_cli_checkpoint_and_witness(store: Store, tmp_path: Path) -> None:
    from redline.context import get_context

    _fill(get_context().ledger, 3)
    witness = tmp_path / "w.jsonl"
    runner = CliRunner()
    result = runner.invoke(app, ["ledger", "checkpoint", "--witness", str(witness), "--json"])
    assert result.exit_code == 0, result.output
    made = json.loads(result.output)
    assert made["checkpoint"]["seq"] == 3 and made["witness"]["added"] == 1
    with store.transaction() as conn:
        conn.execute(text("DELETE FROM ledger WHERE seq = 3"))
    result = runner.invoke(app, ["ledger", "verify", "--witness", str(witness), "--json"])
    assert result.exit_code == 1
    assert "entries 3–3 are missing" in json.dumps(json.loads(result.stdout)["breaches"], ensure_ascii=False)

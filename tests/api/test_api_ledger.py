"""Group commit of the service's ledger writes (redline.ledger.GroupCommit): many writes in one
transaction, each caller answered once its write is committed, a faulty write failing alone, and
one valid chain when several processes group-commit at once, on SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
import threading

import pytest
from sqlalchemy import Connection, func, select

from redline.ledger import GroupCommit, Ledger, WalCheckpoints, ledger_table
from redline.store import Store


def _entry(ledger: Ledger, who: str, i: int):  # type: ignore[no-untyped-def]
    return lambda conn: ledger.append("test.group", who, {"i": i}, "ok", conn=conn).seq


def _group_writer(url: str, who: str, n: int) -> None:
    store = Store(url)
    ledger = Ledger(store)
    group = GroupCommit(store)
    futures = [group.submit(_entry(ledger, who, i)) for i in range(n)]
    seqs = [f.result(timeout=60) for f in futures]
    assert len(set(seqs)) == n
    assert group.groups < n  # writes waiting together were committed together
    store.close()


def test_group_commit_from_several_processes_keeps_one_chain(db_url: str) -> None:
    Store(db_url).create_all()
    procs = [multiprocessing.Process(target=_group_writer, args=(db_url, f"proc{i}", 60)) for i in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    ledger = Ledger(Store(db_url))
    entries = list(ledger.entries())
    assert len(entries) == 180 and [e.seq for e in entries] == list(range(1, 181))
    assert {e.actor for e in entries} == {"proc0", "proc1", "proc2"}
    assert ledger.verify() == []


def test_a_faulty_write_fails_alone_and_the_others_commit(any_store: Store) -> None:
    ledger = Ledger(any_store)
    group = GroupCommit(any_store)
    gate = threading.Event()
    blocker = group.submit(lambda conn: gate.wait(10))  # holds the writer so the next writes queue up as one group

    def broken(conn: Connection) -> int:
        ledger.append("test.group", "bad", {}, "half-written", conn=conn)
        raise ValueError("this write fails after its entry")

    first = group.submit(_entry(ledger, "good", 1))
    bad = group.submit(broken)
    last = group.submit(_entry(ledger, "good", 2))
    gate.set()
    assert blocker.result(timeout=30) is True
    assert first.result(timeout=30) < last.result(timeout=30)
    with pytest.raises(ValueError, match="fails after its entry"):
        bad.result(timeout=30)
    entries = list(ledger.entries())
    assert [e.actor for e in entries] == ["good", "good"]  # the failed write's entry was rolled back
    assert ledger.verify() == []


def test_entries_of_one_transaction_chain_on_each_other(any_store: Store) -> None:
    ledger = Ledger(any_store)
    ledger.append("test.before", "a", {}, "ok")
    with any_store.transaction() as conn:
        seqs = [ledger.append("test.group", "a", {"i": i}, "ok", conn=conn).seq for i in range(5)]
    ledger.append("test.after", "a", {}, "ok")
    assert seqs == [2, 3, 4, 5, 6]
    with any_store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ledger_table)).scalar() == 7
    assert ledger.verify() == []


def _try_turn(path: str, held: "multiprocessing.queues.Queue[bool]") -> None:  # type: ignore[name-defined]
    import fcntl
    import os

    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.put(True)
    except BlockingIOError:
        held.put(False)


def test_group_committers_of_a_sqlite_file_take_turns(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from redline.store.base import WriterTurn

    store = Store(f"sqlite:///{tmp_path / 'turns.db'}")
    turn = WriterTurn.for_store(store)
    assert turn is not None and turn.path == tmp_path / "turns.db-writers.lock"
    assert WriterTurn.for_store(Store("sqlite://")) is None  # in memory: no other process shares it
    answers: multiprocessing.Queue[bool] = multiprocessing.Queue()
    with turn:
        other = multiprocessing.Process(target=_try_turn, args=(str(turn.path), answers))
        other.start()
        other.join(timeout=30)
        assert answers.get(timeout=10) is False  # another process's committer waits while this one holds it
    other = multiprocessing.Process(target=_try_turn, args=(str(turn.path), answers))
    other.start()
    other.join(timeout=30)
    assert answers.get(timeout=10) is True


def test_the_writer_outlives_a_group_that_fails_outside_its_writes(any_store: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import redline.ledger as ledger_module

    real = ledger_module.commit_group
    calls = []

    def broken_once(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the store went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(ledger_module, "commit_group", broken_once)
    ledger = Ledger(any_store)
    group = GroupCommit(any_store)
    first = group.submit(_entry(ledger, "w", 1))
    with pytest.raises(RuntimeError, match="went away"):
        first.result(timeout=30)
    assert group.submit(_entry(ledger, "w", 2)).result(timeout=30) >= 1  # the next group is written


def test_the_group_committer_checkpoints_the_wal_on_a_thread_of_its_own(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Its commits leave the WAL alone (autocheckpoint off on its own connection only, the pool's
    keep SQLite's default); its checkpoint thread checkpoints while commits come, and stops after."""
    import time

    store = Store(f"sqlite:///{tmp_path / 'wal.db'}")
    ledger = Ledger(store)
    group = GroupCommit(store, checkpoint_s=0.05)
    assert [group.submit(_entry(ledger, "w", i)).result(timeout=30) for i in range(40)] == list(range(1, 41))
    assert group.checkpoints is not None
    writer = group._conn
    assert writer is not None
    assert writer.connection.dbapi_connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    with store.connect() as other:  # the pool's connections keep SQLite's default
        assert other.connection.dbapi_connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    deadline = time.monotonic() + 10
    while group.checkpoints.done == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert group.checkpoints.done >= 1 and group.checkpoints.longest_ms > 0
    done = group.checkpoints.done
    time.sleep(0.3)  # no commits since: no more checkpoints
    assert group.checkpoints.done <= done + 1
    assert ledger.verify() == []
    assert WalCheckpoints.for_store(Store("sqlite://"), 0.5, lambda: 0) is None  # in memory: no WAL


def _transaction_in_child(url: str, answers: "multiprocessing.queues.Queue[float]") -> None:  # type: ignore[name-defined]
    import time

    started = time.monotonic()
    with Store(url).transaction() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS child_wrote (x INTEGER)")
    answers.put(time.monotonic() - started)


def test_every_writer_of_a_sqlite_file_takes_the_turn_and_may_enter_it_again(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A writer outside the group committers (the CLI, a /v1 write) queues on the same turn instead of
    polling SQLite's lock while the committers hand it between them; a thread holding the turn (a
    failed group retrying each write on its own) enters it again."""
    import time

    from redline.store.base import WriterTurn

    url = f"sqlite:///{tmp_path / 'all.db'}"
    store = Store(url)
    store.create_all()
    turn = WriterTurn.for_store(store)
    assert turn is not None
    answers: multiprocessing.Queue[float] = multiprocessing.Queue()
    with turn:
        with store.transaction() as conn:  # the same thread: enters again, no deadlock
            conn.exec_driver_sql("CREATE TABLE parent_wrote (x INTEGER)")
        child = multiprocessing.get_context("fork").Process(target=_transaction_in_child, args=(url, answers))
        child.start()  # forked while this thread holds the turn: the child must open its own lock file
        time.sleep(1.0)
        assert child.is_alive()  # its transaction waits for the turn
    child.join(timeout=30)
    assert answers.get(timeout=10) >= 0.9
    held: multiprocessing.Queue[bool] = multiprocessing.Queue()
    probe = multiprocessing.Process(target=_try_turn, args=(str(turn.path), held))
    probe.start()
    probe.join(timeout=30)
    assert held.get(timeout=10) is True  # released once the outer turn ended


def test_a_long_wal_is_copied_under_the_writers_turn_and_then_rewound(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from redline.store.base import WriterTurn

    store = Store(f"sqlite:///{tmp_path / 'long.db'}")
    ledger = Ledger(store)
    for i in range(20):
        ledger.append("test.wal", "w", {"i": i}, "ok")
    checkpoints = WalCheckpoints(store, 1.0, lambda: 0)
    turn = WriterTurn.for_store(store)
    raw = store.engine.raw_connection()
    try:
        frames = raw.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1]
        monkeypatch.setattr(WalCheckpoints, "RESTART_FRAMES", frames + 1)
        checkpoints.checkpoint(raw, turn)
        assert (checkpoints.done, checkpoints.held) == (1, 0)  # short: copied without the turn
        monkeypatch.setattr(WalCheckpoints, "RESTART_FRAMES", frames)
        checkpoints.checkpoint(raw, turn)
        assert (checkpoints.done, checkpoints.held) == (2, 1) and checkpoints.longest_held_ms > 0
        ledger.append("test.wal", "w", {"i": 20}, "ok")  # this writer finds the WAL wholly copied: it rewinds it
        after = raw.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1]
        assert 0 < after < frames
    finally:
        raw.close()
    assert ledger.verify() == []

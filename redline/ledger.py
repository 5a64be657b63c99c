"""The append-only, hash-chained audit ledger of every screening, assessment, match and action.

Each entry stores the SHA-256 of its canonical JSON body, and the body includes the hash of the
entry before it. Editing, deleting or reordering any entry breaks the chain, which `verify` finds.
Every domain writes here through `Ledger.append`, with a `kind` such as "parties.screen",
"licensing.assess", "media.match", "media.action".
"""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

import orjson
from sqlalchemy import Column, Connection, Integer, String, Table, Text, bindparam, select, text

from redline.checkpoints import (
    CHECKPOINT_EVERY,
    Checkpoint,
    Signer,
    check_against,
    read_witness,
    stored_checkpoints,
    write_checkpoint,
)
from redline.store.base import Store, WriterTurn, metadata

log = logging.getLogger("redline.ledger")
T = TypeVar("T")
GENESIS = "0" * 64
_APPEND_LOCK = 0x4C656467  # "Ledg": on PostgreSQL, appends queue on this advisory lock (SQLite's BEGIN IMMEDIATE does it there)

ledger_table = Table(
    "ledger",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(64), nullable=False, index=True),
    Column("actor", String(200), nullable=False),
    Column("at", String(40), nullable=False),
    Column("body", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
)
class Compiled:
    """A Core statement compiled once per dialect and run on the connection's own DBAPI cursor, in
    the connection's transaction. For the statements every screening runs: SQLAlchemy's execution
    layer (cache lookup, parameter set-up, result object) cost about twice what SQLite itself
    spent on them. Only for statements whose parameters need no type conversion (text, numbers)."""

    def __init__(self, statement: Any) -> None:
        self.statement = statement
        self._by_dialect: dict[str, tuple[str, tuple[str, ...] | None]] = {}

    def execute(self, conn: Connection, params: dict[str, Any]) -> Any:
        """Runs the statement; the DBAPI cursor (for a select: fetch from it, then close it)."""
        compiled = self._by_dialect.get(conn.dialect.name)
        if compiled is None:
            done = self.statement.compile(dialect=conn.dialect)
            order = done.positiontup  # set for positional paramstyles (SQLite's qmark), None for named ones
            compiled = self._by_dialect[conn.dialect.name] = (done.string, tuple(order) if order is not None else None)
        sql, order = compiled
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.execute(sql, tuple(params[name] for name in order) if order is not None else params)
        return cursor


# Built once: every screening appends, and building a statement costs more than running it. The
# head is read once per transaction (a group commit's first entry), on the DBAPI cursor like the insert.
_HEAD = Compiled(text("SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1"))
_INSERT = Compiled(ledger_table.insert().values({c.name: bindparam(c.name) for c in ledger_table.columns}))
_HEAD_SEEN = "redline.ledger.head"  # conn.info: (transaction, seq, hash) of the last entry this connection wrote


@dataclass(frozen=True)
class Entry:
    seq: int
    kind: str
    actor: str
    at: str
    inputs: Any
    outcome: Any
    refs: dict[str, Any]
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "kind": self.kind,
            "actor": self.actor,
            "at": self.at,
            "inputs": self.inputs,
            "outcome": self.outcome,
            "refs": self.refs,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


@dataclass(frozen=True)
class Breach:
    seq: int
    problem: str


def _canonical(payload: dict[str, Any]) -> bytes:
    return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)


def _entry_hash(seq: int, kind: str, actor: str, at: str, body: str, prev_hash: str) -> str:
    material = _canonical({"seq": seq, "kind": kind, "actor": actor, "at": at, "body": body, "prev": prev_hash})
    return hashlib.sha256(material).hexdigest()


class Ledger:
    """With a `signer`, the head is signed every `checkpoint_every` entries (see `redline.checkpoints`)."""

    def __init__(self, store: Store, signer: Signer | None = None, checkpoint_every: int = CHECKPOINT_EVERY) -> None:
        self.store = store
        self.signer = signer
        self.checkpoint_every = checkpoint_every

    def append(
        self,
        kind: str,
        actor: str,
        inputs: Any,
        outcome: Any,
        refs: dict[str, Any] | None = None,
        at: datetime | None = None,
        conn: Connection | None = None,
    ) -> Entry:
        """Write one entry. `refs` names what the decision rested on: policy version, snapshots.

        With `conn` (a connection inside the caller's `Store.transaction()` on this ledger's store),
        the entry is written in that transaction: it commits, or rolls back, together with the
        caller's own writes for the same decision. Without it, the entry commits on its own."""
        when = (at or datetime.now(timezone.utc)).isoformat(timespec="microseconds")
        body = _canonical({"inputs": inputs, "outcome": outcome, "refs": refs or {}}).decode()
        if conn is not None:
            return self._write(conn, kind, actor, when, body, inputs, outcome, refs)
        with self.store.transaction() as own:
            return self._write(own, kind, actor, when, body, inputs, outcome, refs)

    def _write(
        self, conn: Connection, kind: str, actor: str, when: str, body: str, inputs: Any, outcome: Any,
        refs: dict[str, Any] | None,
    ) -> Entry:
        transaction = conn.get_transaction()
        known = conn.info.get(_HEAD_SEEN)
        if known is not None and known[0] is transaction:
            # an earlier entry of this transaction holds the append lock: the head is the one it wrote
            _, seq, prev = known
            seq += 1
        else:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _APPEND_LOCK})
            cursor = _HEAD.execute(conn, {})
            try:
                last = cursor.fetchone()
            finally:
                cursor.close()
            seq = (last[0] + 1) if last else 1
            prev = last[1] if last else GENESIS
        digest = _entry_hash(seq, kind, actor, when, body, prev)
        _INSERT.execute(conn, {"seq": seq, "kind": kind, "actor": actor, "at": when, "body": body, "prev_hash": prev,
                               "hash": digest}).close()
        conn.info[_HEAD_SEEN] = (transaction, seq, digest)
        if self.signer is not None and self.checkpoint_every > 0 and seq % self.checkpoint_every == 0:
            write_checkpoint(conn, self.signer, seq, digest)
        return Entry(seq, kind, actor, when, inputs, outcome, refs or {}, prev, digest)

    def entries(self, kind: str | None = None, since_seq: int = 0, limit: int | None = None) -> Iterator[Entry]:
        query = select(ledger_table).where(ledger_table.c.seq > since_seq).order_by(ledger_table.c.seq)
        if kind:
            query = query.where(ledger_table.c.kind.like(f"{kind}%"))
        if limit:
            query = query.limit(limit)
        with self.store.connect() as conn:
            for row in conn.execute(query):
                body = orjson.loads(row.body)
                yield Entry(
                    row.seq, row.kind, row.actor, row.at, body["inputs"], body["outcome"], body["refs"],
                    row.prev_hash, row.hash,
                )

    def checkpoint(self) -> Checkpoint:
        """Sign the current head now (`redline ledger checkpoint`)."""
        if self.signer is None:
            raise ValueError("this ledger has no signing key")
        with self.store.transaction() as conn:
            last = conn.execute(
                select(ledger_table.c.seq, ledger_table.c.hash).order_by(ledger_table.c.seq.desc()).limit(1)
            ).first()
            return write_checkpoint(conn, self.signer, last.seq if last else 0, last.hash if last else GENESIS)

    def verify(self, witness: Path | None = None) -> list[Breach]:
        """Recompute the chain and check it against the signed checkpoints (the store's, and a
        witness file's when given); an empty list means every entry is intact and in place."""
        checkpoints = [("stored", c) for c in stored_checkpoints(self.store)] if self.signer else []
        if witness is not None:
            if self.signer is None:
                raise ValueError("checking a witness needs the installation's signing key")
            checkpoints += [("witness", c) for c in read_witness(witness)]
        wanted = {c.seq for _, c in checkpoints}
        heads: dict[int, str] = {0: GENESIS}
        breaches = self._verify_chain(wanted, heads)
        last_seq = max(heads)
        for origin in ("stored", "witness"):
            group = [c for o, c in checkpoints if o == origin]
            if group and self.signer is not None:
                breaches += [Breach(seq, text) for seq, text in check_against(group, heads, last_seq, self.signer, origin)]
        return breaches

    def _verify_chain(self, wanted: set[int], heads: dict[int, str]) -> list[Breach]:
        """The chain itself; fills `heads` with the hash of each wanted seq and of the last entry."""
        breaches: list[Breach] = []
        expected_prev = GENESIS
        expected_seq = 1
        last: tuple[int, str] | None = None
        with self.store.connect() as conn:
            for row in conn.execute(select(ledger_table).order_by(ledger_table.c.seq)):
                last = (row.seq, row.hash)
                if row.seq in wanted:
                    heads[row.seq] = row.hash
                if row.seq != expected_seq:
                    breaches.append(Breach(row.seq, f"entry {expected_seq} is missing (found {row.seq} next)"))
                if row.prev_hash != expected_prev:
                    breaches.append(Breach(row.seq, "the link to the previous entry is broken"))
                if _entry_hash(row.seq, row.kind, row.actor, row.at, row.body, row.prev_hash) != row.hash:
                    breaches.append(Breach(row.seq, "the entry was altered after it was written"))
                expected_prev = row.hash
                expected_seq = row.seq + 1
        if last is not None:
            heads[last[0]] = last[1]
        return breaches


CHECKPOINT_S = 0.5  # how often a process's group committer has the WAL checkpointed (SQLite), off its writer


class GroupCommit:
    """Many small writes, few transactions: callers hand their write (a function of a connection:
    typically a ledger entry and what goes with it) to one writer thread of this process, which runs
    every write waiting in one transaction and commits once. A caller's future resolves when its
    write is committed (or fails), so nothing is answered before it is recorded.

    The writes of a group are serialised with every other writer of the store exactly as single
    writes are (SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory lock in `Ledger.append`), so the
    chain stays valid across processes. When a group fails, each of its writes is retried in its own
    transaction, so only the faulty one fails. The thread starts on first use in each process (after
    a fork, the child starts its own).

    The writer keeps one connection of its own between groups: checking one out of the pool and
    back (a rollback on return) for every group cost more CPU than the group's SQL (0.25 against
    0.07 ms a group, docs/benchmarks-api.md, seventh part). On a SQLite file its commits never
    checkpoint the WAL (`wal_autocheckpoint` off on that connection): a checkpoint due in a commit
    copied about a thousand pages and fsynced twice (12-24 ms) while the writers' turn was held, so
    every recording of both workers waited for it. A thread of the process checkpoints instead,
    every `checkpoint_s` while there are commits, holding the writers' turn only to copy what was
    written while it copied the rest (`WalCheckpoints`)."""

    def __init__(self, store: Store, max_group: int = 256, checkpoint_s: float = CHECKPOINT_S) -> None:
        self.store = store
        self.max_group = max_group
        self.checkpoint_s = checkpoint_s
        self._queue: queue.SimpleQueue[tuple[Callable[[Connection], Any], Future[Any]]] = queue.SimpleQueue()
        self._pid = -1
        self._lock = threading.Lock()
        self._conn: Connection | None = None
        self.groups = 0
        self.writes = 0
        self.checkpoints: WalCheckpoints | None = None

    def submit(self, write: Callable[[Connection], T]) -> Future[T]:
        if self._pid != os.getpid():
            self._start()
        future: Future[T] = Future()
        self._queue.put((write, future))
        return future

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            self._queue = queue.SimpleQueue()  # a queue inherited through fork has no writer
            self._conn = None  # nor a connection
            self.checkpoints = WalCheckpoints.for_store(self.store, self.checkpoint_s, lambda: self.groups)
            if self.checkpoints is not None:
                threading.Thread(target=self.checkpoints.run, name="redline-wal-checkpoint", daemon=True).start()
            threading.Thread(target=self._run, args=(self._queue,), name="redline-group-commit", daemon=True).start()
            self._pid = os.getpid()

    def _run(self, waiting: queue.SimpleQueue[tuple[Callable[[Connection], Any], Future[Any]]]) -> None:
        turn = self.store.writers_turn
        while True:
            group = [waiting.get()]
            while len(group) < self.max_group:
                try:
                    group.append(waiting.get_nowait())
                except queue.Empty:
                    break
            live = [(write, future) for write, future in group if future.set_running_or_notify_cancel()]
            if not live:
                continue
            try:
                self._commit(live, turn)
            except Exception as exc:  # outside the writes (they fail alone): fail this group, keep the writer
                log.exception("a group commit failed")
                self._drop()
                for _, future in live:
                    if not future.done():
                        future.set_exception(exc)

    def _held(self) -> Connection:
        """The writer's own connection, opened on first use and after a failure."""
        if self._conn is None or self._conn.closed or self._conn.invalidated:
            self.store.create_all()
            conn = self.store.engine.connect()
            conn.execution_options(redline_write=True)  # BEGIN IMMEDIATE on SQLite (redline.store.base)
            if self.checkpoints is not None:
                conn.connection.dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")  # type: ignore[union-attr]
            self._conn = conn
        return self._conn

    def _drop(self) -> None:
        """Discard the held connection (never back to the pool: its autocheckpoint is off)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.invalidate()
                conn.close()
            except Exception:  # already broken: nothing more to release
                pass

    def _commit(self, group: list[tuple[Callable[[Connection], Any], Future[Any]]], turn: WriterTurn | None) -> None:
        writes = [write for write, _ in group]
        conn = self._held()
        if turn is None:
            outcomes = commit_group(self.store, writes, conn)
        else:
            with turn:
                outcomes = commit_group(self.store, writes, conn)
        if conn.invalidated or any(isinstance(outcome, _Failed) for outcome in outcomes):
            self._drop()  # the next group starts on a fresh connection
        for (_, future), outcome in zip(group, outcomes):
            if isinstance(outcome, _Failed):
                future.set_exception(outcome.error)
            else:
                future.set_result(outcome)
        self.groups += 1
        self.writes += len(group)


class WalCheckpoints:
    """Checkpoints of a SQLite file's WAL on a thread of their own, every `every_s` while
    `activity()` (a count of commits) moves. Each is PASSIVE (it takes no lock a writer or reader
    waits on; when another process's checkpoint runs it returns at once) and runs without the
    writers' turn: it copies the frames written so far and fsyncs while the group committers go on
    appending, then again, at most twice, while more than SMALL frames came meanwhile.

    Copied so, the WAL is never wholly copied under steady writes, and SQLite rewinds it only after
    a checkpoint that copied all of it: it grew without bound (546 MB in 10 s of back-to-back group
    commits). So once it holds RESTART_FRAMES or more, the last few frames are copied under the turn
    (`WriterTurn`: no group committer of any process writes meanwhile), and the next writer starts
    it again from its beginning.

    `done`, `longest_ms`, `held`, `longest_held_ms` (the turn held): what it did, for measures."""

    SMALL = 256
    RESTART_FRAMES = 4096  # 16 MB of 4 kB pages (SQLite's own autocheckpoint: 1,000 pages)

    def __init__(self, store: Store, every_s: float, activity: Callable[[], int]) -> None:
        self.store = store
        self.every_s = every_s
        self.activity = activity
        self.done = 0
        self.held = 0
        self.longest_ms = 0.0
        self.longest_held_ms = 0.0

    @staticmethod
    def for_store(store: Store, every_s: float, activity: Callable[[], int]) -> WalCheckpoints | None:
        url = store.engine.url
        if every_s <= 0 or url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        return WalCheckpoints(store, every_s, activity)

    def run(self) -> None:
        seen = self.activity()
        turn = self.store.writers_turn
        conn: Any = None
        while True:
            time.sleep(self.every_s)
            now = self.activity()
            if now == seen:
                continue
            seen = now
            try:
                if conn is None:
                    conn = self.store.engine.raw_connection()
                self.checkpoint(conn, turn)
            except Exception as exc:  # the next turn tries again on a new connection
                log.warning("a WAL checkpoint failed: %s", exc)
                conn = None

    def checkpoint(self, conn: Any, turn: WriterTurn | None) -> None:
        started = time.perf_counter()
        frames, copied = self._passive(conn)
        for _ in range(2):
            if frames - copied <= self.SMALL:
                break
            frames, copied = self._passive(conn)
        if turn is not None and frames >= self.RESTART_FRAMES:
            with turn:
                held = time.perf_counter()
                self._passive(conn)
                self.longest_held_ms = max(self.longest_held_ms, 1000 * (time.perf_counter() - held))
            self.held += 1
        self.done += 1
        self.longest_ms = max(self.longest_ms, 1000 * (time.perf_counter() - started))

    @staticmethod
    def _passive(conn: Any) -> tuple[int, int]:
        """(frames in the WAL, frames copied); (0, 0) when another checkpoint was running."""
        _, frames, copied = conn.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return (frames, copied) if frames >= 0 else (0, 0)


@dataclass(frozen=True)
class _Failed:
    error: BaseException


def commit_group(store: Store, writes: list[Callable[[Connection], Any]], conn: Connection | None = None) -> list[Any]:
    """Run `writes` in one transaction and commit once: each one's result, in order. When the group
    fails, each write is retried in its own transaction, so that only a faulty write fails (its
    outcome is then a `_Failed` holding the error). With `conn` (a connection of the caller's, in no
    transaction) the group runs on it; the retries run on connections of their own."""
    try:
        if conn is None:
            with store.transaction() as own:
                return [write(own) for write in writes]
        with conn.begin():
            return [write(conn) for write in writes]
    except Exception as exc:
        if len(writes) == 1 and conn is None:
            return [_Failed(exc)]
        log.warning("a group of %d writes failed; retrying each on its own", len(writes))
        return [commit_group(store, [write])[0] for write in writes]

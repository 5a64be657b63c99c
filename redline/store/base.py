from __future__ import annotations

import fcntl
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import Connection, Engine, MetaData, create_engine, event

metadata = MetaData()
log = logging.getLogger(__name__)


class Store:
    """A database that holds every domain's state. Writers use `transaction()`: all or nothing."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = _make_engine(url)
        self._created = False
        self.writers_turn = WriterTurn.for_store(self)  # None off a SQLite file: no other process shares it

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def safe_url(self) -> str:
        """The URL without its password, for messages and reports."""
        return self.engine.url.render_as_string(hide_password=True)

    def create_all(self) -> None:
        """Create, stamp or upgrade the schema once per process (see `redline.store.schema`)."""
        if not self._created:
            from redline.store.schema import ensure

            ensure(self)
            self._created = True

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        self.create_all()
        with self.writers_turn or nullcontext(), self.engine.connect() as conn:
            # On SQLite, take the write lock at BEGIN so concurrent writers queue instead of
            # failing half-way through (see the "begin" listener below).
            conn.execution_options(redline_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        self.create_all()
        with self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()


class _Held:
    """One thread's open lock file (a lock of its own: flock locks an open file) and how deep it holds it."""

    def __init__(self, path: Path) -> None:
        self.pid = os.getpid()  # a forked child reopens: its inherited file would share the parent's lock
        self.depth = 0
        try:
            self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:  # a read-only folder: BEGIN IMMEDIATE alone orders the writes
            log.warning("no writers' lock file %s (%s); writers wait on SQLite's lock alone", path, exc)
            self.fd = -1

    def __del__(self) -> None:
        if self.fd >= 0 and self.pid == os.getpid():
            os.close(self.fd)


_threads = threading.local()


class WriterTurn:
    """On SQLite, the writers of one database file take turns through an exclusive `flock` on a file
    beside it, held from before BEGIN IMMEDIATE to the commit: every `Store.transaction()` and the
    ledger's group committers (redline.ledger).

    SQLite's own wait for the write lock (busy_timeout) polls: it sleeps 1, 2, 5, 10 ... then 100 ms
    between tries, so a writer that found the lock taken slept through other writers' next commits
    (BEGIN waits of up to 335 ms at 16 clients, docs/benchmarks-api.md, sixth part), and a writer
    outside the turn could wait as long as the group committers kept handing it between them (188 ms
    seen, seventh part). A process blocked in flock() is woken when the lock is released. BEGIN
    IMMEDIATE still orders the writes (the chain is as before). A thread already holding the turn
    enters again freely (a failed group retries each write in a transaction of its own)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @staticmethod
    def for_store(store: Store) -> WriterTurn | None:
        url = store.engine.url
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        return WriterTurn(Path(f"{url.database}-writers.lock"))

    def _held(self) -> _Held:
        held: dict[Path, _Held] = _threads.__dict__.setdefault("turns", {})
        mine = held.get(self.path)
        if mine is None or mine.pid != os.getpid():
            mine = held[self.path] = _Held(self.path)
        return mine

    def __enter__(self) -> None:
        mine = self._held()
        if mine.depth == 0 and mine.fd >= 0:
            fcntl.flock(mine.fd, fcntl.LOCK_EX)
        mine.depth += 1

    def __exit__(self, *exc: object) -> None:
        mine = self._held()
        mine.depth -= 1
        if mine.depth == 0 and mine.fd >= 0:
            fcntl.flock(mine.fd, fcntl.LOCK_UN)


def _make_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, future=True, pool_pre_ping=True)
    engine = create_engine(url, future=True, connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn) -> None:  # type: ignore[no-untyped-def]
        # on the DBAPI connection: SQLAlchemy's execution layer cost more than the BEGIN itself
        write = conn.get_execution_options().get("redline_write", False)
        conn.connection.dbapi_connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def open_store(url: str | None = None) -> Store:
    if url is None:
        from redline.config import load_settings

        url = load_settings().db_url
    return Store(url)

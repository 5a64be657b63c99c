from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, MetaData, create_engine, event

metadata = MetaData()


class Store:
    """A database that holds every domain's state. Writers use `transaction()`: all or nothing."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = _make_engine(url)
        self._created = False

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
        with self.engine.connect() as conn:
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

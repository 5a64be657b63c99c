"""What every command and request needs: settings, the store, the ledger, and who is acting.

The CLI opens one Context per process with `get_context()`. A server, a test or another domain
builds its own explicitly: `Context(settings)` opens its own store; `ctx.acting_as(name, org)` gives
a Context over the same store and ledger in which `actor` (and `settings.user`, which the domain
libraries write to the ledger) is the caller's name, and `org` the organisation whose private data
the caller may see (None: no organisation)."""

from __future__ import annotations

import dataclasses
from functools import cached_property

from redline.checkpoints import Signer
from redline.config import Settings, load_settings
from redline.ledger import Ledger
from redline.store import Store, open_store


class Context:
    def __init__(self, settings: Settings, *, store: Store | None = None, ledger: Ledger | None = None,
                 actor: str | None = None, org: str | None = None) -> None:
        self.settings = settings if actor is None else dataclasses.replace(settings, user=actor)
        self.org = org
        self._store = store
        if ledger is not None:
            self.__dict__["ledger"] = ledger

    @property
    def actor(self) -> str:
        """The name the ledger records for writes made through this context."""
        return self.settings.user

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.settings.db_url)
        return self._store

    @property
    def store_opened(self) -> bool:
        return self._store is not None

    @cached_property
    def ledger(self) -> Ledger:
        return Ledger(self.store, signer=Signer(self.settings.ledger_key))

    def acting_as(self, actor: str, org: str | None = None) -> Context:
        """The same store and ledger, with another actor and organisation."""
        return Context(self.settings, store=self.store, ledger=self.ledger, actor=actor, org=org)

    def __repr__(self) -> str:
        return f"Context(actor={self.actor!r}, org={self.org!r}, db={self.settings.db_url!r})"


_current: Context | None = None


def get_context() -> Context:
    global _current
    if _current is None:
        _current = Context(load_settings())
    return _current


def set_context(context: Context) -> None:
    """Make `context` the process's context (the server does this once at start)."""
    global _current
    _current = context


def reset_context() -> None:
    """Forget the open context (tests change REDLINE_HOME between cases)."""
    global _current
    if _current is not None and _current.store_opened:
        _current.store.close()
    _current = None

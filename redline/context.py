"""What every command needs: settings, the store and the ledger, opened once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from redline.config import Settings, load_settings
from redline.ledger import Ledger
from redline.store import Store, open_store


@dataclass
class Context:
    settings: Settings

    @cached_property
    def store(self) -> Store:
        return open_store(self.settings.db_url)

    @cached_property
    def ledger(self) -> Ledger:
        return Ledger(self.store)


_current: Context | None = None


def get_context() -> Context:
    global _current
    if _current is None:
        _current = Context(load_settings())
    return _current


def reset_context() -> None:
    """Forget the open context (tests change REDLINE_HOME between cases)."""
    global _current
    if _current is not None and "store" in _current.__dict__:
        _current.store.close()
    _current = None

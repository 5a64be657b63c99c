"""Fixtures of the exchange tests; their helpers are in exchange_support.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from exchange_support import make_context
from redline.context import Context


@pytest.fixture
def contexts(tmp_path: Path) -> Iterator[Callable[..., Context]]:
    made: list[Context] = []

    def make(name: str, db_url: str | None = None) -> Context:
        ctx = make_context(tmp_path, name, db_url)
        ctx.store.create_all()
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.store.close()

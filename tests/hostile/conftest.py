"""Fixtures for the hostile-input suite (helpers in hostile_helpers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from redline.context import get_context, reset_context
from redline.parties.snapshots import import_paths
from redline.store import Store

SMALL_LIST = "lists/us_misc_opensanctions_repo"


@pytest.fixture(scope="session")
def lists_home(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    """A REDLINE_HOME with one small real list imported, made once for the session."""
    home = tmp_path_factory.mktemp("hostile-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REDLINE_HOME", str(home))
        patch.delenv("REDLINE_DB", raising=False)
        reset_context()
        store = Store(get_context().settings.db_url)
        results, _ = import_paths(store, [data_dir / SMALL_LIST])
        assert all(r.status == "imported" for r in results)
        store.close()
        reset_context()
    return home


@pytest.fixture
def loaded(lists_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point this test at the session's home with lists (the screener stays cached in memory)."""
    monkeypatch.setenv("REDLINE_HOME", str(lists_home))
    reset_context()
    yield lists_home
    reset_context()

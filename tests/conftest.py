from __future__ import annotations

from pathlib import Path

import pytest

from redline.config import load_settings
from redline.context import reset_context
from redline.store import Store


@pytest.fixture(autouse=True)
def redline_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own REDLINE_HOME, so no test sees another's store."""
    home = tmp_path / "home"
    monkeypatch.setenv("REDLINE_HOME", str(home))
    monkeypatch.delenv("REDLINE_DB", raising=False)
    reset_context()
    yield home
    reset_context()


@pytest.fixture
def store(redline_home: Path) -> Store:
    s = Store(load_settings().db_url)
    yield s
    s.close()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    settings = load_settings()
    if settings.data_dir is None or not settings.data_dir.is_dir():
        pytest.skip("REDLINE_DATA is not available")
    return settings.data_dir

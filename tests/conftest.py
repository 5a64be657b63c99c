from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from redline.config import load_settings
from redline.context import reset_context
from redline.store import Store
from pgcluster import Cluster, start_cluster


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


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A throwaway PostgreSQL server for the whole run; CI sets REDLINE_REQUIRE_PG=1 so it is never skipped there."""
    cluster = start_cluster()
    if cluster is None:
        if os.environ.get("REDLINE_REQUIRE_PG"):
            pytest.fail("PostgreSQL is required (REDLINE_REQUIRE_PG) but its binaries are not installed")
        pytest.skip("PostgreSQL binaries are not installed (scripts/system-deps.sh installs them)")
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> str:
    """A new, empty database on the test cluster."""
    return pg_cluster.create_database(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, redline_home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The store URL of this test, once per backend; REDLINE_DB is set so commands run in-process use it too."""
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else load_settings().db_url
    monkeypatch.setenv("REDLINE_DB", url)
    reset_context()
    return url


@pytest.fixture
def any_store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    yield s
    s.close()

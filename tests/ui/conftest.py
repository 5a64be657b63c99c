"""Fixtures of the workbench tests: the store of ui_bench, and a client over a fresh app on it."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from redline.context import set_context
from ui_bench import Bench, make_bench

warnings.filterwarnings("ignore", message=".*httpx2.*")
from fastapi.testclient import TestClient  # noqa: E402


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Bench:
    return make_bench(tmp_path_factory.mktemp("ui-home"), data_dir)


@pytest.fixture
def client(bench: Bench) -> Iterator[TestClient]:
    from redline.api import create_app

    set_context(bench.context)
    application = create_app(bench.context, load_lists=False, timeout_s=600)
    application.state.readiness.load()
    assert application.state.readiness.ready, application.state.readiness.error
    with TestClient(application, raise_server_exceptions=True) as c:
        yield c
    set_context(bench.context)

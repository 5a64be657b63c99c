"""A store with a real list (the US DoD 1260H list) and the hand-written UK sanctions fixture
imported, and workbench keys: two analysts and a reader of no organisation, an analyst of "acme"
and one of "other". Shared by the tests of a module."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from redline import keys
from redline.config import Settings
from redline.context import Context, set_context

warnings.filterwarnings("ignore", message=".*httpx2.*")
from fastapi.testclient import TestClient  # noqa: E402

FIXTURE_LISTS = Path(__file__).resolve().parent.parent / "fixtures" / "lists"
KEYS = {"ana": ("analyst", None), "bea": ("analyst", None), "rita": ("reader", None), "cur": ("curator", None),
        "acme-ana": ("analyst", "acme"), "other-ana": ("analyst", "other")}
REAL_HIT = "Hangzhou Hikvision Digital Technology"  # on the 1260H list, owned by a listed group
SANCTIONED = "Beijing Testsec Surveillance Technology Co., Ltd"  # invented, in the UK fixture: four-eyes


@dataclass
class Bench:
    home: Path
    context: Context
    keys: dict[str, str]  # name -> secret

    def bearer(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[name]}"}


def make_bench(home: Path, data_dir: Path) -> Bench:
    from redline.parties import api as parties
    from redline.parties.snapshots import import_paths

    settings = Settings(home=home, data_dir=data_dir, db_url=f"sqlite:///{home / 'redline.db'}", user="tester")
    context = Context(settings)
    results, _ = import_paths(context.store, [data_dir / "lists" / "us_dod_1260h", FIXTURE_LISTS / "uk_fcdo"])
    assert results and all(r.status == "imported" for r in results), results
    secrets = {name: keys.create_key(context.store, context.ledger, name, role, org=org)["key"]
               for name, (role, org) in KEYS.items()}
    set_context(context)
    parties.get_screener()  # writes the screener cache, which a served process loads instead of building
    return Bench(home, context, secrets)


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

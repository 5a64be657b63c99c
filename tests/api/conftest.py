"""A store with one real list imported (the US DoD 1260H list) and a key per role, shared by the
API tests of a module, once on SQLite and once on PostgreSQL; each test gets a fresh app over it
(fresh key cache, context set)."""

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

LIST = ("lists", "us_dod_1260h")


@dataclass
class Service:
    home: Path
    db_url: str
    context: Context
    keys: dict[str, str]  # role (or "acme_reader", "other_reader") -> secret

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def service(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Service:
    from redline.parties import api as parties
    from redline.parties.snapshots import import_paths

    home = tmp_path_factory.mktemp("api-home")
    if request.param == "postgresql":
        db_url = request.getfixturevalue("pg_cluster").create_database(f"api_{home.name.replace('-', '_')}")
    else:
        db_url = f"sqlite:///{home / 'redline.db'}"
    settings = Settings(home=home, data_dir=data_dir, db_url=db_url, user="tester")
    context = Context(settings)
    results, _ = import_paths(context.store, [data_dir.joinpath(*LIST)])
    assert results and all(r.status == "imported" for r in results)
    secrets = {role: keys.create_key(context.store, context.ledger, f"{role}-key", role)["key"] for role in keys.ROLES}
    secrets["acme_reader"] = keys.create_key(context.store, context.ledger, "acme-reader", "reader", org="acme")["key"]
    secrets["acme_analyst"] = keys.create_key(context.store, context.ledger, "acme-analyst", "analyst", org="acme")["key"]
    secrets["other_reader"] = keys.create_key(context.store, context.ledger, "other-reader", "reader", org="other")["key"]
    set_context(context)
    parties.get_screener()  # writes the screener cache file, which a served process loads instead of building
    return Service(home, db_url, context, secrets)


@pytest.fixture
def app(service: Service):  # type: ignore[no-untyped-def]
    from redline.api import create_app

    # a generous time limit: the first infra request compiles the reference data (the limit itself
    # is tested on the Guard alone)
    application = create_app(service.context, load_lists=False, timeout_s=600)
    application.state.readiness.load()
    assert application.state.readiness.ready, application.state.readiness.error
    yield application
    set_context(service.context)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c

"""A new list snapshot reaches a running server without a restart, without a dropped request, and
without a request waiting for it: a watcher loads it in the background and swaps it in."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from redline import keys
from redline.config import Settings
from redline.context import Context, reset_context, set_context

FIRST = ("lists", "us_dod_1260h")
SECOND = ("lists", "us_misc_opensanctions_repo")


@pytest.fixture
def served(db_url: str, redline_home: Path, data_dir: Path):  # type: ignore[no-untyped-def]
    from redline.parties.snapshots import import_paths

    context = Context(Settings(home=redline_home, data_dir=data_dir, db_url=db_url, user="tester"))
    results, _ = import_paths(context.store, [data_dir.joinpath(*FIRST)])
    assert results and all(r.status == "imported" for r in results)
    secret = keys.create_key(context.store, context.ledger, "reader-key", "reader")["key"]
    yield context, {"Authorization": f"Bearer {secret}"}
    reset_context()


def test_a_new_snapshot_is_swapped_in_while_requests_keep_answering(served, data_dir: Path) -> None:
    from redline.api import create_app

    context, auth = served
    set_context(context)
    app = create_app(context, load_lists=False, watch_s=0.2)
    app.state.readiness.load()
    assert app.state.readiness.lists is not None
    try:
        _swap_under_load(app, context, auth, data_dir)
    finally:
        app.state.readiness.stop()


def _swap_under_load(app, context: Context, auth: dict[str, str], data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from redline.parties.snapshots import active_entities, import_paths

    before = app.state.readiness.lists
    with TestClient(app, raise_server_exceptions=False) as client:
        results, _ = import_paths(context.store, [data_dir.joinpath(*SECOND)])
        assert results and results[0].status == "imported"
        source = results[0].to_dict()["source"]
        name = next(data["properties"]["name"][0] for data, src, _ in active_entities(context.store)
                    if src == source and data.get("properties", {}).get("name"))
        body = {"queries": {"q": {"schema": "LegalEntity", "properties": {"name": [name]}}}}
        statuses, deadline = [], time.monotonic() + 120
        while app.state.readiness.lists is before and time.monotonic() < deadline:
            answer = client.post("/match/default", json=body, headers=auth)  # answered from the lists held meanwhile
            statuses.append(answer.status_code)
            time.sleep(0.05)
        assert app.state.readiness.lists is not before, "the new snapshot was not picked up"
        assert statuses and set(statuses) == {200}
        assert app.state.readiness.reloads == 1 and source in app.state.readiness.lists.sources
        found = client.post(f"/match/{source}", json=body, headers=auth).json()["responses"]["q"]["results"]
        assert found and found[0]["match"] is True
        assert source in {d["name"] for d in client.get("/catalog", headers=auth).json()["datasets"]}

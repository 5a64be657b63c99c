"""The hot routes (redline.api.hot): /match and /m/lookup answered below FastAPI give the FastAPI
routes' answers and records, hand everything else to those routes, and screenings beyond the
process's bound are refused before their body is read while the health routes still answer."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from fastapi.testclient import TestClient
from sqlalchemy import select

from redline.api import create_app
from redline.api.guard import Guard
from redline.api.hot import HotRoutes, Work
from redline.ledger import ledger_table

HIKVISION = {"schema": "Company", "properties": {"name": ["Hangzhou Hikvision Digital Technology"], "country": ["cn"]}}
BODY = {"queries": {"a": HIKVISION, "b": {"schema": "Person", "properties": {"name": ["Zzyzx Qwerty"]}}}}


def _last_entry(service) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    with service.context.store.connect() as conn:
        row = conn.execute(select(ledger_table.c.seq, ledger_table.c.actor).order_by(ledger_table.c.seq.desc())).first()
    return row.seq, row.actor


def test_hot_match_answers_and_records_as_the_fastapi_route(app, client, service) -> None:
    plain = create_app(service.context, load_lists=False, timeout_s=600, hot_routes=False)
    plain.state.readiness.load()
    auth = service.auth("acme_reader")
    with TestClient(plain, raise_server_exceptions=False) as slow:
        before, _ = _last_entry(service)
        hot = client.post("/match/default?limit=3&threshold=0.8", json=BODY, headers=auth)
        after_hot, actor = _last_entry(service)
        assert hot.status_code == 200 and after_hot == before + 2 and actor == "acme-reader"  # one entry a name
        routed = slow.post("/match/default?limit=3&threshold=0.8", json=BODY, headers=auth)
        assert routed.status_code == 200 and _last_entry(service)[0] == after_hot + 2
    assert hot.json() == routed.json()
    assert hot.headers["x-batch-size"] == routed.headers["x-batch-size"] == "2"
    assert hot.json()["responses"]["a"]["results"][0]["match"] is True


def test_what_the_hot_route_refuses_reaches_the_fastapi_route(client, service) -> None:
    auth = service.auth("reader")
    assert client.post("/match/default", json=BODY).status_code == 401
    assert client.post("/match/default?limit=0", json=BODY, headers=auth).json()["detail"].startswith("limit")
    assert client.post("/match/default?limit=3&limit=4", json=BODY, headers=auth).status_code == 200  # FastAPI's reading
    assert client.post("/match/nowhere", json=BODY, headers=auth).status_code == 404
    text = client.post("/match/default", content=orjson.dumps(BODY), headers={**auth, "content-type": "text/plain"})
    assert text.status_code == 422
    empty = client.post("/match/default", json={"queries": {}}, headers=auth)
    assert empty.status_code == 400 and empty.json()["detail"].startswith("queries")
    bad = client.get("/m/lookup", params={"signal_type": "pdq", "signal": "nothex"}, headers=auth)
    assert bad.status_code == 422 and bad.json()["detail"].startswith("signal")
    assert client.get("/m/lookup", params={"signal_type": "md5", "signal": "0" * 32}, headers=auth).status_code == 400


async def _request(app: Any, path: str, body: bytes = b"") -> tuple[int, dict[str, Any], bool]:
    sent: list[dict[str, Any]] = []
    read = False

    async def receive() -> dict[str, Any]:
        nonlocal read
        read = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST" if body else "GET", "path": path, "query_string": b"",
             "headers": [(b"content-type", b"application/json")]}
    await app(scope, receive, send)
    headers = {k.decode(): v.decode() for k, v in sent[0].get("headers", [])}
    return sent[0]["status"], headers, read


def test_screenings_beyond_the_bound_are_refused_unread_and_health_still_answers(app) -> None:
    async def never(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        raise AssertionError("a refused request reached the app")

    app.state.work = Work(threads=1, max_admitted=0)
    guard = Guard(never, max_body=10_000, timeout_s=5, hot=HotRoutes(app.state))

    async def scenario() -> list[tuple[int, dict[str, Any], bool]]:
        return [await _request(guard, "/match/default", orjson.dumps(BODY)),
                await _request(guard, "/m/lookup"), await _request(guard, "/healthz"), await _request(guard, "/readyz")]

    (match, match_headers, match_read), (lookup, _, _), (health, _, _), (ready, _, _) = asyncio.run(scenario())
    assert match == lookup == 503 and match_headers["retry-after"] and not match_read
    assert health == ready == 200

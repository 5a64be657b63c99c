"""The real server on loopback: `redline serve` with pre-forked workers, keys made by `redline keys`,
the size and time limits of every request."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from redline.api.guard import Guard
from redline.cli import app
from redline.keys import revoke_key

REDLINE = str(Path(sys.executable).with_name("redline"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli(home: Path, db_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "REDLINE_HOME": str(home), "REDLINE_DB": db_url}
    return subprocess.run([REDLINE, *args], env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.network
def test_serve_with_two_workers_answers_with_a_cli_key(service) -> None:
    home = service.home
    made = _cli(home, service.db_url, "keys", "create", "e2e-client", "--role", "reader", "--json")
    assert made.returncode == 0, made.stderr
    key = json.loads(made.stdout)["key"]
    port = _free_port()
    env = {**os.environ, "REDLINE_HOME": str(home), "REDLINE_DB": service.db_url}
    server = subprocess.Popen([REDLINE, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stderr.read()
            assert time.monotonic() < deadline, "the server did not become ready"
            time.sleep(0.2)
        assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
        body = {"queries": {"q": {"schema": "Company", "properties": {"name": ["Huawei Technologies Co., Ltd."]}}}}
        assert httpx.post(f"{base}/match/default", json=body).status_code == 401
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}) as client:
            answers = [client.post("/match/default", json=body) for _ in range(8)]  # spread over both workers
            assert {a.status_code for a in answers} == {200}
            assert answers[0].json()["responses"]["q"]["results"][0]["match"] is True
            assert "/match/{dataset}" in client.get("/openapi.json").json()["paths"]
            assert client.get("/docs").status_code == 200
        revoke_key(service.context.store, service.context.ledger, "e2e-client")
        time.sleep(2.5)  # the key cache of each worker lasts two seconds
        assert httpx.post(f"{base}/match/default", json=body, headers={"Authorization": f"Bearer {key}"}).status_code == 401
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
    assert server.returncode == 0


def test_serve_refuses_a_port_in_use() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 2 and "--port" in result.output and "Traceback" not in result.output


def test_serve_names_a_broken_store_without_a_traceback(tmp_path: Path) -> None:
    import sqlite3

    db_url = f"sqlite:///{tmp_path / 'redline.db'}"
    assert _cli(tmp_path, db_url, "db", "upgrade").returncode == 0
    with sqlite3.connect(tmp_path / "redline.db") as db:  # at the current revision, yet a table is gone
        db.execute("DROP TABLE media_bank_tombstones")
    result = _cli(tmp_path, db_url, "serve", "--port", str(_free_port()), "--workers", "2")
    assert result.returncode == 1, result.stderr
    assert "the store cannot be served" in result.stderr and "media_bank_tombstones" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_keys_cli_create_list_revoke() -> None:
    runner = CliRunner()
    made = runner.invoke(app, ["keys", "create", "ops", "--role", "curator", "--org", "acme", "--json"])
    assert made.exit_code == 0, made.output
    created = json.loads(made.output)
    assert set(created) >= {"name", "role", "key"} and created["key"].startswith("rl_")
    assert runner.invoke(app, ["keys", "create", "ops", "--role", "reader"]).exit_code == 2
    bad_role = runner.invoke(app, ["keys", "create", "x", "--role", "owner"])
    assert bad_role.exit_code == 2 and "--role" in bad_role.output
    listed = json.loads(runner.invoke(app, ["keys", "list", "--json"]).output)
    assert [(k["name"], k["role"], k["org"]) for k in listed] == [("ops", "curator", "acme")]
    assert created["key"] not in json.dumps(listed)  # the secret is shown once, never listed
    assert runner.invoke(app, ["keys", "revoke", "ops", "--json"]).exit_code == 0
    assert json.loads(runner.invoke(app, ["keys", "list", "--json"]).output) == []
    assert runner.invoke(app, ["keys", "revoke", "ops"]).exit_code == 2


async def _slow(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
    while (await receive()).get("more_body"):
        pass
    await asyncio.sleep(5)


def _asgi_call(app, body: bytes, headers: list[tuple[bytes, bytes]], path: str = "/") -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    return asyncio.run(_asgi(app, body, headers, path))


async def _asgi(app, body: bytes, headers: list[tuple[bytes, bytes]], path: str = "/") -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    sent: list[dict] = []
    chunks = [body[i:i + 1000] for i in range(0, len(body), 1000)] or [b""]

    async def receive() -> dict:
        chunk = chunks.pop(0) if chunks else b""
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "headers": headers}
    await app(scope, receive, send)
    status = sent[0]["status"]
    return status, json.loads(sent[1]["body"])


def test_guard_limits_size_and_time() -> None:
    guard = Guard(_slow, max_body=2000, timeout_s=0.2)
    status, body = _asgi_call(guard, b"x" * 5000, [(b"content-length", b"5000")])
    assert status == 413 and "5000" in body["detail"]
    status, body = _asgi_call(guard, b"x" * 5000, [])  # chunked: counted as it arrives
    assert status == 413
    started = time.monotonic()
    status, body = _asgi_call(guard, b"x" * 10, [])
    assert status == 504 and time.monotonic() - started < 2


def test_guard_sheds_load_beyond_its_limit_but_never_the_health_routes() -> None:
    guard = Guard(_slow, max_body=2000, timeout_s=0.3, max_inflight=1)

    async def scenario() -> list[int]:
        first = asyncio.create_task(_asgi(guard, b"", []))
        await asyncio.sleep(0.05)  # the first request is in progress
        shed = await _asgi(guard, b"", [])
        health = asyncio.create_task(_asgi(guard, b"", [], "/healthz"))
        return [shed[0], (await first)[0], (await health)[0]]

    shed, first, health = asyncio.run(scenario())
    assert shed == 503 and first == 504 and health == 504  # the slow app times out; the probe was let in
    assert guard.inflight == 0

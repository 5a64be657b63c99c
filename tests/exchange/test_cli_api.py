"""`redline exchange …` and the HTTP routes: arguments checked at the edge (exit 2 / 4xx naming the
argument), --json everywhere, credentials never shown, roles enforced."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from typer.testing import CliRunner

from redline import keys
from redline.cli import app
from redline.context import get_context

warnings.filterwarnings("ignore", message=".*httpx2.*")
from fastapi.testclient import TestClient  # noqa: E402

PDQ = "f" * 16 + "0" * 48


def test_cli_add_list_status_fetch_deconfirm_and_errors(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "001.txt").write_text(f"pdq {PDQ}\n")
    made = runner.invoke(app, ["exchange", "add", "drop", "--adapter", "file", "--path", str(drop), "--token", "hunter2", "--json"])
    assert made.exit_code == 0, made.output
    assert json.loads(made.output)["credential"] == "encrypted"
    bad = runner.invoke(app, ["exchange", "add", "x", "--adapter", "gifct"])
    assert bad.exit_code == 2 and "--adapter" in bad.output and "Traceback" not in bad.output
    assert runner.invoke(app, ["exchange", "add", "drop", "--adapter", "file", "--path", str(drop)]).exit_code == 2
    listed = runner.invoke(app, ["exchange", "list", "--json"])
    assert "hunter2" not in listed.output and json.loads(listed.output)[0]["name"] == "drop"
    from redline.exchange import credentials, exchanges

    stored = exchanges.get_exchange(get_context(), "drop").credential
    assert stored and "hunter2" not in stored and credentials.reveal(get_context().settings, stored) == "hunter2"
    fetched = runner.invoke(app, ["exchange", "fetch", "drop", "--json"])
    assert fetched.exit_code == 0 and json.loads(fetched.output)["added"] == 1
    status = json.loads(runner.invoke(app, ["exchange", "status", "drop", "--json"]).output)
    assert status["status"]["state"] == "ok" and status["signals"][0]["signal_value"] == PDQ
    assert runner.invoke(app, ["exchange", "status", "nope"]).exit_code == 2
    assert runner.invoke(app, ["exchange", "fetch", "nope"]).exit_code == 2
    out = runner.invoke(app, ["exchange", "deconfirm", "drop", PDQ, "--reason", "benign", "--no-push", "--json"])
    assert out.exit_code == 0 and json.loads(out.output)["feedback"] == "pending"
    pushed = runner.invoke(app, ["exchange", "push", "drop", "--json"])
    assert json.loads(pushed.output)["pushed"] == 1 and list((drop / "outbox").iterdir())
    (drop / "002.csv").write_text("signal_type,signal_value\npdq,xyz\n")
    failed = runner.invoke(app, ["exchange", "fetch", "drop"])
    assert failed.exit_code == 1 and "002.csv" in failed.output and "line 2" in failed.output
    monkeypatch.setenv("TE_TOKEN", "from-env")
    env = runner.invoke(app, ["exchange", "add", "te", "--adapter", "threatexchange", "--privacy-group", "1",
                              "--token-env", "TE_TOKEN", "--json"])
    assert json.loads(env.output)["credential"] == "env:TE_TOKEN"
    two = runner.invoke(app, ["exchange", "add", "te2", "--adapter", "threatexchange", "--privacy-group", "1",
                              "--token", "a", "--token-env", "B"])
    assert two.exit_code == 2 and "--token" in two.output
    key = json.loads(runner.invoke(app, ["exchange", "key", "--json"]).output)
    assert key["public_key"].startswith("-----BEGIN PUBLIC KEY-----") and len(key["key_id"]) == 16
    assert runner.invoke(app, ["exchange", "publish", "nope"]).exit_code == 2


def test_http_roles_and_errors(tmp_path: Path) -> None:
    from redline.api import create_app

    ctx = get_context()
    secret = {role: keys.create_key(ctx.store, ctx.ledger, f"{role}-k", role)["key"] for role in ("reader", "curator")}
    application = create_app(ctx, load_lists=False)
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "001.txt").write_text(f"{PDQ}\n")
    with TestClient(application, raise_server_exceptions=False) as client:
        reader = {"Authorization": f"Bearer {secret['reader']}"}
        curator = {"Authorization": f"Bearer {secret['curator']}"}
        body = {"name": "drop", "adapter": "file", "config": {"path": str(drop)}, "token": "s3"}
        assert client.post("/c/exchanges", json=body, headers=reader).status_code == 403
        made = client.post("/c/exchanges", json=body, headers=curator)
        assert made.status_code == 201 and made.json()["credential"] == "encrypted"
        assert client.post("/c/exchanges", json=body, headers=curator).status_code == 409
        bad = client.post("/c/exchanges", json={**body, "name": "y", "adapter": "nope"}, headers=curator)
        assert bad.status_code == 422 and "--adapter" in bad.json()["detail"]
        assert client.get("/c/exchanges", headers=reader).json()[0]["name"] == "drop"
        assert client.get("/c/exchange/missing", headers=reader).status_code == 404
        assert client.post("/c/exchange/drop/fetch", headers=reader).status_code == 403
        fetched = client.post("/c/exchange/drop/fetch", headers=curator)
        assert fetched.status_code == 200 and fetched.json()["added"] == 1
        one = client.get("/c/exchange/drop", headers=reader).json()
        assert one["signals"][0]["signal_value"] == PDQ and "s3" not in json.dumps(one)
        dec = client.post("/c/exchange/drop/deconfirm", json={"signal_value": PDQ, "reason": "ok", "push": False},
                          headers=curator)
        assert dec.status_code == 200 and dec.json()["feedback"] == "pending"
        assert client.put("/c/exchange/drop", json={"enabled": False}, headers=curator).json()["enabled"] is False
        assert client.post("/c/exchange/drop/fetch", headers=curator).status_code == 422
        assert client.get("/v1/exchange/feed?since=x:y", headers=reader).status_code == 422
        assert client.get("/v1/exchange/feed", headers=reader).json()["records"] == []
        assert client.get("/v1/exchange/feed").status_code == 401
        bad_feedback = client.post("/v1/exchange/feedback", json={"items": []}, headers=reader)
        assert bad_feedback.status_code == 422 and "public_key" in bad_feedback.json()["detail"]
        published = client.post("/c/exchanges/publish", json={"bank": "exchange.drop"}, headers=curator)
        assert published.status_code == 200 and published.json()["deleted"] == 0  # its only hash is deconfirmed
        assert client.post("/c/exchanges/publish", json={"bank": "none"}, headers=curator).status_code == 404

"""Redline's /v1 routes: batch screening jobs (scoped to an organisation), licensing, infra, ledger, keys."""

from __future__ import annotations

import csv
import io
import json
import time
import uuid
from pathlib import Path

import yaml

from redline import keys

APPLICATIONS = Path(__file__).parents[1] / "licensing" / "applications"


def _wait(client, url: str, auth: dict[str, str]) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = client.get(url, headers=auth).json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job did not finish: {job}")


def test_batch_job_upload_poll_download_and_org_scope(client, service) -> None:
    auth = service.auth("acme_reader")
    rows = "name,country\nHuawei Technologies Co Ltd,cn\nZzyzx Qwerty Plumbing,us\n"
    made = client.post("/v1/screen/jobs", headers=auth, files={"file": ("book.csv", rows, "text/csv")})
    assert made.status_code == 202
    job = made.json()
    assert job["rows"] == 2 and job["org"] == "acme" and job["filename"] == "book.csv"
    done = _wait(client, job["status_url"], auth)
    assert done["state"] == "done" and done["progress"] == 1.0, done
    result = list(csv.DictReader(io.StringIO(client.get(job["result_url"], headers=auth).text)))
    assert [r["name"] for r in result] == ["Huawei Technologies Co Ltd", "Zzyzx Qwerty Plumbing"]
    assert result[0]["match"] == "true" and result[1]["match"] != "true"
    # a colleague of the same organisation sees it; another organisation's key does not
    assert client.get(job["status_url"], headers=service.auth("acme_analyst")).status_code == 200
    assert client.get(job["status_url"], headers=service.auth("other_reader")).status_code == 404
    assert client.get(job["result_url"], headers=service.auth("other_reader")).status_code == 404
    assert job["id"] not in [j["id"] for j in client.get("/v1/screen/jobs", headers=service.auth("other_reader")).json()]
    entry = next(e for e in service.context.ledger.entries(kind="parties.screen_file") if e.inputs["job"] == job["id"])
    assert entry.actor == "acme-reader" and entry.inputs["org"] == "acme"


def test_batch_job_refuses_a_csv_without_names(client, service) -> None:
    answer = client.post("/v1/screen/jobs", headers=service.auth("reader"),
                         files={"file": ("x.csv", "company,country\nA,cn\n", "text/csv")})
    assert answer.status_code == 422 and answer.json()["detail"].startswith("file")


def test_licensing_assess_json_and_yaml_agree_and_are_recorded(client, service) -> None:
    auth = service.auth("analyst")
    text = (APPLICATIONS / "face_recognition_xinjiang_psb.yaml").read_text()
    as_yaml = client.post("/v1/licensing/assess", headers=auth, content=text)
    as_json = client.post("/v1/licensing/assess", headers={**auth, "content-type": "application/json"},
                          content=json.dumps(yaml.safe_load(text), default=str))
    assert as_yaml.status_code == as_json.status_code == 200
    assert as_yaml.json()["decision"] == as_json.json()["decision"] == "deny"
    assert as_yaml.json()["rules"] == as_json.json()["rules"]
    last = list(service.context.ledger.entries(kind="licensing.assess"))[-1]
    assert last.actor == "analyst-key" and last.outcome["decision"] == "deny"
    assert client.post("/v1/licensing/assess", headers=service.auth("reader"), content=text).status_code == 403


def test_licensing_refusals_name_the_field(client, service) -> None:
    auth = service.auth("analyst")
    bad = client.post("/v1/licensing/assess", headers=auth, json={"id": "X-1", "destination": "CN"})
    assert bad.status_code == 422
    fields = [e["field"] for e in bad.json()["errors"]]
    assert "date" in fields and bad.json()["detail"].split(":")[0] in fields
    path = client.post("/v1/licensing/assess?policy=/etc/passwd", headers=auth, json={})
    assert path.status_code == 422 and path.json()["detail"].startswith("policy")


def test_infra_scan_and_lookup(client, service) -> None:
    evidence = {"domain": "example.org", "observed_at": "2026-11-20T10:00:00Z",
                "dns": {"A": [], "AAAA": [], "CNAME": ["d1234.cloudfront.net"], "NS": [], "MX": [], "TXT": []},
                "http": {"status": 200, "headers": {"server": "CloudFront"}}}
    scanned = client.post("/v1/infra/scan", headers=service.auth("analyst"), json=evidence)
    assert scanned.status_code == 200
    (result,) = scanned.json()
    assert any(p["role"] == "serves" and "CloudFront" in p["provider"] for p in result["providers"])
    last = list(service.context.ledger.entries(kind="infra.scan"))[-1]
    assert last.actor == "analyst-key"
    broken = client.post("/v1/infra/scan", headers=service.auth("analyst"), content=b"{ nope")
    assert broken.status_code == 422 and broken.json()["detail"].startswith("evidence")
    looked = client.get("/v1/infra/lookup", params={"ip": ["1.1.1.1"]}, headers=service.auth("reader"))
    assert looked.status_code == 200 and looked.json()[0]["ip"] == "1.1.1.1"
    bad = client.get("/v1/infra/lookup", params={"ip": ["1.1.1.1", "nope"]}, headers=service.auth("reader"))
    assert bad.status_code == 422 and bad.json()["detail"].startswith("ip[1]")


def test_ledger_show_and_verify(client, service) -> None:
    shown = client.get("/v1/ledger", params={"kind": "keys", "limit": 3}, headers=service.auth("analyst")).json()
    assert shown and all(e["kind"].startswith("keys") for e in shown) and len(shown) <= 3
    verified = client.get("/v1/ledger/verify", headers=service.auth("reader")).json()
    assert verified["ok"] is True and verified["entries"] >= len(shown)


def test_admin_creates_lists_and_revokes_keys_over_http(app, client, service) -> None:
    admin = service.auth("admin")
    name = f"svc-{uuid.uuid4().hex[:6]}"
    assert client.post("/v1/keys", json={"name": name, "role": "reader"}, headers=service.auth("curator")).status_code == 403
    made = client.post("/v1/keys", json={"name": name, "role": "reader"}, headers=admin)
    assert made.status_code == 201 and made.json()["key"].startswith("rl_")
    secret = made.json()["key"]
    assert client.get("/catalog", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert client.post("/v1/keys", json={"name": name, "role": "reader"}, headers=admin).status_code == 409
    assert client.post("/v1/keys", json={"name": "x", "role": "owner"}, headers=admin).json()["detail"].startswith("role:")
    assert client.post("/v1/keys", json={"name": "a b", "role": "reader"}, headers=admin).json()["detail"].startswith("name:")
    listed = client.get("/v1/keys", headers=admin).json()
    assert name in [k["name"] for k in listed] and secret not in str(listed)
    revoked = client.delete(f"/v1/keys/{name}", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    assert client.delete(f"/v1/keys/{name}", headers=admin).status_code == 409
    assert client.delete("/v1/keys/no-such-key", headers=admin).status_code == 404
    app.state.keys = type(app.state.keys)()  # the worker's key cache (two seconds) forgotten
    assert client.get("/catalog", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert [e.actor for e in service.context.ledger.entries(kind="keys.") if e.inputs.get("name") == name] == ["admin-key"] * 2


def test_an_organisations_admin_manages_its_own_keys_only(client, service) -> None:
    boss = f"acme-admin-{uuid.uuid4().hex[:6]}"
    secret = keys.create_key(service.context.store, service.context.ledger, boss, "admin", org="acme")["key"]
    auth = {"Authorization": f"Bearer {secret}"}
    assert client.post("/v1/keys", json={"name": "x-other", "role": "reader", "org": "other"}, headers=auth).status_code == 403
    made = client.post("/v1/keys", json={"name": f"{boss}-r", "role": "reader"}, headers=auth)
    assert made.status_code == 201 and made.json()["org"] == "acme"
    assert {k["org"] for k in client.get("/v1/keys", headers=auth).json()} == {"acme"}
    assert client.delete("/v1/keys/other-reader", headers=auth).status_code == 404  # another organisation's key


def test_an_organisations_analyst_reads_only_its_organisations_ledger_entries(client, service) -> None:
    name = f"acme-analyst-{uuid.uuid4().hex[:6]}"
    secret = keys.create_key(service.context.store, service.context.ledger, name, "analyst", org="acme")["key"]
    service.context.ledger.append("test.note", "someone", {"org": "globex", "query": "a globex customer"}, {})
    service.context.ledger.append("test.note", "someone", {"org": "acme", "query": "an acme customer"}, {})
    mine = client.get("/v1/ledger", params={"kind": "test.note"}, headers={"Authorization": f"Bearer {secret}"}).json()
    assert [e["inputs"]["query"] for e in mine][-1:] == ["an acme customer"]
    assert all(e["inputs"].get("org") == "acme" for e in mine)
    everything = client.get("/v1/ledger", params={"kind": "test.note"}, headers=service.auth("analyst")).json()
    assert {"a globex customer", "an acme customer"} <= {e["inputs"]["query"] for e in everything}


def test_a_key_in_use_is_renewed_off_the_request_thread_and_revocation_still_holds(service, monkeypatch) -> None:
    import threading

    from redline.api import auth

    name = f"renewed-{uuid.uuid4().hex[:6]}"
    secret = keys.create_key(service.context.store, service.context.ledger, name, "reader")["key"]
    cache = auth.KeyCache()
    looked_up: list[str] = []
    authenticate = keys.authenticate

    def watched(store, key):  # type: ignore[no-untyped-def]
        looked_up.append(threading.current_thread().name)
        return authenticate(store, key)

    monkeypatch.setattr(keys, "authenticate", watched)
    assert cache.lookup(service.context, secret).name == name  # unseen: looked up on the caller's thread
    assert looked_up == [threading.current_thread().name]
    monkeypatch.setattr(auth, "RENEW_SECONDS", 0.0)  # every hit is old enough to renew
    keys.revoke_key(service.context.store, service.context.ledger, name, actor="tester")
    deadline = time.monotonic() + auth.CACHE_SECONDS + 1
    while cache.lookup(service.context, secret) is not None:  # answered from the cache while renewed
        assert time.monotonic() < deadline, "a revoked key still works after CACHE_SECONDS"
        time.sleep(0.01)
    assert looked_up[1:] and set(looked_up[1:]) == {"redline-keys_0"}

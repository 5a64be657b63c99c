"""/v1/licensing over HTTP: keys' roles and organisations, four-eyes across two keys, errors that name the field."""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path

import pytest
from helpers_licensing import FakeScreener

from redline import keys
from redline.config import load_settings
from redline.context import Context
from redline.licensing import notices

warnings.filterwarnings("ignore", message=".*httpx2.*")
from fastapi.testclient import TestClient  # noqa: E402

APPLICATION = {
    "id": "API-2026-0007", "date": "2026-11-02", "exporter": {"name": "Oslo Signals AS", "country": "NO"},
    "destination": "NO",
    "parties": [{"role": "end_user", "name": "Oslo Fjord Networks AS", "country": "NO", "type": "private_telecom_isp"}],
    "items": [{"description": "Routers", "category": "general_ict"}],
    "end_use": {"type": "network_management_qos"},
}


def test_cases_over_http(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from redline.api import create_app

    screener = FakeScreener()
    monkeypatch.setattr("redline.licensing.service.default_screener", lambda: screener)
    context = Context(replace(load_settings(), user="tester"))
    secret = {name: keys.create_key(context.store, context.ledger, name, role, org=org)["key"]
              for name, role, org in (("ann", "analyst", "acme"), ("ben", "analyst", "acme"), ("rita", "reader", "acme"),
                                      ("otto", "admin", "other"))}

    def auth(name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {secret[name]}"}

    with TestClient(create_app(context, load_lists=False), raise_server_exceptions=False) as client:
        url = "/v1/licensing/cases"
        assert client.post(url, json={"application": APPLICATION}, headers=auth("rita")).status_code == 403
        bad = client.post(url, json={"application": {**APPLICATION, "destination": "UK"}}, headers=auth("ann"))
        assert bad.status_code == 422 and "did you mean 'GB'" in bad.text and "destination" in bad.text
        opened = client.post(url, json={"application": APPLICATION, "policy": "echri"}, headers=auth("ann"))
        assert opened.status_code == 201, opened.text
        case = opened.json()
        assert case["org"] == "acme" and case["opened_by"] == "ann" and case["status"] == "open"
        assert [c["id"] for c in client.get(url, headers=auth("rita")).json()["cases"]] == [case["id"]]
        assert client.get(url, params={"status": "pending"}, headers=auth("rita")).status_code == 422
        assert client.get(f"{url}/{case['id']}", headers=auth("otto")).status_code == 404  # another organisation
        assert client.post(f"{url}/{case['id']}/decide", json={"decision": "grant", "reason": "x"},
                           headers=auth("ann")).status_code == 422
        first = client.post(f"{url}/{case['id']}/decide", json={"decision": "approve", "reason": "end use verified"},
                            headers=auth("ann"))
        assert first.status_code == 200 and first.json()["status"] == "awaiting_sign_off"
        same = client.post(f"{url}/{case['id']}/sign-off", json={"reason": "mine"}, headers=auth("ann"))
        assert same.status_code == 409 and "four-eyes" in same.json()["detail"]
        assert client.post(f"{url}/{case['id']}/sign-off", json={"reason": "ok"}, headers=auth("rita")).status_code == 403
        second = client.post(f"{url}/{case['id']}/sign-off", json={"reason": "checked"}, headers=auth("ben"))
        assert second.status_code == 200 and second.json()["status"] == "approved"
        assert client.get("/v1/licensing/consultations", headers=auth("rita")).json() == {"consultations": [], "total": 0}
        assert client.post(f"{url}/{case['id']}/notice", json={}, headers=auth("ann")).status_code == 409  # not denied
        denied = client.post(url, json={"application": {**APPLICATION, "id": "API-2026-0008"}}, headers=auth("ann")).json()
        client.post(f"{url}/{denied['id']}/decide", json={"decision": "deny", "reason": "diversion risk"}, headers=auth("ben"))
        assert client.post(f"{url}/{denied['id']}/notice", json={"expiry": "soon"}, headers=auth("ann")).status_code == 422
        issued = client.post(f"{url}/{denied['id']}/notice", json={}, headers=auth("ann"))
        assert issued.status_code == 201 and issued.json()["notices"][0]["grounds"] == "diversion risk"
        own = client.get("/v1/licensing/notices", params={"origin": "own"}, headers=auth("rita")).json()["notices"]
        assert [n["notice_id"] for n in own] == [issued.json()["notices"][0]["notice_id"]]
        # a partner's notice on the same end user (other spelling): the case waits for the consultation
        partner = Context(replace(load_settings(), home=tmp_path / "partner", db_url=f"sqlite:///{tmp_path / 'p.db'}"))
        monkeypatch.setenv("REDLINE_AUTHORITY", "State X")
        notice = notices.issue(partner, notices.build_fields(party="OSLO FJORD NETWORKS A/S", country="NO", control_codes=[],
                                                             item_categories=["general_ict"], grounds="diversion"))
        third = client.post(url, json={"application": {**APPLICATION, "id": "API-2026-0009"}}, headers=auth("ann")).json()
        (opened,) = notices.receive(context, notice, exchange="test")["consultations"]
        assert opened["case_id"] == third["id"]
        listed = client.get("/v1/licensing/consultations", params={"status": "open"}, headers=auth("rita")).json()
        assert [c["id"] for c in listed["consultations"]] == [opened["id"]]
        assert client.get(f"/v1/licensing/consultations/{opened['id']}", headers=auth("otto")).status_code == 404
        c_url = f"/v1/licensing/consultations/{opened['id']}"
        blocked = client.post(f"{url}/{third['id']}/decide", json={"decision": "approve", "reason": "ok"}, headers=auth("ann"))
        assert blocked.status_code == 409 and "consultation" in blocked.json()["detail"]
        assert client.post(f"{c_url}/close", json={"reason": "done"}, headers=auth("ann")).status_code == 409
        assert client.post(f"{c_url}/answer", json={"text": "no objection"}, headers=auth("rita")).status_code == 403
        assert client.post(f"{c_url}/answer", json={"text": "no objection"}, headers=auth("ann")).json()["status"] == "answered"
        assert client.post(f"{c_url}/close", json={"reason": "weighed"}, headers=auth("ben")).json()["closed_by"] == "ben"
        assert client.post(f"{url}/{third['id']}/decide", json={"decision": "approve", "reason": "ok"},
                           headers=auth("ann")).status_code == 200
    actors = [(e.kind, e.actor) for e in context.ledger.entries() if e.kind.startswith("licensing.case")]
    assert actors[:3] == [("licensing.case.open", "ann"), ("licensing.case.decide", "ann"), ("licensing.case.sign_off", "ben")]
    context.store.close()

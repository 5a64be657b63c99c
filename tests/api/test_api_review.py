"""The review queue over HTTP: screenings through the API are recorded as the key's and raise items
in its organisation; decisions need the analyst role; four-eyes across two keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.parties.snapshots import import_paths

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "lists"
UK_ENTITY = "Beijing Testsec Surveillance Technology Co., Ltd"  # invented, in the hand-written UK fixture


@pytest.fixture(scope="module", autouse=True)
def sanctions_list(service) -> None:  # type: ignore[no-untyped-def]
    results, _ = import_paths(service.context.store, [FIXTURES / "uk_fcdo"])
    assert results[0].status == "imported"


def _match(client, service, who: str) -> dict:  # type: ignore[no-untyped-def]
    body = {"queries": {"q": {"schema": "Company", "properties": {"name": [UK_ENTITY]}}}}
    answer = client.post("/match/default", json=body, headers=service.auth(who))
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_match_through_the_api_is_recorded_as_the_key_and_raises_an_item_in_its_org(client, service) -> None:
    _match(client, service, "acme_reader")
    entry = [e for e in service.context.ledger.entries(kind="parties.screen") if e.kind == "parties.screen"][-1]
    assert entry.actor == "acme-reader" and entry.inputs["org"] == "acme"
    acme = client.get("/v1/review/items", params={"status": "open"}, headers=service.auth("acme_reader")).json()
    item = next(i for i in acme["items"] if i["party_caption"] == UK_ENTITY.upper())
    assert item["sanctions_programs"] == ["UK-FCDO"] and item["raised_by"] == "acme-reader"
    # another organisation, or a key of none, sees nothing of acme's
    for who in ("other_reader", "analyst"):
        seen = client.get("/v1/review/items", headers=service.auth(who)).json()["items"]
        assert item["id"] not in [i["id"] for i in seen]
        assert client.get(f"/v1/review/items/{item['id']}", headers=service.auth(who)).status_code == 404
    # a reader cannot decide; a bad decision is refused naming the field
    assert client.post(f"/v1/review/items/{item['id']}/decide", json={"decision": "cleared", "reason": "x"},
                       headers=service.auth("acme_reader")).status_code == 403
    bad = client.post(f"/v1/review/items/{item['id']}/decide", json={"decision": "maybe", "reason": "x"},
                      headers=service.auth("acme_analyst"))
    assert bad.status_code == 422 and "decision" in bad.text
    first = client.post(f"/v1/review/items/{item['id']}/decide", json={"decision": "confirmed", "reason": "same party"},
                        headers=service.auth("acme_analyst"))
    assert first.status_code == 200 and first.json()["status"] == "awaiting_second"
    twice = client.post(f"/v1/review/items/{item['id']}/decide", json={"decision": "confirmed", "reason": "sure"},
                        headers=service.auth("acme_analyst"))
    assert twice.status_code == 409 and "four-eyes" in twice.json()["detail"]


def test_four_eyes_across_two_keys_and_the_decisions_in_the_ledger(client, service) -> None:
    _match(client, service, "reader")
    items = client.get("/v1/review/items", params={"status": "open"}, headers=service.auth("analyst")).json()["items"]
    item = next(i for i in items if i["party_caption"] == UK_ENTITY.upper())
    url = f"/v1/review/items/{item['id']}/decide"
    assert client.post(url, json={"decision": "confirmed", "reason": "dates agree"},
                       headers=service.auth("analyst")).json()["status"] == "awaiting_second"
    done = client.post(url, json={"decision": "confirmed", "reason": "checked the registry"}, headers=service.auth("admin"))
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    decisions = done.json()["decisions"]
    assert [(d["actor"], d["role"], d["stage"]) for d in decisions] == [("analyst-key", "analyst", "first"),
                                                                        ("admin-key", "admin", "second")]
    entries = {e.seq: e for e in service.context.ledger.entries(kind="review.decide")}
    assert [entries[d["ledger_seq"]].actor for d in decisions] == ["analyst-key", "admin-key"]
    assert client.get("/v1/review/items", params={"status": "bogus"}, headers=service.auth("analyst")).status_code == 422

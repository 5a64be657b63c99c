"""yente-compatible screening over HTTP: shapes, decisions from the parties API, errors, keys."""

from __future__ import annotations

from redline.parties import api as parties

HIKVISION = {"schema": "Company", "properties": {"name": ["Hangzhou Hikvision Digital Technology"], "country": ["cn"]}}


def test_health_is_open_and_ready_once_lists_are_loaded(client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
    assert client.get("/openapi.json").json()["paths"]["/match/{dataset}"]


def test_readyz_is_503_while_no_lists_are_loaded(tmp_path, data_dir) -> None:
    from fastapi.testclient import TestClient

    from redline.api import create_app
    from redline.config import Settings
    from redline.context import Context

    empty = Context(Settings(home=tmp_path, data_dir=data_dir, db_url=f"sqlite:///{tmp_path / 'r.db'}", user="t"))
    app = create_app(empty, load_lists=False)
    app.state.readiness.load()
    with TestClient(app) as c:
        answer = c.get("/readyz")
        assert answer.status_code == 503
        assert "no lists are loaded" in answer.json()["detail"]
        assert c.get("/healthz").status_code == 200


def test_keys_are_required_and_roles_ordered(client, service) -> None:
    body = {"queries": {"q": HIKVISION}}
    assert client.post("/match/default", json=body).status_code == 401
    assert client.post("/match/default", json=body, headers={"Authorization": "Bearer rl_not-a-key"}).status_code == 401
    assert client.post("/match/default", json=body, headers=service.auth("reader")).status_code == 200
    assert client.post("/c/banks", json={"name": "X"}, headers=service.auth("reader")).status_code == 403
    assert client.get("/v1/ledger", headers=service.auth("reader")).status_code == 403
    assert client.get("/v1/ledger", headers=service.auth("analyst")).status_code == 200


def test_revoked_key_is_refused(client, service) -> None:
    from redline import keys

    ctx = service.context
    secret = keys.create_key(ctx.store, ctx.ledger, "short-lived", "reader")["key"]
    keys.revoke_key(ctx.store, ctx.ledger, "short-lived")
    assert client.get("/algorithms", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_match_answers_in_yente_shape_with_the_parties_decision(client, service) -> None:
    body = {"queries": {"mine-1": HIKVISION, "mine-2": {"schema": "Person", "properties": {"name": "Zzyzx Qwerty"}}}}
    answer = client.post("/match/default?limit=3", json=body, headers=service.auth("reader"))
    assert answer.status_code == 200
    data = answer.json()
    assert set(data["responses"]) == {"mine-1", "mine-2"} and data["limit"] == 3
    hits = data["responses"]["mine-1"]["results"]
    expected = parties.screen("Hangzhou Hikvision Digital Technology", schema="Company", country="cn", limit=3)
    assert [h["id"] for h in hits] == [h["id"] for h in expected["results"]]
    top = hits[0]
    assert {"id", "caption", "schema", "properties", "datasets", "score", "match", "explanations"} <= set(top)
    assert top["match"] is True and top["score"] == expected["results"][0]["score"]
    assert "us_dod_1260h" in top["datasets"] and "Hikvision" in top["properties"]["alias"]
    assert "Hikvision" in top["explanations"]["name"]["detail"] or "hikvision" in top["explanations"]["name"]["detail"]
    assert data["responses"]["mine-1"]["query"]["properties"]["name"] == HIKVISION["properties"]["name"]
    assert not any(h["match"] for h in data["responses"]["mine-2"]["results"])


def test_threshold_exclusion_and_dataset(client, service) -> None:
    auth = service.auth("reader")
    body = {"queries": {"q": HIKVISION}}
    top = client.post("/match/default", json=body, headers=auth).json()["responses"]["q"]["results"][0]
    strict = client.post("/match/default?threshold=1.0", json=body, headers=auth).json()["responses"]["q"]["results"]
    assert strict[0]["id"] == top["id"] and strict[0]["match"] is (top["score"] >= 1.0)
    excluded = client.post(f"/match/default?exclude_entity_ids={top['id']}", json=body, headers=auth).json()
    assert top["id"] not in [h["id"] for h in excluded["responses"]["q"]["results"]]
    in_body = client.post("/match/default", json={**body, "exclude_entity_ids": [top["id"]]}, headers=auth).json()
    assert top["id"] not in [h["id"] for h in in_body["responses"]["q"]["results"]]
    by_source = client.post("/match/us_dod_1260h", json=body, headers=auth).json()["responses"]["q"]["results"]
    assert by_source[0]["id"] == top["id"]
    missing = client.post("/match/no_such_list", json=body, headers=auth)
    assert missing.status_code == 404 and "us_dod_1260h" in missing.json()["detail"]


def test_bad_requests_name_the_field(client, service) -> None:
    auth = service.auth("reader")
    no_schema = client.post("/match/default", json={"queries": {"a": {"properties": {"name": ["x"]}}}}, headers=auth)
    assert no_schema.status_code == 422 and no_schema.json()["detail"].startswith("queries.a.schema")
    bogus = client.post("/match/default", json={"queries": {"a": {"schema": "Spaceship", "properties": {"name": "x"}}}},
                        headers=auth)
    assert bogus.status_code == 422 and "queries.a.schema" in bogus.json()["detail"]
    nameless = client.post("/match/default", json={"queries": {"a": {"schema": "Person", "properties": {}}}}, headers=auth)
    assert nameless.status_code == 422 and "queries.a.properties.name" in nameless.json()["detail"]
    limit = client.post("/match/default?limit=many", json={"queries": {}}, headers=auth)
    assert limit.status_code == 422 and limit.json()["detail"].startswith("limit")
    broken = client.post("/match/default", content=b"{not json", headers={**auth, "content-type": "application/json"})
    assert broken.status_code == 422 and "Traceback" not in broken.text
    algo = client.post("/match/default?algorithm=logic-v2", json={"queries": {"q": HIKVISION}}, headers=auth)
    assert algo.status_code == 400 and "algorithm" in algo.json()["detail"]


def test_search_entity_catalog_algorithms(client, service) -> None:
    auth = service.auth("reader")
    found = client.get("/search/default", params={"q": "Huawei Technologies", "limit": 2}, headers=auth).json()
    assert found["limit"] == 2 and found["results"] and found["total"]["relation"] == "eq"
    first = found["results"][0]
    entity = client.get(f"/entities/{first['id']}", headers=auth).json()
    assert entity["id"] == first["id"] and entity["caption"] == first["caption"]
    assert client.get("/entities/no-such-id", headers=auth).status_code == 404
    catalog = client.get("/catalog", headers=auth).json()
    assert catalog["current"][0] == "default" and "us_dod_1260h" in catalog["current"]
    algorithms = client.get("/algorithms", headers=auth).json()
    assert algorithms["default"] in [a["name"] for a in algorithms["algorithms"]]


def test_server_errors_carry_no_stack_trace(app, client, service) -> None:
    def boom() -> None:
        raise RuntimeError("secret internals /etc/somewhere")

    app.add_api_route("/boom", boom)
    answer = client.get("/boom")
    assert answer.status_code == 500
    assert "secret internals" not in answer.text and "Traceback" not in answer.text


def test_match_reads_countries_and_dates_as_the_cli_does(client, service) -> None:
    """A country name is read as its ISO code, and an unreadable country or date is a 422 naming the field."""
    by_name = {"schema": "Company", "properties": {"name": ["Hangzhou Hikvision Digital Technology"], "country": ["China"]}}
    body = client.post("/match/default", json={"queries": {"a": by_name, "b": HIKVISION}}, headers=service.auth("reader")).json()
    assert [h["id"] for h in body["responses"]["a"]["results"]] == [h["id"] for h in body["responses"]["b"]["results"]]
    for prop, value in (("country", "ZZZ"), ("birthDate", "12/05/1958")):
        person = {"schema": "Person", "properties": {"name": ["Sergey Chemezov"], prop: [value]}}
        found = client.post("/match/default", json={"queries": {"p": person}}, headers=service.auth("reader"))
        assert found.status_code == 422 and f"queries.p.properties.{prop}" in found.text, found.text

"""The TAT hash list v2, ThreatExchange and file-drop adapters against real local servers and folders
speaking their wire formats: paging, deletions, expired tokens, malformed records."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest

from redline.exchange import credentials, exchanges, fetch
from redline.media import banks
from redline.media.matcher import Matcher

from exchange_support import Request, wire_server

PDQ = ["f" * 16 + "0" * 48, "0" * 16 + "f" * 48, "a" * 64, "5" * 64]
MD5 = ["d41d8cd98f00b204e9800998ecf8427e", "9e107d9d372bb6826bd81d3542a419d6"]


# --- Tech Against Terrorism -------------------------------------------------------------------------

class Tat:
    """The hash list: records in id order, `after={UTC},{id}` paging, a checkpoint in every page."""

    def __init__(self, records: list[dict]) -> None:
        self.records = records
        self.valid: set[str] = set()
        self.logins = 0
        self.expire_after_pages: int | None = None
        self.pages = 0

    def __call__(self, request: Request) -> tuple[int, object]:
        if request.path == "/token-auth/tcap/":
            body = json.loads(request.body)
            if (body.get("username"), body.get("password")) != ("ops", "s3cret"):
                return 400, {"non_field_errors": ["Unable to log in with provided credentials."]}
            self.logins += 1
            token = f"jwt-{self.logins}"
            self.valid = {token}
            return 200, {"token": token}
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.valid:
            return 401, {"detail": "Given token not valid for any token type", "code": "token_not_valid"}
        after = int(request.query.get("after", ["0,0"])[0].split(",")[1])
        limit = int(request.query.get("limit", ["1000"])[0])
        page = [r for r in self.records if r["id"] > after][:limit]
        last = page[-1]["id"] if page else after
        more = any(r["id"] > last for r in self.records)
        self.pages += 1
        if self.expire_after_pages and self.pages >= self.expire_after_pages:
            self.valid = set()  # the JWT expires after this page
        checkpoint = f"2026-12-01T00:00:00Z,{last}"
        following = f"http://{request.headers['host']}/hash-list/v2/all?" + urlencode(
            {"limit": limit, "order": "asc", "after": checkpoint}) if more else None
        return 200, {"count": len(self.records), "next": following, "checkpoint": checkpoint, "results": page}


def _tat_records() -> list[dict]:
    def rec(i: int, digest: str, algorithm: str, file_type: str = "jpg", deleted: bool = False, **more) -> dict:
        return {"id": i, "hash_digest": digest, "algorithm": algorithm, "ideology": "islamist", "file_type": file_type,
                "deleted": deleted, "created_on": "2026-11-30T10:00:00Z", **more}

    return [rec(1, PDQ[0], "PDQ"), rec(2, MD5[0], "MD5"), rec(3, MD5[1], "MD5", file_type="mp4"),
            rec(4, "ab" * 32, "SHA256"), rec(5, PDQ[1], "PDQ", ideology="far-right"),
            {"id": 6, "algorithm": "PDQ", "deleted": False},  # no hash_digest
            rec(7, "zz" + PDQ[2][2:], "PDQ"),  # not hex
            rec(8, PDQ[0], "PDQ", deleted=True)]


def test_tat_pages_deletions_malformed_and_a_bare_token_that_expires(contexts) -> None:  # type: ignore[no-untyped-def]
    b = contexts("b")
    tat = Tat(_tat_records())
    tat.valid = {"jwt-given"}
    with wire_server(tat) as server:
        exchanges.add_exchange(b, "tat", "tat", {"url": f"{server.url}/hash-list/v2/all", "page_size": 3, "rate": 100},
                               credential=credentials.seal(b.settings, "jwt-given"))
        result = fetch.fetch(b, "tat", commit_rows=1)  # each page its own transaction: the deletion follows the add
        assert (result.pages, result.complete, result.error) == (3, True, None)
        assert (result.added, result.deleted, result.skipped, result.refused) == (4, 1, 1, 2)
        assert any("hash_digest" in r for r in result.refusals) and any("hex" in r for r in result.refusals)
        assert server.requests[0].query["order"] == ["asc"] and "after" not in server.requests[0].query
        assert exchanges.get_exchange(b, "tat").checkpoint == "2026-12-01T00:00:00Z,8"
        signals = {(s["signal_type"], s["signal_value"]): s for s in exchanges.provenance(b, "tat")}
        assert signals[("video_md5", MD5[1])]["labels"] == ["x-tat:islamist"]
        assert signals[("pdq", PDQ[1])]["labels"] == ["x-tat:far-right"]
        assert signals[("pdq", PDQ[0])]["deleted"] is True
        matcher = Matcher.open(b)
        assert matcher.match_pdq(PDQ[0]) == [] and len(matcher.match_pdq(PDQ[1])) == 1
        # the token expires; with no login stored, the fetch stops with a clear error and changes nothing
        tat.valid = set()
        tat.records.append({"id": 9, "hash_digest": PDQ[3], "algorithm": "PDQ", "deleted": False})
        expired = fetch.fetch(b, "tat")
        assert expired.added == 0 and "expired" in (expired.error or "") and "--token" in expired.error
        assert exchanges.get_exchange(b, "tat").checkpoint == "2026-12-01T00:00:00Z,8"
        assert "jwt-given" not in json.dumps(exchanges.get_exchange(b, "tat").to_dict())


def test_tat_login_renews_an_expired_token_mid_fetch(contexts) -> None:  # type: ignore[no-untyped-def]
    b = contexts("b")
    tat = Tat(_tat_records())
    tat.expire_after_pages = 1
    with wire_server(tat) as server:
        exchanges.add_exchange(b, "tat", "tat", {"url": f"{server.url}/hash-list/v2/all",
                                                 "auth_url": f"{server.url}/token-auth/tcap/", "page_size": 3, "rate": 100},
                               credential=credentials.seal(b.settings, json.dumps({"username": "ops", "password": "s3cret"})))
        result = fetch.fetch(b, "tat")
        assert (result.error, result.complete, result.added) == (None, True, 3)  # PDQ[0]: added, deleted, one group
        assert tat.logins >= 2  # logged in, then again when the token expired
        exchanges.update_exchange(b, "tat", credential=credentials.seal(b.settings, json.dumps({"username": "ops", "password": "no"})),
                                  checkpoint=None)
        tat.valid = set()
        refused = fetch.fetch(b, "tat")
        assert "refused the login" in (refused.error or "")


# --- ThreatExchange -----------------------------------------------------------------------------------

class ThreatExchange:
    def __init__(self, updates: list[dict]) -> None:
        self.updates = updates
        self.token = "te-token"
        self.reactions: list[tuple[str, str]] = []

    def __call__(self, request: Request) -> tuple[int, object]:
        if request.query.get("access_token", [""])[0] != self.token:
            return 400, {"error": {"message": "Error validating access token: Session has expired on Monday.",
                                   "type": "OAuthException", "code": 190, "error_subcode": 463}}
        if request.method == "POST" and request.path.endswith("/reactions"):
            self.reactions.append((request.path.split("/")[-2], request.query["reactions"][0]))
            return 200, {"success": True}
        assert request.path == "/v21.0/1234/threat_updates", request.path
        start = int(request.query.get("start_time", ["0"])[0])
        offset = int(request.query.get("after", ["0"])[0])
        limit = int(request.query["limit"][0])
        matching = [u for u in self.updates if not str(u.get("last_updated")).isdigit() or int(u["last_updated"]) >= start]
        page = matching[offset:offset + limit]
        body: dict = {"data": page, "paging": {"cursors": {"after": str(offset + limit)}}}
        if offset + limit < len(matching):
            body["paging"]["next"] = f"http://{request.headers['host']}{request.path}?" + urlencode(
                {**{k: v[0] for k, v in request.query.items()}, "after": offset + limit})
        return 200, body


def _te_updates() -> list[dict]:
    def descriptor(i: int, tags: list[str]) -> dict:
        return {"data": [{"id": f"90{i}", "owner": {"id": "1", "name": "Platform X"}, "tags": tags,
                          "added_on": "2026-11-01T00:00:00+0000"}]}

    return [
        {"id": "1", "indicator": PDQ[0], "type": "HASH_PDQ", "last_updated": 1764500000, "should_delete": False,
         "descriptors": descriptor(1, ["terrorism", "violent_extremism"])},
        {"id": "2", "indicator": MD5[0], "type": "HASH_MD5", "last_updated": 1764500001, "should_delete": False,
         "descriptors": descriptor(2, ["terrorism"])},
        {"id": "3", "indicator": "https://example.org", "type": "URI", "last_updated": 1764500002, "should_delete": False},
        {"id": "4", "indicator": PDQ[1], "type": "HASH_PDQ", "last_updated": "yesterday", "should_delete": False},
        {"id": "5", "indicator": PDQ[2], "type": "HASH_PDQ", "last_updated": 1764500003, "should_delete": False,
         "descriptors": descriptor(5, [])},
        {"id": "6", "indicator": PDQ[2], "type": "HASH_PDQ", "last_updated": 1764500004, "should_delete": True},
    ]


def test_threatexchange_updates_deletions_expired_token_and_reactions(contexts) -> None:  # type: ignore[no-untyped-def]
    b = contexts("b")
    te = ThreatExchange(_te_updates())
    with wire_server(te) as server:
        exchanges.add_exchange(b, "te", "threatexchange", {"url": f"{server.url}/v21.0", "privacy_group": "1234",
                                                           "page_size": 2, "rate": 100},
                               credential=credentials.seal(b.settings, "te-token"))
        result = fetch.fetch(b, "te")
        assert (result.pages, result.error, result.added, result.refused) == (3, None, 2, 2)
        assert result.deleted == 0  # PDQ[2] added, then deleted, in one applied group: the last word wins
        assert exchanges.get_exchange(b, "te").checkpoint == "1764500004"
        first = exchanges.provenance(b, "te", value=PDQ[0])[0]
        assert first["labels"] == ["x-te:terrorism", "x-te:violent_extremism"] and first["contributor"] == "Platform X"
        assert first["remote_id"] == "901"
        assert Matcher.open(b).match_pdq(PDQ[2]) == []
        # feedback is a reaction on the descriptor
        out = fetch.deconfirm(b, "te", PDQ[0], reason="satire")
        assert out["push"]["pushed"] == 1 and te.reactions == [("901", "DISAGREE_WITH_TAGS")]
        # an expired token: a clear error naming the fix, nothing applied, the token never printed
        te.token = "renewed"
        expired = fetch.fetch(b, "te")
        assert "refused the access token" in (expired.error or "") and "190" in expired.error
        assert "te-token" not in expired.error and expired.pages == 0


# --- file drop --------------------------------------------------------------------------------------------

def test_file_drop_applies_each_file_once_and_stops_at_a_malformed_one(contexts, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    b = contexts("b")
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "001.csv").write_text(f"signal_type,signal_value,labels\npdq,{PDQ[0]},x-partner\nmd5,{MD5[0]},\n")
    (drop / "002.json").write_text(json.dumps({"signals": [{"signal_type": "pdq", "signal_value": PDQ[1]}]}))
    (drop / "notes.md").write_text("not a hash file")
    exchanges.add_exchange(b, "drop", "file", {"path": str(drop)})
    first = fetch.fetch(b, "drop")
    assert (first.pages, first.added, first.checkpoint, first.complete) == (2, 3, "002.json", True)
    (drop / "003.txt").write_text(f"{PDQ[2]}\n")
    (drop / "004.csv").write_text(f"signal_type,signal_value,enabled\npdq,{PDQ[0]},false\npdq,{PDQ[3]},maybe\n")
    second = fetch.fetch(b, "drop")
    assert second.added == 1 and "004.csv" in (second.error or "") and "line 3" in second.error
    assert exchanges.get_exchange(b, "drop").checkpoint == "003.txt"
    assert banks.get_bank(b.store, "exchange.drop").enabled_size == 4  # nothing of 004.csv applied
    (drop / "004.csv").write_text(f"signal_type,signal_value,enabled\npdq,{PDQ[0]},false\n")
    third = fetch.fetch(b, "drop")
    assert (third.deleted, third.error) == (1, None)
    out = fetch.deconfirm(b, "drop", PDQ[1], reason="logo of a charity")
    written = Path(out["push"]["answer"]["file"]).read_text()
    assert written.splitlines()[1].startswith(f"pdq,{PDQ[1]},false_positive,logo of a charity,")


def test_options_are_checked_when_an_exchange_is_added(contexts, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    b = contexts("b")
    with pytest.raises(exchanges.ExchangeProblem, match="--adapter"):
        exchanges.add_exchange(b, "x", "gifct", {})
    with pytest.raises(exchanges.ExchangeProblem, match="--path"):
        exchanges.add_exchange(b, "x", "file", {"path": str(tmp_path / "missing")})
    with pytest.raises(exchanges.ExchangeProblem, match="--public-key"):
        exchanges.add_exchange(b, "x", "redline", {"url": "http://127.0.0.1:1", "public_key": "not a key"})
    with pytest.raises(exchanges.ExchangeProblem, match="--privacy-group"):
        exchanges.add_exchange(b, "x", "threatexchange", {})
    with pytest.raises(exchanges.ExchangeProblem, match="--rate"):
        exchanges.add_exchange(b, "x", "file", {"path": str(tmp_path), "rate": -1})
    with pytest.raises(exchanges.ExchangeProblem, match="NAME"):
        exchanges.add_exchange(b, "bad name", "file", {"path": str(tmp_path)})
    assert exchanges.list_exchanges(b) == []


def test_http_is_rate_limited_and_retries_transient_failures() -> None:
    import time

    from redline.exchange.adapters.base import ExchangeError, Http

    answers = [(429, {"detail": "slow down"}), (503, {"detail": "busy"})]

    def handle(request: Request) -> tuple[int, object]:
        return answers.pop(0) if answers else (200, {"ok": True})

    with wire_server(handle) as server:
        http = Http(server.url, rate=5.0)
        started = time.monotonic()
        assert http.request("GET", "/x").json() == {"ok": True}  # after a 429 and a 503
        http.request("GET", "/x")
        assert len(server.requests) == 4 and time.monotonic() - started >= 0.6  # 4 requests at 5 a second
        http.close()
        answers.extend([(500, {})] * 4)
        failing = Http(server.url, rate=100.0, attempts=3)
        with pytest.raises(ExchangeError, match="HTTP 500 after 3 attempts"):
            failing.request("GET", "/y?access_token=secret")
        failing.close()

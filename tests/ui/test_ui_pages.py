"""The workbench's pages through the app (no browser): sign-in, sessions and CSRF, organisations,
decisions with four-eyes as the review library enforces it, the ledger pages."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest

from ui_bench import REAL_HIT, SANCTIONED, Bench

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def screen(client, bench: Bench, who: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """A screening through the HTTP API, as the key `who`: it raises review items in the key's organisation."""
    body = {"queries": {"q": {"schema": "Company", "properties": {"name": [name]}}}}
    answer = client.post("/match/default", json=body, headers=bench.bearer(who))
    assert answer.status_code == 200, answer.text


def sign_in(client, bench: Bench, who: str) -> str:  # type: ignore[no-untyped-def]
    """Signs `who` in; returns the session's CSRF token (read from a page, as a browser would)."""
    client.cookies.clear()
    form = client.get("/ui/signin")
    answer = client.post("/ui/signin", data={"key": bench.keys[who], "csrf": CSRF.search(form.text).group(1),
                                             "next": "/ui/queue"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/ui/queue", answer.text
    return CSRF.search(client.get("/ui/queue").text).group(1)


def item_id(client, caption: str) -> int:  # type: ignore[no-untyped-def]
    page = client.get("/ui/queue", params={"q": caption}).text
    found = re.findall(r'<a class="row-link" href="/ui/queue/(\d+)">([^<]+)</a>', page)
    ids = [int(i) for i, text in found if text.casefold() == caption.casefold()]
    assert ids, f"{caption!r} is not in the queue"
    return ids[0]


def test_pages_need_a_session_and_signing_in_needs_a_live_key_and_the_form_token(client, bench: Bench) -> None:
    answer = client.get("/ui/queue?status=open", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/ui/signin?next=%2Fui%2Fqueue%3Fstatus%3Dopen"
    form = client.get("/ui/signin")
    token = CSRF.search(form.text).group(1)
    assert 'type="password"' in form.text and '<label for="key">' in form.text
    wrong = client.post("/ui/signin", data={"key": "rl_not-a-key", "csrf": token})
    assert wrong.status_code == 401 and "unknown or revoked" in wrong.text
    # a forged form (a token not matching the sign-in cookie) is refused even with a good key
    client.cookies.clear()
    forged = client.post("/ui/signin", data={"key": bench.keys["ana"], "csrf": token}, follow_redirects=False)
    assert forged.status_code == 401 and "expired or came from elsewhere" in forged.text
    form = client.get("/ui/signin")
    good = client.post("/ui/signin", data={"key": bench.keys["ana"], "csrf": CSRF.search(form.text).group(1),
                                           "next": "https://evil.example/"}, follow_redirects=False)
    assert good.status_code == 303 and good.headers["location"] == "/ui/queue"  # no open redirect
    cookie = [h for h in good.headers.get_list("set-cookie") if h.startswith("redline_ui=")][0].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/ui" in cookie
    assert bench.keys["ana"] not in good.headers.get("set-cookie", "")
    page = client.get("/ui/queue")
    assert page.status_code == 200 and "ana · analyst" in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    # the cookie's signature is checked: an altered cookie is no session
    value = client.cookies.get("redline_ui")
    client.cookies.set("redline_ui", value[:-2] + ("AA" if not value.endswith("AA") else "BB"), path="/ui")
    assert client.get("/ui/queue", follow_redirects=False).status_code == 303


def test_signing_out_ends_the_session_on_the_server_and_a_revoked_key_ends_its_sessions(client, bench: Bench) -> None:
    from redline import keys

    csrf = sign_in(client, bench, "rita")
    copied = client.cookies.get("redline_ui")
    refused = client.post("/ui/signout", data={"csrf": "forged"}, follow_redirects=False)
    assert refused.status_code == 403 and client.get("/ui/queue").status_code == 200
    assert client.post("/ui/signout", data={"csrf": csrf}, follow_redirects=False).headers["location"] == "/ui/signin"
    client.cookies.set("redline_ui", copied, path="/ui")  # a copy of the cookie made before signing out
    assert client.get("/ui/queue", follow_redirects=False).status_code == 303
    created = keys.create_key(bench.context.store, bench.context.ledger, "temp-ana", "analyst")
    bench.keys["temp-ana"] = created["key"]
    sign_in(client, bench, "temp-ana")
    keys.revoke_key(bench.context.store, bench.context.ledger, "temp-ana")
    import time

    time.sleep(2.1)  # the key cache's lifetime, as for the API
    assert client.get("/ui/queue", follow_redirects=False).status_code == 303
    kinds = [e.kind for e in bench.context.ledger.entries(kind="ui.")]
    assert kinds.count("ui.signin") >= 2 and "ui.signout" in kinds


def test_an_organisation_sees_only_its_items_and_a_decision_needs_the_token_and_the_role(client, bench: Bench) -> None:
    screen(client, bench, "acme-ana", REAL_HIT)
    sign_in(client, bench, "acme-ana")
    acme_item = item_id(client, "Hangzhou Hikvision Digital Technology Co., Ltd.")
    page = client.get(f"/ui/queue/{acme_item}").text
    # the item page shows the query, the listing, the explanation, the ownership path and the snapshot
    for shown in ("Hangzhou Hikvision Digital Technology", "US-DOD-1260H", "Section 1260H Chinese Military Companies",
                  "China Electronics Technology Group Corporation", "subsidiary of", "us_dod_1260h@2026-06-08#1",
                  "against"):
        assert shown in page, shown
    for other in ("other-ana", "ana"):
        sign_in(client, bench, other)
        assert f'href="/ui/queue/{acme_item}"' not in client.get("/ui/queue", params={"status": "open"}).text
        assert client.get(f"/ui/queue/{acme_item}").status_code == 404
        assert client.post(f"/ui/queue/{acme_item}/decide", data={
            "decision": "cleared", "reason": "x", "csrf": CSRF.search(client.get("/ui/queue").text).group(1)}).status_code == 404
    acme_csrf = sign_in(client, bench, "acme-ana")
    missing = client.post(f"/ui/queue/{acme_item}/decide", data={"decision": "cleared", "reason": "not them"})
    assert missing.status_code == 403 and "security token" in missing.text
    assert client.get(f"/ui/queue/{acme_item}").text.count("<td>cleared</td>") == 0
    no_reason = client.post(f"/ui/queue/{acme_item}/decide", data={"decision": "cleared", "reason": " ", "csrf": acme_csrf})
    assert no_reason.status_code == 422 and "needs a reason" in no_reason.text
    done = client.post(f"/ui/queue/{acme_item}/decide", data={"decision": "cleared", "reason": "a namesake shop",
                                                              "csrf": acme_csrf}, follow_redirects=False)
    assert done.status_code == 303 and f"decided={acme_item}" in done.headers["location"]
    assert f'href="/ui/queue/{acme_item}"' not in client.get("/ui/queue").text
    assert "cleared" in client.get(f"/ui/queue/{acme_item}").text
    # the same pair screened again is not raised again
    screen(client, bench, "acme-ana", REAL_HIT)
    assert 'href="/ui/queue/' not in client.get("/ui/queue", params={"q": "Hikvision"}).text


def test_a_reader_sees_but_cannot_decide(client, bench: Bench) -> None:
    screen(client, bench, "rita", REAL_HIT)
    csrf = sign_in(client, bench, "rita")
    found = item_id(client, "Hangzhou Hikvision Digital Technology Co., Ltd.")
    assert 'action="/ui/queue/' not in client.get(f"/ui/queue/{found}").text
    refused = client.post(f"/ui/queue/{found}/decide", data={"decision": "cleared", "reason": "x", "csrf": csrf})
    assert refused.status_code == 403 and "analyst role" in refused.text


def test_confirming_a_sanctions_match_takes_two_people_and_both_are_in_the_ledger(client, bench: Bench) -> None:
    screen(client, bench, "ana", SANCTIONED)
    csrf = sign_in(client, bench, "ana")
    found = item_id(client, SANCTIONED.upper())
    first = client.post(f"/ui/queue/{found}/decide", data={"decision": "confirmed", "reason": "registry number agrees",
                                                           "csrf": csrf})
    assert first.status_code == 200 or first.status_code == 303
    page = client.get(f"/ui/queue/{found}").text
    assert "awaiting second" in page and "a second person decides now" in page
    again = client.post(f"/ui/queue/{found}/decide", data={"decision": "confirmed", "reason": "sure", "csrf": csrf})
    assert again.status_code == 409 and "four-eyes" in again.text
    csrf = sign_in(client, bench, "bea")
    client.post(f"/ui/queue/{found}/decide", data={"decision": "confirmed", "reason": "checked", "csrf": csrf})
    assert "Status: <strong>confirmed</strong>" in client.get(f"/ui/queue/{found}").text
    ledger = client.get("/ui/ledger", params={"kind": "review.decide"}).text
    assert "registry number agrees" in ledger and "checked" in ledger
    assert client.get("/ui/ledger/verify").text.count("are intact") == 1
    export = client.get("/ui/ledger/export", params={"kind": "review.decide"})
    rows = [orjson.loads(line) for line in export.content.splitlines()]
    assert [r["actor"] for r in rows if r["inputs"]["item"] == found] == ["ana", "bea"]


def test_an_organisation_exports_only_its_ledger_entries_and_a_reader_has_no_ledger(client, bench: Bench) -> None:
    screen(client, bench, "acme-ana", "Testsec")
    sign_in(client, bench, "acme-ana")
    rows = [orjson.loads(line) for line in client.get("/ui/ledger/export").content.splitlines()]
    assert rows and all(r["inputs"].get("org") == "acme" for r in rows)
    sign_in(client, bench, "rita")
    assert client.get("/ui/ledger").status_code == 403


@pytest.mark.parametrize("path", ["/ui/static/../session.py", "/ui/static/nope.css"])
def test_only_the_workbench_files_are_served(client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_a_held_upload_is_shown_beside_its_bank_item_and_resolved_and_appealed(client, bench: Bench, data_dir) -> None:
    from ui_bench import upload_for_review

    acted = upload_for_review(bench.context, data_dir)
    sign_in(client, bench, "acme-ana")
    assert client.get("/ui/media").status_code == 403  # media alerts are not an organisation's
    csrf = sign_in(client, bench, "ana")
    queue = client.get("/ui/media").text
    assert f'href="/ui/media/{acted["review_id"]}"' in queue and "ui-test-bank" in queue
    page = client.get(f"/ui/media/{acted['review_id']}").text
    assert 'src="data:image/jpeg;base64,' in page and 'class="pdq"' in page and "x-held-for-review" in page
    assert f"distance <strong>{acted['matches'][0]['distance']}</strong>" in page
    url = f"/ui/media/{acted['review_id']}/resolve"
    assert client.post(url, data={"resolution": "false_positive", "note": "bridge, not a TVE item"}).status_code == 403
    client.post(url, data={"resolution": "false_positive", "note": "bridge, not a TVE item", "csrf": csrf})
    page = client.get(f"/ui/media/{acted['review_id']}").text
    assert "resolved</strong>: false positive by ana" in page
    appeal = f"/ui/media/actions/{acted['action_id']}/appeal"
    client.post(appeal, data={"review_id": acted["review_id"], "outcome": "overturned", "note": "restored", "csrf": csrf})
    assert '<dd id="action-status">overturned</dd>' in client.get(f"/ui/media/{acted['review_id']}").text
    again = client.post(appeal, data={"review_id": acted["review_id"], "outcome": "upheld", "csrf": csrf})
    assert again.status_code == 409 and "appealed already" in again.text
    kinds = [e.kind for e in bench.context.ledger.entries(kind="media.")]
    assert "media.review" in kinds and "media.appeal" in kinds


def test_a_licence_approval_needs_a_second_officer(client, bench: Bench) -> None:
    from redline.licensing import cases
    from redline.licensing.application import load_application

    application = Path(__file__).resolve().parent.parent / "licensing" / "applications" / "affiliate_chengdu_dahua.yaml"
    case = cases.open_case(bench.context.acting_as("ana"), load_application(application), policy="echri", role="analyst")
    csrf = sign_in(client, bench, "ana")
    assert f'href="/ui/licensing/{case["id"]}"' in client.get("/ui/licensing").text
    page = client.get(f"/ui/licensing/{case['id']}").text
    for shown in ("APP-2026-0777", "Chengdu Dahua Wisdom Information Technology Co., Ltd.", "E04_listed_party_other_item",
                  "UN Guiding Principles on Business and Human Rights", "Enterprise edge routers",
                  "Parties screened", "Near misses", "Partners' denials"):
        assert shown in page, shown
    url = f"/ui/licensing/{case['id']}"
    client.post(f"{url}/decide", data={"decision": "approve", "reason": "routers; end user vetted", "csrf": csrf})
    assert "awaiting sign off" in client.get(url).text
    own = client.post(f"{url}/sign-off", data={"reason": "me again", "csrf": csrf})
    assert own.status_code == 409 and "four-eyes" in own.text
    csrf = sign_in(client, bench, "bea")
    client.post(f"{url}/sign-off", data={"reason": "checked the affiliate rule dates", "csrf": csrf})
    assert "Status: <strong>approved</strong>" in client.get(url).text
    sign_in(client, bench, "acme-ana")
    assert client.get(url).status_code == 404  # a case of no organisation is not acme's


def test_a_report_page_with_its_csv_and_pdf_and_a_bad_period_named(client, bench: Bench, data_dir) -> None:
    from datetime import date, timedelta

    from ui_bench import upload_for_review

    upload_for_review(bench.context, data_dir, account="acct-report")
    sign_in(client, bench, "rita")
    today = date.today().isoformat()
    go = client.get("/ui/reports/go", params={"kind": "media", "from": "2026-01-01", "to": today}, follow_redirects=False)
    assert go.headers["location"] == f"/ui/reports/media?from=2026-01-01&to={today}"
    page = client.get(go.headers["location"])
    assert page.status_code == 200 and "2021/784" in page.text and "<svg" in page.text and 'id="report-pdf"' in page.text
    pdf = client.get("/ui/reports/media/file", params={"from": "2026-01-01", "to": today, "format": "pdf"})
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    csv = client.get("/ui/reports/licensing/file", params={"from": "2026-01-01", "to": today, "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and len(csv.text.splitlines()) > 2
    future = (date.today() + timedelta(days=2)).isoformat()
    bad = client.get("/ui/reports/media", params={"from": "2026-01-01", "to": future})
    assert bad.status_code == 422 and "to: " in bad.text and "in the future" in bad.text
    assert 'id="r-to" name="to" type="date" value="' + future + '" required aria-invalid="true"' in bad.text


def test_the_ledger_pages_backwards_through_the_entries_a_key_may_see(client, bench: Bench, monkeypatch) -> None:
    from redline.api.routers import ui

    monkeypatch.setattr(ui, "LEDGER_PAGE", 3)
    monkeypatch.setattr(ui, "LEDGER_WINDOW", 2)  # windows smaller than a page: several reads fill one
    for name in ("Testsec", "Testvision", "Hikvision"):
        screen(client, bench, "acme-ana", name)
    sign_in(client, bench, "acme-ana")
    everything = [orjson.loads(line)["seq"] for line in client.get("/ui/ledger/export").content.splitlines()]
    seen, url = [], "/ui/ledger"
    while url:
        page = client.get(url).text
        seen += [int(s) for s in re.findall(r'<tr id="seq-(\d+)"', page)]
        older = re.search(r'href="(/ui/ledger\?[^"]*before=\d+)"', page)
        url = older.group(1).replace("&amp;", "&") if older else ""
    assert len(everything) > 3 and seen == sorted(everything, reverse=True)


def test_a_livestream_alert_shows_the_frame_at_its_offset(client, bench: Bench, data_dir) -> None:
    from redline.media.review import record_alert

    video = data_dir / "media" / "c2pa" / "video1.mp4"
    review_id, _ = record_alert(bench.context.store, bench.context.ledger, "watcher", {
        "source": str(video), "offset_s": 1.0, "bank": "ui-test-bank", "content_id": "bridge-1", "signal_type": "pdq",
        "distance": 12, "labels": ["x-held-for-review"], "quality": 90})
    sign_in(client, bench, "ana")
    page = client.get(f"/ui/media/{review_id}").text
    assert "Media alert" in page and "(livestream)" in page and "at 1.0 s" in page
    assert 'alt="The frame at 1.0 s of the stream"' in page and 'src="data:image/jpeg;base64,' in page
    assert "distance <strong>12</strong>" in page and "The action taken" not in page

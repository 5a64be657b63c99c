"""GET /v1/reports/{kind}: a key of the reader role at least; the period checked as the CLI checks it;
on SQLite and PostgreSQL."""

from __future__ import annotations

import warnings
from datetime import date, datetime, timedelta, timezone

from redline import keys
from redline.config import load_settings
from redline.context import Context
from redline.media.actions import Enforcement

warnings.filterwarnings("ignore", message=".*httpx2.*")
from fastapi.testclient import TestClient  # noqa: E402


def today() -> date:
    """The UTC day when asked, not when the module was imported: a run that crosses midnight records on the new day."""
    return datetime.now(timezone.utc).date()


def test_reports_over_http(db_url: str) -> None:
    from redline.api import create_app

    context = Context(load_settings())
    reader = keys.create_key(context.store, context.ledger, "reader-key", "reader")["key"]
    from redline.media.banks import SignalRecord, add_signals, create_bank

    create_bank(context.store, "attacks", labels=["behaviour:livestreamed_attack"], actor="t", ledger=context.ledger)
    add_signals(context.store, "attacks", [SignalRecord("pdq", "f" * 64, labels=["x-extra"]), SignalRecord("pdq", "0f" * 32)],
                actor="t", ledger=context.ledger)
    from redline.exchange.feed import publish

    publish(context, "attacks")  # shared today: counted in a period that ends today
    svc = Enforcement(context.store, context.ledger, "moderator")
    match = {"bank": "=HYPERLINK(\"http://x\")", "content_id": "b1", "signal_type": "pdq", "distance": 2,
             "labels": ["entity:un_listed"]}
    day = today() - timedelta(days=2)
    svc.act("upload.jpg", "acct-1", [match], at=datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc))
    svc.act("plain.jpg", "acct-2", [], at=datetime(day.year, day.month, day.day, 10, tzinfo=timezone.utc))
    app = create_app(context, load_lists=False)
    auth = {"Authorization": f"Bearer {reader}"}
    params = {"from": day.isoformat(), "to": day.isoformat()}
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/v1/reports/media", params=params).status_code == 401
        answer = client.get("/v1/reports/media", params=params, headers=auth)
        assert answer.status_code == 200, answer.text
        figures = {f["key"]: f for s in answer.json()["sections"] for f in s["figures"]}
        assert figures["uploads_matched"]["text"] == "1 of 2 uploads checked (50.0%)"
        assert figures["items_removed"]["value"]["count"] == 1
        tables = {t["key"]: {r["key"]: r["count"] for r in t["rows"]} for sec in answer.json()["sections"] for t in sec["tables"]}
        assert tables["hashes_by_label"] == {"behaviour:livestreamed_attack": 2, "x-extra": 1}
        assert figures["hashes_published"]["value"] == 0
        until_today = client.get("/v1/reports/media", params={"from": day.isoformat(), "to": today().isoformat()}, headers=auth)
        shared = {f["key"]: f["value"] for sec in until_today.json()["sections"] for f in sec["figures"]}
        assert shared["hashes_published"] == 2 and shared["hashes_banked_in_period"] == 2

        csv = client.get("/v1/reports/media", params={**params, "format": "csv"}, headers=auth)
        assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
        assert "attachment" in csv.headers["content-disposition"]
        # a bank name that a spreadsheet would run as a formula is neutralised
        assert "'=HYPERLINK" in csv.text and ",=HYPERLINK" not in csv.text and ',"=HYPERLINK' not in csv.text

        html = client.get("/v1/reports/licensing", params={**params, "format": "html"}, headers=auth)
        assert html.status_code == 200 and html.text.startswith("<!doctype html>") and "<svg" not in html.text
        pdf = client.get("/v1/reports/licensing", params={**params, "format": "pdf"}, headers=auth)
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF-") and f"redline-licensing-report-{day}-{day}.pdf" in pdf.headers["content-disposition"]

        future = client.get("/v1/reports/media", params={"from": day.isoformat(), "to": (today() + timedelta(days=1)).isoformat()},
                            headers=auth)
        assert future.status_code == 422 and future.json()["detail"].startswith("to: ")
        missing = client.get("/v1/reports/media", params={"from": day.isoformat()}, headers=auth)
        assert missing.status_code == 422 and missing.json()["detail"].startswith("to: ")
        assert client.get("/v1/reports/media", params={**params, "format": "xlsx"}, headers=auth).status_code == 422
        assert client.get("/v1/reports/other", params=params, headers=auth).status_code == 422

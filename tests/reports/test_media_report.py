"""The media transparency report over real banks, the real Matcher, real actions, appeals and alerts,
placed on both sides of the period's edges."""

from __future__ import annotations

import re
import zlib
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from redline.cli import app
from redline.context import get_context
from redline.media.actions import Enforcement
from redline.media.review import record_alert, resolve
from redline.reports import ReportError, media_report, render_csv, render_html
from redline.reports.model import NOT_RECORDED, find_figure, find_table


def today() -> date:
    """The UTC day when asked, not when the module was imported: a run that crosses midnight records on the new day."""
    return datetime.now(timezone.utc).date()


START, END = today() - timedelta(days=10), today() - timedelta(days=3)


def at(day: date, hh: int = 12, mm: int = 0, ss: int = 0, us: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm, ss, us), tzinfo=timezone.utc)


@pytest.fixture
def pdq_dir(data_dir: Path) -> Path:
    return data_dir / "media" / "pdq"


@pytest.fixture
def history(pdq_dir: Path) -> dict[str, Any]:
    """Banks, uploads matched by the real Matcher and acted on, appeals and a livestream alert."""
    from redline.media.banks import SignalRecord, add_signals, create_bank
    from redline.media.hashing import pdq_file
    from redline.media.matcher import Matcher

    ctx = get_context()
    images = {
        "attacks": ("behaviour:livestreamed_attack", pdq_dir / "bridge-mods" / "aaa-orig.jpg"),
        "unlisted": ("entity:un_listed", pdq_dir / "misc-images" / "pen-and-coaster.png"),
        "custom": ("x-local-watchlist", pdq_dir / "misc-images" / "c.png"),
    }
    for name, (label, image) in images.items():
        create_bank(ctx.store, name, labels=[label], actor="test", ledger=ctx.ledger)
        h = pdq_file(image)
        add_signals(ctx.store, name, [SignalRecord("pdq", h.hex, content_id=f"{name}-1", quality=h.quality)],
                    actor="test", ledger=ctx.ledger)
    matcher = Matcher.open(ctx)
    svc = Enforcement(ctx.store, ctx.ledger, "moderator")

    def upload(image: Path, account: str, moment: datetime) -> dict[str, Any]:
        found = matcher.match_file(str(image))
        assert found.error is None
        return svc.act(str(image), account, found.actionable, sha256=found.hashes.get("sha256"), at=moment)

    unmatched = pdq_dir / "labelme-subset" / "q1050.jpg"
    acts = {
        "first_instant": upload(images["attacks"][1], "acct-1", at(START, 0, 0, 0, 0)),        # block, ban
        "last_day": upload(images["unlisted"][1], "acct-2", at(END, 23, 59, 59, 999999)),      # block, restriction
        "held": upload(images["custom"][1], "acct-3", at(START + timedelta(days=2))),          # review
        "no_match": upload(unmatched, "acct-4", at(START + timedelta(days=3))),                # none: not an action
        "day_after": upload(images["attacks"][1], "acct-5", at(END + timedelta(days=1), 0, 0, 0, 0)),
        "day_before": upload(images["unlisted"][1], "acct-6", at(START - timedelta(days=1), 23, 59, 59, 999999)),
    }
    assert [acts[k]["action"] for k in ("first_instant", "last_day", "held", "no_match")] == ["block", "block", "review", "none"]
    svc.appeal(acts["first_instant"]["action_id"], "overturned", "news report", at=at(START + timedelta(days=4)))
    svc.appeal(acts["held"]["action_id"], "upheld", "propaganda", at=at(END))
    svc.appeal(acts["last_day"]["action_id"], "overturned", "late", at=at(END + timedelta(days=1)))
    alert = {"source": "rtmp://127.0.0.1/live/1", "offset_s": 3.5, "bank": "attacks", "content_id": "attacks-1",
             "signal_type": "pdq", "distance": 4, "quality": 90, "labels": ["behaviour:livestreamed_attack"]}
    review_id, _ = record_alert(ctx.store, ctx.ledger, "watcher", alert, at=at(START + timedelta(days=5)))
    resolve(ctx.store, ctx.ledger, "moderator", review_id, "confirmed", at=at(START + timedelta(days=5), 13))
    return acts


def test_the_figures_of_a_period_and_its_edges(history: dict[str, Any]) -> None:
    report = media_report(get_context(), START, END)
    assert report["period"]["from"] == START.isoformat() and report["period"]["closed"] is True
    # four uploads in the period were checked; the unmatched one is checked but not actioned
    assert find_figure(report, "uploads_checked")["value"] == 4
    assert find_figure(report, "uploads_matched")["text"] == "3 of 4 uploads checked (75.0%)"
    assert find_figure(report, "items_removed")["text"] == "2 of 3 matched uploads (66.7%)"
    assert find_figure(report, "items_not_removed")["text"] == "1 of 3 matched uploads (33.3%)"
    assert find_table(report, "matched_by_action") == {"block": 2, "review": 1}
    assert "none" not in find_table(report, "matched_by_action")
    assert find_table(report, "removed_by_label") == {"behaviour:livestreamed_attack": 1, "entity:un_listed": 1}
    assert find_table(report, "uploads_matched_by_signal_type") == {"pdq": 3}
    # no removal-order record: said, never a zero
    orders = find_figure(report, "removal_orders")
    assert orders["value"] is None and orders["text"] == NOT_RECORDED
    # complaints decided in the period: one overturned (content restored), one upheld; the third is after --to
    assert find_figure(report, "complaints")["value"] == 2
    assert find_figure(report, "complaint_rate")["text"] == "2 of 3 removals and holds (66.7%)"
    assert find_figure(report, "complaints_overturned")["text"] == "1 of 2 complaints (50.0%)"
    assert find_table(report, "complaints_by_outcome") == {"overturned": 1, "upheld": 1}
    assert find_figure(report, "content_restored")["text"] == "1 of 1 overturned complaints (100.0%)"
    assert find_figure(report, "strikes")["value"] == 2
    assert find_figure(report, "strikes_reversed")["value"] == 1  # the last day's, reversed after --to, is not
    assert find_table(report, "strikes_by_penalty") == {"ban": 1, "restriction": 1}
    assert find_figure(report, "livestream_alerts")["value"] == 1
    assert find_table(report, "alerts_by_resolution") == {"confirmed": 1}
    # hash sharing: the banks as they stand
    assert find_table(report, "hashes_by_bank") == {"attacks": 1, "custom": 1, "unlisted": 1}
    assert find_table(report, "hashes_by_signal_type") == {"pdq": 3}
    assert find_table(report, "hashes_by_label") == {"behaviour:livestreamed_attack": 1, "entity:un_listed": 1,
                                                     "x-local-watchlist": 1}
    assert find_figure(report, "hashes_banked_in_period")["value"] == 0  # banked today, after the period
    assert find_figure(report, "chain_intact")["value"]["ok"] is None  # not checked unless asked
    assert find_figure(media_report(get_context(), START, END, verify_ledger=True), "chain_intact")["value"]["ok"] is True
    assert find_figure(report, "ledger_matches_store")["value"]["ok"] is True
    assert find_table(report, "ledger_entries_by_kind")["media.action"] == 4

    so_far = media_report(get_context(), START, today())
    assert find_figure(so_far, "hashes_banked_in_period")["value"] == 3
    assert find_figure(so_far, "uploads_checked")["value"] == 5 and so_far["period"]["closed"] is False

    ctx = get_context()
    # the --to day counts up to its last microsecond; the day after does not
    shorter = media_report(ctx, START, END - timedelta(days=1))
    assert find_figure(shorter, "uploads_checked")["value"] == 3
    assert find_figure(media_report(ctx, END, END), "uploads_checked")["value"] == 1
    assert find_figure(media_report(ctx, END + timedelta(days=1), END + timedelta(days=1)), "uploads_checked")["value"] == 1
    # the --from day counts from its first instant; the day before does not
    assert find_figure(media_report(ctx, START, START), "uploads_checked")["value"] == 1
    assert find_figure(media_report(ctx, START - timedelta(days=1), START - timedelta(days=1)), "uploads_checked")["value"] == 1
    with pytest.raises(ReportError, match="to: .* is in the future"):
        media_report(ctx, START, today() + timedelta(days=1))
    with pytest.raises(ReportError, match="to: .* is before from"):
        media_report(ctx, END, START)


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated (WeasyPrint compresses the document information too)."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            pass
    return b"\n".join(parts)


def test_html_csv_pdf_and_the_cli(history: dict[str, Any], tmp_path: Path) -> None:
    report = media_report(get_context(), START, END)
    page = render_html(report)
    assert page.startswith("<!doctype html>") and "<script" not in page
    assert page.count("<svg") == sum(1 for s in report["sections"] for t in s["tables"] if t["rows"])
    assert "Art. 7(3)(c)" in page and "2 of 3 matched uploads (66.7%)" in page and NOT_RECORDED in page
    assert "media_actions" in page  # each figure says where it comes from
    rows = render_csv(report).splitlines()
    assert rows[0].startswith("report,from,to,section,basis,row,key,label,value")
    assert any(r.startswith(f"media,{START},{END},removals,Art. 7(3)(c),figure,items_removed,") and ",2,3,66.7," in r
               for r in rows)

    # the CLI writes the same report (the PDF is rendered once here: WeasyPrint takes seconds)
    runner = CliRunner()
    out = tmp_path / "media.pdf"
    r = runner.invoke(app, ["report", "media", "--from", START.isoformat(), "--to", END.isoformat(), "-o", str(out), "--json"])
    assert r.exit_code == 0, r.output
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-") and f'"bytes": {len(pdf)}' in r.stdout
    assert b"Transparency report: terrorist content and hash matching" in _pdf_text(pdf)
    r = runner.invoke(app, ["report", "media", "--from", START.isoformat(), "--to", END.isoformat(), "--format", "csv"])
    assert r.exit_code == 0 and "items_removed" in r.stdout
    r = runner.invoke(app, ["report", "media", "--from", START.isoformat(), "--to", END.isoformat(), "--json"])
    assert r.exit_code == 0 and '"kind": "media"' in r.stdout
    for args, problem in [
        (["--from", START.isoformat()], "--to: is required"),
        (["--from", "yesterday", "--to", END.isoformat()], "--from: 'yesterday' is not a date"),
        (["--from", START.isoformat(), "--to", (today() + timedelta(days=1)).isoformat()], "is in the future"),
        (["--from", START.isoformat(), "--to", END.isoformat(), "--format", "docx"], "--format: 'docx' is not one of"),
        (["--from", START.isoformat(), "--to", END.isoformat(), "--format", "pdf"], "--output: a PDF is written to a file"),
        (["--from", START.isoformat(), "--to", END.isoformat(), "--format", "csv", "--json"], "--json: without -o"),
        (["--from", START.isoformat(), "--to", END.isoformat(), "-o", str(tmp_path / "none" / "r.html")], "--output: cannot write"),
    ]:
        r = runner.invoke(app, ["report", "media", *args])
        assert r.exit_code == 2 and problem in " ".join(r.output.split()), (args, r.output)

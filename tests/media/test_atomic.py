"""One decision, one transaction: the ledger entry and the table rows of a media decision commit
together or not at all.

Two ways to crash half-way are injected: the process dies right after the ledger entry is written
(`Ledger.append` raises once it has returned), and the table write fails (its table is gone). If the
ledger entry and the rows were written in separate transactions, one of them would survive either
crash — these tests fail then.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from redline.context import get_context
from redline.ledger import Ledger, ledger_table
from redline.media import tables as t
from redline.media.actions import Enforcement, now_utc, parse_policy
from redline.media.banks import SignalRecord, add_signals, create_bank
from redline.media.flood import FloodRule
from redline.media.matcher import Matcher
from redline.media.review import record_alert, resolve
from redline.media.tables_actions import actions_table, review_table, strikes_table


class Crash(RuntimeError):
    pass


ALERT = {"source": "rtmp://example/live/1", "offset_s": 3.5, "bank": "incidents", "content_id": "incident-7",
         "signal_type": "vpdq", "distance": 12, "quality": 100, "labels": ["behaviour:livestreamed_attack"],
         "frames": 2, "latency_s": 0.01}
PDQ = "f" * 16 + "0" * 16 + "a5" * 16


def rows(table: Any) -> int:
    with get_context().store.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def crash_after_ledger_write(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """`Ledger.append` of `kind` writes its entry, then the process 'dies'."""
    real = Ledger.append

    def append(self: Ledger, entry_kind: str, *args: Any, **kwargs: Any) -> Any:
        entry = real(self, entry_kind, *args, **kwargs)
        if entry_kind == kind:
            raise Crash(f"crashed after writing {entry_kind}")
        return entry

    monkeypatch.setattr(Ledger, "append", append)


def drop(table: str) -> None:
    with get_context().store.transaction() as conn:
        conn.execute(text(f"DROP TABLE {table}"))


def entries(kind: str) -> int:
    return len(list(get_context().ledger.entries(kind)))


# --- the livestream alert (what `redline media watch` records for each alert) ---------------------


def test_alert_and_its_review_item_are_one_transaction(monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = get_context()
    with monkeypatch.context() as m:
        crash_after_ledger_write(m, "media.alert")
        with pytest.raises(Crash):
            record_alert(ctx.store, ctx.ledger, "watcher", ALERT)
    assert (entries("media.alert"), rows(review_table)) == (0, 0)
    review_id, seq = record_alert(ctx.store, ctx.ledger, "watcher", ALERT)  # no crash: both
    assert (entries("media.alert"), rows(review_table)) == (1, 1)
    with ctx.store.connect() as conn:
        assert conn.execute(select(review_table.c.ledger_seq).where(review_table.c.id == review_id)).scalar_one() == seq
    assert ctx.ledger.verify() == []


def test_alert_is_not_in_the_ledger_when_its_review_item_cannot_be_written() -> None:
    ctx = get_context()
    record_alert(ctx.store, ctx.ledger, "watcher", ALERT)
    drop("media_review")
    with pytest.raises(Exception, match="media_review"):
        record_alert(ctx.store, ctx.ledger, "watcher", ALERT)
    assert entries("media.alert") == 1 and ctx.ledger.verify() == []


def test_review_resolution_is_one_transaction(monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = get_context()
    review_id, _ = record_alert(ctx.store, ctx.ledger, "watcher", ALERT)
    with monkeypatch.context() as m:
        crash_after_ledger_write(m, "media.review")
        with pytest.raises(Crash):
            resolve(ctx.store, ctx.ledger, "reviewer", review_id, "confirmed")
    with ctx.store.connect() as conn:
        assert conn.execute(select(review_table.c.status).where(review_table.c.id == review_id)).scalar_one() == "open"
    assert entries("media.review") == 0
    assert resolve(ctx.store, ctx.ledger, "reviewer", review_id, "confirmed")["status"] == "resolved"
    assert entries("media.review") == 1


# --- enforcement: an action with its strike; an appeal with the strikes it reverses -------------


def _svc() -> Enforcement:
    ctx = get_context()
    policy = parse_policy({"name": "t", "version": "1", "rules": [
        {"label": "entity:un_listed", "action": "block", "strike": "restriction", "restriction_days": 7}]})
    return Enforcement(ctx.store, ctx.ledger, "tester", policy)


MATCH = {"bank": "unlisted", "content_id": "u1", "signal_type": "pdq", "distance": 0, "labels": ["entity:un_listed"]}


@pytest.mark.parametrize("kind", ["media.action", "media.strike"])
def test_action_and_strike_are_one_transaction(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    svc = _svc()
    with monkeypatch.context() as m:
        crash_after_ledger_write(m, kind)
        with pytest.raises(Crash):
            svc.act("a.jpg", "acct-1", [MATCH])
    assert (rows(actions_table), rows(strikes_table), entries("media.action"), entries("media.strike")) == (0, 0, 0, 0)
    assert svc.account_status("acct-1")["state"] == "good_standing"
    svc.act("a.jpg", "acct-1", [MATCH])
    assert (rows(actions_table), rows(strikes_table), entries("media.action"), entries("media.strike")) == (1, 1, 1, 1)


def test_appeal_and_reversed_strikes_are_one_transaction(monkeypatch: pytest.MonkeyPatch) -> None:
    svc = _svc()
    done = svc.act("a.jpg", "acct-1", [MATCH], at=now_utc() - timedelta(days=1))
    with monkeypatch.context() as m:
        crash_after_ledger_write(m, "media.strike")  # the reversal's entry, written after the appeal's
        with pytest.raises(Crash):
            svc.appeal(done["action_id"], "overturned")
    assert entries("media.appeal") == 0 and svc.get_action(done["action_id"])["status"] == "in_force"
    assert svc.account_status("acct-1")["state"] == "restricted"
    svc.appeal(done["action_id"], "overturned")
    assert entries("media.appeal") == 1 and svc.account_status("acct-1")["state"] == "good_standing"


# --- matches, flood quarantine, banks --------------------------------------------------------------


def _bank() -> Matcher:
    ctx = get_context()
    create_bank(ctx.store, "b", labels=["un_listed"])
    add_signals(ctx.store, "b", [SignalRecord("pdq", PDQ, "c1")])
    return Matcher.open(ctx, flood=FloodRule(min_matches=2, factor=1.0), persist=False)


@pytest.mark.parametrize("kind", ["media.match", "media.quarantine"])
def test_match_counts_quarantine_and_ledger_are_one_transaction(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    matcher = _bank()
    found = matcher.match_pdq(PDQ)
    matcher.record("upload-1", found)  # 1 match this window
    with monkeypatch.context() as m:
        crash_after_ledger_write(m, kind)
        with pytest.raises(Crash):
            matcher.record("upload-2", found)  # the 2nd would hold the hash (and write both kinds)
    with get_context().store.connect() as conn:
        assert conn.execute(select(func.sum(t.match_counts.c.count))).scalar_one() == 1
    assert rows(t.quarantine) == 0 and entries("media.quarantine") == 0 and entries("media.match") == 1
    assert not matcher.match_pdq(PDQ)[0].held
    assert matcher.record("upload-2", found)[0].held
    assert (rows(t.quarantine), entries("media.quarantine"), entries("media.match")) == (1, 1, 2)


@pytest.mark.parametrize("call,kind", [
    (lambda ctx: create_bank(ctx.store, "new", ledger=ctx.ledger), "media.bank.create"),
    (lambda ctx: add_signals(ctx.store, "b", [SignalRecord("pdq", "0" * 64)], ledger=ctx.ledger), "media.bank.add"),
])
def test_bank_writes_and_their_ledger_entries_are_one_transaction(
    monkeypatch: pytest.MonkeyPatch, call: Callable[[Any], Any], kind: str,
) -> None:
    ctx = get_context()
    create_bank(ctx.store, "b")
    before = (rows(t.banks), rows(t.signals))
    with monkeypatch.context() as m:
        crash_after_ledger_write(m, kind)
        with pytest.raises(Crash):
            call(ctx)
    assert (rows(t.banks), rows(t.signals)) == before and entries(kind) == 0
    call(ctx)
    assert entries(kind) == 1


def test_ledger_still_verifies_after_the_rollbacks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    ctx = get_context()
    for _ in range(3):
        with monkeypatch.context() as m:
            crash_after_ledger_write(m, "media.alert")
            with pytest.raises(Crash):
                record_alert(ctx.store, ctx.ledger, "watcher", ALERT)
        record_alert(ctx.store, ctx.ledger, "watcher", ALERT)
    with ctx.store.connect() as conn:
        assert [r.seq for r in conn.execute(select(ledger_table.c.seq).order_by(ledger_table.c.seq))] == [1, 2, 3]
    assert ctx.ledger.verify() == []

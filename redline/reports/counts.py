"""Running counts of media enforcement since a moment (`redline media report`): what was matched, what
was done, what appeals changed. The published report for a closed period is redline.reports.media.

Computed from the store tables (tables_actions.py) and cross-checked against the audit ledger:
the report carries the ledger's own count of media.action / media.strike / media.appeal /
media.alert entries in the same window and whether the hash chain verifies, so a reader can see
that the published numbers rest on an intact record.

    counts(store, ledger, since="2026-01-01") -> dict   (JSON-ready)
    to_csv_rows(report) -> [(section, dimension, key, count), …]
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timezone
from typing import Any

import orjson
from sqlalchemy import select

from redline.ledger import Ledger, ledger_table
from redline.media.tables_actions import actions_table, appeals_table, review_table, strikes_table
from redline.reports.period import ReportError
from redline.store.base import Store

LEDGER_KINDS = ("media.action", "media.strike", "media.appeal", "media.alert", "media.review")


def parse_since(text: str | None) -> str | None:
    """A date (YYYY-MM-DD) or a full ISO timestamp → the ISO UTC string rows are compared with."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            moment = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
        else:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
    except ValueError:
        raise ReportError("--since", f"{value!r} is not a date (YYYY-MM-DD) or an ISO-8601 time") from None
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _sorted(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def counts(store: Store, ledger: Ledger, since: str | None = None) -> dict[str, Any]:
    since_iso = parse_since(since)
    generated = datetime.now(timezone.utc).isoformat(timespec="seconds")

    def window(table: Any) -> Any:
        query = select(table)
        if since_iso:
            query = query.where(table.c.created_at >= since_iso)
        return query

    with store.connect() as conn:
        actions = conn.execute(window(actions_table)).all()
        strikes = conn.execute(window(strikes_table)).all()
        appeals = conn.execute(window(appeals_table)).all()
        reviews = conn.execute(window(review_table)).all()
        lq = select(ledger_table.c.kind, ledger_table.c.at)
        ledger_rows = [r for r in conn.execute(lq) if r.kind in LEDGER_KINDS and (not since_iso or r.at >= since_iso)]

    by_action: Counter[str] = Counter()
    by_bank: Counter[str] = Counter()
    by_label: Counter[str] = Counter()
    by_rule: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    accounts: set[str] = set()
    bank_action: Counter[str] = Counter()
    for a in actions:
        by_action[a.action] += 1
        by_status[a.status] += 1
        by_rule[a.rule or "(default)"] += 1
        if a.action in ("block", "review"):
            accounts.add(a.account)
        for bank in orjson.loads(a.banks or "[]"):
            by_bank[bank] += 1
            bank_action[f"{bank}/{a.action}"] += 1
        for label in orjson.loads(a.labels or "[]"):
            by_label[label] += 1

    strike_penalty: Counter[str] = Counter(s.penalty for s in strikes)
    strike_category: Counter[str] = Counter(s.category for s in strikes)
    reversed_strikes = sum(1 for s in strikes if s.reversed)

    appeal_outcome: Counter[str] = Counter(a.outcome for a in appeals)
    appealable = sum(1 for a in actions if a.action in ("block", "review"))

    alerts = [r for r in reviews if r.kind == "livestream"]
    alert_bank: Counter[str] = Counter(r.bank or "(none)" for r in alerts)
    alert_label: Counter[str] = Counter(label for r in alerts for label in orjson.loads(r.labels or "[]"))
    review_kind: Counter[str] = Counter(r.kind for r in reviews)
    review_resolution: Counter[str] = Counter((r.resolution or "open") for r in reviews)
    latencies = sorted(r.latency_s for r in alerts if r.latency_s is not None)

    ledger_kinds: Counter[str] = Counter(r.kind for r in ledger_rows)
    breaches = ledger.verify()
    return {
        "generated_at": generated,
        "since": since_iso,
        "totals": {
            "actions": len(actions),
            "accounts_actioned": len(accounts),
            "strikes": len(strikes),
            "strikes_reversed": reversed_strikes,
            "appeals": len(appeals),
            "appeal_rate": round(len(appeals) / appealable, 4) if appealable else None,
            "overturn_rate": round(appeal_outcome["overturned"] / len(appeals), 4) if appeals else None,
            "livestream_alerts": len(alerts),
            "review_items": len(reviews),
        },
        "actions": {
            "by_action": _sorted(by_action),
            "by_bank": _sorted(by_bank),
            "by_label": _sorted(by_label),
            "by_rule": _sorted(by_rule),
            "by_status": _sorted(by_status),
            "by_bank_and_action": _sorted(bank_action),
        },
        "strikes": {"by_penalty": _sorted(strike_penalty), "by_category": _sorted(strike_category)},
        "appeals": {"by_outcome": _sorted(appeal_outcome)},
        "livestream_alerts": {
            "by_bank": _sorted(alert_bank),
            "by_label": _sorted(alert_label),
            "median_latency_s": round(latencies[len(latencies) // 2], 4) if latencies else None,
        },
        "review": {"by_kind": _sorted(review_kind), "by_resolution": _sorted(review_resolution)},
        "ledger": {
            "entries_by_kind": _sorted(ledger_kinds),
            "chain_intact": not breaches,
            "breaches": len(breaches),
            "matches_store": (
                ledger_kinds["media.action"] == len(actions)
                and ledger_kinds["media.appeal"] == len(appeals)
                and ledger_kinds["media.alert"] == len(alerts)
            ),
        },
    }


def to_csv_rows(report: dict[str, Any]) -> list[tuple[str, str, str, Any]]:
    rows: list[tuple[str, str, str, Any]] = []
    for key, value in report["totals"].items():
        rows.append(("totals", "total", key, value))
    for section in ("actions", "strikes", "appeals", "livestream_alerts", "review"):
        for dimension, values in report[section].items():
            if isinstance(values, dict):
                for key, count in values.items():
                    rows.append((section, dimension, key, count))
            else:
                rows.append((section, dimension, "", values))
    for key, count in report["ledger"]["entries_by_kind"].items():
        rows.append(("ledger", "entries_by_kind", key, count))
    rows.append(("ledger", "chain_intact", "", report["ledger"]["chain_intact"]))
    return rows

"""The platform's transparency report: EU Terrorist Content Online Regulation (EU) 2021/784, Art. 7(3),
and the hash-sharing counts GIFCT publishes (hashes by signal type, by label, by bank).

Every figure is read from the store and the audit ledger; each one names its table or ledger kind:
uploads and what was done with them (media_actions, written by redline.media.actions), the review
queue and livestream alerts (media_review), strikes (media_strikes), complaints (media_appeals), the
banks (media_banks, media_signals) and the ledger entries that record each of those writes. An upload
with no match is checked, not actioned: it is never counted as an action. Redline keeps no record of
removal orders from competent authorities, nor of administrative or judicial review: those figures
say "not recorded by Redline"."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timezone
from typing import Any

import orjson
from sqlalchemy import func, select

from redline.ledger import ledger_table
from redline.media import tables as bank_tables
from redline.media.tables_actions import actions_table, appeals_table, review_table, strikes_table
from redline.reports.model import figure, rate, section, table
from redline.reports.period import Period, period as check_period

REGULATION = "Regulation (EU) 2021/784 (terrorist content online), Article 7(3)"
ACTION_KINDS = ("media.action", "media.strike", "media.appeal", "media.alert", "media.review", "media.match")
REMOVED = "block"  # the policy action that removes an upload or disables access to it


def _json_list(text: str | None) -> list[Any]:
    return orjson.loads(text or "[]")


def _when(tab: Any, span: Period) -> Any:
    return (tab.c.created_at >= span.lower) & (tab.c.created_at < span.upper)


def _in_period(conn: Any, tab: Any, span: Period) -> list[Any]:
    return conn.execute(select(tab).where(_when(tab, span)).order_by(tab.c.id)).all()


def _matched_uploads(conn: Any, span: Period) -> tuple[int, list[Any]]:
    """How many uploads were checked in the period, and the matched ones (most uploads match nothing:
    those are counted, not read)."""
    a = actions_table
    checked = conn.execute(select(func.count()).select_from(a).where(_when(a, span))).scalar_one()
    matched = conn.execute(select(a.c.id, a.c.action, a.c.policy, a.c.labels, a.c.banks, a.c.matches)
                           .where(_when(a, span) & (a.c.action != "none")).order_by(a.c.id)).all()
    return int(checked), matched


def _sharing(conn: Any, span: Period) -> dict[str, Counter[str]]:
    """Hashes shared through exchanges in the period (redline.exchange's ledger entries): published by
    bank, received, refused and deconfirmed by exchange."""
    led = ledger_table
    kinds = ("exchange.publish", "exchange.fetch", "exchange.deconfirm")
    out: dict[str, Counter[str]] = {k: Counter() for k in ("published", "received", "refused", "deconfirmed")}
    query = select(led.c.kind, led.c.body).where(led.c.kind.in_(kinds) & (led.c.at >= span.lower) & (led.c.at < span.upper))
    for kind, body in conn.execute(query):
        entry = orjson.loads(body)
        inputs, outcome = entry["inputs"], entry["outcome"]
        if kind == "exchange.publish":
            out["published"][inputs.get("bank") or "(unknown)"] += int(outcome.get("published") or 0)
        elif kind == "exchange.fetch":
            name = inputs.get("exchange") or "(unknown)"
            out["received"][name] += int(outcome.get("added") or 0)
            out["refused"][name] += int(outcome.get("refused") or 0) + int(outcome.get("verification_failures") or 0)
        else:
            out["deconfirmed"][inputs.get("exchange") or "(unknown)"] += 1
    return out


def _ledger(conn: Any, span: Period) -> tuple[Counter[str], Counter[str]]:
    """Media ledger entries of the period by kind, and the hashes banked in it by bank (media.bank.add)."""
    led = ledger_table
    when = (led.c.at >= span.lower) & (led.c.at < span.upper)
    kinds: Counter[str] = Counter({row.kind: row.n for row in conn.execute(
        select(led.c.kind, func.count().label("n")).where(led.c.kind.like("media.%") & when).group_by(led.c.kind))})
    added: Counter[str] = Counter()
    for (body,) in conn.execute(select(led.c.body).where((led.c.kind == "media.bank.add") & when)):
        entry = orjson.loads(body)
        added[entry["inputs"].get("bank") or "(unknown)"] += int(entry["outcome"].get("added") or 0)
    return kinds, added


def bank_contents(conn: Any) -> dict[str, Counter[str]]:
    """The banks' hashes now (enabled, not derived): by signal type, by label, by bank."""
    s, b, d = bank_tables.signals, bank_tables.banks, bank_tables.derived
    query = (select(b.c.name, b.c.labels.label("bank_labels"), b.c.negative, s.c.signal_type, s.c.labels,
                    func.count().label("n"))
             .select_from(s.join(b, b.c.id == s.c.bank_id).outerjoin(d, d.c.signal_id == s.c.id))
             .where(d.c.signal_id.is_(None) & s.c.enabled & b.c.enabled & ~b.c.negative)
             .group_by(b.c.name, b.c.labels, b.c.negative, s.c.signal_type, s.c.labels))
    by_type: Counter[str] = Counter()
    by_label: Counter[str] = Counter()
    by_bank: Counter[str] = Counter()
    for row in conn.execute(query):
        by_type[row.signal_type] += row.n
        by_bank[row.name] += row.n
        for label in sorted(set(_json_list(row.bank_labels)) | set(_json_list(row.labels))) or ["(unlabelled)"]:
            by_label[label] += row.n
    return {"signal_type": by_type, "label": by_label, "bank": by_bank}


def media_report(context: Any, start: date | str, end: date | str, *, verify_ledger: bool = False) -> dict[str, Any]:
    """The report for the whole days `start` to `end` (UTC, both included). With `verify_ledger` the
    whole hash chain is checked against its signed checkpoints too (about a minute per million entries)."""
    span = check_period(start, end)
    with context.store.connect() as conn:
        checked, matched = _matched_uploads(conn, span)
        strikes = _in_period(conn, strikes_table, span)
        appeals = _in_period(conn, appeals_table, span)
        reviews = _in_period(conn, review_table, span)
        appealed_ids = [a.action_id for a in appeals]
        appealed = {r.id: r for r in conn.execute(select(actions_table.c.id, actions_table.c.action)
                                                   .where(actions_table.c.id.in_(appealed_ids)))} if appealed_ids else {}
        appeal_ids = [a.id for a in appeals]
        reversed_strikes = conn.execute(select(strikes_table.c.penalty).where(
            strikes_table.c.reversed_by_appeal.in_(appeal_ids))).all() if appeal_ids else []
        contents = bank_contents(conn)
        ledger_kinds, added = _ledger(conn, span)
        shared = _sharing(conn, span)
    chain = context.ledger.verify() if verify_ledger else None

    removed = [a for a in matched if a.action == REMOVED]
    kept = [a for a in matched if a.action != REMOVED]
    matched_by_type: Counter[str] = Counter()
    for a in matched:
        for signal_type in {m.get("signal_type") or "(unknown)" for m in _json_list(a.matches)}:
            matched_by_type[signal_type] += 1
    alerts = [r for r in reviews if r.kind == "livestream"]
    alerts_by_type: Counter[str] = Counter(r.signal_type or "(unknown)" for r in alerts)
    held = [r for r in reviews if r.kind == "upload"]


    outcomes: Counter[str] = Counter(a.outcome for a in appeals)
    restored = [a for a in appeals if a.outcome == "overturned" and appealed.get(a.action_id)
                and appealed[a.action_id].action == REMOVED]
    released = [a for a in appeals if a.outcome == "overturned" and appealed.get(a.action_id)
                and appealed[a.action_id].action != REMOVED]
    appealable = [a for a in matched if a.action in ("block", "review")]
    appealed_here = {a.action_id for a in appeals}

    src_actions = "media_actions (redline.media.actions; ledger kind media.action)"
    src_review = "media_review (redline.media.review; ledger kinds media.alert, media.review)"
    src_appeals = "media_appeals (ledger kind media.appeal)"
    src_sharing = "ledger kinds exchange.publish, exchange.fetch, exchange.deconfirm (redline.exchange)"
    src_banks = "media_banks, media_signals now: enabled hashes of enabled banks, derived and negative-bank hashes left out"
    sections = [
        section("measures", "Measures to identify and remove terrorist content, and to stop its reappearance",
                "Art. 7(3)(a) and (b)", [
                    figure("uploads_checked", "Uploads checked against the hash banks before enforcement", checked,
                           src_actions, noun="upload",
                           note="uploads put through the enforcement policy (redline media act); a lookup alone is not counted"),
                    figure("uploads_matched", "Uploads that matched a banked hash", rate(len(matched), checked, "uploads checked"),
                           src_actions, note="an upload with no match is checked, not actioned"),
                    figure("livestream_alerts", "Livestreams flagged by hash matching", len(alerts), src_review, noun="alert"),
                    figure("banked_hashes", "Hashes in the banks (automated tool: hash matching)",
                           sum(contents["signal_type"].values()), src_banks, noun="hash"),
                    figure("hashes_banked_in_period", "Hashes added to the banks in the period", sum(added.values()),
                           "ledger kind media.bank.add (count added per batch)", noun="hash"),
                ], [
                    table("uploads_matched_by_signal_type", "Matched uploads by signal type", matched_by_type, src_actions,
                          dimension="signal type", unit="upload"),
                    table("alerts_by_signal_type", "Livestream alerts by signal type", alerts_by_type, src_review,
                          dimension="signal type", unit="alert"),
                    table("banked_by_signal_type", "Banked hashes by signal type", contents["signal_type"], src_banks,
                          dimension="signal type", unit="hash"),
                    table("actions_by_policy", "Matched uploads by the enforcement policy applied",
                          Counter(a.policy for a in matched), src_actions, dimension="policy", unit="upload"),
                ]),
        section("removals", "Items removed or disabled, and items not removed", "Art. 7(3)(c)", [
            figure("items_removed", "Items removed or access disabled (policy action: block)",
                   rate(len(removed), len(matched), "matched uploads"), src_actions),
            figure("removal_orders", "Removal orders received (Art. 3)", None, "no removal-order record in Redline",
                   note="Redline does not receive or record removal orders from competent authorities"),
            figure("removal_orders_not_executed", "Removal orders where content was not removed (Art. 3(7), 3(8))",
                   None, "no removal-order record in Redline"),
            figure("items_not_removed", "Matched items not removed (allowed by policy, or held for review)",
                   rate(len(kept), len(matched), "matched uploads"), src_actions),
        ], [
            table("matched_by_action", "Matched uploads by action", Counter(a.action for a in matched), src_actions,
                  dimension="action", unit="upload"),
            table("removed_by_label", "Removed items by label", Counter(x for a in removed for x in _json_list(a.labels)),
                  src_actions, dimension="label", unit="item"),
            table("removed_by_bank", "Removed items by bank", Counter(x for a in removed for x in _json_list(a.banks)),
                  src_actions, dimension="bank", unit="item"),
            table("held_by_resolution", "Uploads held for review, by the reviewer's resolution",
                  Counter(r.resolution or "open" for r in held), src_review, dimension="resolution", unit="item"),
            table("alerts_by_resolution", "Livestream alerts by the reviewer's resolution",
                  Counter(r.resolution or "open" for r in alerts), src_review, dimension="resolution", unit="alert"),
        ], ["A removal is an upload whose policy action was 'block'; 'review' holds it for a person and "
            "'allow' lets a matched upload stand."]),
        section("complaints", "Complaints by content providers and their outcomes", "Art. 7(3)(d)", [
            figure("complaints", "Complaints (appeals) decided in the period", len(appeals), src_appeals, noun="complaint"),
            figure("complaint_rate", "Removals and holds in the period that were appealed",
                   rate(sum(1 for a in appealable if a.id in appealed_here), len(appealable), "removals and holds"),
                   f"{src_appeals} and {src_actions}"),
            figure("complaints_overturned", "Complaints that overturned the decision",
                   rate(outcomes["overturned"], len(appeals), "complaints"), src_appeals),
        ], [
            table("complaints_by_outcome", "Complaints by outcome", outcomes, src_appeals, dimension="outcome",
                  unit="complaint"),
        ]),
        section("review_proceedings", "Administrative or judicial review", "Art. 7(3)(e) and (f)", [
            figure("review_proceedings", "Review proceedings brought by the provider, and their outcome", None,
                   "no record of proceedings in Redline"),
            figure("reinstated_by_proceedings", "Content reinstated as a result of review proceedings", None,
                   "no record of proceedings in Redline"),
        ]),
        section("restored", "Content restored after complaints", "Art. 7(3)(g)", [
            figure("content_restored", "Removed items restored after a complaint",
                   rate(len(restored), outcomes["overturned"], "overturned complaints"),
                   f"{src_appeals}, joined to the appealed action"),
            figure("holds_released", "Held items released after a complaint", len(released),
                   f"{src_appeals}, joined to the appealed action", noun="item"),
        ]),
        section("accounts", "Measures on accounts", "Art. 7(3)(a)", [
            figure("strikes", "Strikes recorded", len(strikes), "media_strikes (ledger kind media.strike)", noun="strike"),
            figure("strikes_reversed", "Strikes reversed by complaints decided in the period", len(reversed_strikes),
                   "media_strikes, reversed_by_appeal among the period's media_appeals", noun="strike"),
        ], [
            table("strikes_by_penalty", "Strikes by penalty", Counter(s.penalty for s in strikes), "media_strikes",
                  dimension="penalty", unit="strike"),
        ]),
        section("hash_sharing", "Hash sharing (the counts GIFCT publishes)", "GIFCT hash-sharing database reporting", [
            figure("banks", "Banks with hashes", len(contents["bank"]), src_banks, noun="bank"),
            figure("hashes_published", "Hashes published to exchanges in the period", sum(shared["published"].values()),
                   src_sharing, noun="hash"),
            figure("hashes_received", "Hashes received from exchanges in the period", sum(shared["received"].values()),
                   src_sharing, noun="hash"),
            figure("hashes_deconfirmed", "Shared hashes deconfirmed here as false positives",
                   sum(shared["deconfirmed"].values()), src_sharing, noun="hash"),
        ], [
            table("hashes_by_signal_type", "Hashes by signal type", contents["signal_type"], src_banks,
                  dimension="signal type", unit="hash"),
            table("hashes_by_label", "Hashes by label (bank labels and the hash's own)", contents["label"], src_banks,
                  dimension="label", unit="hash"),
            table("hashes_by_bank", "Hashes by bank", contents["bank"], src_banks, dimension="bank", unit="hash"),
            table("hashes_added_by_bank", "Hashes added in the period, by bank", added,
                  "ledger kind media.bank.add", dimension="bank", unit="hash"),
            table("hashes_published_by_bank", "Hashes published in the period, by bank", shared["published"],
                  src_sharing, dimension="bank", unit="hash"),
            table("hashes_received_by_exchange", "Hashes received in the period, by exchange", shared["received"],
                  src_sharing, dimension="exchange", unit="hash"),
            table("hashes_refused_by_exchange", "Records refused in the period (malformed, or failing signature "
                  "verification), by exchange", shared["refused"], src_sharing, dimension="exchange", unit="record"),
            table("hashes_deconfirmed_by_exchange", "Hashes deconfirmed in the period, by exchange",
                  shared["deconfirmed"], src_sharing, dimension="exchange", unit="hash"),
        ], ["Bank contents are counted as they stand when the report is generated; hashes added in the period "
            "come from the ledger."]),
        section("record", "The record these figures rest on", "audit ledger", [
            figure("chain_intact", "Ledger hash chain and signed checkpoints verify", _chain(chain),
                   "redline ledger verify"),
            figure("ledger_matches_store", "Ledger entries agree with the tables",
                   {"text": "yes" if _agrees(ledger_kinds, checked, appeals, alerts) else "no",
                    "ok": _agrees(ledger_kinds, checked, appeals, alerts)},
                   "media.action = media_actions, media.appeal = media_appeals, media.alert = livestream alerts"),
        ], [
            table("ledger_entries_by_kind", "Ledger entries of the period by kind", ledger_kinds, "ledger",
                  dimension="kind", unit="entry"),
        ]),
    ]
    return {
        "kind": "media",
        "title": "Transparency report: terrorist content and hash matching",
        "period": span.to_dict(),
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "scope": "the whole installation (media records carry no organisation)",
        "legal_basis": [REGULATION, "GIFCT transparency reporting: hash-sharing database counts"],
        "sections": sections,
    }


def _chain(breaches: list[Any] | None) -> dict[str, Any]:
    if breaches is None:
        return {"text": "not checked for this report (redline ledger verify, or --verify-ledger)", "ok": None,
                "problems": None}
    return {"text": "yes" if not breaches else f"no: {len(breaches)} problems", "ok": not breaches,
            "problems": len(breaches)}


def _agrees(kinds: Counter[str], checked: int, appeals: list[Any], alerts: list[Any]) -> bool:
    return (kinds["media.action"] == checked and kinds["media.appeal"] == len(appeals)
            and kinds["media.alert"] == len(alerts))

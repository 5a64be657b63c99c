"""The licensing office's report: decisions by destination, policy, item category and outcome, and
the denials it shared and received.

Decisions are read from the audit ledger (kind licensing.assess, one entry per application and
policy assessed; the latest entry in the period counts when one was assessed again). An entry names
the application file and its SHA-256: where the entry does not carry the destination and the item
categories itself, they are read from that file when it is still there unchanged (its SHA-256 is
checked), the items classified with the named policy; otherwise the report counts them under
"not recorded". Denials are read from licensing_denials (redline.licensing.denials), by the time
Redline recorded them: our own when the decision to deny was recorded, partners' when imported."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select

from redline.ledger import ledger_table
from redline.licensing.tables import denials as denials_table
from redline.reports.model import NOT_RECORDED, figure, rate, section, table
from redline.reports.period import Period, period as check_period

UNRECORDED = f"({NOT_RECORDED})"


def _assessments(conn: Any, span: Period) -> list[dict[str, Any]]:
    query = (select(ledger_table.c.seq, ledger_table.c.at, ledger_table.c.body)
             .where(ledger_table.c.kind == "licensing.assess")
             .where((ledger_table.c.at >= span.lower) & (ledger_table.c.at < span.upper))
             .order_by(ledger_table.c.seq))
    out = []
    for row in conn.execute(query):
        body = orjson.loads(row.body)
        out.append({"seq": row.seq, "at": row.at, **body})
    return out


class _Applications:
    """Destination and item categories of an assessed application, from its ledger entry or its file."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str, str], tuple[str | None, list[str] | None]] = {}

    def facts(self, entry: dict[str, Any]) -> tuple[str | None, list[str] | None, str]:
        inputs, outcome = entry["inputs"], entry["outcome"]
        destination = inputs.get("destination") or outcome.get("destination_country")
        categories = inputs.get("item_categories") or outcome.get("item_categories")
        if destination and categories:
            return destination, list(categories), "ledger"
        file, digest, policy = inputs.get("file"), inputs.get("sha256"), inputs.get("policy")
        if not (file and digest and policy):
            return destination, categories, "none"
        key = (file, digest, policy)
        if key not in self._seen:
            self._seen[key] = _from_file(Path(file), digest, policy)
        from_file = self._seen[key]
        return destination or from_file[0], categories or from_file[1], "file" if from_file[0] else "none"


def _from_file(path: Path, digest: str, policy_name: str) -> tuple[str | None, list[str] | None]:
    from redline.licensing.application import ApplicationError, load_application
    from redline.licensing.assess import classify_items
    from redline.licensing.policy import PolicyError, load_policy

    try:
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            return None, None  # changed since it was assessed
        app = load_application(path)
    except (OSError, ApplicationError):
        return None, None
    try:
        categories = sorted({c.category for c in classify_items(app, load_policy(policy_name))})
    except (PolicyError, ApplicationError):
        categories = None
    return app.destination, categories


def _denials(conn: Any, span: Period) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from redline.licensing.denials import _row as denial_row

    own, partner = [], []
    for row in conn.execute(select(denials_table).order_by(denials_table.c.id)):
        if span.holds(_as_iso(row.imported_at)):
            (own if row.origin == "own" else partner).append(denial_row(row))
    return own, partner


def _as_iso(moment: str | None) -> str | None:
    """imported_at is stored to the second: rewrite it in the microsecond form the period compares with."""
    if not moment:
        return None
    return datetime.fromisoformat(moment).astimezone(timezone.utc).isoformat(timespec="microseconds")


def licensing_report(context: Any, start: date | str, end: date | str) -> dict[str, Any]:
    """The report for the whole days `start` to `end` (UTC, both included)."""
    span = check_period(start, end)
    with context.store.connect() as conn:
        entries = _assessments(conn, span)
        own, partner = _denials(conn, span)

    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in entries:  # in ledger order: a later assessment of the same application under a policy replaces it
        latest[(str(entry["inputs"].get("application")), str(entry["inputs"].get("policy")))] = entry
    decisions = list(latest.values())
    apps = _Applications()
    by_outcome: Counter[str] = Counter()
    by_policy: Counter[str] = Counter()
    by_policy_outcome: Counter[str] = Counter()
    by_destination: Counter[str] = Counter()
    denied_by_destination: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    denied_by_category: Counter[str] = Counter()
    facts_from: Counter[str] = Counter()
    for entry in decisions:
        outcome = str(entry["outcome"].get("decision"))
        policy = str(entry["inputs"].get("policy"))
        destination, categories, origin = apps.facts(entry)
        facts_from[origin] += 1
        by_outcome[outcome] += 1
        by_policy[policy] += 1
        by_policy_outcome[f"{policy}: {outcome}"] += 1
        by_destination[destination or UNRECORDED] += 1
        for category in categories or [UNRECORDED]:
            by_category[category] += 1
            if outcome == "deny":
                denied_by_category[category] += 1
        if outcome == "deny":
            denied_by_destination[destination or UNRECORDED] += 1

    src = "ledger kind licensing.assess (redline.licensing.service), the latest per application and policy"
    src_facts = (f"{src}; destination and item categories from the entry, else from the application file it names "
                 "(SHA-256 checked), items classified by that policy")
    src_own = "licensing_denials, origin own, by the time recorded (redline.licensing.denials)"
    src_partner = "licensing_denials, origin partner, by the time imported (redline.licensing.denials)"
    notes = []
    if facts_from["none"]:
        notes.append(f"{facts_from['none']} of {len(decisions)} decisions have no recorded destination or item "
                     f"categories (the application file is gone or changed): counted as {UNRECORDED}.")
    sections = [
        section("decisions", "Licence decisions", "assessments recorded in the audit ledger", [
            figure("assessments", "Assessments recorded in the period", len(entries),
                   "ledger kind licensing.assess", noun="assessment"),
            figure("decisions", "Decisions (one per application and policy)", len(decisions), src, noun="decision"),
            figure("denied", "Decisions to deny", rate(by_outcome["deny"], len(decisions), "decisions"), src),
            figure("referred", "Decisions referred to an officer", rate(by_outcome["refer"], len(decisions), "decisions"), src),
            figure("approved", "Decisions to approve", rate(by_outcome["approve"], len(decisions), "decisions"), src),
        ], [
            table("decisions_by_outcome", "Decisions by outcome", by_outcome, src, dimension="outcome", unit="decisions"),
            table("decisions_by_policy", "Decisions by policy", by_policy, src, dimension="policy", unit="decisions"),
            table("decisions_by_policy_outcome", "Decisions by policy and outcome", by_policy_outcome, src,
                  dimension="policy: outcome", unit="decisions"),
            table("decisions_by_destination", "Decisions by destination", by_destination, src_facts,
                  dimension="destination (ISO 3166)", unit="decisions"),
            table("denials_by_destination", "Denials by destination", denied_by_destination, src_facts,
                  dimension="destination (ISO 3166)", unit="decisions"),
            table("decisions_by_item_category", "Decisions by item category (a decision counts once per category it covers)",
                  by_category, src_facts, dimension="item category", unit="decisions"),
            table("denials_by_item_category", "Denials by item category", denied_by_category, src_facts,
                  dimension="item category", unit="decisions"),
        ], notes),
        section("denials_shared", "Denials shared and received", "denial notifications between authorities", [
            figure("own_denials", "Our denials recorded for sharing", len(own), src_own, noun="denial"),
            figure("partner_denials", "Partners' denials received", len(partner), src_partner, noun="denial"),
        ], [
            table("own_denials_by_destination", "Our denials by destination", Counter(d["destination"] or UNRECORDED for d in own),
                  src_own, dimension="destination", unit="denials"),
            table("own_denials_by_item_category", "Our denials by item category",
                  Counter(c for d in own for c in d["item_categories"]), src_own, dimension="item category", unit="denials"),
            table("own_denials_by_policy", "Our denials by policy", Counter(d["policy"] or UNRECORDED for d in own),
                  src_own, dimension="policy", unit="denials"),
            table("partner_denials_by_authority", "Partners' denials by authority", Counter(d["authority"] for d in partner),
                  src_partner, dimension="authority", unit="denials"),
            table("partner_denials_by_item_category", "Partners' denials by item category",
                  Counter(c for d in partner for c in d["item_categories"]), src_partner, dimension="item category",
                  unit="denials"),
        ]),
    ]
    return {
        "kind": "licensing",
        "title": "Transparency report: export licensing decisions",
        "period": span.to_dict(),
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "scope": "the whole installation (licensing records carry no organisation)",
        "legal_basis": ["Regulation (EU) 2021/821, Art. 26(2) (reporting on licensing of cyber-surveillance items) and "
                        "Art. 16 (denials notified between authorities)"],
        "sections": sections,
    }

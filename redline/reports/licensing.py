"""The licensing office's report: decisions by destination, policy, item category and outcome, and
the denials it shared and received.

Officers' decisions come from licence cases (redline.licensing.cases: the application as filed, its
assessment, each officer's step), scoped to the caller's organisation as cases are. Redline's own
assessments come from the audit ledger (kind licensing.assess, one entry per application and policy;
the latest in the period counts when one was assessed again). Such an entry names the application
file and its SHA-256: where the entry does not carry the destination and the item categories itself,
they are read from that file when it is still there unchanged, the items classified with the named
policy; otherwise they are counted as "not recorded". Denials shared: denial notifications
(licensing_denials), signed denial notices (licensing_notices) and the consultations they opened,
each by the time Redline recorded it."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select

from redline.ledger import ledger_table
from redline.licensing.tables import case_steps, cases, consultations, notices
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

    own: list[dict[str, Any]] = []
    partner: list[dict[str, Any]] = []
    for row in conn.execute(select(denials_table).order_by(denials_table.c.id)):
        if span.holds(_as_iso(row.imported_at)):
            (own if row.origin == "own" else partner).append(denial_row(row))
    return own, partner


def _as_iso(moment: str | None) -> str | None:
    """imported_at is stored to the second: rewrite it in the microsecond form the period compares with."""
    if not moment:
        return None
    return datetime.fromisoformat(moment).astimezone(timezone.utc).isoformat(timespec="microseconds")


# An officer's last step on a case in the period -> what the case came to.
_OUTCOME = {("decide", "deny"): "denied", ("decide", "refer"): "referred",
            ("decide", "approve"): "approved, awaiting sign-off", ("sign_off", "approve"): "approved (signed off)"}
_ASSESSED = {"denied": "deny", "referred": "refer", "approved, awaiting sign-off": "approve",
             "approved (signed off)": "approve"}


def _visible(org: str | None) -> Any:
    """A key of an organisation sees its cases; one of none sees the cases of none (as redline.licensing.cases)."""
    return cases.c.org.is_(None) if org is None else cases.c.org == org


def _officer_decisions(conn: Any, span: Period, org: str | None) -> tuple[list[dict[str, Any]], int]:
    """Each case's outcome from its officers' last step in the period, and the cases opened in it."""
    steps = conn.execute(
        select(case_steps.c.case_id, case_steps.c.step, case_steps.c.decision, case_steps.c.id)
        .select_from(case_steps.join(cases, cases.c.id == case_steps.c.case_id))
        .where(_visible(org) & case_steps.c.step.in_(("decide", "sign_off")))
        .where((case_steps.c.at >= span.lower) & (case_steps.c.at < span.upper))
        .order_by(case_steps.c.id)).all()
    last = {row.case_id: row for row in steps}
    rows = {r.id: r for r in conn.execute(select(cases).where(cases.c.id.in_(list(last))))} if last else {}
    out = []
    for case_id, step in last.items():
        row = rows[case_id]
        application, assessment = orjson.loads(row.application), orjson.loads(row.assessment)
        outcome = _OUTCOME[(step.step, step.decision)]
        out.append({"case": case_id, "outcome": outcome, "policy": row.policy, "assessed": row.assessed,
                    "destination": application.get("destination") or UNRECORDED,
                    "categories": sorted({i.get("category") or UNRECORDED for i in assessment.get("items") or []})
                    or [UNRECORDED],
                    "differs": _ASSESSED[outcome] != row.assessed})
    opened = len(conn.execute(select(cases.c.id).where(_visible(org))
                              .where((cases.c.opened_at >= span.lower) & (cases.c.opened_at < span.upper))).all())
    return out, opened


def _notices(conn: Any, span: Period, org: str | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[Any]]:
    found = conn.execute(select(notices.c.origin, notices.c.authority, notices.c.party_country, notices.c.body)
                         .where((notices.c.stored_at >= span.lower) & (notices.c.stored_at < span.upper))).all()
    own = [orjson.loads(r.body) | {"party_country": r.party_country} for r in found if r.origin == "own"]
    partner = [orjson.loads(r.body) | {"party_country": r.party_country} for r in found if r.origin != "own"]
    opened = conn.execute(
        select(consultations.c.status, consultations.c.authority)
        .select_from(consultations.join(cases, cases.c.id == consultations.c.case_id)).where(_visible(org))
        .where((consultations.c.opened_at >= span.lower) & (consultations.c.opened_at < span.upper))).all()
    return own, partner, opened


def licensing_report(context: Any, start: date | str, end: date | str) -> dict[str, Any]:
    """The report for the whole days `start` to `end` (UTC, both included)."""
    span = check_period(start, end)
    with context.store.connect() as conn:
        entries = _assessments(conn, span)
        own, partner = _denials(conn, span)
        officer, cases_opened = _officer_decisions(conn, span, context.org)
        own_notices, partner_notices, consulted = _notices(conn, span, context.org)

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
    src_cases = ("licensing_cases and licensing_case_steps (redline.licensing.cases): each case's outcome from its "
                 "officers' last decision or sign-off in the period")
    src_notices = "licensing_notices (redline.licensing.notices), by the time stored; signatures verified on receipt"
    src_consult = "licensing_consultations (redline.licensing.consultations), by the time opened"
    sections = [
        section("officer_decisions", "Officers' decisions on licence cases", "licence cases (four-eyes: an approval "
                "takes effect when a second officer signs it off)", [
            figure("cases_opened", "Cases opened in the period", cases_opened, src_cases, noun="case"),
            figure("cases_decided", "Cases decided in the period", len(officer), src_cases, noun="case"),
            figure("cases_denied", "Cases denied", rate(sum(1 for d in officer if d["outcome"] == "denied"), len(officer),
                                                        "cases decided"), src_cases),
            figure("cases_approved", "Cases approved and signed off",
                   rate(sum(1 for d in officer if d["outcome"] == "approved (signed off)"), len(officer), "cases decided"),
                   src_cases),
            figure("cases_differ", "Officers' decisions that differ from Redline's assessment",
                   rate(sum(1 for d in officer if d["differs"]), len(officer), "cases decided"), src_cases),
        ], [
            table("cases_by_outcome", "Cases by outcome", Counter(d["outcome"] for d in officer), src_cases,
                  dimension="outcome", unit="case"),
            table("cases_by_destination", "Cases by destination", Counter(d["destination"] for d in officer), src_cases,
                  dimension="destination (ISO 3166)", unit="case"),
            table("cases_by_policy", "Cases by policy", Counter(d["policy"] for d in officer), src_cases,
                  dimension="policy", unit="case"),
            table("cases_by_item_category", "Cases by item category (a case counts once per category it covers)",
                  Counter(c for d in officer for c in d["categories"]), src_cases, dimension="item category",
                  unit="case"),
            table("denied_cases_by_destination", "Denied cases by destination",
                  Counter(d["destination"] for d in officer if d["outcome"] == "denied"), src_cases,
                  dimension="destination (ISO 3166)", unit="case"),
        ]),
        None if context.org else section("decisions", "Redline's assessments", "assessments recorded in the audit ledger", [
            figure("assessments", "Assessments recorded in the period", len(entries),
                   "ledger kind licensing.assess", noun="assessment"),
            figure("decisions", "Decisions (one per application and policy)", len(decisions), src, noun="decision"),
            figure("denied", "Decisions to deny", rate(by_outcome["deny"], len(decisions), "decisions"), src),
            figure("referred", "Decisions referred to an officer", rate(by_outcome["refer"], len(decisions), "decisions"), src),
            figure("approved", "Decisions to approve", rate(by_outcome["approve"], len(decisions), "decisions"), src),
        ], [
            table("decisions_by_outcome", "Decisions by outcome", by_outcome, src, dimension="outcome", unit="decision"),
            table("decisions_by_policy", "Decisions by policy", by_policy, src, dimension="policy", unit="decision"),
            table("decisions_by_policy_outcome", "Decisions by policy and outcome", by_policy_outcome, src,
                  dimension="policy: outcome", unit="decision"),
            table("decisions_by_destination", "Decisions by destination", by_destination, src_facts,
                  dimension="destination (ISO 3166)", unit="decision"),
            table("denials_by_destination", "Denials by destination", denied_by_destination, src_facts,
                  dimension="destination (ISO 3166)", unit="decision"),
            table("decisions_by_item_category", "Decisions by item category (a decision counts once per category it covers)",
                  by_category, src_facts, dimension="item category", unit="decision"),
            table("denials_by_item_category", "Denials by item category", denied_by_category, src_facts,
                  dimension="item category", unit="decision"),
        ], notes),
        section("denials_shared", "Denials shared and received", "denial notifications between authorities", [
            figure("own_denials", "Our denials recorded for sharing", len(own), src_own, noun="denial"),
            figure("partner_denials", "Partners' denials received", len(partner), src_partner, noun="denial",
                   note="a verified partner notice is kept as a partner denial too"),
            figure("own_notices", "Signed denial notices issued", len(own_notices), src_notices, noun="notice"),
            figure("partner_notices", "Partners' signed denial notices received", len(partner_notices), src_notices,
                   noun="notice"),
            figure("consultations", "Consultations opened with the denying state (no-undercut)", len(consulted),
                   src_consult, noun="consultation"),
        ], [
            table("own_notices_by_party_country", "Our notices by the denied party's country",
                  Counter(n["party_country"] or UNRECORDED for n in own_notices), src_notices, dimension="country",
                  unit="notice"),
            table("own_notices_by_item_category", "Our notices by item category",
                  Counter(c for n in own_notices for c in n.get("item_categories") or []), src_notices,
                  dimension="item category", unit="notice"),
            table("partner_notices_by_authority", "Partners' notices by authority",
                  Counter(n["authority"] for n in partner_notices), src_notices, dimension="authority", unit="notice"),
            table("consultations_by_status", "Consultations by status now", Counter(c.status for c in consulted),
                  src_consult, dimension="status", unit="consultation"),
            table("own_denials_by_destination", "Our denials by destination", Counter(d["destination"] or UNRECORDED for d in own),
                  src_own, dimension="destination", unit="denial"),
            table("own_denials_by_item_category", "Our denials by item category",
                  Counter(c for d in own for c in d["item_categories"]), src_own, dimension="item category", unit="denial"),
            table("own_denials_by_policy", "Our denials by policy", Counter(d["policy"] or UNRECORDED for d in own),
                  src_own, dimension="policy", unit="denial"),
            table("partner_denials_by_authority", "Partners' denials by authority", Counter(d["authority"] for d in partner),
                  src_partner, dimension="authority", unit="denial"),
            table("partner_denials_by_item_category", "Partners' denials by item category",
                  Counter(c for d in partner for c in d["item_categories"]), src_partner, dimension="item category",
                  unit="denial"),
        ]),
    ]
    return {
        "kind": "licensing",
        "title": "Transparency report: export licensing decisions",
        "period": span.to_dict(),
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "scope": (f"cases of organisation {context.org!r}; Redline's assessments are left out (they carry no "
                  "organisation, so cannot be told apart)" if context.org else "cases of no organisation; Redline's "
                  "assessments") + "; denials and notices of the whole installation (shared between authorities)",
        "legal_basis": ["Regulation (EU) 2021/821, Art. 26 (annual reporting on authorisations, denials and "
                        "cyber-surveillance items) and Art. 16 (denials shared, consultation before undercutting one)"],
        "sections": [sec for sec in sections if sec is not None],
    }

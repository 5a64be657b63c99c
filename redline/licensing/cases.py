"""Licence cases: an application and its assessment, decided by officers, approval with four eyes.

A case opens with the application as filed and its assessment (assess.py; the assessment is advice,
the officers decide). Statuses: open -> (refer) referred -> ... ; deny -> denied; approve ->
awaiting_sign_off -> (a second officer's sign-off) approved. The officer who approved cannot sign
off. A case with a consultation that is not closed (a partner's denial notice it would undercut)
cannot be approved nor signed off. Every step is written to the ledger in the transaction of its row.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, select, update

from redline.licensing import consultations
from redline.licensing.application import Application
from redline.licensing.officers import CaseworkProblem, NotFound, now, reason_text, require_officer
from redline.licensing.tables import case_steps, cases as table
from redline.licensing.tables import notices as notices_table
from redline.licensing.vocab import ITEM_CATEGORIES

STATUSES = ("open", "referred", "awaiting_sign_off", "approved", "denied")
DECISIONS = ("approve", "deny", "refer")
_AFTER = {"approve": "awaiting_sign_off", "deny": "denied", "refer": "referred"}


def _sha256(application: Application) -> str:
    source = Path(application.source) if application.source else None
    if source is not None and source.is_file():
        return hashlib.sha256(source.read_bytes()).hexdigest()
    return hashlib.sha256(orjson.dumps(application.raw, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _visible(org: str | None) -> Any:
    return table.c.org.is_(None) if org is None else table.c.org == org


def open_case(context: Any, application: Application, *, policy: str, role: str, screener: Any | None = None) -> dict[str, Any]:
    """Store the application and its assessment as a new case; screen it against the partner notices
    in force (which may open consultations). Raises ApplicationError / PolicyError for bad input."""
    from redline.licensing import service
    from redline.licensing.screening import RecordingScreener

    require_officer(context.actor, role, "opening a case")
    recording = RecordingScreener(screener or service.default_screener())
    result = service.assess_application(application, policy, context=context, screener=recording)
    hits = {p.name: recording.matched.get(p.name, []) for p in application.parties if p.role in consultations.SCREENED_ROLES}
    compare = consultations.name_comparer()
    when = now()
    with context.store.transaction() as conn:
        row = conn.execute(table.insert().values(
            org=context.org, application_id=application.id, application=orjson.dumps(application.raw).decode(),
            source=application.source or None, sha256=_sha256(application), policy=result["policy"]["name"],
            assessment=orjson.dumps(result).decode(), assessed=result["decision"], party_hits=orjson.dumps(hits).decode(),
            status="open", opened_by=context.actor, opened_at=when, updated_at=when,
        ))
        case_id = int(row.inserted_primary_key[0])  # type: ignore[index]
        entry = context.ledger.append(
            "licensing.case.open", context.actor,
            {"case": case_id, "application": application.id, "file": application.source or None,
             "sha256": _sha256(application), "policy": result["policy"]["name"], "role": role, "org": context.org},
            {"status": "open", "assessed": result["decision"], "rules": result["rules"]}, conn=conn,
        )
        _step(conn, case_id, "open", None, f"assessed under {result['policy']['name']}: {result['decision']}",
              context.actor, role, when, entry.seq)
        consultations.screen_notices(conn, context, case_id, compare)
        return _case(conn, conn.execute(select(table).where(table.c.id == case_id)).one())


def _step(conn: Connection, case_id: int, step: str, decision: str | None, reason: str, actor: str, role: str,
          at: str, seq: int) -> None:
    conn.execute(case_steps.insert().values(case_id=case_id, step=step, decision=decision, reason=reason, actor=actor,
                                            role=role, at=at, ledger_seq=seq))


def _case(conn: Connection, row: Any, full: bool = True) -> dict[str, Any]:
    assessment = orjson.loads(row.assessment)
    case = {"id": row.id, "org": row.org, "application_id": row.application_id, "status": row.status,
            "assessed": row.assessed, "policy": row.policy, "source": row.source, "sha256": row.sha256,
            "opened_by": row.opened_by, "opened_at": row.opened_at, "updated_at": row.updated_at}
    if not full:
        return case
    steps = conn.execute(select(case_steps).where(case_steps.c.case_id == row.id).order_by(case_steps.c.id))
    found = consultations.for_case(conn, row.id)
    notices = conn.execute(select(notices_table.c.notice_id).where(notices_table.c.case_id == row.id)
                           .order_by(notices_table.c.id)).scalars().all()
    return {**case, "application": orjson.loads(row.application),
            "assessment": {k: assessment.get(k) for k in ("decision", "rules", "reasons", "destination_risk", "policy",
                                                          "explanation", "items", "parties", "red_flags", "evidence",
                                                          "snapshots")},
            "steps": [{"step": s.step, "decision": s.decision, "reason": s.reason, "actor": s.actor, "role": s.role,
                       "at": s.at, "ledger_seq": s.ledger_seq} for s in steps],
            "consultations": found, "blocked_by": [c["id"] for c in found if c["status"] in consultations.BLOCKING],
            "notices": list(notices)}


def list_cases(store: Any, org: str | None, status: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    if status is not None and status not in STATUSES:
        raise CaseworkProblem(f"--status: {status!r} is not one of {', '.join(STATUSES)}")
    query = select(table).where(_visible(org)).order_by(table.c.id.desc()).limit(limit)
    if status:
        query = query.where(table.c.status == status)
    with store.connect() as conn:
        return [_case(conn, r, full=False) for r in conn.execute(query).all()]


def get_case(store: Any, org: str | None, case_id: int) -> dict[str, Any]:
    with store.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == case_id, _visible(org))).first()
        if row is None:
            raise NotFound(f"no case {case_id}")
        return _case(conn, row)


def _locked(conn: Connection, org: str | None, case_id: int) -> Any:
    row = conn.execute(select(table).where(table.c.id == case_id, _visible(org)).with_for_update()).first()
    if row is None:
        raise NotFound(f"no case {case_id}")
    return row


def _refuse_if_blocked(conn: Connection, case_id: int, doing: str) -> None:
    blockers = consultations.blocking(conn, case_id)
    if blockers:
        listed = "; ".join(f"consultation {c['id']} with {c['authority']} on notice {c['notice_id']} is {c['status']} "
                           f"(deadline {c['deadline']})" for c in blockers)
        raise CaseworkProblem(f"case {case_id} cannot be {doing}: it would undercut a partner's denial and {listed}; "
                              "record the answer (`consultation answer`) and close the consultation first")


def decide(context: Any, case_id: int, decision: str, reason: str, *, role: str) -> dict[str, Any]:
    """An officer's decision. approve -> awaiting a second officer's sign-off; deny and refer take effect."""
    if decision not in DECISIONS:
        raise CaseworkProblem(f"--decision: {decision!r} is not one of {', '.join(DECISIONS)}")
    why = reason_text(reason)
    require_officer(context.actor, role, "deciding a case")
    with context.store.transaction() as conn:
        row = _locked(conn, context.org, case_id)
        if row.status in ("approved", "denied"):
            raise CaseworkProblem(f"case {case_id} is already {row.status}")
        if decision == "approve":
            if row.status == "awaiting_sign_off":
                raise CaseworkProblem(f"case {case_id} is already approved and awaits a second officer's sign-off "
                                      "(`case sign-off`)")
            _refuse_if_blocked(conn, case_id, "approved")
        status, when = _AFTER[decision], now()
        entry = context.ledger.append(
            "licensing.case.decide", context.actor,
            {"case": case_id, "application": row.application_id, "decision": decision, "reason": why, "role": role,
             "org": context.org},
            {"status": status, "previous": row.status, "assessed": row.assessed,
             "differs_from_assessment": decision != row.assessed}, conn=conn,
        )
        _step(conn, case_id, "decide", decision, why, context.actor, role, when, entry.seq)
        conn.execute(update(table).where(table.c.id == case_id).values(status=status, updated_at=when))
        return _case(conn, conn.execute(select(table).where(table.c.id == case_id)).one())


def sign_off(context: Any, case_id: int, reason: str, *, role: str) -> dict[str, Any]:
    """The second officer's sign-off of an approval (four-eyes): never the officer who approved."""
    why = reason_text(reason)
    require_officer(context.actor, role, "signing off an approval")
    with context.store.transaction() as conn:
        row = _locked(conn, context.org, case_id)
        if row.status != "awaiting_sign_off":
            raise CaseworkProblem(f"case {case_id} is {row.status}: only an approval awaiting sign-off can be signed off")
        approver = conn.execute(select(case_steps.c.actor).where(
            case_steps.c.case_id == case_id, case_steps.c.step == "decide", case_steps.c.decision == "approve")
            .order_by(case_steps.c.id.desc()).limit(1)).scalar()
        if approver == context.actor:
            raise CaseworkProblem(f"case {case_id}: {approver!r} approved it; a second officer must sign off (four-eyes)")
        _refuse_if_blocked(conn, case_id, "signed off")
        when = now()
        # The states consulted before this approval, which are to be told of it (no undercut in silence).
        consulted = [{"consultation": c["id"], "authority": c["authority"], "notice_id": c["notice_id"]}
                     for c in consultations.for_case(conn, case_id)]
        entry = context.ledger.append(
            "licensing.case.sign_off", context.actor,
            {"case": case_id, "application": row.application_id, "reason": why, "role": role, "org": context.org,
             "approved_by": approver},
            {"status": "approved", "previous": row.status, "consulted": consulted}, conn=conn,
        )
        _step(conn, case_id, "sign_off", "approve", why, context.actor, role, when, entry.seq)
        conn.execute(update(table).where(table.c.id == case_id).values(status="approved", updated_at=when))
        return _case(conn, conn.execute(select(table).where(table.c.id == case_id)).one())


def issue_notices(context: Any, case_id: int, *, role: str, expiry: str | None = None) -> list[dict[str, Any]]:
    """Signed denial notices for a denied case: one per end user and consignee, with the case's
    control codes and item categories and the officer's reason as grounds."""
    from redline.licensing.notices import build_fields, issue

    require_officer(context.actor, role, "issuing a denial notice")
    with context.store.transaction() as conn:
        row = _locked(conn, context.org, case_id)
        if row.status != "denied":
            raise CaseworkProblem(f"case {case_id} is {row.status}: a denial notice is issued for a denied case")
        issued = conn.execute(select(notices_table.c.notice_id).where(notices_table.c.case_id == case_id)).scalars().all()
        if issued:
            raise CaseworkProblem(f"case {case_id} already has notices: {', '.join(issued)}")
        denial = conn.execute(select(case_steps).where(case_steps.c.case_id == case_id, case_steps.c.decision == "deny")
                              .order_by(case_steps.c.id.desc()).limit(1)).one()
        application = orjson.loads(row.application)
        items = orjson.loads(row.assessment).get("items") or []
        codes = [i["control_code"] for i in items if i.get("control_code")]
        cats = [i["category"] for i in items if i.get("category") in ITEM_CATEGORIES]
        out = []
        for party in application.get("parties") or []:
            if party.get("role") not in consultations.SCREENED_ROLES:
                continue
            fields = build_fields(party=party["name"], country=party.get("country"), control_codes=codes,
                                  item_categories=cats, grounds=denial.reason, on=denial.at[:10], expiry=expiry)
            out.append(issue(context, fields, case_id=case_id, application_id=row.application_id, conn=conn))
        return out

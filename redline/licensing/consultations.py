"""Consultations with a state whose denial notice an application would undercut.

Regulation (EU) 2021/821 Art. 16 and the Wassenaar Arrangement's no-undercut practice: before
licensing an essentially identical transaction that a partner denied, consult the denying state.
A consultation opens when a case's end user or consignee is the notice's party by the parties
engine (`redline.parties.api.compare_names`: transliterations, word order and legal forms are the
engine's business, not an exact-name test; or both names screened to the same listed party, which
catches a list's aliases; a country on both sides must agree) and an item overlaps
the notice (a control code equal to or under the notice's, or an item category of the same family).
It carries a deadline (CONSULTATION_DAYS after it opens), the question, the answer and a status:
open -> answered -> closed. While a case has a consultation not closed, it cannot be approved.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, select, update

from redline.licensing.notices import in_force
from redline.licensing.officers import CaseworkProblem, NotFound, now, reason_text, require_officer
from redline.licensing.tables import cases as cases_table
from redline.licensing.tables import consultations as table
from redline.licensing.tables import notices as notices_table
from redline.licensing.vocab import category_family

CONSULTATION_DAYS = int(os.environ.get("REDLINE_CONSULTATION_DAYS", "30"))
SCREENED_ROLES = ("end_user", "consignee")
STATUSES = ("open", "answered", "closed")
BLOCKING = ("open", "answered")
UNDECIDED_CASES = ("open", "referred", "awaiting_sign_off")


def name_comparer() -> Callable[..., dict[str, Any]]:
    """The parties engine's name comparison, bound before a transaction (it reads the lists)."""
    from redline.parties.api import name_comparer as comparer

    return comparer()


def _code(code: str) -> str:
    return "".join(code.split()).upper()


def codes_overlap(ours: str, theirs: str) -> bool:
    """5A001.j and 5A001.J.1 overlap (one is a sub-paragraph of the other); 5A001.f and 5A001.j don't."""
    a, b = _code(ours), _code(theirs)
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def item_overlap(items: list[dict[str, Any]], notice: dict[str, Any]) -> dict[str, Any] | None:
    codes = sorted({f"{i['control_code']} ~ {c}" for i in items if i.get("control_code")
                    for c in notice["control_codes"] if codes_overlap(i["control_code"], c)})
    theirs = {category_family(c) for c in notice["item_categories"]}
    cats = sorted({i["category"] for i in items if i.get("category") and i["category"] != "unknown"
                   and category_family(i["category"]) in theirs})
    return {"control_codes": codes, "item_categories": cats} if codes or cats else None


def party_match(parties: list[dict[str, Any]], notice: dict[str, Any], party_hits: dict[str, list[str]],
                notice_hits: list[str], compare: Callable[..., dict[str, Any]]) -> dict[str, Any] | None:
    """The first end user or consignee that the parties engine takes for the notice's party: the
    names compared match, or screening matched both to the same listed party (`party_hits`: the
    case's parties' listed ids, `notice_hits`: the notice party's)."""
    denied = notice["party"]
    for party in parties:
        if party.get("role") not in SCREENED_ROLES:
            continue
        if party.get("country") and denied.get("country") and str(party["country"]).upper() != str(denied["country"]).upper():
            continue
        found = {"role": party["role"], "name": party["name"], "country": party.get("country"), "denied_party": denied["name"]}
        compared = compare(party["name"], denied["name"])
        if compared.get("match"):
            return {**found, "how": "names compared by the parties engine", "score": compared.get("score"),
                    "explanation": compared.get("explanation")}
        shared = sorted(set(party_hits.get(party["name"]) or []) & set(notice_hits))
        if shared:
            return {**found, "how": "the same listed party by screening", "score": compared.get("score"),
                    "explanation": compared.get("explanation"), "listed_ids": shared}
    return None


def _case_view(row: Any) -> dict[str, Any]:
    application = orjson.loads(row.application)
    assessment = orjson.loads(row.assessment)
    return {"id": row.id, "application_id": row.application_id, "parties": application.get("parties") or [],
            "items": assessment.get("items") or [], "exporter": application.get("exporter") or {},
            "destination": application.get("destination"), "party_hits": orjson.loads(row.party_hits)}


def _open(conn: Connection, context: Any, case: dict[str, Any], notice: dict[str, Any],
          notice_hits: list[str], compare: Callable[..., dict[str, Any]]) -> dict[str, Any] | None:
    if not in_force(notice):
        return None
    overlap = item_overlap(case["items"], notice)
    if overlap is None:
        return None
    party = party_match(case["parties"], notice, case["party_hits"], notice_hits, compare)
    if party is None:
        return None
    exists = conn.execute(select(table.c.id).where(table.c.case_id == case["id"], table.c.notice_id == notice["notice_id"])).first()
    if exists is not None:
        return None
    opened = now()
    deadline = (date.fromisoformat(opened[:10]) + timedelta(days=CONSULTATION_DAYS)).isoformat()
    what = ", ".join(overlap["control_codes"] + overlap["item_categories"])
    question = (f"Application {case['application_id']} ({(case['exporter'] or {}).get('name', '?')} to {case['destination']}) "
                f"names as {party['role']} {party['name']}"
                + (f" ({party['country']})" if party.get("country") else "")
                + f", whom the parties engine takes for {party['denied_party']} ({party['how']}) in your denial "
                f"notice {notice['notice_id']} of {notice['date']} ({what}). Before deciding, we consult you under "
                f"Art. 16 of Regulation (EU) 2021/821 and the Wassenaar no-undercut practice: do you maintain the "
                f"denial, and what should we know? Please answer by {deadline}.")
    match = {**party, "overlap": overlap}
    entry = context.ledger.append(
        "licensing.consultation.open", context.actor,
        {"case": case["id"], "application": case["application_id"], "notice_id": notice["notice_id"],
         "authority": notice["authority"]},
        {"status": "open", "deadline": deadline, "match": match}, conn=conn,
    )
    row = conn.execute(table.insert().values(
        case_id=case["id"], notice_id=notice["notice_id"], authority=notice["authority"], party=party["name"],
        match=orjson.dumps({**match, "ledger_seq": entry.seq}).decode(), question=question, status="open",
        deadline=deadline, opened_at=opened,
    ))
    found = conn.execute(select(table).where(table.c.id == row.inserted_primary_key[0])).first()  # type: ignore[index]
    return _row(found)


def screen_cases(conn: Connection, context: Any, notice: dict[str, Any], notice_hits: list[str],
                 compare: Callable[..., dict[str, Any]]) -> list[dict[str, Any]]:
    """A partner's new notice against every undecided case: the consultations it opens.
    `compare` is `name_comparer()`, bound before the transaction."""
    rows = conn.execute(select(cases_table).where(cases_table.c.status.in_(UNDECIDED_CASES)).order_by(cases_table.c.id))
    return [c for c in (_open(conn, context, _case_view(r), notice, notice_hits, compare) for r in rows.all()) if c]


def screen_notices(conn: Connection, context: Any, case_id: int,
                   compare: Callable[..., dict[str, Any]]) -> list[dict[str, Any]]:
    """A new case against every partner notice in force: the consultations it opens.
    `compare` is `name_comparer()`, bound before the transaction."""
    case = _case_view(conn.execute(select(cases_table).where(cases_table.c.id == case_id)).one())
    rows = conn.execute(select(notices_table.c.body, notices_table.c.party_hits).where(notices_table.c.origin == "partner")
                        .order_by(notices_table.c.id)).all()
    return [c for c in (_open(conn, context, case, orjson.loads(r.body), orjson.loads(r.party_hits), compare) for r in rows) if c]


def _row(row: Any) -> dict[str, Any]:
    return {"id": row.id, "case_id": row.case_id, "notice_id": row.notice_id, "authority": row.authority,
            "party": row.party, "match": orjson.loads(row.match), "question": row.question, "answer": row.answer,
            "status": row.status, "deadline": row.deadline, "overdue": row.status == "open" and row.deadline < date.today().isoformat(),
            "opened_at": row.opened_at, "answered_by": row.answered_by, "answered_at": row.answered_at,
            "closed_by": row.closed_by, "closed_at": row.closed_at, "close_reason": row.close_reason}


def for_notice(conn: Connection, notice_id: str) -> list[dict[str, Any]]:
    return [_row(r) for r in conn.execute(select(table).where(table.c.notice_id == notice_id).order_by(table.c.id))]


def for_case(conn: Connection, case_id: int) -> list[dict[str, Any]]:
    return [_row(r) for r in conn.execute(select(table).where(table.c.case_id == case_id).order_by(table.c.id))]


def blocking(conn: Connection, case_id: int) -> list[dict[str, Any]]:
    """The consultations that keep a case from being approved: every one not closed."""
    return [c for c in for_case(conn, case_id) if c["status"] in BLOCKING]


def _visible(org: str | None) -> Any:
    return cases_table.c.org.is_(None) if org is None else cases_table.c.org == org


def _scoped(org: str | None) -> Any:
    return select(table).join(cases_table, cases_table.c.id == table.c.case_id).where(_visible(org))


def list_consultations(store: Any, org: str | None, status: str | None = None) -> list[dict[str, Any]]:
    if status is not None and status not in STATUSES:
        raise CaseworkProblem(f"--status: {status!r} is not one of {', '.join(STATUSES)}")
    query = _scoped(org).order_by(table.c.id.desc())
    if status:
        query = query.where(table.c.status == status)
    with store.connect() as conn:
        return [_row(r) for r in conn.execute(query)]


def get_consultation(store: Any, org: str | None, consultation_id: int) -> dict[str, Any]:
    with store.connect() as conn:
        row = conn.execute(_scoped(org).where(table.c.id == consultation_id)).first()
    if row is None:
        raise NotFound(f"no consultation {consultation_id}")
    return _row(row)


def _locked(conn: Connection, org: str | None, consultation_id: int) -> Any:
    row = conn.execute(_scoped(org).where(table.c.id == consultation_id).with_for_update(of=table)).first()
    if row is None:
        raise NotFound(f"no consultation {consultation_id}")
    return row


def answer(context: Any, consultation_id: int, text: str, *, role: str) -> dict[str, Any]:
    """Record the consulted state's answer (by an officer)."""
    require_officer(context.actor, role, "recording an answer")
    body = reason_text(text, "--text")
    with context.store.transaction() as conn:
        row = _locked(conn, context.org, consultation_id)
        if row.status == "closed":
            raise CaseworkProblem(f"consultation {consultation_id} is closed")
        when = now()
        context.ledger.append("licensing.consultation.answer", context.actor,
                              {"consultation": consultation_id, "case": row.case_id, "notice_id": row.notice_id,
                               "authority": row.authority, "answer": body, "role": role},
                              {"status": "answered", "previous": row.status}, conn=conn)
        conn.execute(update(table).where(table.c.id == consultation_id).values(
            answer=body, status="answered", answered_by=context.actor, answered_at=when))
        return _row(conn.execute(select(table).where(table.c.id == consultation_id)).one())


def close(context: Any, consultation_id: int, reason: str, *, role: str, no_reply: bool = False) -> dict[str, Any]:
    """Close a consultation once its answer is recorded, or (`no_reply`) once its deadline has passed
    without one. A closed consultation no longer blocks the case's approval."""
    require_officer(context.actor, role, "closing a consultation")
    why = reason_text(reason)
    with context.store.transaction() as conn:
        row = _locked(conn, context.org, consultation_id)
        if row.status == "closed":
            raise CaseworkProblem(f"consultation {consultation_id} is already closed")
        if row.status != "answered":
            if not no_reply:
                raise CaseworkProblem(f"consultation {consultation_id} has no answer: record the consulted state's answer "
                                      "first (`consultation answer`), or close it with --no-reply after its deadline")
            if date.today().isoformat() <= row.deadline:
                raise CaseworkProblem(f"--no-reply: consultation {consultation_id}'s deadline ({row.deadline}) has not passed")
        when = now()
        context.ledger.append("licensing.consultation.close", context.actor,
                              {"consultation": consultation_id, "case": row.case_id, "notice_id": row.notice_id,
                               "authority": row.authority, "reason": why, "no_reply": no_reply, "role": role},
                              {"status": "closed", "previous": row.status}, conn=conn)
        conn.execute(update(table).where(table.c.id == consultation_id).values(
            status="closed", closed_by=context.actor, closed_at=when,
            close_reason=f"no reply by {row.deadline}: {why}" if row.status != "answered" else why))
        return _row(conn.execute(select(table).where(table.c.id == consultation_id)).one())

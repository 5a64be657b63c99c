"""The browser workbench at /ui: sign-in with an API key, the screening review queue, the media
review queue, the ledger, licensing cases and transparency reports, as server-rendered pages.

Every page calls the domain libraries with the signed-in key's name, role and organisation; the
pages decide nothing (the review library enforces four-eyes, the media library the actions and
appeals). Forms are POSTed with a CSRF token; see redline.ui.session."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import orjson
from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from redline.context import Context
from redline.review import core as review
from redline.ui import lookups, present
from redline.ui.session import SESSION_COOKIE, SESSION_HOURS, SIGNIN_COOKIE, SIGNIN_FORM_SECONDS, Sessions, Viewer, load_secret

log = logging.getLogger("redline.ui")
router = APIRouter(prefix="/ui", include_in_schema=False)

UI_DIR = Path(__file__).resolve().parents[2] / "ui"
STATIC = {"ui.css": "text/css; charset=utf-8", "ui.js": "text/javascript; charset=utf-8"}
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
QUEUE_LIMIT = 1000  # newest items the queue page reads; filters and sorting apply to these
LEDGER_PAGE = 200
LEDGER_WINDOW = 5000  # entries read at a time, newest first, to fill a ledger page

env = Environment(loader=FileSystemLoader(UI_DIR / "templates"), autoescape=select_autoescape(["html"]),
                  trim_blocks=True, lstrip_blocks=True)
env.globals["pdq_svg"] = present.pdq_svg
env.filters["json"] = lambda value: orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()


class SignInNeeded(HTTPException):
    def __init__(self, path: str) -> None:
        super().__init__(303, "sign in first", headers={"Location": "/ui/signin?" + urlencode({"next": path})})


# --------------------------------------------------------------------------------------- plumbing


def _context(request: Request) -> Context:
    return request.app.state.context


def _sessions(request: Request) -> Sessions:
    found = getattr(request.app.state, "ui_sessions", None)
    if found is None:
        ctx = _context(request)
        found = request.app.state.ui_sessions = Sessions(ctx.store, ctx.ledger, load_secret(ctx.settings.home))
    return found


def viewer(request: Request) -> Viewer:
    """The signed-in key, or a redirect to the sign-in page."""
    found = _sessions(request).viewer(request.cookies.get(SESSION_COOKIE))
    if found is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInNeeded(path if request.method == "GET" else "/ui/queue")
    return found


SIGNED_IN = Depends(viewer)


def _acting(request: Request, who: Viewer) -> Context:
    return _context(request).acting_as(who.name, who.org)


SECTIONS = {"queue.html": "queue", "item.html": "queue", "media.html": "media", "media_item.html": "media",
            "ledger.html": "ledger", "verify.html": "ledger", "licensing.html": "licensing", "case.html": "licensing",
            "reports.html": "reports", "report.html": "reports"}


def page(template: str, code: int = 200, **values: Any) -> HTMLResponse:
    html = env.get_template(template).render(section=SECTIONS.get(template), **values)
    return HTMLResponse(html, status_code=code, headers=HEADERS)


def refuse(who: Viewer | None, status: int, title: str, message: str) -> HTMLResponse:
    return page("error.html", status, who=who, title=title, message=message)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=HEADERS)


def _csrf_ok(request: Request, who: Viewer, token: str | None) -> bool:
    return _sessions(request).check_csrf(who, token)


def _bad_csrf(who: Viewer) -> HTMLResponse:
    return refuse(who, 403, "Form expired", "The form was missing its security token or it did not match this "
                  "session. Reload the page and submit it again.")


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/ui/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/ui/queue"


# --------------------------------------------------------------------------------------- sign-in


@router.get("/static/{name}")
def static(name: str) -> Response:
    if name not in STATIC:
        raise HTTPException(404, "no such file")
    return Response((UI_DIR / "static" / name).read_bytes(), media_type=STATIC[name],
                    headers={"Cache-Control": "max-age=300", "X-Content-Type-Options": "nosniff"})


@router.get("")
@router.get("/")
def home() -> RedirectResponse:
    return see_other("/ui/queue")


@router.get("/signin")
def signin_form(request: Request, next: str = "/ui/queue", problem: str | None = None) -> HTMLResponse:
    token, cookie = _sessions(request).signin_form()
    response = page("signin.html", 401 if problem else 200, who=None, csrf=token, next=_safe_next(next), problem=problem)
    response.set_cookie(SIGNIN_COOKIE, cookie, max_age=SIGNIN_FORM_SECONDS, path="/ui", httponly=True,
                        samesite="strict", secure=request.url.scheme == "https")
    return response


@router.post("/signin")
def signin(request: Request, key: str = Form(""), csrf: str = Form(""), next: str = Form("/ui/queue")) -> Response:
    sessions = _sessions(request)
    if not sessions.check_signin_form(request.cookies.get(SIGNIN_COOKIE), csrf):
        return signin_form(request, next, "The sign-in form expired or came from elsewhere; try again.")
    signed = sessions.sign_in(key) if key.strip() else None
    if signed is None:
        return signin_form(request, next, "That key is unknown or revoked.")
    response = see_other(_safe_next(next))
    response.set_cookie(SESSION_COOKIE, signed[1], max_age=SESSION_HOURS * 3600, path="/ui", httponly=True,
                        samesite="strict", secure=request.url.scheme == "https")
    response.delete_cookie(SIGNIN_COOKIE, path="/ui")
    return response


@router.post("/signout")
def signout(request: Request, csrf: str = Form(""), who: Viewer = SIGNED_IN) -> Response:
    if not _csrf_ok(request, who, csrf):
        return _bad_csrf(who)
    _sessions(request).sign_out(who)
    response = see_other("/ui/signin")
    response.delete_cookie(SESSION_COOKIE, path="/ui")
    return response


# --------------------------------------------------------------------------------------- screening queue


@router.get("/queue")
def queue(
    request: Request,
    status: str = Query("queue"),
    sort: str = Query("id"),
    order: str = Query("desc"),
    q: str = Query("", max_length=200),
    origin: str = Query(""),
    match: str = Query(""),
    sanctions: str = Query(""),
    decided: int | None = Query(None),
    who: Viewer = SIGNED_IN,
) -> HTMLResponse:
    store = _context(request).store
    try:
        items = review.list_items(store, who.org, status or None, QUEUE_LIMIT)
    except review.ReviewProblem as exc:
        return refuse(who, 422, "Bad filter", str(exc).replace("--status", "status"))
    shown = present.arrange_queue(items, sort=sort if sort in present.QUEUE_SORTS else "id", descending=order != "asc",
                                  text=q, origin=origin, match=match, sanctions=sanctions)
    notice = _decided(store, who.org, decided)
    filters = {"status": status, "q": q, "origin": origin, "match": match, "sanctions": sanctions}
    return page("queue.html", who=who, items=shown, total=len(items), filters=filters, sort=sort, order=order,
                statuses=review.STATUSES, origins=sorted({i["origin"] for i in items}), notice=notice,
                limit=QUEUE_LIMIT, query=urlencode({k: v for k, v in filters.items() if v}))


def _neighbours(store: Any, org: str | None, item_id: int) -> tuple[int | None, int | None]:
    """The queue items before and after `item_id` in the queue's default order (newest first)."""
    ids = [i["id"] for i in review.list_items(store, org, "queue", QUEUE_LIMIT)]
    if item_id not in ids:
        return (ids[0] if ids else None), None
    at = ids.index(item_id)
    return (ids[at + 1] if at + 1 < len(ids) else None), (ids[at - 1] if at > 0 else None)


def _decided(store: Any, org: str | None, item_id: int | None) -> dict[str, Any] | None:
    """The item just decided, to say what became of it."""
    if item_id is None:
        return None
    try:
        return review.get_item(store, org, item_id)
    except review.ItemNotFound:
        return None


def _item_page(request: Request, who: Viewer, item_id: int, problem: str | None = None, status: int = 200,
               form: dict[str, str] | None = None, decided: int | None = None) -> HTMLResponse:
    store = _context(request).store
    try:
        item = review.get_item(store, who.org, item_id)
    except review.ItemNotFound:
        return refuse(who, 404, "Not found", f"There is no review item {item_id} for you.")
    following, previous = _neighbours(store, who.org, item_id)
    first = next((d for d in item["decisions"] if d["stage"] == "first"), None)
    return page("item.html", status, who=who, item=item, next_id=following, prev_id=previous, problem=problem,
                can_decide=who.can(review.DECIDER_ROLE) and item["status"] in review.QUEUE,
                decisions=review.DECISIONS, first=first, form=form or {}, notice=_decided(store, who.org, decided))


@router.get("/queue/{item_id}")
def item(request: Request, item_id: int, decided: int | None = Query(None), who: Viewer = SIGNED_IN) -> HTMLResponse:
    return _item_page(request, who, item_id, decided=decided)


@router.post("/queue/{item_id}/decide")
def decide(request: Request, item_id: int, decision: str = Form(""), reason: str = Form(""), csrf: str = Form(""),
           who: Viewer = SIGNED_IN) -> Response:
    if not _csrf_ok(request, who, csrf):
        return _bad_csrf(who)
    if not who.can(review.DECIDER_ROLE):
        return refuse(who, 403, "Not allowed", f"Deciding needs the {review.DECIDER_ROLE} role; {who.name} is {who.key.role}.")
    ctx = _acting(request, who)
    form = {"decision": decision, "reason": reason}
    try:
        review.decide(ctx.store, ctx.ledger, item_id=item_id, decision=decision, reason=reason, actor=who.name,
                      role=who.key.role, org=who.org, snapshots=review.in_force(ctx.store))
    except review.ItemNotFound:
        return refuse(who, 404, "Not found", f"There is no review item {item_id} for you.")
    except review.ReviewProblem as exc:
        message = str(exc).replace("--decision", "Decision").replace("--reason", "Reason")
        return _item_page(request, who, item_id, message, 409 if "already" in message or "four-eyes" in message else 422, form)
    following, _ = _neighbours(ctx.store, who.org, item_id)
    return see_other(f"/ui/queue/{following}?decided={item_id}" if following else f"/ui/queue?decided={item_id}")


# --------------------------------------------------------------------------------------- media review


def _media_refusal(who: Viewer) -> HTMLResponse | None:
    if who.org is not None:
        return refuse(who, 403, "Not available", "Media alerts belong to the installation, not to an organisation: "
                      "sign in with a key that has no organisation.")
    return None


@router.get("/media")
def media_queue(request: Request, status: str = Query("open"), who: Viewer = SIGNED_IN) -> HTMLResponse:
    from redline.media import review as media_review

    if (refused := _media_refusal(who)) is not None:
        return refused
    try:
        items = media_review.list_items(_context(request).store, status, QUEUE_LIMIT)
    except media_review.ReviewError as exc:
        return refuse(who, 422, "Bad filter", str(exc))
    return page("media.html", who=who, items=items, status=status, statuses=media_review.STATUSES)


def _media_item(request: Request, who: Viewer, review_id: int, problem: str | None = None,
                status: int = 200) -> HTMLResponse:
    from redline.media import review as media_review
    from redline.media.actions import Enforcement

    ctx = _context(request)
    entry = lookups.media_review_item(ctx.store, review_id)
    if entry is None:
        return refuse(who, 404, "Not found", f"There is no media review item {review_id}.")
    enforcement = Enforcement(ctx.store, ctx.ledger, who.name)
    action = enforcement.get_action(entry["action_id"]) if entry.get("action_id") else None
    account = enforcement.account_status(entry["account"]) if entry.get("account") else None
    bank_item = (lookups.banked_signal(ctx.store, entry["bank"], entry["content_id"], entry.get("signal_type"))
                 if entry.get("bank") and entry.get("content_id") else None)
    return page("media_item.html", status, who=who, item=entry, action=action, account=account, problem=problem,
                bank_item=bank_item, thumb=present.thumbnail(entry["source"], entry.get("offset_s")),
                resolutions=media_review.RESOLUTIONS, can_decide=who.can("analyst"))


@router.get("/media/{review_id}")
def media_item(request: Request, review_id: int, who: Viewer = SIGNED_IN) -> HTMLResponse:
    if (refused := _media_refusal(who)) is not None:
        return refused
    return _media_item(request, who, review_id)


@router.post("/media/{review_id}/resolve")
def media_resolve(request: Request, review_id: int, resolution: str = Form(""), note: str = Form(""),
                  csrf: str = Form(""), who: Viewer = SIGNED_IN) -> Response:
    from redline.media import review as media_review

    if (refused := _media_refusal(who)) is not None:
        return refused
    if not _csrf_ok(request, who, csrf):
        return _bad_csrf(who)
    if not who.can("analyst"):
        return refuse(who, 403, "Not allowed", f"Resolving needs the analyst role; {who.name} is {who.key.role}.")
    ctx = _context(request)
    try:
        media_review.resolve(ctx.store, ctx.ledger, who.name, review_id, resolution, note.strip() or None)
    except media_review.ReviewError as exc:
        return _media_item(request, who, review_id, str(exc), 409)
    return see_other(f"/ui/media/{review_id}")


@router.post("/media/actions/{action_id}/appeal")
def media_appeal(request: Request, action_id: int, review_id: int = Form(...), outcome: str = Form(""),
                 note: str = Form(""), csrf: str = Form(""), who: Viewer = SIGNED_IN) -> Response:
    from redline.media.actions import Enforcement, EnforcementError

    if (refused := _media_refusal(who)) is not None:
        return refused
    if not _csrf_ok(request, who, csrf):
        return _bad_csrf(who)
    if not who.can("analyst"):
        return refuse(who, 403, "Not allowed", f"Deciding an appeal needs the analyst role; {who.name} is {who.key.role}.")
    ctx = _context(request)
    try:
        Enforcement(ctx.store, ctx.ledger, who.name).appeal(action_id, outcome, note.strip() or None)
    except EnforcementError as exc:
        return _media_item(request, who, review_id, str(exc), 409)
    return see_other(f"/ui/media/{review_id}")


# --------------------------------------------------------------------------------------- ledger


def _visible(who: Viewer, actor: str, text: str) -> Callable[[Any], bool]:
    """Which entries this key may see and the filters keep: an organisation's key sees the entries
    made for its organisation (the libraries write `org` into an entry's inputs); a key of none, all."""
    needle = text.casefold()

    def keep(entry: Any) -> bool:
        inputs = entry.inputs if isinstance(entry.inputs, dict) else {}
        if who.org is not None and inputs.get("org") != who.org:
            return False
        if actor and entry.actor != actor:
            return False
        return not needle or needle in orjson.dumps([entry.inputs, entry.outcome]).decode().casefold()

    return keep


def _head_seq(ctx: Context, *, count: bool = False) -> int:
    """The newest entry's seq (or, with `count`, how many entries there are)."""
    from sqlalchemy import func, select

    from redline.ledger import ledger_table

    with ctx.store.connect() as conn:
        column = func.count() if count else func.max(ledger_table.c.seq)
        return int(conn.execute(select(column).select_from(ledger_table)).scalar() or 0)


def _newest_entries(ctx: Context, keep: Callable[[Any], bool], kind: str, before: int | None,
                    wanted: int) -> tuple[list[Any], int | None]:
    """Up to `wanted` kept entries below seq `before`, newest first, read backwards a window at a time
    (a page costs about what it shows, not the length of the ledger); and the seq below which the next
    page starts, when there is one."""
    upper = min(before, _head_seq(ctx) + 1) if before else _head_seq(ctx) + 1
    found: list[Any] = []
    while upper > 1 and len(found) <= wanted:
        lower = max(0, upper - 1 - LEDGER_WINDOW)
        window = [e for e in ctx.ledger.entries(kind=kind or None, since_seq=lower, limit=LEDGER_WINDOW)
                  if e.seq < upper and keep(e)]
        found.extend(reversed(window))
        upper = lower + 1
    shown = found[:wanted]
    return shown, (shown[-1].seq if len(found) > wanted else None)


def _ledger_refusal(who: Viewer) -> HTMLResponse | None:
    if not who.can("analyst"):
        return refuse(who, 403, "Not allowed", f"The ledger needs the analyst role; {who.name} is {who.key.role}.")
    return None


@router.get("/ledger")
def ledger(request: Request, kind: str = Query("", max_length=64), actor: str = Query("", max_length=200),
           q: str = Query("", max_length=200), before: int | None = Query(None, ge=1),
           who: Viewer = SIGNED_IN) -> HTMLResponse:
    if (refused := _ledger_refusal(who)) is not None:
        return refused
    shown, older = _newest_entries(_context(request), _visible(who, actor, q), kind, before, LEDGER_PAGE)
    filters = {"kind": kind, "actor": actor, "q": q}
    return page("ledger.html", who=who, entries=shown, filters=filters, older=older,
                query=urlencode({k: v for k, v in filters.items() if v}))


@router.get("/ledger/verify")
def ledger_verify(request: Request, who: Viewer = SIGNED_IN) -> HTMLResponse:
    if (refused := _ledger_refusal(who)) is not None:
        return refused
    ctx = _context(request)
    breaches = ctx.ledger.verify()
    return page("verify.html", who=who, breaches=breaches, count=_head_seq(ctx, count=True))


@router.get("/ledger/export")
def ledger_export(request: Request, kind: str = Query("", max_length=64), actor: str = Query("", max_length=200),
                  q: str = Query("", max_length=200), who: Viewer = SIGNED_IN) -> Response:
    if (refused := _ledger_refusal(who)) is not None:
        return refused
    keep = _visible(who, actor, q)
    entries = _context(request).ledger.entries(kind=kind or None)
    lines = (orjson.dumps(e.to_dict()) + b"\n" for e in entries if keep(e))
    return StreamingResponse(lines, media_type="application/x-ndjson", headers={
        **HEADERS, "Content-Disposition": 'attachment; filename="redline-ledger.jsonl"'})


# --------------------------------------------------------------------------------------- licensing


@router.get("/licensing")
def licensing(request: Request, status: str = Query(""), who: Viewer = SIGNED_IN) -> HTMLResponse:
    from redline.licensing import cases
    from redline.licensing.officers import CaseworkProblem

    try:
        found = cases.list_cases(_context(request).store, who.org, status or None, QUEUE_LIMIT)
    except CaseworkProblem as exc:
        return refuse(who, 422, "Bad filter", str(exc).replace("--status", "status"))
    return page("licensing.html", who=who, cases=found, status=status, statuses=cases.STATUSES)


def _case_page(request: Request, who: Viewer, case_id: int, problem: str | None = None, code: int = 200,
               form: dict[str, str] | None = None) -> HTMLResponse:
    from redline.licensing import cases
    from redline.licensing.officers import OFFICER_ROLE, NotFound

    try:
        case = cases.get_case(_context(request).store, who.org, case_id)
    except NotFound:
        return refuse(who, 404, "Not found", f"There is no licence case {case_id} for you.")
    return page("case.html", code, who=who, case=case, problem=problem, form=form or {}, decisions=cases.DECISIONS,
                officer=who.can(OFFICER_ROLE), officer_role=OFFICER_ROLE)


@router.get("/licensing/{case_id}")
def licensing_case(request: Request, case_id: int, who: Viewer = SIGNED_IN) -> HTMLResponse:
    return _case_page(request, who, case_id)


@router.post("/licensing/{case_id}/{step}")
def licensing_step(request: Request, case_id: int, step: str, decision: str = Form(""), reason: str = Form(""),
                   csrf: str = Form(""), who: Viewer = SIGNED_IN) -> Response:
    from redline.licensing import cases
    from redline.licensing.officers import CaseworkProblem, NotFound

    if step not in ("decide", "sign-off"):
        return refuse(who, 404, "Not found", "No such step.")

    if not _csrf_ok(request, who, csrf):
        return _bad_csrf(who)
    ctx = _acting(request, who)
    try:
        if step == "decide":
            cases.decide(ctx, case_id, decision, reason, role=who.key.role)
        else:
            cases.sign_off(ctx, case_id, reason, role=who.key.role)
    except NotFound:
        return refuse(who, 404, "Not found", f"There is no licence case {case_id} for you.")
    except CaseworkProblem as exc:
        message = str(exc).replace("--decision", "Decision").replace("--reason", "Reason")
        return _case_page(request, who, case_id, message, 409, {"decision": decision, "reason": reason, "step": step})
    return see_other(f"/ui/licensing/{case_id}")


# --------------------------------------------------------------------------------------- reports


REPORT_FILES = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}


def _report_form(who: Viewer, kind: str = "media", start: str = "", end: str = "", problem: str | None = None,
                 field: str | None = None) -> HTMLResponse:
    from redline import reports
    from redline.reports.period import today_utc

    today = today_utc()  # the reports' days are UTC days
    return page("reports.html", 422 if problem else 200, who=who, kinds=tuple(reports.REPORTS), kind=kind,
                start=start or today.replace(day=1).isoformat(), end=end or today.isoformat(), problem=problem,
                field=field)


@router.get("/reports")
def reports_form(who: Viewer = SIGNED_IN) -> HTMLResponse:
    return _report_form(who)


@router.get("/reports/go")
def report_go(kind: str = Query("media"), start: str = Query("", alias="from"), end: str = Query("", alias="to"),
              who: Viewer = SIGNED_IN) -> Response:
    """The report form's target: the report's own address, which can be bookmarked and shared."""
    return see_other(f"/ui/reports/{quote(kind, safe='')}?" + urlencode({"from": start, "to": end}))


def _build_report(request: Request, who: Viewer, kind: str, start: str, end: str) -> dict[str, Any] | HTMLResponse:
    """The report asked for, or the form again naming the field at fault."""
    from redline import reports

    if kind not in reports.REPORTS:
        return _report_form(who, problem=f"kind: {kind!r} is not one of {', '.join(reports.REPORTS)}", field="kind")
    try:
        span = reports.period(start, end)
    except reports.ReportError as exc:
        return _report_form(who, kind, start, end, str(exc), exc.argument)
    return reports.REPORTS[kind](_acting(request, who), span.start, span.end)


@router.get("/reports/{kind}")
def report_page(request: Request, kind: str, start: str = Query("", alias="from"), end: str = Query("", alias="to"),
                who: Viewer = SIGNED_IN) -> HTMLResponse:
    from markupsafe import Markup

    from redline import reports

    built = _build_report(request, who, kind, start, end)
    if isinstance(built, HTMLResponse):
        return built

    body = Markup(reports.render_html_body(built))  # escaped by the reports' own template
    files = {fmt: f"/ui/reports/{kind}/file?" + urlencode({"from": start, "to": end, "format": fmt}) for fmt in REPORT_FILES}
    return page("report.html", who=who, report=built, body=body, files=files, kind=kind)


@router.get("/reports/{kind}/file")
def report_file(request: Request, kind: str, start: str = Query("", alias="from"), end: str = Query("", alias="to"),
                fmt: str = Query("csv", alias="format"), who: Viewer = SIGNED_IN) -> Response:
    if fmt not in REPORT_FILES:
        return _report_form(who, kind, start, end, f"format: {fmt!r} is not one of csv, pdf", "format")
    from redline import reports

    built = _build_report(request, who, kind, start, end)
    if isinstance(built, HTMLResponse):
        return built
    body = reports.render_csv(built) if fmt == "csv" else reports.render_pdf(built)
    name = f"redline-{kind}-report-{start}-{end}.{fmt}"
    return Response(body, media_type=REPORT_FILES[fmt], headers={
        **HEADERS, "Content-Disposition": f'attachment; filename="{name}"'})

"""`redline licensing case|notice|consultation …`: licence cases with four-eyes sign-off, signed
denial notices between states, consultations. A thin layer: the decisions are in cases.py,
notices.py and consultations.py. The CLI acts as the local operator (REDLINE_USER, else the login
name) with the admin role and no organisation, as `redline review` does; four-eyes still holds: the
sign-off must come from another name."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from redline.output import JSON_HELP, console, emit, fail

case_app = typer.Typer(no_args_is_help=True, help="Licence cases: open, decide, sign off (four-eyes), notify a denial.")
notice_app = typer.Typer(no_args_is_help=True, help="Signed denial notices: issue, verify, export, import; partners' keys.")
consultation_app = typer.Typer(no_args_is_help=True, help="Consultations with states whose denial a case would undercut.")

JSON = typer.Option(False, "--json", help=JSON_HELP)


def _context() -> Any:
    from redline.context import get_context

    return get_context()


def _role() -> str:
    from redline.licensing.officers import CLI_ROLE

    return CLI_ROLE


def _run(call: Any, what: str = "ID") -> Any:
    """Run a library call; known refusals become exit 2 with the message (never a traceback)."""
    from redline.config import ConfigError
    from redline.licensing.application import ApplicationError
    from redline.licensing.notices import NoticeProblem
    from redline.licensing.officers import CaseworkProblem, NotFound
    from redline.licensing.policy import PolicyError
    from redline.licensing.screening import ScreeningUnavailable

    try:
        return call()
    except NotFound as exc:
        raise fail(f"{what}: {exc}") from None
    except ApplicationError as exc:
        raise fail(f"{exc}\n(nothing recorded)") from None
    except (CaseworkProblem, NoticeProblem, PolicyError, ScreeningUnavailable, ConfigError) as exc:
        raise fail(str(exc)) from None


def _render_case(case: dict[str, Any]) -> None:
    colour = {"approved": "green", "denied": "red", "awaiting_sign_off": "yellow"}.get(case["status"], "blue")
    console.print(f"[bold]case {case['id']}[/] {case['application_id']}: [{colour}]{case['status']}[/] "
                  f"(assessed {case['assessed']} under {case['policy']})", highlight=False)
    if case.get("assessment", {}).get("explanation"):
        console.print(f"[dim]{case['assessment']['explanation']}[/]", highlight=False)
    for step in case.get("steps", []):
        console.print(f"  {step['at'][:19]} {step['actor']} ({step['role']}): {step['step']}"
                      f"{' ' + step['decision'] if step['decision'] else ''} — {step['reason']} (ledger {step['ledger_seq']})",
                      highlight=False)
    for c in case.get("consultations", []):
        console.print(f"  consultation {c['id']} with {c['authority']} on {c['notice_id']}: {c['status']} "
                      f"(deadline {c['deadline']})", highlight=False)
    if case.get("blocked_by"):
        console.print("[yellow]cannot be approved while its consultations are open[/]")


@case_app.command("open")
def case_open(
    application: Path = typer.Argument(..., help="One application file (YAML or JSON)."),
    policy: str = typer.Option("echri", "--policy", "-p", help="Policy name (echri, eu-2021-821, us-ear) or a YAML file."),
    as_json: bool = JSON,
) -> None:
    """Open a case: store the application and its assessment; partner notices it matches open consultations."""
    from redline.licensing.application import load_application
    from redline.licensing.cases import open_case

    ctx = _context()
    case = _run(lambda: open_case(ctx, load_application(application), policy=policy, role=_role()))
    emit(case, as_json, _render_case)


@case_app.command("list")
def case_list(
    status: Optional[str] = typer.Option(None, "--status", help="open | referred | awaiting_sign_off | approved | denied"),
    limit: int = typer.Option(100, min=1, max=1000, help="How many cases, newest first."),
    as_json: bool = JSON,
) -> None:
    """Cases, newest first."""
    from redline.licensing.cases import list_cases

    ctx = _context()
    rows = _run(lambda: list_cases(ctx.store, ctx.org, status, limit))

    def render(v: list[dict[str, Any]]) -> None:
        if not v:
            console.print("no cases")
        for c in v:
            console.print(f"{c['id']:>5} {c['application_id']} {c['status']} (assessed {c['assessed']}, {c['policy']}) "
                          f"opened {c['opened_at'][:19]} by {c['opened_by']}", highlight=False)

    emit(rows, as_json, render)


@case_app.command("show")
def case_show(case: int = typer.Argument(..., help="The case's number."), as_json: bool = JSON) -> None:
    """One case: the application, the assessment, every step, its consultations and notices."""
    from redline.licensing.cases import get_case

    ctx = _context()
    emit(_run(lambda: get_case(ctx.store, ctx.org, case), "CASE"), as_json, _render_case)


@case_app.command("decide")
def case_decide(
    case: int = typer.Argument(..., help="The case's number."),
    decision: str = typer.Option(..., "--decision", help="approve | deny | refer"),
    reason: str = typer.Option(..., "--reason", help="Why, in words: it goes in the ledger."),
    as_json: bool = JSON,
) -> None:
    """Decide a case. An approval awaits a second officer's sign-off; it is refused while a
    consultation on a partner's denial is open."""
    from redline.licensing.cases import decide

    ctx = _context()
    emit(_run(lambda: decide(ctx, case, decision, reason, role=_role()), "CASE"), as_json, _render_case)


@case_app.command("sign-off")
def case_sign_off(
    case: int = typer.Argument(..., help="The case's number."),
    reason: str = typer.Option(..., "--reason", help="Why, in words: it goes in the ledger."),
    as_json: bool = JSON,
) -> None:
    """Sign off an approval: a second officer, never the one who approved."""
    from redline.licensing.cases import sign_off

    ctx = _context()
    emit(_run(lambda: sign_off(ctx, case, reason, role=_role()), "CASE"), as_json, _render_case)


@case_app.command("notice")
def case_notice(
    case: int = typer.Argument(..., help="A denied case's number."),
    expiry: Optional[str] = typer.Option(None, "--expiry", help="ISO date (default: three years after the denial)."),
    as_json: bool = JSON,
) -> None:
    """Issue signed denial notices for a denied case (one per end user and consignee)."""
    from redline.licensing.cases import issue_notices

    ctx = _context()
    issued = _run(lambda: issue_notices(ctx, case, role=_role(), expiry=expiry), "CASE")
    emit(issued, as_json, _render_notices)


def _render_notices(v: list[dict[str, Any]]) -> None:
    for n in v:
        _render_notice(n)


def _render_notice(n: dict[str, Any]) -> None:
    party = n["party"]
    console.print(f"{n['notice_id']} {n['authority']}: {party['name']}" + (f" ({party['country']})" if party.get("country") else "")
                  + f" [{', '.join(n['control_codes'] + n['item_categories'])}] {n['date']} to {n['expiry']}", highlight=False)


@notice_app.command("issue")
def notice_issue(
    party: str = typer.Option(..., "--party", help="The denied end user or consignee."),
    country: Optional[str] = typer.Option(None, "--country", help="The party's country (ISO alpha-2)."),
    control_code: list[str] = typer.Option([], "--control-code", help="A control code (repeat for several)."),
    item_category: list[str] = typer.Option([], "--item-category", help="An item category (repeat for several)."),
    grounds: str = typer.Option(..., "--grounds", help="Why the licence was denied."),
    on: Optional[str] = typer.Option(None, "--date", help="The denial's date (ISO; default today)."),
    expiry: Optional[str] = typer.Option(None, "--expiry", help="ISO date (default: three years after --date)."),
    as_json: bool = JSON,
) -> None:
    """Issue a denial notice signed with this installation's key."""
    from redline.licensing.notices import build_fields, issue
    from redline.licensing.officers import require_officer

    ctx = _context()

    def run() -> dict[str, Any]:
        require_officer(ctx.actor, _role(), "issuing a denial notice")
        return issue(ctx, build_fields(party=party, country=country, control_codes=control_code,
                                       item_categories=item_category, grounds=grounds, on=on, expiry=expiry))

    emit(_run(run), as_json, _render_notice)


@notice_app.command("list")
def notice_list(
    origin: Optional[str] = typer.Option(None, "--origin", help="own | partner (default: both)."),
    as_json: bool = JSON,
) -> None:
    """Stored notices, ours and partners'."""
    from redline.licensing.notices import list_notices

    if origin not in (None, "own", "partner"):
        raise fail(f"--origin: {origin!r} is not one of own, partner")
    rows = list_notices(_context().store, origin)

    def render(v: list[dict[str, Any]]) -> None:
        if not v:
            console.print("no notices")
        for n in v:
            console.print(f"{n['seq']:>5} {n['origin']:8} {'in force' if n['in_force'] else 'expired '} ", end="")
            _render_notice(n)

    emit(rows, as_json, render)


@notice_app.command("show")
def notice_show(notice_id: str = typer.Argument(..., help="The notice's id."), as_json: bool = JSON) -> None:
    """One notice as stored, with its signature."""
    from redline.licensing.notices import get_notice

    try:
        found = get_notice(_context().store, notice_id)
    except LookupError as exc:
        raise fail(f"NOTICE_ID: {exc}") from None

    def render(n: dict[str, Any]) -> None:
        _render_notice(n)
        console.print(f"grounds: {n['grounds']}\nkey {n['key_id']}; ledger entry {n['ledger_seq']}", highlight=False)

    emit(found, as_json, render)


@notice_app.command("verify")
def notice_verify(file: Path = typer.Argument(..., help="A notice file (one notice, or an export)."), as_json: bool = JSON) -> None:
    """Check every notice's signature without storing anything; exit 1 when one fails."""
    from redline.licensing.notices import NoticeFileError, read_file, verify

    try:
        notices = read_file(file)
    except NoticeFileError as exc:
        raise fail(str(exc)) from None
    results = [{"index": i, "notice_id": n.get("notice_id") if isinstance(n, dict) else None, "problem": verify(n)}
               for i, n in enumerate(notices)]
    for r in results:
        r["valid"] = r["problem"] is None

    def render(v: list[dict[str, Any]]) -> None:
        for r in v:
            verdict = "[green]valid[/]" if r["valid"] else f"[red]invalid[/]: {r['problem']}"
            console.print(f"{file}: notices[{r['index']}] {r['notice_id']}: {verdict}", highlight=False)

    emit(results, as_json, render)
    if not all(r["valid"] for r in results):
        raise typer.Exit(1)


@notice_app.command("export")
def notice_export(
    output: Path = typer.Argument(..., help="Write our notices to this file."),
    notice: list[str] = typer.Option([], "--notice", help="Only this notice id (repeat for several)."),
    as_json: bool = JSON,
) -> None:
    """Our signed notices as a file for partners (`notice import` there)."""
    from redline.licensing.notices import export_file

    try:
        count = export_file(_context().store, output, list(notice) or None)
    except OSError as exc:
        raise fail(f"OUTPUT: cannot write {output}: {exc.strerror}") from None
    emit({"file": str(output), "notices": count}, as_json,
         lambda v: console.print(f"wrote {v['notices']} notice(s) to {v['file']}", highlight=False))


@notice_app.command("import")
def notice_import(file: Path = typer.Argument(..., help="A partner's notice file."), as_json: bool = JSON) -> None:
    """Receive a partner's notices: each is verified (a bad one is refused and reported, exit 1),
    stored, and screened against the open cases (consultations open)."""
    from redline.licensing.notices import NoticeFileError, import_file

    ctx = _context()
    try:
        results = _run(lambda: import_file(ctx, file))
    except NoticeFileError as exc:
        raise fail(str(exc)) from None

    def render(v: list[dict[str, Any]]) -> None:
        for r in v:
            if "refused" in r:
                console.print(f"[red]refused[/] notices[{r['index']}] {r['notice_id']}: {r['refused']}", highlight=False)
            else:
                opened = ", ".join(f"{c['id']} (case {c['case_id']})" for c in r["consultations"]) or "none"
                console.print(f"{'received' if r['stored'] else 'already had'} {r['notice_id']}; consultations: {opened}",
                              highlight=False)

    emit(results, as_json, render)
    if any("refused" in r for r in results):
        raise typer.Exit(1)


@notice_app.command("public-key")
def notice_public_key(as_json: bool = JSON) -> None:
    """This installation's authority name and public key, for partners to `notice trust`."""
    from redline.licensing.notices import own_key

    emit(own_key(_context()), as_json, lambda v: console.print(f"# {v['authority']} (key {v['key_id']})\n{v['public_key']}",
                                                              highlight=False, soft_wrap=True, end=""))


@notice_app.command("trust")
def notice_trust(
    authority: str = typer.Option(..., "--authority", help="The authority's name, as its notices state it."),
    public_key: Path = typer.Option(..., "--public-key", help="Its Ed25519 public key (PEM file), obtained out of band."),
    reason: str = typer.Option(..., "--reason", help="Why, in words: it goes in the ledger."),
    as_json: bool = JSON,
) -> None:
    """Pin the key an authority's notices must be signed with (first contact, or a changed key)."""
    from redline.licensing.notices import trust

    try:
        pem = public_key.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"--public-key: cannot read {public_key}: {exc}") from None
    ctx = _context()
    pinned = _run(lambda: trust(ctx, authority, pem, reason, role=_role()))
    emit(pinned, as_json, lambda v: console.print(
        f"{v['authority']}: notices must be signed by key {v['key_id']}"
        + (f" (was {v['previous_key_id']})" if v["previous_key_id"] else ""), highlight=False))


@notice_app.command("keys")
def notice_keys(as_json: bool = JSON) -> None:
    """The key pinned for each authority, and how it was pinned."""
    from redline.licensing.notices import pinned_keys

    rows = pinned_keys(_context().store)

    def render(v: list[dict[str, Any]]) -> None:
        if not v:
            console.print("no keys pinned")
        for k in v:
            console.print(f"{k['authority']}: {k['key_id']} ({k['how']}, {k['pinned_at'][:19]} by {k['pinned_by']})",
                          highlight=False)

    emit(rows, as_json, render)


def _render_consultation(c: dict[str, Any]) -> None:
    console.print(f"[bold]consultation {c['id']}[/] case {c['case_id']} with {c['authority']} on {c['notice_id']}: "
                  f"{c['status']} (deadline {c['deadline']}{', overdue' if c['overdue'] else ''})", highlight=False)
    console.print(f"  question: {c['question']}", highlight=False)
    if c["answer"]:
        console.print(f"  answer ({c['answered_by']}, {c['answered_at'][:19]}): {c['answer']}", highlight=False)
    if c["status"] == "closed":
        console.print(f"  closed by {c['closed_by']}: {c['close_reason']}", highlight=False)


@consultation_app.command("list")
def consultation_list(
    status: Optional[str] = typer.Option(None, "--status", help="open | answered | closed"),
    as_json: bool = JSON,
) -> None:
    """Consultations, newest first."""
    from redline.licensing.consultations import list_consultations

    ctx = _context()
    rows = _run(lambda: list_consultations(ctx.store, ctx.org, status))

    def render(v: list[dict[str, Any]]) -> None:
        if not v:
            console.print("no consultations")
        for c in v:
            _render_consultation(c)

    emit(rows, as_json, render)


@consultation_app.command("show")
def consultation_show(consultation: int = typer.Argument(...), as_json: bool = JSON) -> None:
    """One consultation: the match, the question, the answer."""
    from redline.licensing.consultations import get_consultation

    ctx = _context()
    emit(_run(lambda: get_consultation(ctx.store, ctx.org, consultation), "CONSULTATION"), as_json, _render_consultation)


@consultation_app.command("answer")
def consultation_answer(
    consultation: int = typer.Argument(...),
    text: str = typer.Option(..., "--text", help="The consulted state's answer."),
    as_json: bool = JSON,
) -> None:
    """Record the consulted state's answer."""
    from redline.licensing.consultations import answer

    ctx = _context()
    emit(_run(lambda: answer(ctx, consultation, text, role=_role()), "CONSULTATION"), as_json, _render_consultation)


@consultation_app.command("close")
def consultation_close(
    consultation: int = typer.Argument(...),
    reason: str = typer.Option(..., "--reason", help="Why it is closed, in words."),
    no_reply: bool = typer.Option(False, "--no-reply", help="Close without an answer: only once the deadline has passed."),
    as_json: bool = JSON,
) -> None:
    """Close a consultation (after its answer is recorded); the case may then be approved."""
    from redline.licensing.consultations import close

    ctx = _context()
    emit(_run(lambda: close(ctx, consultation, reason, role=_role(), no_reply=no_reply), "CONSULTATION"), as_json,
         _render_consultation)

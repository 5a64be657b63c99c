"""`redline licensing …`: a thin layer over redline.licensing; it decides nothing. Imports stay lazy."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from redline.output import console, emit, fail

app = typer.Typer(no_args_is_help=True, help="Human-rights licence assessment.")
policy_app = typer.Typer(no_args_is_help=True, help="Licensing policies: check, show, list.")
denial_app = typer.Typer(no_args_is_help=True, help="Denial notifications: export ours, import a partner's.")
app.add_typer(policy_app, name="policy")
app.add_typer(denial_app, name="denial")


def _add_casework() -> None:
    from redline.licensing.cli_cases import case_app, consultation_app, notice_app

    app.add_typer(case_app, name="case")
    app.add_typer(notice_app, name="notice")
    app.add_typer(consultation_app, name="consultation")

JSON = typer.Option(False, "--json", help="Machine-readable JSON output.")
_add_casework()


def _context() -> Any:
    from redline.context import get_context

    return get_context()


def _refusal(exc: Exception) -> typer.Exit:
    from redline.licensing.application import ApplicationError
    from redline.licensing.service import BatchRefused

    if isinstance(exc, BatchRefused):
        lines = []
        for err in exc.errors:
            lines.append(f"{err.source}: refused (nothing recorded)")
            lines.extend(f"  {field}: {reason}" for field, reason in err.problems)
        return fail("\n".join(lines))
    if isinstance(exc, ApplicationError):
        return fail(f"{exc}\n(nothing recorded)")
    return fail(str(exc))


def _known_errors() -> tuple[type[Exception], ...]:
    from redline.config import ConfigError
    from redline.licensing.application import ApplicationError
    from redline.licensing.policy import PolicyError
    from redline.licensing.screening import ScreeningUnavailable
    from redline.licensing.service import BatchRefused

    return (ApplicationError, BatchRefused, PolicyError, ScreeningUnavailable, ConfigError)


@app.command()
def assess(
    applications: list[Path] = typer.Argument(..., help="Application YAML files or folders of them."),
    policy: str = typer.Option("echri", "--policy", "-p", help="Policy name (echri, eu-2021-821, us-ear) or a YAML file."),
    export_denial: Optional[Path] = typer.Option(None, "--export-denial", help="On deny, write the denial notification JSON here."),
    as_json: bool = JSON,
) -> None:
    """Assess licence applications: approve, refer or deny, with reasons, citations and evidence."""
    from redline.licensing.service import assess_and_record

    context = _context()
    try:
        results = assess_and_record(list(applications), policy, context=context)
    except _known_errors() as exc:
        raise _refusal(exc) from None
    if export_denial is not None:
        _write_denials(context, [r["id"] for r in results if r["decision"] == "deny"], export_denial)
    single = len(results) == 1 and len(applications) == 1 and applications[0].is_file()
    emit(results[0] if single else results, as_json, lambda rs: [_render_result(r) for r in (rs if isinstance(rs, list) else [rs])])


def _write_denials(context: Any, ids: list[str], path: Path) -> None:
    from redline.licensing.denials import export_denials
    from redline.output import to_json

    notices = export_denials(context.store)
    notices["denials"] = [d for d in notices["denials"] if d["application_id"] in ids]
    try:
        path.write_text(to_json(notices) + "\n", encoding="utf-8")
    except OSError as exc:
        raise fail(f"--export-denial: cannot write {path}: {exc.strerror}") from None


def _render_result(result: dict[str, Any]) -> None:
    colour = {"approve": "green", "refer": "yellow", "deny": "red"}.get(result["decision"], "blue")
    first, *rest = result["explanation"].splitlines()
    console.print(f"[bold {colour}]{first}[/]", highlight=False)
    for line in rest:
        console.print(line, highlight=False, markup=False)
    console.print()


@app.command()
def compare(
    application: Path = typer.Argument(..., help="One application YAML file."),
    policies: str = typer.Option("echri,eu-2021-821,us-ear", "--policies", help="Comma-separated policy names."),
    as_json: bool = JSON,
) -> None:
    """Assess one application under several policies and show where and why they diverge."""
    from redline.licensing.service import compare_policies

    names = [p.strip() for p in policies.split(",") if p.strip()]
    if not names:
        raise fail("--policies: give at least one policy name (echri, eu-2021-821, us-ear)")
    try:
        report = compare_policies(application, names, context=_context())
    except _known_errors() as exc:
        raise _refusal(exc) from None

    def render(rep: dict[str, Any]) -> None:
        from rich.table import Table

        table = Table(title=f"{rep['id']} ({rep['date']}): " + ("policies diverge" if rep["diverge"] else "policies agree"))
        for col in ("policy", "decision", "risk", "why"):
            table.add_column(col)
        for diff in rep["differences"]:
            table.add_row(diff["policy"], diff["decision"], diff["destination_risk"], "\n".join(diff["why"]))
        console.print(table)

    emit(report, as_json, render)


@app.command()
def countries(
    code: str = typer.Argument(..., help="ISO 3166-1 alpha-2 code."),
    on: Optional[str] = typer.Option(None, "--date", help="As of this date (default today)."),
    policy: str = typer.Option("echri", "--policy", "-p"),
    as_json: bool = JSON,
) -> None:
    """A destination's risk tier under a policy, with every cited indicator and the data snapshots."""
    from redline.licensing.service import country_risk

    try:
        out = country_risk(code, on, policy, settings=_context().settings)
    except _known_errors() as exc:
        raise _refusal(exc) from None

    def render(value: dict[str, Any]) -> None:
        console.print(f"[bold]{value['name']} ({value['country']})[/]: {value['tier']} risk under {value['policy']['name']} "
                      f"as of {value['as_of']}")
        for ev in value["evidence"]:
            d = ev["detail"]
            if ev["kind"] == "destination_indicator":
                console.print(f"  {d['indicator']} = {d['value']}  ({ev['source']}; {ev['snapshot']})", highlight=False)
            elif ev["kind"] == "destination_indicator_missing":
                console.print(f"  missing: {', '.join(d['missing'])} (unknown, not low)", highlight=False)
            else:
                console.print(f"  in group {d['group']} ({ev['source']})", highlight=False)

    emit(out, as_json, render)


@policy_app.command("check")
def policy_check(target: str = typer.Argument(..., help="A policy name or a YAML file."), as_json: bool = JSON) -> None:
    """Validate a policy file: an error names the file, the rule and the field."""
    from redline.licensing.policy import PolicyError, load_policy

    try:
        pol = load_policy(target)
    except PolicyError as exc:
        if as_json:
            emit({"valid": False, "error": exc.to_dict()}, True, lambda _: None)
            raise typer.Exit(1) from None
        raise fail(str(exc), code=1) from None
    out = {"valid": True, "name": pol.name, "version": pol.version, "file": pol.path, "rules": len(pol.rules),
           "categories": len(pol.categories), "red_flags": len(pol.red_flags)}
    emit(out, as_json, lambda v: console.print(f"[green]valid[/]: {v['name']} {v['version']} ({v['rules']} rules) {v['file']}", highlight=False))


@policy_app.command("show")
def policy_show(name: str = typer.Argument(...), as_json: bool = JSON) -> None:
    """Show a policy: its sources, rules with dates and citations, tiers and vocabularies."""
    from redline.licensing.policy import PolicyError, describe, load_policy

    try:
        pol = load_policy(name)
    except PolicyError as exc:
        raise fail(str(exc)) from None
    out = describe(pol)

    def render(value: dict[str, Any]) -> None:
        from rich.table import Table

        console.print(f"[bold]{value['title']}[/] ({value['name']} {value['version']})", highlight=False)
        table = Table()
        for col in ("rule", "decision", "in force", "citations"):
            table.add_column(col)
        for r in value["rules"]:
            span = f"{r['effective']}" + (f" to {r['expires']}" if r["expires"] else "") + "".join(
                f"\nsuspended {s['from']} to {s['to']}" for s in r["suspended"])
            table.add_row(f"{r['id']}\n{r['title']}", r["decision"], span, "\n".join(r["cite"]))
        console.print(table)

    emit(out, as_json, render)


@policy_app.command("list")
def policy_list(as_json: bool = JSON) -> None:
    """The policies shipped with Redline."""
    from redline.licensing.policy import available_policies, load_policy

    out = [{"name": p.name, "version": p.version, "title": p.title} for p in map(load_policy, available_policies())]
    emit(out, as_json, lambda v: [console.print(f"{p['name']} {p['version']}: {p['title']}", highlight=False) for p in v])


@denial_app.command("export")
def denial_export(
    output: Optional[Path] = typer.Argument(None, help="Write to this file (default: standard output)."),
    application: Optional[str] = typer.Option(None, "--application", help="Only this application's denial."),
    as_json: bool = JSON,
) -> None:
    """Export our denials as a notification file for partner states."""
    from redline.licensing.denials import export_denials
    from redline.output import to_json

    notices = export_denials(_context().store, application)
    if output is not None:
        try:
            output.write_text(to_json(notices) + "\n", encoding="utf-8")
        except OSError as exc:
            raise fail(f"OUTPUT: cannot write {output}: {exc.strerror}") from None
        emit({"file": str(output), "denials": len(notices["denials"])}, as_json,
             lambda v: console.print(f"wrote {v['denials']} denial(s) to {v['file']}", highlight=False))
    else:
        emit(notices, True, lambda _: None)


@denial_app.command("import")
def denial_import(file: Path = typer.Argument(...), as_json: bool = JSON) -> None:
    """Load a partner's denial notifications; later look-alike applications are flagged (no undercut)."""
    from redline.licensing.denials import DenialFileError, import_denials

    try:
        loaded = import_denials(_context().store, file)
    except DenialFileError as exc:
        raise fail(str(exc)) from None
    emit({"file": str(file), "imported": len(loaded), "denials": loaded}, as_json,
         lambda v: console.print(f"imported {v['imported']} denial(s) from {v['file']}", highlight=False))


@denial_app.command("list")
def denial_list(as_json: bool = JSON) -> None:
    """Every stored denial, ours and partners'."""
    from redline.licensing.denials import list_denials

    rows = list_denials(_context().store)
    emit(rows, as_json, lambda v: [console.print(
        f"{d['origin']:8} {d['decided_on']} {d['authority']}: {', '.join(p['name'] for p in d['parties'])} "
        f"[{', '.join(d['item_categories'])}]", highlight=False) for d in v])


@app.command()
def alignment(as_json: bool = JSON) -> None:
    """Parties listed under surveillance and human-rights programmes: which partners list them, which don't."""
    from redline.licensing.alignment import AlignmentUnavailable, alignment_report

    try:
        report = alignment_report()
    except AlignmentUnavailable as exc:
        raise fail(str(exc)) from None

    def render(rep: dict[str, Any]) -> None:
        from rich.table import Table

        table = Table(title=f"Listing alignment ({len(rep['parties'])} parties; jurisdictions loaded: {', '.join(rep['jurisdictions_loaded'])})")
        for col in ("party", "programmes", "listed by", "not listed by"):
            table.add_column(col)
        for p in rep["parties"]:
            table.add_row(p["caption"], "\n".join(p["reasons"]), ", ".join(p["listed_by"]), ", ".join(p["not_listed_by"]))
        console.print(table)

    emit(report, as_json, render)

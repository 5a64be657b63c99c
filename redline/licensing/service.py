"""The licensing workflow the CLI (and later the HTTP API) calls: load, assess, record."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from redline.licensing.application import Application, ApplicationError, load_application
from redline.licensing.assess import assess, check_red_flags, classify_items
from redline.licensing.countries import CountryData, load_country_data
from redline.licensing.policy import Policy, load_policy
from redline.licensing.screening import Screener, default_screener, screen_parties

DEFAULT_POLICY = "echri"


def authority_name() -> str:
    return os.environ.get("REDLINE_AUTHORITY") or "Redline licensing authority"


def application_paths(paths: list[Path]) -> list[Path]:
    """Files as given; a folder gives its *.yaml / *.yml files, sorted, recursively."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            out.append(path)
    return out


def load_applications(paths: list[Path], policies: list[Policy]) -> list[Application]:
    """Every application parsed and checked against every policy first: one bad file refuses the batch."""
    files = application_paths(paths)
    if not files:
        raise ApplicationError(", ".join(map(str, paths)), [("(path)", "no application files (*.yaml) found")])
    errors: list[ApplicationError] = []
    apps = []
    for path in files:
        try:
            app = load_application(path)
            for policy in policies:
                check_red_flags(app, policy)
                classify_items(app, policy)
            apps.append(app)
        except ApplicationError as exc:
            errors.append(exc)
    if errors:
        raise BatchRefused(errors)
    return apps


class BatchRefused(ValueError):
    def __init__(self, errors: list[ApplicationError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def country_data(settings: Any) -> CountryData:
    return load_country_data(settings.data(""))


def assess_and_record(paths: list[Path], policy_name: str, *, context: Any, screener: Screener | None = None,
                      record_denials: bool = True) -> list[dict[str, Any]]:
    """Assess every application, write one ledger entry each; nothing is written if any input is refused."""
    policy = load_policy(policy_name)
    apps = load_applications(paths, [policy])
    countries = country_data(context.settings)
    screen = screener or default_screener()
    results = []
    for app in apps:
        result = assess(app, policy, countries=countries, screener=screen, store=context.store)
        results.append((app, result))
    for app, result in results:
        _record(context, app, policy, result)
        if record_denials and result["decision"] == "deny":
            from redline.licensing.denials import record_own_denial

            record_own_denial(context.store, result, app, authority_name())
    return [r for _, r in results]


def assess_application(app: Application, policy_name: str, *, context: Any, screener: Screener | None = None) -> dict[str, Any]:
    """One parsed application (a file or a request body) checked, assessed and recorded like `assess`."""
    policy = load_policy(policy_name)
    check_red_flags(app, policy)
    classify_items(app, policy)
    result = assess(app, policy, countries=country_data(context.settings), screener=screener or default_screener(),
                    store=context.store)
    _record(context, app, policy, result)
    return result


def country_risk(code: str, on: str | None, policy_name: str, *, settings: Any) -> dict[str, Any]:
    """A destination's risk tier under a policy as of a date (default today), with every indicator
    cited and the data snapshots. An unknown code is refused like an application's destination."""
    from datetime import date

    from redline.licensing.application import parse_application
    from redline.licensing.assess import destination_risk

    policy = load_policy(policy_name)
    query = parse_application({"id": "country-query", "date": on or date.today().isoformat(), "exporter": {"name": "-"},
                               "destination": code, "parties": [{"role": "end_user", "name": "-"}],
                               "items": [{"description": "-", "category": "general_ict"}]}, "query")
    data = country_data(settings)
    tier, summary, evidence = destination_risk(query, policy, data)
    return {**summary, "policy": {"name": policy.name, "version": policy.version}, "as_of": query.date.isoformat(),
            "evidence": evidence, "snapshots": [s.to_dict() for s in data.snapshots.values()]}


def compare_policies(path: Path, policy_names: list[str], *, context: Any, screener: Screener | None = None) -> dict[str, Any]:
    policies = [load_policy(n) for n in policy_names]
    (app,) = load_applications([path], policies)
    countries = country_data(context.settings)
    screen = screener or default_screener()
    screenings = screen_parties(app.parties, screen)  # screen once, assess under each policy
    results = {p.name: assess(app, p, countries=countries, screener=screen, store=context.store, screenings=screenings)
               for p in policies}
    for policy in policies:
        _record(context, app, policy, results[policy.name])
    return {"id": app.id, "date": app.date.isoformat(), "decisions": {n: r["decision"] for n, r in results.items()},
            "diverge": len({r["decision"] for r in results.values()}) > 1,
            "differences": _differences(results), "results": results}


def _differences(results: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Why the policies disagree: each policy's decisive rules, risk tier and citations."""
    out = []
    for name, result in results.items():
        decisive = [r for r in result["reasons"] if r["decision"] == result["decision"] and r["rule"]]
        out.append({"policy": name, "decision": result["decision"], "destination_risk": result["destination_risk"],
                    "decisive_rules": [r["rule"] for r in decisive],
                    "why": [f"{r['rule']}: {r['text']} [{'; '.join(r['cite_keys'])}]" for r in decisive]
                    or [r["text"] for r in result["reasons"]],
                    "not_in_force": result["rules_not_in_force"]})
    return out


def _record(context: Any, app: Application, policy: Policy, result: dict[str, Any]) -> None:
    source_sha = hashlib.sha256(Path(app.source).read_bytes()).hexdigest() if app.source and Path(app.source).is_file() else None
    policy_sha = hashlib.sha256(Path(policy.path).read_bytes()).hexdigest()
    context.ledger.append(
        "licensing.assess",
        context.settings.user,
        inputs={"application": app.id, "file": app.source, "sha256": source_sha, "date": app.date.isoformat(),
                "policy": policy.name},
        outcome={"decision": result["decision"], "rules": result["rules"], "destination_risk": result["destination_risk"],
                 "red_flags": result["red_flags"]},
        refs={"policy": {"name": policy.name, "version": policy.version, "sha256": policy_sha},
              "snapshots": {"countries": [s["id"] for s in result["snapshots"]["countries"]],
                            "lists": [s.get("id") for s in result["snapshots"]["lists"]]}},
    )

"""The `redline` command: one Typer app, one sub-command group per domain. It decides nothing."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

from redline import __version__
from redline.output import JSON_HELP, emit, fail


class RedlineGroup(TyperGroup):
    """The root command. Before it runs or prints help, every command's parameters get plain
    metavars (FILE, N, TEXT) instead of Typer's type labels (<bool>, <list[Path]>), and every
    --json option a help text, whichever domain declared them."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        from redline.store.schema import SchemaBehind

        _tidy(self)
        try:
            return super().main(*args, **kwargs)
        except SchemaBehind as exc:  # any command on a store this Redline cannot use as it is
            fail(str(exc))
            raise SystemExit(2) from None


def _tidy(command: Any) -> None:
    from typer._click.core import Context

    params = list(command.params)
    help_option = command.get_help_option(Context(command))
    for param in params + ([help_option] if help_option is not None else []):
        if isinstance(param, TyperOption):
            if param.name == "json" and not param.help:
                param.help = JSON_HELP
            if param.metavar is None:
                param.metavar = "" if param.is_flag else _metavar(param)
        elif isinstance(param, TyperArgument):
            if param.metavar is None:
                param.metavar = param.name.upper()
            param.display_type_rich = lambda ctx: None  # the metavar already says what it is
    for sub in getattr(command, "commands", {}).values():
        _tidy(sub)


def _metavar(param: TyperOption) -> str:
    annotation = param.type_descriptor.annotation
    kinds = {int: "N", float: "X", Path: "PATH"}
    return kinds.get(annotation, "TEXT")


app = typer.Typer(
    name="redline",
    help="Screen technology trade and online content against human-rights red lines.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=RedlineGroup,
)

# domain -> module holding its Typer app named `app`
DOMAINS = {
    "parties": ("redline.parties.cli", "Restricted-party lists and screening."),
    "licensing": ("redline.licensing.cli", "Human-rights licence assessment."),
    "infra": ("redline.infra.cli", "Which providers serve or are embedded by a domain."),
    "media": ("redline.media.cli", "Content signatures: hashing, banks, matching, provenance."),
    "ledger": ("redline.ledger_cli", "The audit ledger: show, export, verify."),
    "db": ("redline.db_cli", "The store's schema: status and migrations."),
    "monitor": ("redline.monitor.cli", "Monitor customer books: re-screen what changed since the last run."),
    "review": ("redline.review.cli", "Review screening hits: the queue, decisions, four-eyes."),
    "report": ("redline.reports.cli", "Transparency reports for a closed period: media and licensing."),
    "exchange": ("redline.exchange.cli", "Share signals with other platforms and Redline installations."),
}

for name, (module_name, help_text) in DOMAINS.items():
    app.add_typer(importlib.import_module(module_name).app, name=name, help=help_text)


from redline.api.cli import keys_app, serve  # noqa: E402  (light: uvicorn and FastAPI load when serving)

app.add_typer(keys_app, name="keys", help="API keys for the HTTP service: create, list, revoke.")
app.command("serve")(serve)


@app.command()
def version(json: bool = typer.Option(False, "--json", help=JSON_HELP)) -> None:
    """Print Redline's version."""
    emit({"version": __version__}, json, lambda v: typer.echo(v["version"]))


if __name__ == "__main__":
    app()

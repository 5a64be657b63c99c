"""The `redline` command: one Typer app, one sub-command group per domain. It decides nothing."""

from __future__ import annotations

import importlib

import typer

from redline import __version__

app = typer.Typer(
    name="redline",
    help="Screen technology trade and online content against human-rights red lines.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

# domain -> module holding its Typer app named `app`
DOMAINS = {
    "parties": ("redline.parties.cli", "Restricted-party lists and screening."),
    "licensing": ("redline.licensing.cli", "Human-rights licence assessment."),
    "infra": ("redline.infra.cli", "Which providers serve or are embedded by a domain."),
    "media": ("redline.media.cli", "Content signatures: hashing, banks, matching, provenance."),
    "ledger": ("redline.ledger_cli", "The audit ledger: show, export, verify."),
    "db": ("redline.db_cli", "The store's schema: status and migrations."),
}

for name, (module_name, help_text) in DOMAINS.items():
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        continue  # a domain not built yet
    app.add_typer(module.app, name=name, help=help_text)


from redline.api.cli import keys_app, serve  # noqa: E402  (light: uvicorn and FastAPI load when serving)

app.add_typer(keys_app, name="keys", help="API keys for the HTTP service: create, list, revoke.")
app.command("serve")(serve)


@app.command()
def version() -> None:
    """Print Redline's version."""
    typer.echo(__version__)


if __name__ == "__main__":
    app()

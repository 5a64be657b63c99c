"""`redline media …`: the commands are registered by the modules below (each owns its own)."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(no_args_is_help=True)

for module_name in ("redline.media.cli_signals", "redline.media.cli_live"):
    importlib.import_module(module_name).register(app)

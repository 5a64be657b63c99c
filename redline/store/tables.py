"""Imports every module that declares tables, so `Store.create_all` creates them all."""

import importlib

TABLE_MODULES = (
    "redline.ledger",
    "redline.parties.tables",
    "redline.licensing.tables",
    "redline.infra.tables",
    "redline.media.tables",
    "redline.media.tables_actions",
    "redline.keys",
    "redline.review.tables",
    "redline.monitor.tables",
    "redline.exchange.tables",
    "redline.ui.tables",
)

for _name in TABLE_MODULES:
    try:
        importlib.import_module(_name)
    except ModuleNotFoundError as exc:
        if not exc.name or not (_name + ".").startswith(exc.name + "."):
            raise

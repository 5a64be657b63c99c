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
    importlib.import_module(_name)  # a missing module is a packaging error: fail, never skip

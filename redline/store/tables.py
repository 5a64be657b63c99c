"""Imports every module that declares tables, so `Store.create_all` creates them all."""

import redline.ledger  # noqa: F401
import redline.parties.tables  # noqa: F401

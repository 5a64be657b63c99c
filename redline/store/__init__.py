"""Persistence: one interface over SQLAlchemy Core, SQLite by default, PostgreSQL for a shared server.

Every domain declares its tables on `metadata` (see `tables.py` modules in each domain) and talks
to the store only through SQLAlchemy Core expressions, so the same code runs on both backends.
"""

from redline.store.base import Store, metadata, open_store

__all__ = ["Store", "metadata", "open_store"]

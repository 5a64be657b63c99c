"""Workbench sign-ins: one row per browser session, so that signing out ends it on the server too."""

from sqlalchemy import Column, Integer, String, Table

from redline.store.base import metadata

ui_sessions = Table(
    "ui_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("digest", String(64), nullable=False, unique=True),  # SHA-256 of the session token the cookie carries
    Column("key_name", String(100), nullable=False, index=True),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Column("ended_at", String(40), nullable=True),
)

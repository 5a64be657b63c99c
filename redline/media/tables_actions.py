"""Tables for livestream alerts, the review queue, enforcement actions, account strikes and appeals.

Every row here also has an entry in the audit ledger (kinds media.alert, media.review, media.action,
media.strike, media.appeal); the tables are the queryable state, the ledger is the tamper-evident record.
Times are ISO-8601 strings in UTC (`2026-11-20T10:00:00.123456+00:00`), so they sort and compare as text.
JSON columns hold orjson-encoded text (portable between SQLite and PostgreSQL).
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Integer, String, Table, Text

from redline.store.base import metadata

# One row per item waiting for (or given) a human decision: a flagged livestream, or an upload
# whose policy action is "review".
review_table = Table(
    "media_review",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", String(40), nullable=False, index=True),
    Column("kind", String(20), nullable=False),  # livestream | upload
    Column("source", Text, nullable=False),  # stream URL or file path
    Column("account", String(200)),
    Column("offset_s", Float),  # position in the stream of the alerting frame
    Column("bank", String(200)),
    Column("content_id", String(400)),
    Column("signal_type", String(40)),
    Column("distance", Integer),
    Column("quality", Integer),
    Column("labels", Text, nullable=False, default="[]"),  # JSON list
    Column("latency_s", Float),  # frame decoded -> alert raised
    Column("action_id", Integer),  # the action that sent an upload here, if any
    Column("status", String(20), nullable=False, default="open", index=True),  # open | resolved
    Column("resolution", String(40)),  # confirmed | false_positive | escalated
    Column("note", Text),
    Column("resolved_by", String(200)),
    Column("resolved_at", String(40)),
    Column("ledger_seq", Integer),
)

# One row per enforcement decision on an upload: what matched, which rule applied, what was done.
actions_table = Table(
    "media_actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", String(40), nullable=False, index=True),
    Column("account", String(200), nullable=False, index=True),
    Column("file", Text, nullable=False),
    Column("sha256", String(64)),
    Column("action", String(20), nullable=False),  # block | review | allow | none
    Column("rule", String(200)),  # the policy rule that decided (label), or null
    Column("banks", Text, nullable=False, default="[]"),  # JSON list of banks matched
    Column("labels", Text, nullable=False, default="[]"),  # JSON list of labels matched
    Column("matches", Text, nullable=False, default="[]"),  # JSON list of match dicts
    Column("policy", String(200), nullable=False),  # "name@version"
    Column("status", String(20), nullable=False, default="in_force"),  # in_force | upheld | overturned
    Column("ledger_seq", Integer),
)

strikes_table = Table(
    "media_strikes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", String(40), nullable=False, index=True),
    Column("account", String(200), nullable=False, index=True),
    Column("action_id", Integer, ForeignKey("media_actions.id"), nullable=False),
    Column("category", String(200), nullable=False),  # the label that earned the strike
    Column("penalty", String(20), nullable=False),  # restriction | ban
    Column("expires_at", String(40)),  # end of a temporary restriction; null for a ban
    Column("reversed", Integer, nullable=False, default=0),
    Column("reversed_by_appeal", Integer),
    Column("ledger_seq", Integer),
)

appeals_table = Table(
    "media_appeals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", String(40), nullable=False, index=True),
    Column("action_id", Integer, ForeignKey("media_actions.id"), nullable=False, index=True),
    Column("account", String(200), nullable=False),
    Column("outcome", String(20), nullable=False),  # upheld | overturned
    Column("note", Text),
    Column("decided_by", String(200), nullable=False),
    Column("strikes_reversed", Integer, nullable=False, default=0),
    Column("ledger_seq", Integer),
)

"""Tables of the exchange domain.

`exchanges`: one configured exchange (adapter, its bank, non-secret config, a credential reference
or ciphertext, the checkpoint and the last fetch's status). `exchange_signals`: provenance of every
hash fetched from an exchange (contributor, labels, when last confirmed, deletion, local
deconfirmation and whether it was pushed back). `exchange_refused`: records refused on fetch
(failed signature, malformed). `exchange_feed` and `exchange_blocks`: what this installation
publishes on /v1/exchange/feed, each record covered by an Ed25519-signed block of record digests.
`exchange_feedback`: opinions (deconfirmations) other members sent back about published hashes.
"""

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from redline.store.base import metadata

exchanges = Table(
    "exchanges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("adapter", String(40), nullable=False),
    Column("bank", String(200), nullable=False),
    Column("config", Text, nullable=False, default="{}"),  # JSON, never a secret
    Column("credential", Text, nullable=True),  # "env:VAR", "file:PATH" or "fernet:CIPHERTEXT"
    Column("checkpoint", Text, nullable=True),
    Column("status", Text, nullable=False, default="{}"),  # JSON: the last fetch
    Column("enabled", Boolean, nullable=False, default=True),
    Column("created_at", String(40), nullable=False),
    Column("created_by", String(200), nullable=False),
)

signals = Table(
    "exchange_signals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("exchange_id", Integer, ForeignKey("exchanges.id", ondelete="CASCADE"), nullable=False),
    Column("signal_type", String(32), nullable=False),
    Column("value_key", String(64), nullable=False),
    Column("value", Text, nullable=False),
    Column("remote_id", String(200), nullable=True),  # the exchange's own id (descriptor id, feed seq)
    Column("contributor", String(200), nullable=True),
    Column("labels", Text, nullable=False, default="[]"),
    Column("first_seen", String(40), nullable=False),
    Column("last_confirmed", String(40), nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("deconfirmed_at", String(40), nullable=True),
    Column("deconfirmed_by", String(200), nullable=True),
    Column("deconfirm_reason", Text, nullable=True),
    Column("feedback", String(16), nullable=True),  # pending | pushed | local (the exchange takes none)
    Index("ix_exchange_signals_key", "exchange_id", "signal_type", "value_key", unique=True),
)

refused = Table(
    "exchange_refused",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("exchange_id", Integer, ForeignKey("exchanges.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("at", String(40), nullable=False),
    Column("reason", Text, nullable=False),
    Column("record", Text, nullable=False),  # the record as received, cut at 2,000 characters
)

blocks = Table(
    "exchange_blocks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("origin", String(16), nullable=False),  # key id of the signing installation key
    Column("at", String(40), nullable=False),
    Column("digests", Text, nullable=False),  # the SHA-256 (hex) of each record, concatenated in order
    Column("signature", String(128), nullable=False),
)

feed = Table(
    "exchange_feed",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("bank", String(200), nullable=False),
    Column("signal_type", String(32), nullable=False),
    Column("value_key", String(64), nullable=False),
    Column("deleted", Boolean, nullable=False),
    Column("record", Text, nullable=False),  # canonical JSON: exactly the bytes whose digest the block signs
    Column("block_id", Integer, ForeignKey("exchange_blocks.id"), nullable=False),
    Column("block_index", Integer, nullable=False),
    Index("ix_exchange_feed_key", "bank", "signal_type", "value_key"),
)

feedback = Table(
    "exchange_feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("from_key", String(100), nullable=False),  # the API key that sent it
    Column("from_org", String(100), nullable=True),
    Column("origin", String(16), nullable=False),  # key id of the sender's installation key (signature verified)
    Column("signal_type", String(32), nullable=False),
    Column("value_key", String(64), nullable=False),
    Column("value", Text, nullable=False),
    Column("opinion", String(32), nullable=False),
    Column("reason", Text, nullable=True),
    Column("sent_at", String(40), nullable=False),
    Column("published", Boolean, nullable=False),  # whether this installation published the hash
    Index("ix_exchange_feedback_key", "signal_type", "value_key"),
)

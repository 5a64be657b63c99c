"""Tables of the media signals domain: banks, their hashes, match counts and the flood quarantine.

`media_signal_derived` links hashes derived from a banked file to the hash of the file itself.
`media_signals.rev` is a store-wide revision number, bumped by every write that adds a hash or
changes whether it is enabled; the in-memory index catches up by reading rows with a higher rev.
"""

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, LargeBinary, String, Table, Text

from redline.store.base import metadata

banks = Table(
    "media_banks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("negative", Boolean, nullable=False, default=False),
    Column("labels", Text, nullable=False, default="[]"),  # JSON list: labels every hash of the bank carries
    Column("enabled", Boolean, nullable=False, default=True),
    Column("created_at", String(40), nullable=False),
    Column("created_by", String(200), nullable=False),
)

signals = Table(
    "media_signals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("bank_id", Integer, ForeignKey("media_banks.id", ondelete="CASCADE"), nullable=False),
    Column("signal_type", String(32), nullable=False),
    Column("value", Text, nullable=False),
    Column("value_key", String(64), nullable=False),  # the value itself, or SHA-256 of a long value (vpdq)
    Column("content_id", String(200), nullable=True),
    Column("labels", Text, nullable=False, default="[]"),
    Column("contributor", String(200), nullable=True),
    Column("added_on", String(40), nullable=False),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("quality", Integer, nullable=True),
    Column("rev", Integer, nullable=False),
    Index("ix_media_signals_unique", "bank_id", "signal_type", "value_key", unique=True),
    Index("ix_media_signals_lookup", "signal_type", "value_key"),
    Index("ix_media_signals_rev", "rev"),
)

# A derived hash is one Redline computed from a banked file for robust matching (the picture without
# its bars, a window of it, a video with its bars cut off): it matches as its parent, is disabled with
# it, and is left out of exports and bank sizes.
derived = Table(
    "media_signal_derived",
    metadata,
    Column("signal_id", Integer, ForeignKey("media_signals.id", ondelete="CASCADE"), primary_key=True),
    Column("parent_id", Integer, ForeignKey("media_signals.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("variant", String(40), nullable=False),
)

state = Table(
    "media_state",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", String(200), nullable=False),
)

match_counts = Table(
    "media_match_counts",
    metadata,
    Column("signal_id", Integer, ForeignKey("media_signals.id", ondelete="CASCADE"), primary_key=True),
    Column("window", Integer, primary_key=True, autoincrement=False),  # unix time // window seconds
    Column("count", Integer, nullable=False),
)

quarantine = Table(
    "media_quarantine",
    metadata,
    Column("signal_id", Integer, ForeignKey("media_signals.id", ondelete="CASCADE"), primary_key=True),
    Column("state", String(16), nullable=False),  # held | released
    Column("held_at", String(40), nullable=False),
    Column("reason", Text, nullable=False),
    Column("released_at", String(40), nullable=True),
    Column("released_by", String(200), nullable=True),
)

# ORB keypoints of a banked picture (keypoints.pack: ~15 KB), keyed by the picture's own PDQ hash;
# the keypoint stage of the matcher files them in its coarse index and verifies its shortlist with them.
keypoints = Table(
    "media_keypoints",
    metadata,
    Column("signal_id", Integer, ForeignKey("media_signals.id", ondelete="CASCADE"), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

# A deleted bank (banks.delete_bank): its row stays, renamed and disabled, with its hashes until
# `banks.purge_deleted_banks` removes them; a running Matcher stops answering for it on its next refresh.
bank_tombstones = Table(
    "media_bank_tombstones",
    metadata,
    Column("bank_id", Integer, ForeignKey("media_banks.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String(200), nullable=False),  # the name it had (free again once deleted)
    Column("deleted_at", String(40), nullable=False),
    Column("deleted_by", String(200), nullable=False),
    Column("rev", Integer, nullable=False),  # the store revision of the deletion
    Column("hashes", Integer, nullable=False),
    Column("purged_at", String(40), nullable=True),
)

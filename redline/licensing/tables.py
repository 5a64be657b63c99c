"""Tables of the licensing domain: denial notifications, licence cases, signed denial notices, consultations."""

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from redline.store.base import metadata

denials = Table(
    "licensing_denials",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("denial_id", String(200), nullable=False, unique=True),  # e.g. "NO:APP-2026-0042"
    Column("origin", String(16), nullable=False, index=True),  # "own" | "partner"
    Column("authority", String(200), nullable=False),
    Column("application_id", String(200), nullable=True),
    Column("decided_on", String(10), nullable=False),
    Column("item_categories", Text, nullable=False),  # JSON {"categories", "control_codes", "policy"} (old rows: a list)
    Column("parties", Text, nullable=False),  # JSON list of {role, name, country, type}
    Column("reason", Text, nullable=False),
    Column("citations", Text, nullable=False),  # JSON list
    Column("destination", String(2), nullable=True),
    Column("imported_at", String(40), nullable=False),
    Column("source_file", Text, nullable=True),
)

# Licence cases: an application, its assessment, and the officers' decisions on it (four-eyes).
cases = Table(
    "licensing_cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org", String(100), nullable=True),
    Column("application_id", String(200), nullable=False, index=True),
    Column("application", Text, nullable=False),  # JSON: the application as filed
    Column("source", Text, nullable=True),
    Column("sha256", String(64), nullable=False),
    Column("policy", String(100), nullable=False),
    Column("assessment", Text, nullable=False),  # JSON: the assess.py result
    Column("assessed", String(32), nullable=False),  # the assessment's decision
    Column("party_hits", Text, nullable=False),  # JSON {party name: [listed party ids the engine matched]}
    Column("status", String(32), nullable=False, index=True),
    Column("opened_by", String(200), nullable=False),
    Column("opened_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
)

case_steps = Table(
    "licensing_case_steps",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("licensing_cases.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("step", String(32), nullable=False),  # open | decide | sign_off
    Column("decision", String(20), nullable=True),
    Column("reason", Text, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("at", String(40), nullable=False),
    Column("ledger_seq", Integer, nullable=False),
)

# Signed denial notices: ours (origin "own", whose id is the feed's seq) and partners' (verified on receipt).
notices = Table(
    "licensing_notices",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("notice_id", String(200), nullable=False, unique=True),
    Column("origin", String(16), nullable=False, index=True),  # own | partner
    Column("authority", String(200), nullable=False, index=True),
    Column("key_id", String(16), nullable=False),
    Column("party_name", Text, nullable=False),
    Column("party_country", String(2), nullable=True),
    Column("party_hits", Text, nullable=False),  # JSON [listed party ids the engine matched to the party], [] unscreened
    Column("date", String(10), nullable=False),
    Column("expiry", String(10), nullable=False),
    Column("case_id", Integer, nullable=True),
    Column("exchange", String(200), nullable=True),  # where a partner's notice came from
    Column("body", Text, nullable=False),  # JSON: the signed notice exactly as issued
    Column("stored_at", String(40), nullable=False),
    Column("ledger_seq", Integer, nullable=False),
)

consultations = Table(
    "licensing_consultations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("licensing_cases.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("notice_id", String(200), nullable=False),
    Column("authority", String(200), nullable=False),
    Column("party", Text, nullable=False),  # the application's party that matched
    Column("match", Text, nullable=False),  # JSON: how it matched (engine score, overlap)
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=True),
    Column("status", String(16), nullable=False, index=True),  # open | answered | closed
    Column("deadline", String(10), nullable=False),
    Column("opened_at", String(40), nullable=False),
    Column("answered_by", String(200), nullable=True),
    Column("answered_at", String(40), nullable=True),
    Column("closed_by", String(200), nullable=True),
    Column("closed_at", String(40), nullable=True),
    Column("close_reason", Text, nullable=True),
    UniqueConstraint("case_id", "notice_id", name="uq_licensing_consultation_case_notice"),
)

# The key each issuing authority signs its notices with: pinned by the first verified notice, by
# this installation for its own notices, or set by an officer (`notice trust`).
authority_keys = Table(
    "licensing_authority_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("authority", String(200), nullable=False, unique=True),
    Column("key_id", String(16), nullable=False),
    Column("public_key", Text, nullable=False),
    Column("how", String(32), nullable=False),  # first_notice | own | trusted
    Column("pinned_by", String(200), nullable=False),
    Column("pinned_at", String(40), nullable=False),
    Column("ledger_seq", Integer, nullable=False),
)

"""API keys with roles, for the HTTP service.

A key is `rl_` followed by 32 random bytes (URL-safe base64), shown once when created. The store keeps
only its SHA-256. A slow password hash (bcrypt, argon2) protects low-entropy secrets from guessing;
a 256-bit random token cannot be guessed either way, and a plain digest lets every request find its
key by an indexed lookup instead of trying a slow hash per stored key.

Roles are ordered: reader < analyst < curator < admin. Readers screen and look up; analysts decide
reviews and run assessments; curators edit banks and import lists; admins manage keys. A key may
carry an organisation: the request's Context carries it, so a domain can scope private data to it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Column, Integer, String, Table, select, update
from sqlalchemy.exc import IntegrityError

from redline.ledger import Ledger
from redline.store.base import Store, metadata

ROLES = ("reader", "analyst", "curator", "admin")
PREFIX = "rl_"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("org", String(100), nullable=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("hint", String(16), nullable=False),  # the key's first characters, to tell keys apart in a list
    Column("created_at", String(40), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("revoked_at", String(40), nullable=True),
)


class KeyProblem(ValueError):
    """A bad key name, role, or an unknown key; the message says which."""


@dataclass(frozen=True)
class ApiKey:
    name: str
    role: str
    org: str | None
    hint: str
    created_at: str
    created_by: str
    revoked_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "org": self.org, "hint": self.hint,
                "created_at": self.created_at, "created_by": self.created_by, "revoked_at": self.revoked_at,
                "active": self.revoked_at is None}


def role_rank(role: str) -> int:
    return ROLES.index(role)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def create_key(store: Store, ledger: Ledger, name: str, role: str, *, org: str | None = None,
               actor: str = "unknown") -> dict[str, str]:
    """A new key; returns {"name", "role", "org", "key"}: the key itself is never shown again."""
    if not NAME.match(name or ""):
        raise KeyProblem(f"invalid key name {name!r}: letters, digits, '.', '_', '@' or '-' (at most 100)")
    if role not in ROLES:
        raise KeyProblem(f"invalid role {role!r}: use one of {', '.join(ROLES)}")
    if org is not None and not NAME.match(org):
        raise KeyProblem(f"invalid organisation {org!r}: letters, digits, '.', '_', '@' or '-' (at most 100)")
    key = PREFIX + secrets.token_urlsafe(32)
    try:
        with store.transaction() as conn:
            conn.execute(api_keys.insert().values(
                name=name, role=role, org=org, digest=digest(key), hint=key[:7], created_at=_now(),
                created_by=actor))
            ledger.append("keys.create", actor, {"name": name, "role": role, "org": org}, {"hint": key[:7]}, conn=conn)
    except IntegrityError:
        raise KeyProblem(f"a key named {name!r} already exists") from None
    return {"name": name, "role": role, "org": org, "key": key}


def list_keys(store: Store, *, include_revoked: bool = False) -> list[ApiKey]:
    query = select(api_keys).order_by(api_keys.c.name)
    if not include_revoked:
        query = query.where(api_keys.c.revoked_at.is_(None))
    with store.connect() as conn:
        return [_from_row(r) for r in conn.execute(query)]


def revoke_key(store: Store, ledger: Ledger, name: str, *, actor: str = "unknown") -> ApiKey:
    with store.transaction() as conn:
        done = conn.execute(update(api_keys).where(api_keys.c.name == name, api_keys.c.revoked_at.is_(None))
                            .values(revoked_at=_now())).rowcount
        if not done:
            raise KeyProblem(f"no active key named {name!r}")
        ledger.append("keys.revoke", actor, {"name": name}, {"revoked": True}, conn=conn)
        row = conn.execute(select(api_keys).where(api_keys.c.name == name)).one()
    return _from_row(row)


def authenticate(store: Store, key: str) -> ApiKey | None:
    """The active key this secret belongs to, or None."""
    if not key.startswith(PREFIX) or len(key) > 200:
        return None
    with store.connect() as conn:
        row = conn.execute(select(api_keys).where(api_keys.c.digest == digest(key))).first()
    if row is None or row.revoked_at is not None:
        return None
    # compare_digest: the lookup found it by digest; this keeps the final check constant-time
    return _from_row(row) if secrets.compare_digest(row.digest, digest(key)) else None


def _from_row(row: Any) -> ApiKey:
    return ApiKey(row.name, row.role, row.org, row.hint, row.created_at, row.created_by, row.revoked_at)

"""Workbench sessions: signing in with an API key, the session cookie, and CSRF tokens.

Signing in with a key (`keys.authenticate`) opens a session: a random token whose SHA-256 is a row
in ui_sessions. The cookie carries the token signed with the installation's UI secret (itsdangerous,
HMAC-SHA1 over a timestamped value), which lives in a file under REDLINE_HOME/keys, outside the
database: whoever can write the store cannot mint cookies. A request is signed in when the cookie's
signature holds, it is younger than SESSION_HOURS, its row is not ended, and its key is still active
(a revoked key ends its sessions within keys' cache time). Signing out ends the row, so a copied
cookie stops working at once.

Every form POST carries a CSRF token: for a session, an HMAC of its token (nothing to store); for
the sign-in form, a token that is also in a short-lived signed cookie (double submit). SameSite=Strict
cookies already keep other sites' requests unauthenticated; the token is the second lock.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select, update

from redline import keys
from redline.ledger import Ledger
from redline.store.base import Store
from redline.ui.tables import ui_sessions

SESSION_COOKIE = "redline_ui"
SIGNIN_COOKIE = "redline_ui_signin"
SESSION_HOURS = 8
SIGNIN_FORM_SECONDS = 1800
KEY_CACHE_SECONDS = 2.0  # as redline.api.auth: a revoked key stops working within this long


def secret_path(home: Path) -> Path:
    return home / "keys" / "ui-session.secret"


def load_secret(home: Path) -> bytes:
    """The installation's UI signing secret, created on first use (0600, never in the database).
    Created with O_EXCL, so two workers starting together agree on one secret."""
    path = secret_path(home)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    value = path.read_text().strip()
    if len(value) < 32:
        raise RuntimeError(f"{path}: the workbench secret is shorter than 32 characters; delete it to make a new one")
    return value.encode()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Viewer:
    """Who is signed in: the key (its name is the actor, its org what they may see) and the session token."""

    key: keys.ApiKey
    token: str
    csrf: str

    @property
    def name(self) -> str:
        return self.key.name

    @property
    def org(self) -> str | None:
        return self.key.org

    def can(self, role: str) -> bool:
        return keys.role_rank(self.key.role) >= keys.role_rank(role)


class Sessions:
    """Sessions over one store, signed with one secret."""

    def __init__(self, store: Store, ledger: Ledger, secret: bytes) -> None:
        self.store = store
        self.ledger = ledger
        self._secret = secret
        self._cookie = URLSafeTimedSerializer(secret, salt="redline-ui-session")
        self._signin = URLSafeTimedSerializer(secret, salt="redline-ui-signin")
        self._keys: tuple[float, dict[str, keys.ApiKey]] = (0.0, {})

    # -- CSRF
    def csrf_for(self, token: str) -> str:
        return hmac.new(self._secret, b"csrf:" + token.encode(), hashlib.sha256).hexdigest()

    def check_csrf(self, viewer: Viewer, submitted: str | None) -> bool:
        return bool(submitted) and hmac.compare_digest(viewer.csrf, submitted or "")

    def signin_form(self) -> tuple[str, str]:
        """A sign-in form token and the signed cookie that must come back with it."""
        token = secrets.token_urlsafe(24)
        return token, self._signin.dumps(token)

    def check_signin_form(self, cookie: str | None, submitted: str | None) -> bool:
        if not cookie or not submitted:
            return False
        try:
            expected = self._signin.loads(cookie, max_age=SIGNIN_FORM_SECONDS)
        except BadSignature:
            return False
        return isinstance(expected, str) and hmac.compare_digest(expected, submitted)

    # -- sessions
    def sign_in(self, secret_key: str) -> tuple[keys.ApiKey, str] | None:
        """A new session for the active key `secret_key`; returns the key and the signed cookie value,
        or None for an unknown or revoked key."""
        found = keys.authenticate(self.store, secret_key.strip())
        if found is None:
            return None
        token = secrets.token_urlsafe(32)
        now = _now()
        with self.store.transaction() as conn:
            # sessions past their end are of no use to anyone: each sign-in sweeps them
            conn.execute(delete(ui_sessions).where(ui_sessions.c.expires_at < now.isoformat(timespec="seconds")))
            conn.execute(ui_sessions.insert().values(
                digest=_digest(token), key_name=found.name, created_at=now.isoformat(timespec="seconds"),
                expires_at=(now + timedelta(hours=SESSION_HOURS)).isoformat(timespec="seconds")))
            self.ledger.append("ui.signin", found.name, {"key": found.name, "org": found.org},
                               {"role": found.role}, conn=conn)
        return found, self._cookie.dumps(token)

    def viewer(self, cookie: str | None) -> Viewer | None:
        if not cookie:
            return None
        try:
            token = self._cookie.loads(cookie, max_age=SESSION_HOURS * 3600)
        except BadSignature:
            return None
        if not isinstance(token, str):
            return None
        with self.store.connect() as conn:
            row = conn.execute(select(ui_sessions).where(ui_sessions.c.digest == _digest(token))).first()
        if row is None or row.ended_at is not None or row.expires_at <= _now().isoformat(timespec="seconds"):
            return None
        key = self._active_keys().get(row.key_name)
        if key is None:
            return None
        return Viewer(key, token, self.csrf_for(token))

    def sign_out(self, viewer: Viewer) -> None:
        with self.store.transaction() as conn:
            conn.execute(update(ui_sessions).where(ui_sessions.c.digest == _digest(viewer.token),
                                                   ui_sessions.c.ended_at.is_(None))
                         .values(ended_at=_now().isoformat(timespec="seconds")))
            self.ledger.append("ui.signout", viewer.name, {"key": viewer.name, "org": viewer.org}, {}, conn=conn)

    def _active_keys(self) -> dict[str, keys.ApiKey]:
        at, known = self._keys
        if time.monotonic() - at > KEY_CACHE_SECONDS:
            known = {k.name: k for k in keys.list_keys(self.store)}
            self._keys = (time.monotonic(), known)
        return known

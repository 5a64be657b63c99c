"""Credentials of exchanges, kept out of the database's plain columns.

A credential is stored as one of:
  `env:NAME`        read from the environment variable NAME when the exchange is used;
  `file:PATH`       read from a file (first line; the file is the operator's to protect);
  `fernet:TOKEN`    the secret encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under a key kept in
                    `REDLINE_HOME/keys/exchange-fernet.key` (mode 0600) or the file named by
                    `REDLINE_EXCHANGE_KEY`: a copy of the database alone does not reveal it.
A secret may be a JSON object (e.g. {"username": …, "password": …}) for adapters that log in.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from redline.config import Settings


class CredentialError(ValueError):
    pass


def key_path(settings: Settings) -> Path:
    configured = os.environ.get("REDLINE_EXCHANGE_KEY")
    return Path(configured).expanduser() if configured else settings.home / "keys" / "exchange-fernet.key"


def _fernet(settings: Settings, create: bool) -> Fernet:
    path = key_path(settings)
    if not path.exists():
        if not create:
            raise CredentialError(f"{path}: the key that encrypts exchange credentials is missing; "
                                  "add the credential again (redline exchange add NAME --update …)")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(Fernet.generate_key())
        except FileExistsError:
            pass  # another process made it first
    return Fernet(path.read_bytes().strip())


def seal(settings: Settings, secret: str) -> str:
    """The stored form of a secret given on the command line or over HTTP."""
    if not secret:
        raise CredentialError("the credential is empty")
    return "fernet:" + _fernet(settings, create=True).encrypt(secret.encode()).decode()


def reference(kind: str, target: str) -> str:
    """A credential read at use time from an environment variable or a file."""
    if kind not in ("env", "file") or not target:
        raise CredentialError(f"a credential reference is env:NAME or file:PATH, got {kind}:{target}")
    return f"{kind}:{target}"


def describe(stored: str | None) -> str | None:
    """What `list` shows: where the secret lives, never the secret."""
    if not stored:
        return None
    kind, _, target = stored.partition(":")
    return "encrypted" if kind == "fernet" else f"{kind}:{target}"


def reveal(settings: Settings, stored: str | None) -> str | None:
    if not stored:
        return None
    kind, _, target = stored.partition(":")
    if kind == "env":
        value = os.environ.get(target)
        if not value:
            raise CredentialError(f"the credential's environment variable {target} is not set")
        return value
    if kind == "file":
        path = Path(target).expanduser()
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise CredentialError(f"{path}: cannot read the credential file ({exc.strerror or exc})") from None
        if not lines or not lines[0].strip():
            raise CredentialError(f"{path}: the credential file is empty")
        return lines[0].strip() if not lines[0].lstrip().startswith("{") else "\n".join(lines)
    if kind == "fernet":
        try:
            return _fernet(settings, create=False).decrypt(target.encode()).decode()
        except InvalidToken:
            raise CredentialError(f"{key_path(settings)}: this key does not decrypt the stored credential "
                                  "(was the key file replaced?)") from None
    raise CredentialError(f"unknown credential form {kind!r}")

"""Credentials out of the database's plain columns: sealed with a key file (0600) beside the store,
or referenced (env var, file) and read when used; clear errors when they cannot be read."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from redline.config import load_settings
from redline.exchange import credentials


def test_sealed_credentials_need_the_key_file(tmp_path: Path) -> None:
    settings = load_settings()
    stored = credentials.seal(settings, "tok-123")
    assert stored.startswith("fernet:") and "tok-123" not in stored
    assert credentials.describe(stored) == "encrypted"
    key_file = credentials.key_path(settings)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert credentials.reveal(settings, stored) == "tok-123"
    key_file.unlink()
    with pytest.raises(credentials.CredentialError, match="missing"):
        credentials.reveal(settings, stored)
    credentials.seal(settings, "other")  # a new key file: the old ciphertext no longer opens
    with pytest.raises(credentials.CredentialError, match="does not decrypt"):
        credentials.reveal(settings, stored)


def test_references_are_read_when_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    env = credentials.reference("env", "PEER_TOKEN")
    with pytest.raises(credentials.CredentialError, match="PEER_TOKEN is not set"):
        credentials.reveal(settings, env)
    monkeypatch.setenv("PEER_TOKEN", "from-env")
    assert credentials.reveal(settings, env) == "from-env" and credentials.describe(env) == "env:PEER_TOKEN"
    secret = tmp_path / "token.txt"
    secret.write_text("from-file\n")
    assert credentials.reveal(settings, credentials.reference("file", str(secret))) == "from-file"
    with pytest.raises(credentials.CredentialError, match="cannot read"):
        credentials.reveal(settings, credentials.reference("file", str(tmp_path / "missing")))
    with pytest.raises(credentials.CredentialError):
        credentials.reference("vault", "x")

"""Workbench sessions on both store backends: a session lives in the store (only its token's
digest), its cookie is signed with the secret kept outside the store, sign-out and revocation end it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from redline import keys
from redline.ledger import Ledger
from redline.store import Store
from redline.ui.session import Sessions, load_secret, secret_path
from redline.ui.tables import ui_sessions


def test_a_session_from_sign_in_to_sign_out_on_both_backends(any_store: Store, tmp_path: Path) -> None:
    ledger = Ledger(any_store)
    secret = keys.create_key(any_store, ledger, "kim", "analyst", org="acme")["key"]
    sessions = Sessions(any_store, ledger, load_secret(tmp_path))
    assert sessions.sign_in("rl_unknown") is None
    key, cookie = sessions.sign_in(secret)
    assert key.name == "kim" and secret not in cookie
    viewer = sessions.viewer(cookie)
    assert viewer is not None and viewer.org == "acme" and viewer.can("analyst") and not viewer.can("curator")
    with any_store.connect() as conn:
        stored = conn.execute(select(ui_sessions)).all()
    assert len(stored) == 1 and stored[0].digest not in cookie and viewer.token not in stored[0].digest
    assert sessions.check_csrf(viewer, viewer.csrf) and not sessions.check_csrf(viewer, "")
    assert not sessions.check_csrf(viewer, sessions.csrf_for("another-token"))
    # the same cookie signed with another installation's secret is refused
    other = Sessions(any_store, ledger, load_secret(tmp_path / "elsewhere"))
    assert other.viewer(cookie) is None
    sessions.sign_out(viewer)
    assert sessions.viewer(cookie) is None
    assert [e.kind for e in ledger.entries(kind="ui.")] == ["ui.signin", "ui.signout"]


def test_the_secret_is_made_once_private_and_a_short_one_refused(tmp_path: Path) -> None:
    first = load_secret(tmp_path)
    assert load_secret(tmp_path) == first and len(first) == 64
    assert secret_path(tmp_path).stat().st_mode & 0o777 == 0o600
    secret_path(tmp_path).write_text("short")
    with pytest.raises(RuntimeError, match="shorter than 32"):
        load_secret(tmp_path)


def test_the_sign_in_form_token_must_match_its_cookie(tmp_path: Path, any_store: Store) -> None:
    sessions = Sessions(any_store, Ledger(any_store), load_secret(tmp_path))
    token, cookie = sessions.signin_form()
    other_token, other_cookie = sessions.signin_form()
    assert sessions.check_signin_form(cookie, token)
    assert not sessions.check_signin_form(cookie, other_token) and not sessions.check_signin_form(None, token)
    assert not sessions.check_signin_form(cookie + "x", token)

"""Bearer keys at the edge: who is calling, with which role and organisation.

`require(role)` is a FastAPI dependency that answers 401 without a valid key and 403 when the
key's role is below `role`; it gives the route a Context acting as the key (its name is what the
ledger records, its organisation what the domain may scope data to). The dependencies are async:
a key is looked up in the store at most once per CACHE_SECONDS, so they rarely wait, and a sync
dependency would cost a thread hand-off on every request."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi import Depends, HTTPException, Request

from redline import keys
from redline.context import Context
from redline.parties import api as parties_api

CACHE_SECONDS = 2.0  # a revoked key stops working within this long in every worker
RENEW_SECONDS = 1.0  # a key in use is looked up again this old, off the request's thread


class KeyCache:
    """Keys by secret, each looked up in the store at most once per RENEW_SECONDS while in use.

    A key seen less than CACHE_SECONDS ago answers from here; one older than RENEW_SECONDS is
    looked up again by a thread of the cache while the request goes on with what is known, so a
    key in steady use never makes a request (on the event loop, for redline.api.hot) wait for the
    store. Only a key unseen for CACHE_SECONDS is looked up on the caller's thread."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[float, keys.ApiKey | None]] = {}
        self._renewing: set[str] = set()
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._pid = -1

    def lookup(self, context: Context, secret: str) -> keys.ApiKey | None:
        now = time.monotonic()
        hit = self._seen.get(secret)
        if hit and now - hit[0] < CACHE_SECONDS:
            if now - hit[0] >= RENEW_SECONDS:
                self._renew(context, secret)
            return hit[1]
        return self._load(context, secret, now)

    def _load(self, context: Context, secret: str, now: float) -> keys.ApiKey | None:
        found = keys.authenticate(context.store, secret)
        if len(self._seen) > 10_000:
            self._seen.clear()
        self._seen[secret] = (now, found)
        return found

    def _renew(self, context: Context, secret: str) -> None:
        with self._lock:
            if secret in self._renewing:
                return
            if self._pid != os.getpid():  # a forked worker makes its own thread
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="redline-keys")
                self._pid = os.getpid()
                self._renewing.clear()
            self._renewing.add(secret)
        assert self._pool is not None
        self._pool.submit(self._renewed, context, secret)

    def _renewed(self, context: Context, secret: str) -> None:
        try:
            self._load(context, secret, time.monotonic())
        except Exception:  # the store unreachable: the next request past CACHE_SECONDS looks it up itself
            pass
        finally:
            with self._lock:
                self._renewing.discard(secret)


def base_context(request: Request) -> Context:
    return request.app.state.context


def key_of(state: Any, headers: Iterable[tuple[bytes, bytes]]) -> keys.ApiKey | None:
    """The key a request's raw ASGI headers carry (`Authorization: Bearer KEY`), or None (for
    redline.api.hot, which answers below FastAPI)."""
    for name, value in headers:
        if name == b"authorization":
            scheme, _, secret = value.decode("latin-1").partition(" ")
            if scheme.lower() != "bearer" or not secret.strip():
                return None
            return state.keys.lookup(state.context, secret.strip())
    return None


async def caller(request: Request) -> keys.ApiKey:
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise HTTPException(401, "missing API key: send 'Authorization: Bearer KEY'",
                            headers={"WWW-Authenticate": "Bearer"})
    found = request.app.state.keys.lookup(base_context(request), secret.strip())
    if found is None:
        raise HTTPException(401, "invalid or revoked API key", headers={"WWW-Authenticate": "Bearer"})
    return found


def require(role: str) -> Callable[..., Awaitable[Context]]:
    needed = keys.role_rank(role)

    async def dependency(request: Request, key: keys.ApiKey = Depends(caller)) -> Context:
        if keys.role_rank(key.role) < needed:
            raise HTTPException(403, f"this needs the {role} role; key {key.name!r} is {key.role}")
        ctx = base_context(request).acting_as(key.name, key.org)
        parties_api.set_acting(ctx)  # screenings in this request (any route, any domain) are recorded as the key's
        return ctx

    dependency.__name__ = f"require_{role}"
    return dependency


READER = Depends(require("reader"))
ANALYST = Depends(require("analyst"))
CURATOR = Depends(require("curator"))
ADMIN = Depends(require("admin"))

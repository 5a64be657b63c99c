"""ASGI middleware for every request: a body size limit (413), a time limit (504), and a limit on
requests in progress in this worker (503 beyond it, at once), so that an overloaded worker sheds
load instead of queueing without bound. With the app's hot routes (`redline.api.hot`): /healthz and
/readyz are answered here, on the event loop, queued behind nothing; screenings and lookups are
admitted up to the bound of the process's `Work` and refused with 503 and Retry-After beyond it,
before their body is read; and the hot routes' well-formed requests are answered below FastAPI.

Pure ASGI, not BaseHTTPMiddleware: it adds no task per request, which matters at hundreds of
requests a second."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from starlette.exceptions import HTTPException

from redline.api.hot import HEAVY_PATHS, HotRoutes, send_json

Scope = dict[str, Any]


class BodyTooLarge(HTTPException):
    """Raised from `receive`, so the app's own error handling turns it into a 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body too large: the limit is {limit} bytes")


OPEN_PATHS = frozenset({"/healthz", "/readyz"})


class Guard:
    def __init__(self, app: Any, *, max_body: int, timeout_s: float, max_inflight: int = 64,
                 hot: HotRoutes | None = None) -> None:
        self.app = app
        self.max_body = max_body
        self.timeout_s = timeout_s
        self.max_inflight = max_inflight
        self.inflight = 0
        self.hot = hot

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if path in OPEN_PATHS and self.hot is not None:
            status, body = self.hot.health(path)
            await send_json(send, status, body)
            return
        length = _content_length(scope)
        if length is not None and length > self.max_body:
            await _reply(send, 413, f"request body too large: {length} bytes, the limit is {self.max_body}")
            return
        if self.inflight >= self.max_inflight and path not in OPEN_PATHS:
            await _reply(send, 503, "server busy: retry shortly", retry_after=True)
            return
        work = self.hot.state.work if self.hot is not None and path.startswith(HEAVY_PATHS) else None
        if work is not None and not work.admit():
            await _reply(send, 503, "server busy: too many screenings waiting; retry shortly", retry_after=True)
            return
        self.inflight += 1
        try:
            await self._guarded(scope, receive, send)
        finally:
            self.inflight -= 1
            if work is not None:
                work.release()

    async def _guarded(self, scope: Scope, receive: Any, send: Any) -> None:
        started = False
        seen = 0

        async def limited_receive() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        async def tracking_send(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if self._leave_connection():
                    message = {**message, "headers": [*message.get("headers", ()), (b"connection", b"close")]}
            await send(message)

        try:
            async with asyncio.timeout(self.timeout_s):
                handler = self.hot.handler(scope) if self.hot is not None else None
                if handler is not None:
                    body = await _read_body(limited_receive)
                    if body is None or await handler(scope, body, tracking_send):
                        return
                    await self.app(scope, _replay(body, receive), tracking_send)
                    return
                await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge as exc:
            if not started:
                await _reply(send, 413, exc.detail)
        except TimeoutError:
            if not started:
                await _reply(send, 504, f"request took longer than {self.timeout_s:g} s")


    def _leave_connection(self) -> bool:
        """A pre-forked worker holding more connections than another closes this one after the
        response (`redline.api.server.Spread.leave_one`)."""
        spread = getattr(self.hot.state, "spread", None) if self.hot is not None else None
        return spread is not None and spread.leave_one()


async def _read_body(receive: Any) -> bytes | None:
    """The whole request body; None when the client went away first."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _replay(body: bytes, receive: Any) -> Any:
    """A `receive` that gives the app the body already read, then whatever the client sends next."""
    given = False

    async def replayed() -> Any:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _reply(send: Any, status: int, detail: str, retry_after: bool = False) -> None:
    body = orjson.dumps({"detail": detail})
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if retry_after:
        headers.append((b"retry-after", b"1"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})

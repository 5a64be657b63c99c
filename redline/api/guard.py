"""ASGI middleware for every request: a body size limit (413), a time limit (504), and load
shedding: a worker answers 503 at once (never the health routes) when it has `max_inflight`
requests in progress, or when its event loop is behind by more than `max_lag_s` with a backlog
of more than `max_backlog` requests.

The first rule bounds the screenings a worker has in its threads. The second catches a loop that
falls behind: a worker that reads a thousand connections' requests in one pass queues them all,
and a /healthz probe behind them. A heartbeat on the loop notes the time every HEARTBEAT_S; when
a request starts, the last beat is older than `max_lag_s` and more than `max_backlog` tasks wait
on the loop, the worker is overloaded, and the request is refused in a fraction of a millisecond,
as is every other request until the heartbeat runs again. (A loop that is merely late, because
other processes had the CPU, has no backlog and sheds nothing; counting the tasks, a walk over
them, is paid only when the loop is late and not yet shedding.)

Pure ASGI, not BaseHTTPMiddleware: it adds no task per request, which matters at hundreds of
requests a second."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from starlette.exceptions import HTTPException

Scope = dict[str, Any]


class BodyTooLarge(HTTPException):
    """Raised from `receive`, so the app's own error handling turns it into a 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body too large: the limit is {limit} bytes")


OPEN_PATHS = frozenset({"/healthz", "/readyz"})
HEARTBEAT_S = 0.02


class Guard:
    def __init__(self, app: Any, *, max_body: int, timeout_s: float, max_inflight: int = 64,
                 max_lag_s: float = 0.05, max_backlog: int = 32) -> None:
        self.app = app
        self.max_body = max_body
        self.timeout_s = timeout_s
        self.max_inflight = max_inflight
        self.max_lag_s = max_lag_s
        self.max_backlog = max_backlog
        self.inflight = 0
        self.shed = 0
        self._beat = 0.0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._heart: asyncio.Task[None] | None = None
        self._shedding = False  # until the next heartbeat: this pass of the loop is shedding

    def _overloaded(self) -> bool:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # first request on this loop (a worker, or a test client's loop)
            self._loop, self._beat = loop, loop.time()
            self._heart = loop.create_task(self._heartbeat(loop))
        if self.inflight >= self.max_inflight or self._shedding:
            return True
        if loop.time() - self._beat <= self.max_lag_s:
            return False
        # behind: shed only with a backlog (a worker merely starved of CPU by other processes keeps
        # serving); once shedding, the rest of this pass is shed without counting again
        self._shedding = len(asyncio.all_tasks(loop)) > self.max_backlog
        return self._shedding

    async def _heartbeat(self, loop: asyncio.AbstractEventLoop) -> None:
        while self._loop is loop:
            self._beat, self._shedding = loop.time(), False
            await asyncio.sleep(HEARTBEAT_S)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _content_length(scope)
        if length is not None and length > self.max_body:
            await _reply(send, 413, f"request body too large: {length} bytes, the limit is {self.max_body}")
            return
        if scope.get("path") not in OPEN_PATHS and self._overloaded():
            self.shed += 1
            await _reply(send, 503, "server busy: retry shortly", retry_after=True)
            return
        self.inflight += 1
        try:
            await self._guarded(scope, receive, send)
        finally:
            self.inflight -= 1

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
            await send(message)

        try:
            async with asyncio.timeout(self.timeout_s):
                await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge as exc:
            if not started:
                await _reply(send, 413, exc.detail)
        except TimeoutError:
            if not started:
                await _reply(send, 504, f"request took longer than {self.timeout_s:g} s")


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

"""The hot routes, answered below FastAPI, and the threads that screen.

`POST /match/{dataset}` and `GET /m/lookup` are called once per onboarding or per upload, hundreds
of times a second. FastAPI's dependency solving, parameter validation and middleware stack cost
about a third as much CPU as a screening itself (py-spy on a served worker, docs/benchmarks-api.md),
so `HotRoutes` answers a well-formed request of these two routes straight from the ASGI scope: the
key from the key cache, the query string read here, the body validated by the route's own pydantic
model in one `validate_json` call, the work done by the same functions the FastAPI routes call.
Anything it does not accept as well-formed (no key, a low role, a bad parameter, an unknown
dataset, invalid JSON) it hands, body and all, to the FastAPI route, which answers the error in
its usual shape; so the two never disagree on a decision, only on the cost of reaching it.

`Work` holds each process's few screening threads and bounds the screenings admitted (running or
waiting for a thread); `redline.api.guard.Guard` refuses the rest with 503 before reading them."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import parse_qsl

import orjson
from fastapi import HTTPException
from pydantic import TypeAdapter, ValidationError

from redline.api.auth import key_of
from redline.context import Context

T = TypeVar("T")
SCREEN_THREADS = 2  # per process: a screening is CPU-bound; more threads only fight for the interpreter lock
MAX_ADMITTED = 32  # screenings and lookups running or waiting per process; more are answered 503 at once
MAX_CONTEXTS = 1024  # keys' Contexts held by HotRoutes
HEAVY_PATHS = ("/match/", "/search/", "/m/lookup", "/m/raw_lookup")
Send = Callable[[dict[str, Any]], Awaitable[None]]
Handler = Callable[[dict[str, Any], bytes, Send], Awaitable[bool]]


class Work:
    """A process's screening threads, and the count of heavy requests admitted (the Guard counts
    them on the event loop; no lock is needed). The pool is made in the process that uses it, so a
    forked worker never inherits its parent's threads."""

    def __init__(self, threads: int = SCREEN_THREADS, max_admitted: int = MAX_ADMITTED) -> None:
        self.threads = threads
        self.max_admitted = max_admitted
        self.admitted = 0
        self._pool: ThreadPoolExecutor | None = None
        self._pid = -1

    def admit(self) -> bool:
        if self.admitted >= self.max_admitted:
            return False
        self.admitted += 1
        return True

    def release(self) -> None:
        self.admitted -= 1

    def _threads(self) -> ThreadPoolExecutor:
        if self._pool is None or self._pid != os.getpid():
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="redline-screen")
            self._pid = os.getpid()
        return self._pool

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._threads(), fn, *args)

    async def run_recorded(self, fn: Callable[..., tuple[T, Future[Any] | None]], *args: Any) -> T:
        """`fn(*args)` on a screening thread, where it returns its answer and the future of its
        recording (or None); the answer once both are done. The loop is woken once, when the
        recording is committed, instead of once for the answer and again for the recording."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[T] = loop.create_future()

        def settle(value: T | None, error: BaseException | None) -> None:  # on the loop
            if answer.done():  # cancelled: the request timed out
                return
            if error is not None:
                answer.set_exception(error)
            else:
                answer.set_result(value)  # type: ignore[arg-type]

        def tell(value: T | None, error: BaseException | None) -> None:
            try:
                loop.call_soon_threadsafe(settle, value, error)
            except RuntimeError:  # the loop is closed: the worker is stopping
                pass

        def job() -> None:
            try:
                value, recorded = fn(*args)
            except BaseException as exc:
                tell(None, exc)
                return
            if recorded is None:
                tell(value, None)
            else:
                recorded.add_done_callback(lambda done: tell(value, _failure(done)))

        self._threads().submit(job)
        return await answer


def _failure(done: Future[Any]) -> BaseException | None:
    return asyncio.CancelledError() if done.cancelled() else done.exception()


def _params(scope: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True):
        out.setdefault(name, []).append(value)
    return out


def _one(params: dict[str, list[str]], name: str, default: str | None) -> str | None:
    """The parameter's single value, its default when absent; None when it is given twice."""
    values = params.get(name)
    if values is None:
        return default
    return values[0] if len(values) == 1 else None


def _fraction(text: str | None) -> float | None:
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and 0.0 <= value <= 1.0 else None


def _is_json(scope: dict[str, Any]) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            kind = value.split(b";", 1)[0].strip().lower()
            return kind == b"application/json" or kind.endswith(b"+json")
    return False


async def send_json(send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + (extra or [])})
    await send({"type": "http.response.body", "body": body})


class HotRoutes:
    def __init__(self, state: Any) -> None:
        from redline.api.routers.screening import MatchRequest

        self.state = state
        self._match_body = TypeAdapter(MatchRequest)
        self._acting: dict[tuple[str, str | None], Context] = {}  # a key's Context, made once (it copies the settings)

    def handler(self, scope: dict[str, Any]) -> Handler | None:
        method, path = scope.get("method"), scope.get("path", "")
        if method == "POST" and path.startswith("/match/") and path.count("/") == 2 and len(path) > 7:
            return self.match
        if method == "GET" and path == "/m/lookup":
            return self.lookup
        return None

    def health(self, path: str) -> tuple[int, bytes]:
        """/healthz and /readyz, answered on the event loop before anything else."""
        if path == "/healthz":
            return 200, b'{"status":"ok"}'
        readiness = self.state.readiness
        readiness.ensure_loading()
        if readiness.ready:
            return 200, b'{"status":"ok"}'
        return 503, orjson.dumps({"status": "loading" if readiness.error is None else "not ready",
                                  "detail": readiness.error or "the lists are loading"})

    def _reader(self, scope: dict[str, Any]) -> Context | None:
        key = key_of(self.state, scope.get("headers", ()))  # every valid key is at least a reader
        if key is None:
            return None
        found = self._acting.get((key.name, key.org))
        if found is None:
            if len(self._acting) >= MAX_CONTEXTS:
                self._acting.clear()
            found = self._acting[(key.name, key.org)] = self.state.context.acting_as(key.name, key.org)
        return found

    async def match(self, scope: dict[str, Any], body: bytes, send: Send) -> bool:
        """Answer POST /match/{dataset}; False (nothing sent) hands the request to the FastAPI route."""
        from redline.api.routers import screening

        readiness = self.state.readiness
        readiness.ensure_watching()
        lists = readiness.lists
        ctx = self._reader(scope)
        if lists is None or ctx is None or not _is_json(scope):
            return False
        params = _params(scope)
        limit_text = _one(params, "limit", "5")
        threshold = _fraction(_one(params, "threshold", str(screening.MATCH_THRESHOLD)))
        cutoff = _fraction(_one(params, "cutoff", "0"))
        algorithm = _one(params, "algorithm", "redline")
        exclude = params.get("exclude_entity_ids", [])
        if (limit_text is None or not limit_text.isdigit() or not 1 <= int(limit_text) <= screening.MAX_LIMIT
                or threshold is None or cutoff is None or algorithm is None or len(exclude) > 500):
            return False
        try:
            request = self._match_body.validate_json(body)
            plan = screening.plan_match(lists, scope["path"][len("/match/"):], request, limit=int(limit_text),
                                        threshold=threshold, cutoff=cutoff, algorithm=algorithm,
                                        exclude_entity_ids=exclude)
        except (ValidationError, HTTPException):
            return False
        payload = await self.state.work.run_recorded(screening.answer_match, self.state.recorder, ctx, plan)
        await send_json(send, 200, payload, [(b"x-batch-size", str(len(plan.examples)).encode())])
        return True

    async def lookup(self, scope: dict[str, Any], body: bytes, send: Send) -> bool:
        """Answer GET /m/lookup?signal_type=pdq&signal=HEX; False hands it to the FastAPI route."""
        from redline.api.routers import media

        params = _params(scope)
        signal_type, signal = _one(params, "signal_type", None), _one(params, "signal", None)
        if signal_type != "pdq" or signal is None or len(signal) > 100_000 or self._reader(scope) is None:
            return False
        payload = await self.state.work.run(media.lookup_answer, self.state, signal)
        if payload is None:
            return False
        await send_json(send, 200, payload)
        return True

"""Helpers of the exchange tests, imported by name (a module name no other test folder uses):
real HTTP servers on 127.0.0.1: a Redline app on uvicorn in a thread, and
small servers speaking the ThreatExchange and TAT wire formats (http.server)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import orjson

from redline import keys
from redline.config import Settings
from redline.context import Context


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_context(root: Path, name: str, db_url: str | None = None) -> Context:
    home = root / name
    home.mkdir(parents=True, exist_ok=True)
    return Context(Settings(home=home, data_dir=None, db_url=db_url or f"sqlite:///{home / 'redline.db'}", user=name))


@contextmanager
def serve_app(context: Context) -> Iterator[str]:
    """The Redline app over `context` on a real socket; yields its base URL."""
    import uvicorn

    from redline.api import create_app

    app = create_app(context, load_lists=False)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class WireServer:
    url: str
    requests: list[Request] = field(default_factory=list)


@contextmanager
def wire_server(handle: Callable[[Request], tuple[int, Any]]) -> Iterator[WireServer]:
    """An HTTP server whose answers come from `handle(request) -> (status, JSON body)`."""
    state = WireServer("")

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            parsed = urlparse(self.path)
            length = int(self.headers.get("content-length") or 0)
            request = Request(self.command, parsed.path, parse_qs(parsed.query), {k.lower(): v for k, v in self.headers.items()},
                              self.rfile.read(length) if length else b"")
            state.requests.append(request)
            status, body = handle(request)
            data = body if isinstance(body, bytes) else orjson.dumps(body)
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _serve

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def reader_key(ctx: Context, name: str, role: str = "reader", org: str | None = None) -> str:
    return keys.create_key(ctx.store, ctx.ledger, name, role, org=org, actor="admin")["key"]

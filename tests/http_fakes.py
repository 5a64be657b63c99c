"""An httpx transport serving local files by URL, for tests of downloads without a network."""

from __future__ import annotations

from pathlib import Path

import httpx


def fake_transport(routes: dict[str, Path | int | bytes]) -> httpx.MockTransport:
    """A transport serving local files by URL: a Path is served whole, an int is an HTTP error status,
    bytes are served as the body. Any other URL gets 404."""

    def handle(request: httpx.Request) -> httpx.Response:
        route = routes.get(str(request.url))
        if route is None:
            return httpx.Response(404, text="not found")
        if isinstance(route, int):
            return httpx.Response(route, text="error")
        body = route if isinstance(route, bytes) else Path(route).read_bytes()
        return httpx.Response(200, headers={"Content-Length": str(len(body))}, stream=httpx.ByteStream(body))

    return httpx.MockTransport(handle)

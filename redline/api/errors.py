"""Error responses: JSON with a `detail`, never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from redline.api.responses import Json
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("redline.api")


def field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    """('body', 'queries', 'q1', 'schema') -> 'queries.q1.schema'; ('query', 'limit') -> 'limit'."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "form", "cookie"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> Json:
        problems = [{"field": field_name(e.get("loc", ())), "problem": e.get("msg", "invalid")} for e in exc.errors()]
        first = problems[0] if problems else {"field": "body", "problem": "invalid"}
        return Json(status_code=422, content={
            "detail": f"{first['field']}: {first['problem']}", "errors": problems})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> Json:
        content = exc.detail if isinstance(exc.detail, dict) else {"detail": exc.detail}
        return Json(status_code=exc.status_code, content=content,
                              headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Json:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return Json(status_code=500, content={"detail": "internal error (logged on the server)"})

"""Transparency reports over HTTP: GET /v1/reports/{media|licensing}?from=&to=&format= (reader role).

The reports are those of `redline report` (redline.reports); an organisation's key sees only its own
data where the data carry an organisation (the media and licensing records do not yet: a report
states its scope)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from redline.api.auth import READER
from redline.api.responses import Json
from redline.context import Context
from redline.reports import REPORTS, ReportError, period, render_csv, render_html, render_pdf

router = APIRouter(prefix="/v1/reports", tags=["Reports"])

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "html": "text/html; charset=utf-8", "pdf": "application/pdf"}
RENDER = {"csv": render_csv, "html": render_html, "pdf": render_pdf}


@router.get("/{kind}", summary="A transparency report for a closed period, as JSON, CSV, HTML or PDF")
async def report(
    kind: Literal["media", "licensing"],
    start: str = Query(..., alias="from", description="First day (YYYY-MM-DD, UTC), included"),
    end: str = Query(..., alias="to", description="Last day (YYYY-MM-DD, UTC), included; not in the future"),
    fmt: Literal["json", "csv", "html", "pdf"] = Query("json", alias="format"),
    ctx: Context = READER,
) -> Any:
    try:
        span = period(start, end)
    except ReportError as exc:
        raise HTTPException(422, str(exc)) from None

    def build() -> Any:
        data = REPORTS[kind](ctx, span.start, span.end)
        return data if fmt == "json" else RENDER[fmt](data)

    body = await run_in_threadpool(build)
    if fmt == "json":
        return Json(body)
    name = f"redline-{kind}-report-{span.start}-{span.end}.{fmt}"
    disposition = "inline" if fmt == "html" else "attachment"
    return Response(body, media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": f'{disposition}; filename="{name}"'})

"""/healthz (the process answers) and /readyz (the lists are loaded): both open, no key."""

from __future__ import annotations

from fastapi import APIRouter, Request
from redline.api.responses import Json

router = APIRouter(tags=["System"])


@router.get("/healthz", summary="The server is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="The lists are loaded and screening can answer (503 until then)")
async def readyz(request: Request) -> Json:
    readiness = request.app.state.readiness
    readiness.ensure_loading()
    if readiness.ready:
        return Json({"status": "ok"})
    return Json({"status": "loading" if readiness.error is None else "not ready",
                           "detail": readiness.error or "the lists are loading"}, status_code=503)

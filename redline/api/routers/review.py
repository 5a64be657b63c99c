"""The review queue over HTTP: list a key's organisation's items, decide one (analyst role)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from redline.api.auth import ANALYST, READER, caller
from redline.context import Context
from redline.keys import ApiKey
from redline.review import core

router = APIRouter(prefix="/v1/review", tags=["Review"])


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["confirmed", "cleared", "escalated"]
    reason: str = Field(..., min_length=1, max_length=4000, description="Why, in words: it goes in the ledger")


@router.get("/items", summary="Review items of the key's organisation, newest first")
async def items(
    status: str | None = Query(None, description="open | escalated | awaiting_second | confirmed | cleared | queue"),
    limit: int = Query(100, ge=1, le=1000),
    ctx: Context = READER,
) -> dict[str, Any]:
    try:
        found = await run_in_threadpool(core.list_items, ctx.store, ctx.org, status, limit)
    except core.ReviewProblem as exc:
        raise HTTPException(422, str(exc).replace("--status", "status")) from None
    return {"items": found, "total": len(found)}


@router.get("/items/{item_id}", summary="One review item with every decision on it")
async def item(item_id: int, ctx: Context = READER) -> dict[str, Any]:
    try:
        return await run_in_threadpool(core.get_item, ctx.store, ctx.org, item_id)
    except core.ItemNotFound as exc:
        raise HTTPException(404, str(exc)) from None


@router.post("/items/{item_id}/decide", summary="Decide an item: confirmed, cleared or escalated, with a reason")
async def decide(item_id: int, body: Decision, ctx: Context = ANALYST,
                 key: ApiKey = Depends(caller)) -> dict[str, Any]:
    role = key.role  # the same key as ctx's (FastAPI resolves `caller` once per request)

    def run() -> dict[str, Any]:
        return core.decide(ctx.store, ctx.ledger, item_id=item_id, decision=body.decision, reason=body.reason,
                           actor=ctx.actor, role=role, org=ctx.org, snapshots=core.in_force(ctx.store))

    try:
        return await run_in_threadpool(run)
    except core.ItemNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except core.ReviewProblem as exc:
        raise HTTPException(409, str(exc)) from None

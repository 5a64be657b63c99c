"""Exchanges over HTTP: configure and run them (/c/exchanges, /c/exchange/{name}), and this
installation's own signed feed and the feedback peers send back (/v1/exchange/…).

Readers list and read the feed; curators change exchanges, fetch, push, deconfirm and publish.
The work is the exchange domain's (`redline.exchange`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from redline.api.auth import CURATOR, READER
from redline.api.responses import encode
from redline.context import Context
from redline.exchange import credentials, exchanges, feed, fetch
from redline.exchange.adapters.base import ExchangeError
from redline.media import banks

router = APIRouter(tags=["Exchanges"])


class ExchangeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(..., examples=["peer-a"])
    adapter: str = Field(..., examples=["redline"])
    bank: str | None = None
    labels: list[str] = []
    config: dict[str, Any] = Field(default_factory=dict, examples=[{"url": "http://127.0.0.1:8001",
                                                                    "public_key": "-----BEGIN PUBLIC KEY-----…"}])
    token: str | None = Field(None, description="stored encrypted; never shown again")
    token_env: str | None = Field(None, description="read from this environment variable of the server at use")
    token_file: str | None = Field(None, description="read from this file on the server at use")


class ExchangeUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    config: dict[str, Any] | None = None
    token: str | None = None
    token_env: str | None = None
    token_file: str | None = None
    enabled: bool | None = None
    reset_checkpoint: bool = False


class DeconfirmBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    signal_value: str
    signal_type: str | None = None
    reason: str | None = None
    push: bool = True


class PublishBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    bank: str


def _problem(exc: Exception) -> HTTPException:
    text = str(exc)
    if "no exchange named" in text or text.startswith("no bank named"):
        return HTTPException(404, text)
    if "already exists" in text or "is being fetched" in text:
        return HTTPException(409, text)
    return HTTPException(422, text)


def _credential(request: Request, body: ExchangeBody | ExchangeUpdate) -> str | None:
    given = [x for x in (body.token, body.token_env, body.token_file) if x]
    if len(given) > 1:
        raise HTTPException(422, "token: give one of token, token_env, token_file")
    settings = request.app.state.context.settings
    try:
        if body.token:
            return credentials.seal(settings, body.token)
        if body.token_env:
            return credentials.reference("env", body.token_env)
        if body.token_file:
            return credentials.reference("file", body.token_file)
    except credentials.CredentialError as exc:
        raise HTTPException(422, f"token: {exc}") from None
    return None


@router.get("/c/exchanges", summary="Every configured exchange (credentials never shown)")
def list_exchanges(ctx: Context = READER) -> list[dict[str, Any]]:
    return [e.to_dict() for e in exchanges.list_exchanges(ctx)]


@router.post("/c/exchanges", status_code=201, summary="Configure an exchange, with its own bank (curator)")
def add_exchange(request: Request, body: ExchangeBody, ctx: Context = CURATOR) -> dict[str, Any]:
    credential = _credential(request, body)
    try:
        return exchanges.add_exchange(ctx, body.name, body.adapter, body.config, credential=credential, bank=body.bank,
                                      labels=body.labels).to_dict()
    except exchanges.ExchangeProblem as exc:
        raise _problem(exc) from None


@router.post("/c/exchanges/publish", summary="Publish a bank's new and withdrawn hashes on this installation's feed (curator)")
def publish(body: PublishBody, ctx: Context = CURATOR) -> dict[str, Any]:
    try:
        return feed.publish(ctx, body.bank)
    except (exchanges.ExchangeProblem, banks.BankError) as exc:
        raise _problem(exc) from None


@router.get("/c/exchange/{name}", summary="One exchange: config, checkpoint, last fetch, recent provenance and refusals")
def get_exchange(name: str, limit: int = Query(20, ge=1, le=1000), ctx: Context = READER) -> dict[str, Any]:
    try:
        return {**exchanges.get_exchange(ctx, name).to_dict(),
                "signals": exchanges.provenance(ctx, name, limit=limit),
                "refused": exchanges.refusals(ctx, name, limit=limit)}
    except exchanges.ExchangeProblem as exc:
        raise _problem(exc) from None


@router.put("/c/exchange/{name}", summary="Change an exchange's options or credential, enable, reset (curator)")
def update_exchange(request: Request, name: str, body: ExchangeUpdate, ctx: Context = CURATOR) -> dict[str, Any]:
    credential = _credential(request, body)
    try:
        return exchanges.update_exchange(ctx, name, config=body.config, credential=credential, enabled=body.enabled,
                                         checkpoint=None if body.reset_checkpoint else False).to_dict()
    except exchanges.ExchangeProblem as exc:
        raise _problem(exc) from None


@router.delete("/c/exchange/{name}", summary="Remove an exchange; its bank is deleted with it unless keep_bank (curator)")
def remove_exchange(name: str, keep_bank: bool = Query(False, description="keep the exchange's bank as a plain bank"),
                    ctx: Context = CURATOR) -> dict[str, Any]:
    try:
        return exchanges.remove_exchange(ctx, name, keep_bank=keep_bank)
    except exchanges.ExchangeProblem as exc:
        raise _problem(exc) from None


@router.post("/c/exchanges/purge", summary="Remove the hashes of deleted banks; their tombstones stay (curator)")
def purge(ctx: Context = CURATOR) -> dict[str, Any]:
    pending = [d.name for d in banks.deleted_banks(ctx.store) if d.purged_at is None]
    return {"banks": pending, "removed": banks.purge_deleted_banks(ctx, actor=ctx.actor)}


@router.post("/c/exchange/{name}/fetch", summary="Fetch from the checkpoint on (curator); 502 when the exchange fails")
async def fetch_exchange(name: str, max_pages: int | None = Query(None, ge=1), ctx: Context = CURATOR) -> dict[str, Any]:
    try:
        result = await run_in_threadpool(fetch.fetch, ctx, name, max_pages=max_pages)
    except exchanges.ExchangeProblem as exc:
        raise _problem(exc) from None
    if result.error:
        raise HTTPException(502, {"detail": f"the exchange failed: {result.error}", "result": result.to_dict()})
    return result.to_dict()


@router.post("/c/exchange/{name}/push", summary="Push queued deconfirmations to the exchange (curator)")
async def push_exchange(name: str, ctx: Context = CURATOR) -> dict[str, Any]:
    try:
        return await run_in_threadpool(fetch.push, ctx, name)
    except exchanges.ExchangeProblem as exc:
        raise _problem(exc) from None
    except ExchangeError as exc:
        raise HTTPException(502, f"the exchange failed: {exc}") from None


@router.post("/c/exchange/{name}/deconfirm", summary="A shared hash is a false positive here: disable it and tell the exchange (curator)")
async def deconfirm(name: str, body: DeconfirmBody, ctx: Context = CURATOR) -> dict[str, Any]:
    try:
        return await run_in_threadpool(lambda: fetch.deconfirm(ctx, name, body.signal_value, signal_type=body.signal_type,
                                                               reason=body.reason, push_now=body.push))
    except exchanges.ExchangeProblem as exc:
        raise _problem(exc) from None


@router.get("/v1/exchange/feed", summary="This installation's signed feed of published hashes and denial notices")
def exchange_feed(since: str | None = Query(None, max_length=100, description="the checkpoint of the previous page"),
                  limit: int = Query(1000, ge=1, le=feed.MAX_PAGE), ctx: Context = READER) -> Response:
    try:
        page = feed.feed_page(ctx, since, limit)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    # encoded here in one orjson call: FastAPI's walk over a return value costs more than the page's query
    return Response(encode(page), media_type="application/json")


@router.get("/v1/exchange/key", summary="This installation's public key, which peers configure to verify its feed")
def exchange_key(ctx: Context = READER) -> dict[str, Any]:
    signer = feed.signer(ctx)
    return {"key_id": signer.key_id, "public_key": signer.public_pem()}


@router.post("/v1/exchange/feedback", summary="A peer's deconfirmations of published hashes, each signed by the peer")
def receive_feedback(body: dict[str, Any], ctx: Context = READER) -> dict[str, Any]:
    try:
        return feed.receive_feedback(ctx, body, from_key=ctx.actor, from_org=ctx.org)
    except exchanges.ExchangeProblem as exc:
        raise HTTPException(422, str(exc)) from None


@router.get("/v1/exchange/feedback", summary="Feedback peers sent about hashes (newest first)")
def list_feedback(limit: int = Query(100, ge=1, le=10_000), ctx: Context = READER) -> list[dict[str, Any]]:
    return feed.list_feedback(ctx, limit)

"""HMA-compatible media routes (Hasher-Matcher-Actioner's /h, /m and /c paths).

/h/hash hashes an upload; /m/lookup and /m/raw_lookup look a hash up in the banks; /c/ manages banks.
Matching and banking are the media domain's (`Matcher`, `redline.media.banks`)."""

from __future__ import annotations

import logging
import math
import os
import threading
import time
import weakref
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from redline.api import uploads
from redline.api.auth import ANALYST, CURATOR, READER
from redline.api.responses import Json, encode
from redline.context import Context
from redline.media import banks
from redline.media.hashing import HashError, hash_file
from redline.media.signals import SignalError, normalise

log = logging.getLogger("redline.api")
router = APIRouter(tags=["Media (HMA-compatible)"])
CONTENT_FIELDS = ("photo", "video", "file")
REFRESH_S = 0.5  # how soon a hash banked or a bank deleted by another process is matched (or not)
_matcher_lock = threading.Lock()


def matcher(request: Request) -> Any:
    """One Matcher per process, over the server's store, kept up with it by a thread (`Refresher`)."""
    return matcher_of(request.app.state)


def matcher_of(state: Any) -> Any:
    found = getattr(state, "matcher", None)
    if found is None:
        with _matcher_lock:
            found = getattr(state, "matcher", None)
            if found is None:
                found = state.matcher = _open(state.context)
    if not _refreshing(state, found):  # a forked worker starts its own thread
        with _matcher_lock:
            if not _refreshing(state, found):
                found.refresh(force=True)  # once, so that the first request sees what came before it
                state.matcher_refresher = Refresher.start(found)
    return found


def _refreshing(state: Any, found: Any) -> bool:
    refresher = getattr(state, "matcher_refresher", None)
    return refresher is not None and refresher.pid == os.getpid() and refresher.target() is found


def _open(context: Any) -> Any:
    """A Matcher that never looks at the store inside a request: its `Refresher` does that."""
    from redline.media.matcher import Matcher

    return Matcher.open(context, refresh_seconds=math.inf)


class Refresher:
    """Keeps one process's Matcher up with the store from a thread of its own, every REFRESH_S.

    The Matcher checks the store's revision itself when asked to match, every half second: two
    queries (the revision, the held hashes) and, after a change, the new hashes applied, all on
    the thread of the request that happened to come then, with the lookups behind it waiting for
    the interpreter. Here the lookups only read the index; this thread applies the changes. The
    thread ends with the Matcher (it holds it weakly)."""

    def __init__(self, target: Any, every: float) -> None:
        self.pid = os.getpid()
        self.target = weakref.ref(target)
        self._every = every

    @classmethod
    def start(cls, target: Any, every: float = REFRESH_S) -> Refresher:
        refresher = cls(target, every)
        threading.Thread(target=refresher._run, name="redline-matcher-refresh", daemon=True).start()
        return refresher

    def _run(self) -> None:
        failing = False
        while True:
            time.sleep(self._every)
            target = self.target()
            if target is None:
                return
            try:
                target.refresh(force=True)
                failing = False
            except Exception as exc:  # a store briefly unreachable: the index keeps answering, unchanged
                if not failing:
                    log.warning("the media index could not refresh from the store: %s", exc)
                failing = True
            del target


WARM_HASH = "f" * 32 + "0" * 32  # any valid PDQ hash: the warming lookup's answer is not used


def warm(app: Any) -> None:
    """Open the matcher now when banks exist, and look one hash up (the server does this before
    forking its workers, so they share the index pages instead of loading them each; each worker
    starts its refresher). The lookup loads the index's compiled search (numba, `redline.media.mih`)
    here: done first in each worker, it held that worker's first lookups for 0.8-3.2 s
    (docs/benchmarks-api.md, the stalls of /m/lookup)."""
    context = app.state.context
    if banks.list_banks(context.store):
        matcher = app.state.matcher = _open(context)
        matcher.match_pdq(WARM_HASH)


def _pdq_matches(request: Request, signal_type: str, signal: str) -> list[Any]:
    if signal_type != "pdq":
        raise HTTPException(400, f"signal_type: lookup by hash supports 'pdq' (got {signal_type!r}); "
                                 "POST the file to /m/lookup to match md5 and video hashes")
    try:
        return matcher(request).match_pdq(signal)
    except ValueError as exc:
        raise HTTPException(422, f"signal: {exc}") from None


def _by_bank(matches: list[Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for m in matches:
        out.setdefault(m.bank, []).append({"bank_content_id": m.content_id or str(m.signal_id),
                                           "distance": m.distance, "signal_type": m.signal_type,
                                           "labels": m.labels, "held": m.held})
    return out


def lookup_answer(state: Any, signal: str) -> bytes | None:
    """The encoded answer of a PDQ lookup (in a screening thread), None for a string that is not a
    PDQ hash (the route then answers its 422)."""
    try:
        return encode(_by_bank(matcher_of(state).match_pdq(signal)))
    except ValueError:
        return None


# The lookups run on the process's screening threads (an index search is a millisecond or more of
# CPU at a million hashes, which on the event loop would hold every other request of the worker
# behind it) and answer with orjson directly, without FastAPI's pydantic pass over the response.
# A well-formed GET /m/lookup is answered by redline.api.hot; this route answers the rest.
@router.get("/m/lookup", response_model=None,
            summary="Banks whose content matches a hash: {BANK: [{bank_content_id, distance}]}")
async def lookup(request: Request, signal_type: str = Query(...), signal: str = Query(..., max_length=100_000),
                 ctx: Context = READER) -> Json:
    matches = await request.app.state.work.run(_pdq_matches, request, signal_type, signal)
    return Json(_by_bank(matches))


@router.get("/m/raw_lookup", response_model=None, summary="Matching content ids, without bank grouping")
async def raw_lookup(request: Request, signal_type: str = Query(...), signal: str = Query(..., max_length=100_000),
                     include_distance: bool = Query(False), ctx: Context = READER) -> Json:
    matches = await request.app.state.work.run(_pdq_matches, request, signal_type, signal)
    if include_distance:
        return Json({"matches": [{"content_id": m.content_id or str(m.signal_id), "distance": str(m.distance)}
                                 for m in matches]})
    return Json({"matches": [m.content_id or str(m.signal_id) for m in matches]})


def _one_upload(form: Any) -> tuple[str, UploadFile]:
    files = [(k, v) for k, v in form.multi_items() if hasattr(v, "filename") and hasattr(v, "file")]
    if not files:
        raise HTTPException(422, "file: send one multipart file field named photo, video or file")
    if len(files) > 1:
        raise HTTPException(422, "file: only one file per request")
    field, upload = files[0]
    if field not in CONTENT_FIELDS:
        raise HTTPException(422, f"{field}: the file field must be named photo, video or file")
    return field, upload


def _hash_upload(request: Request, field: str, upload: UploadFile) -> Any:
    kind = None if field == "file" else field
    home = request.app.state.context.settings.home
    with uploads.saved(upload, home, uploads.suffix_for(upload, kind), field) as path:
        try:
            return hash_file(path)
        except HashError as exc:
            raise HTTPException(422, f"{field}: {str(exc).replace(str(path), upload.filename or 'upload')}") from None


@router.post("/h/hash", summary="Hash an uploaded photo or video (multipart field photo, video or file)")
async def hash_upload(request: Request, ctx: Context = READER) -> dict[str, Any]:
    from starlette.concurrency import run_in_threadpool

    field, upload = _one_upload(await request.form())
    hashes = await run_in_threadpool(_hash_upload, request, field, upload)
    if hashes.kind == "video":
        return {"video_md5": hashes.md5, "vpdq": [f.to_dict() for f in hashes.vpdq]}
    return {"pdq": hashes.pdq, "md5": hashes.md5}


@router.post("/m/lookup", summary="Hash an uploaded file and look it up (no ledger entry: a lookup)")
async def lookup_upload(request: Request, ctx: Context = READER) -> dict[str, Any]:
    from starlette.concurrency import run_in_threadpool

    field, upload = _one_upload(await request.form())
    kind = None if field == "file" else field
    home = request.app.state.context.settings.home

    def run() -> Any:
        with uploads.saved(upload, home, uploads.suffix_for(upload, kind), field) as path:
            return matcher(request).find_file(path)

    result = await run_in_threadpool(run)
    if result.error:
        raise HTTPException(422, f"{field}: {result.error}")
    return _by_bank(result.matches)


# --- curation -------------------------------------------------------------------------------------


class BankCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(..., examples=["TCAP_TVEC"])
    enabled: bool | None = None
    enabled_ratio: float | None = Field(None, ge=0.0, le=1.0)
    labels: list[str] = []
    negative: bool = False


class BankUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool | None = None
    enabled_ratio: float | None = Field(None, ge=0.0, le=1.0)


def _bank_json(bank: Any) -> dict[str, Any]:
    return {**bank.to_dict(), "matching_enabled_ratio": 1.0 if bank.enabled else 0.0}


def _enabled(enabled: bool | None, ratio: float | None) -> bool | None:
    if ratio is not None:
        if ratio not in (0.0, 1.0):
            raise HTTPException(422, "enabled_ratio: Redline banks are on (1) or off (0); partial ratios are not supported")
        return ratio == 1.0
    return enabled


def _bank_error(exc: banks.BankError) -> HTTPException:
    text = str(exc)
    if text.startswith("no bank named"):
        return HTTPException(404, text)
    if "already exists" in text or "remove the exchange first" in text:
        return HTTPException(409, text)
    return HTTPException(422, text)


@router.get("/c/banks", summary="Every bank")
def list_banks(ctx: Context = READER) -> list[dict[str, Any]]:
    return [_bank_json(b) for b in banks.list_banks(ctx.store)]


@router.post("/c/banks", status_code=201, summary="Create a bank (curator)")
def create_bank(body: BankCreate, ctx: Context = CURATOR) -> dict[str, Any]:
    enabled = _enabled(body.enabled, body.enabled_ratio)
    try:
        bank = banks.create_bank(ctx.store, body.name, labels=body.labels, negative=body.negative, actor=ctx.actor,
                                 ledger=ctx.ledger)
        if enabled is False:
            bank = banks.set_bank_enabled(ctx.store, body.name, False, actor=ctx.actor, ledger=ctx.ledger)
    except banks.BankError as exc:
        raise _bank_error(exc) from None
    return _bank_json(bank)


@router.get("/c/bank/{name}", summary="One bank")
def get_bank(name: str, ctx: Context = READER) -> dict[str, Any]:
    try:
        return _bank_json(banks.get_bank(ctx.store, name))
    except banks.BankError as exc:
        raise _bank_error(exc) from None


@router.put("/c/bank/{name}", summary="Turn a bank's matching on or off (curator)")
def update_bank(name: str, body: BankUpdate, ctx: Context = CURATOR) -> dict[str, Any]:
    enabled = _enabled(body.enabled, body.enabled_ratio)
    try:
        if enabled is None:
            return _bank_json(banks.get_bank(ctx.store, name))
        return _bank_json(banks.set_bank_enabled(ctx.store, name, enabled, actor=ctx.actor, ledger=ctx.ledger))
    except banks.BankError as exc:
        raise _bank_error(exc) from None


@router.delete("/c/bank/{name}", summary="Delete a bank (curator): its name is free at once and its hashes stop "
                                         "matching within the index's refresh; the deletion is in the ledger")
def delete_bank(name: str, ctx: Context = CURATOR) -> dict[str, Any]:
    try:
        return banks.delete_bank(ctx, name, actor=ctx.actor).to_dict()
    except banks.BankError as exc:
        raise _bank_error(exc) from None


@router.post("/c/bank/{name}/content", summary="Add an uploaded file, or signals as JSON, to a bank (curator)")
async def add_content(request: Request, name: str, ctx: Context = CURATOR) -> dict[str, Any]:
    from starlette.concurrency import run_in_threadpool

    from redline.media.robust import file_records

    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            body = await request.json()
        except ValueError:
            raise HTTPException(422, "body: not valid JSON") from None
        signals = body.get("signals", body) if isinstance(body, dict) else None
        if not isinstance(signals, dict) or not signals:
            raise HTTPException(422, "signals: send {signal_type: hash, ...}")
        records = []
        for kind, value in signals.items():
            try:
                normalise(str(kind), str(value))
            except SignalError as exc:
                raise HTTPException(422, f"signals.{kind}: {exc}") from None
            records.append(banks.SignalRecord(str(kind), str(value), content_id=body.get("content_id")))
    else:
        field, upload = _one_upload(await request.form())
        hashes = await run_in_threadpool(_hash_upload, request, field, upload)
        records = file_records(hashes, content_id=request.query_params.get("content_id"))
    try:
        result = await run_in_threadpool(banks.add_signals, ctx.store, name, records, actor=ctx.actor,
                                         ledger=ctx.ledger, source="api")
    except banks.BankError as exc:
        raise _bank_error(exc) from None
    originals = {r.signal_type: r.value for r in records if r.derived_from is None}
    return {**result.to_dict(), "signals": originals}


@router.get("/m/index/status", summary="Size and freshness of the in-memory index")
def index_status(request: Request, ctx: Context = READER) -> dict[str, Any]:
    m = matcher(request)
    m.refresh(force=True)  # exact now, not as of the refresher's last turn
    size = int(m.index.pdq.live_count)
    frames = int(m.index.frames.live_count)
    return {"pdq": {"present": size > 0, "built_to": m.index.rev, "size": size},
            "vpdq": {"present": frames > 0, "built_to": m.index.rev, "size": frames}}


# --- enforcement: act on an upload, strikes, appeals, the review queue (Redline's own, under /v1) -----


class Appeal(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: str = Field(..., examples=["overturned"], description="upheld | overturned")
    note: str | None = Field(None, max_length=4000)


class Resolution(BaseModel):
    model_config = ConfigDict(extra="forbid")
    resolution: str = Field(..., examples=["false_positive"], description="confirmed | false_positive | escalated")
    note: str | None = Field(None, max_length=4000)


def _enforcement(ctx: Context) -> Any:
    from redline.media.actions import Enforcement

    return Enforcement(ctx.store, ctx.ledger, ctx.actor)


@router.post("/v1/media/act", tags=["Media enforcement"],
             summary="Match an uploaded file and apply the policy: block, review or allow, with strikes (analyst)")
async def act(request: Request, account: str = Query(..., min_length=1, max_length=200),
              ctx: Context = ANALYST) -> dict[str, Any]:
    """As `redline media act FILE --account A`: the match is counted for flood detection and written to
    the ledger (`media.match`, its inputs name the key), then the action (`media.action`, as the key)."""
    from starlette.concurrency import run_in_threadpool

    from redline.media.actions import EnforcementError

    field, upload = _one_upload(await request.form())
    kind = None if field == "file" else field
    home = request.app.state.context.settings.home
    name = upload.filename or "upload"

    def run() -> dict[str, Any]:
        m = matcher(request)
        with uploads.saved(upload, home, uploads.suffix_for(upload, kind), field) as path:
            found = m.find_file(path)
        if found.error:
            raise HTTPException(422, f"{field}: {found.error}")
        sha256 = found.hashes.get("sha256")
        if found.matches or found.suppressed:
            found.matches = m.record(name, found.matches, suppressed=found.suppressed,
                                     extra={"sha256": sha256, "key": ctx.actor})
        try:
            result = _enforcement(ctx).act(name, account, found.actionable, sha256=sha256)
        except EnforcementError as exc:
            raise HTTPException(422, f"account: {exc}") from None
        if found.suppressed:
            result["suppressed"] = [s.to_dict() for s in found.suppressed]
        return result

    return await run_in_threadpool(run)


@router.get("/v1/media/strikes/{account}", tags=["Media enforcement"],
            summary="An account's strikes and standing: good standing, restricted until …, banned")
def strikes(account: str, ctx: Context = READER) -> dict[str, Any]:
    return _enforcement(ctx).account_status(account)


@router.post("/v1/media/actions/{action_id}/appeal", tags=["Media enforcement"],
             summary="Record an appeal's outcome; overturned reverses the action's strikes (analyst)")
def appeal(action_id: int, body: Appeal, ctx: Context = ANALYST) -> dict[str, Any]:
    from redline.media.actions import EnforcementError

    try:
        return _enforcement(ctx).appeal(action_id, body.outcome, body.note)
    except EnforcementError as exc:
        text = str(exc)
        raise HTTPException(404 if text.startswith("no action") else 409 if "already" in text else 422,
                            text if text.startswith(("no action", "action")) else f"outcome: {text}") from None


@router.get("/v1/media/review", tags=["Media enforcement"], summary="Media review items (analyst)")
def review_items(status: str = Query("open", description="open | resolved | all"),
                 limit: int = Query(100, ge=1, le=1000), ctx: Context = ANALYST) -> list[dict[str, Any]]:
    from redline.media.review import ReviewError, list_items

    try:
        return list_items(ctx.store, status, limit)
    except ReviewError as exc:
        raise HTTPException(422, f"status: {exc}") from None


@router.post("/v1/media/review/{review_id}/resolve", tags=["Media enforcement"],
             summary="A reviewer's decision on a flagged item (analyst)")
def resolve_review(review_id: int, body: Resolution, ctx: Context = ANALYST) -> dict[str, Any]:
    from redline.media.review import ReviewError, resolve

    try:
        return resolve(ctx.store, ctx.ledger, ctx.actor, review_id, body.resolution, body.note)
    except ReviewError as exc:
        text = str(exc)
        raise HTTPException(404 if text.startswith("no review") else 409 if "already" in text else 422,
                            text if "review item" in text else f"resolution: {text}") from None

"""Redline's own routes, for what yente and HMA do not cover: batch screening jobs, licensing,
infrastructure, and the ledger."""

from __future__ import annotations

from collections import deque

import ipaddress
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import orjson
import yaml
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from pydantic import BaseModel, ConfigDict, Field

from redline import keys
from redline.api.auth import ADMIN, ANALYST, READER
from redline.api.jobs import JobNotFound, Jobs, Owner
from redline.context import Context

router = APIRouter(prefix="/v1")
POLICY_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MAX_IPS = 1000


def _jobs(request: Request) -> Jobs:
    state = request.app.state
    if getattr(state, "jobs", None) is None:
        state.jobs = Jobs(state.context.settings.home / "jobs")
    return state.jobs


def _owner(ctx: Context) -> Owner:
    return Owner(ctx.actor, ctx.org)


async def _upload_or_json(request: Request, suffix: str, field: str = "file") -> Path:
    """The request's content as a file under REDLINE_HOME/uploads: a multipart file field, or the raw
    body (JSON or YAML). The caller removes it. The upload's own name goes in `request.state.filename`."""
    folder = request.app.state.context.settings.home / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get(field)
        if upload is None or not hasattr(upload, "file"):
            raise HTTPException(422, f"{field}: send the file in a multipart field named {field!r}")
        data = await upload.read()
        request.state.filename = upload.filename or "upload"
    else:
        data = await request.body()
        request.state.filename = request.headers.get("x-filename", "upload")
    if not data.strip():
        raise HTTPException(422, f"{field}: the request has no content")
    handle, name = tempfile.mkstemp(dir=folder, suffix=suffix)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    return Path(name)


# --- batch screening jobs -------------------------------------------------------------------------


@router.post("/screen/jobs", status_code=202, tags=["Screening jobs"],
             summary="Upload a CSV (a `name` column; optionally schema, country, birth_date) to screen in the background")
async def create_job(request: Request, ctx: Context = READER) -> dict[str, Any]:
    path = await _upload_or_json(request, ".csv")
    try:
        with path.open(newline="", encoding="utf-8", errors="replace") as handle:
            header = handle.readline().lower()
        if "name" not in [h.strip().strip('"').lstrip("\ufeff") for h in header.split(",")]:
            raise HTTPException(422, "file: the CSV's header has no 'name' column")
        job = _jobs(request).submit(ctx, path, request.state.filename)
    finally:
        path.unlink(missing_ok=True)
    return {**job, "status_url": f"/v1/screen/jobs/{job['id']}", "result_url": f"/v1/screen/jobs/{job['id']}/result"}


@router.get("/screen/jobs", tags=["Screening jobs"], summary="Your organisation's latest jobs")
def list_jobs(request: Request, limit: int = Query(50, ge=1, le=500), ctx: Context = READER) -> list[dict[str, Any]]:
    return _jobs(request).list(_owner(ctx), limit)


@router.get("/screen/jobs/{job_id}", tags=["Screening jobs"], summary="A job's state and progress")
def job_status(request: Request, job_id: str, ctx: Context = READER) -> dict[str, Any]:
    try:
        return _jobs(request).status(job_id, _owner(ctx))
    except JobNotFound:
        raise HTTPException(404, f"no job {job_id!r}") from None


@router.get("/screen/jobs/{job_id}/result", tags=["Screening jobs"], summary="The screened CSV, once done")
def job_result(request: Request, job_id: str, ctx: Context = READER) -> FileResponse:
    try:
        path = _jobs(request).result_path(job_id, _owner(ctx))
    except JobNotFound:
        raise HTTPException(404, f"no job {job_id!r}") from None
    except FileNotFoundError as exc:
        raise HTTPException(409, str(exc)) from None
    return FileResponse(path, media_type="text/csv", filename=f"screened-{job_id}.csv")


# --- licensing ------------------------------------------------------------------------------------


def _policy(name: str, where: str = "policy") -> str:
    if not POLICY_NAME.match(name):
        raise HTTPException(422, f"{where}: a bundled policy name (echri, eu-2021-821, us-ear)")
    return name


def _licensing_error(exc: Exception) -> HTTPException:
    from redline.licensing.application import ApplicationError
    from redline.licensing.service import BatchRefused

    errors: list[ApplicationError] = exc.errors if isinstance(exc, BatchRefused) else (
        [exc] if isinstance(exc, ApplicationError) else [])
    if errors:
        problems = [{"field": f, "problem": r} for e in errors for f, r in e.problems]
        first = problems[0] if problems else {"field": "application", "problem": "invalid"}
        return HTTPException(422, {"detail": f"{first['field']}: {first['problem']} (nothing recorded)",
                                   "errors": problems})
    return HTTPException(422, str(exc))


async def _application_file(request: Request) -> Path:
    """The application as a YAML file: a JSON body is written as YAML, YAML is kept as sent."""
    path = await _upload_or_json(request, ".yaml", "application")
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            doc = orjson.loads(path.read_bytes())
        except orjson.JSONDecodeError as exc:
            path.unlink(missing_ok=True)
            raise HTTPException(422, f"application: not valid JSON ({exc})") from None
        path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _run_licensing(fn: Any, *args: Any, **kwargs: Any) -> Any:
    from redline.config import ConfigError
    from redline.licensing.application import ApplicationError
    from redline.licensing.policy import PolicyError
    from redline.licensing.screening import ScreeningUnavailable
    from redline.licensing.service import BatchRefused

    try:
        return fn(*args, **kwargs)
    except (ApplicationError, BatchRefused, PolicyError) as exc:
        raise _licensing_error(exc) from None
    except (ScreeningUnavailable, ConfigError) as exc:
        raise HTTPException(503, str(exc)) from None


@router.post("/licensing/assess", tags=["Licensing"],
             summary="Assess one licence application (JSON or YAML body, as in DESIGN.md); recorded in the ledger")
async def licensing_assess(request: Request, policy: str = Query("echri"), ctx: Context = ANALYST) -> dict[str, Any]:
    from redline.licensing.service import assess_and_record

    path = await _application_file(request)
    try:
        results = await run_in_threadpool(_run_licensing, assess_and_record, [path], _policy(policy), context=ctx)
    finally:
        path.unlink(missing_ok=True)
    return results[0]


@router.post("/licensing/compare", tags=["Licensing"], summary="Assess one application under several policies")
async def licensing_compare(request: Request, policy: list[str] = Query(["echri", "eu-2021-821", "us-ear"]),
                            ctx: Context = ANALYST) -> dict[str, Any]:
    from redline.licensing.service import compare_policies

    names = [_policy(p) for p in policy]
    path = await _application_file(request)
    try:
        return await run_in_threadpool(_run_licensing, compare_policies, path, names, context=ctx)
    finally:
        path.unlink(missing_ok=True)


# --- infrastructure -------------------------------------------------------------------------------


@router.post("/infra/scan", tags=["Infrastructure"],
             summary="Scan recorded evidence (one observation or a list, as in DESIGN.md); results stored and recorded")
async def infra_scan(request: Request, owner: str | None = Query(None, max_length=300),
                     ctx: Context = ANALYST) -> list[dict[str, Any]]:
    from redline.infra.evidence import EvidenceError, read_observations
    from redline.infra.scan import scan_observations
    from redline.infra.service import record_results, reference_for

    path = await _upload_or_json(request, ".json", "evidence")
    try:
        try:
            observations = read_observations(path)
        except EvidenceError as exc:
            raise HTTPException(422, "evidence: " + str(exc).replace(str(path), "upload")) from None

        def run() -> list[dict[str, Any]]:
            ref = reference_for(ctx)
            results = scan_observations(observations, ref, default_owner=owner)
            if results:
                record_results(ctx, results, {"command": "api infra scan", "domains": len(results), "org": ctx.org})
            return results

        return await run_in_threadpool(run)
    finally:
        path.unlink(missing_ok=True)


@router.get("/infra/lookup", tags=["Infrastructure"], summary="Which published range holds each address")
def infra_lookup(ip: list[str] = Query(..., max_length=MAX_IPS), ctx: Context = READER) -> list[dict[str, Any]]:
    from redline.infra.service import reference_for

    for i, value in enumerate(ip):
        try:
            ipaddress.ip_address(value)
        except ValueError:
            raise HTTPException(422, f"ip[{i}]: {value!r} is not an IPv4 or IPv6 address") from None
    ref = reference_for(ctx)
    rows = []
    for value, hit in zip(ip, ref.lookup_ips(ip)):
        rows.append({"ip": value, "provider": hit.provider if hit else None, "service": hit.service if hit else None,
                     "matched": hit.cidr if hit else None, "tag": hit.tag if hit else None,
                     "source": hit.source if hit else None,
                     "snapshot": ref.sources[hit.source].snapshot if hit and hit.source in ref.sources else None})
    return rows


# --- ledger ---------------------------------------------------------------------------------------


@router.get("/ledger", tags=["Ledger"], summary="The latest ledger entries (analyst)")
def ledger_show(kind: str | None = Query(None, max_length=64), limit: int = Query(50, ge=1, le=1000),
                since_seq: int = Query(0, ge=0), ctx: Context = ANALYST) -> list[dict[str, Any]]:
    """An organisation's key sees the entries made for its organisation (`org` in their inputs),
    as on the workbench; a key of no organisation, every entry."""
    latest: deque[Any] = deque(maxlen=limit)
    for entry in ctx.ledger.entries(kind=kind, since_seq=since_seq):
        if ctx.org is None or (isinstance(entry.inputs, dict) and entry.inputs.get("org") == ctx.org):
            latest.append(entry)
    return [e.to_dict() for e in latest]


@router.get("/ledger/verify", tags=["Ledger"], summary="Recompute the hash chain")
def ledger_verify(ctx: Context = READER) -> dict[str, Any]:
    breaches = ctx.ledger.verify()
    count = sum(1 for _ in ctx.ledger.entries())
    return {"entries": count, "ok": not breaches, "breaches": [b.__dict__ for b in breaches]}


# --- keys (admin) ---------------------------------------------------------------------------------


class KeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(..., examples=["onboarding-service"])
    role: str = Field(..., examples=["reader"], description="reader | analyst | curator | admin")
    org: str | None = Field(None, description="Default: the admin key's own organisation")


def _org_of(ctx: Context, org: str | None) -> str | None:
    """An organisation's admin manages its own organisation's keys; an admin without one, every key."""
    if ctx.org is not None and org not in (None, ctx.org):
        raise HTTPException(403, f"org: key {ctx.actor!r} administers organisation {ctx.org!r} only")
    return org if org is not None else ctx.org


def _managed(ctx: Context, name: str) -> keys.ApiKey:
    found = next((k for k in keys.list_keys(ctx.store, include_revoked=True) if k.name == name), None)
    if found is None or (ctx.org is not None and found.org != ctx.org):
        raise HTTPException(404, f"no key named {name!r}")
    return found


@router.post("/keys", status_code=201, tags=["Keys"],
             summary="Create a key; the response is the only time the key itself is shown (admin)")
def key_create(body: KeyCreate, ctx: Context = ADMIN) -> dict[str, Any]:
    try:
        return keys.create_key(ctx.store, ctx.ledger, body.name, body.role, org=_org_of(ctx, body.org), actor=ctx.actor)
    except keys.KeyProblem as exc:
        text = str(exc)
        if "already exists" in text:
            raise HTTPException(409, text) from None
        field = next(f for word, f in (("role", "role"), ("organisation", "org"), ("", "name")) if word in text)
        raise HTTPException(422, f"{field}: {text}") from None


@router.get("/keys", tags=["Keys"], summary="Keys, without their secrets (admin)")
def key_list(include_revoked: bool = Query(False), ctx: Context = ADMIN) -> list[dict[str, Any]]:
    return [k.to_dict() for k in keys.list_keys(ctx.store, include_revoked=include_revoked)
            if ctx.org is None or k.org == ctx.org]


@router.delete("/keys/{name}", tags=["Keys"], summary="Revoke a key; every worker refuses it within seconds (admin)")
def key_revoke(name: str, ctx: Context = ADMIN) -> dict[str, Any]:
    _managed(ctx, name)
    try:
        return keys.revoke_key(ctx.store, ctx.ledger, name, actor=ctx.actor).to_dict()
    except keys.KeyProblem as exc:
        raise HTTPException(409, str(exc)) from None

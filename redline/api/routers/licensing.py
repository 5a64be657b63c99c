"""Licence cases and consultations over HTTP: readers see their organisation's cases; analysts and
above open, decide and sign off (a second key, never the approver's), and record consultations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from redline.api.auth import ANALYST, READER, caller
from redline.context import Context
from redline.keys import ApiKey
from redline.licensing import cases, consultations, notices
from redline.licensing.officers import CaseworkProblem, NotFound

router = APIRouter(prefix="/v1/licensing", tags=["Licensing"])


class NewCase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    application: dict[str, Any] = Field(..., description="The application, in the YAML file's shape")
    policy: str = Field("echri", max_length=100, description="echri, eu-2021-821 or us-ear")


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["approve", "deny", "refer"]
    reason: str = Field(..., min_length=1, max_length=4000)


class Reason(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(..., min_length=1, max_length=4000)


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(..., min_length=1, max_length=20000, description="The consulted state's answer")


class Close(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(..., min_length=1, max_length=4000)
    no_reply: bool = Field(False, description="Close without an answer, once the deadline has passed")


async def _call(run: Callable[[], Any]) -> Any:
    from redline.licensing.application import ApplicationError
    from redline.licensing.policy import PolicyError

    try:
        return await run_in_threadpool(run)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except CaseworkProblem as exc:
        raise HTTPException(409, str(exc).replace("--", "")) from None
    except ApplicationError as exc:
        raise HTTPException(422, exc.to_dict()) from None
    except notices.NoticeProblem as exc:
        raise HTTPException(422, str(exc).replace("--", "")) from None
    except PolicyError as exc:
        raise HTTPException(422, f"policy: {exc}") from None


@router.get("/cases", summary="Cases of the key's organisation, newest first")
async def list_cases(status: Literal["open", "referred", "awaiting_sign_off", "approved", "denied"] | None = Query(None),
                     limit: int = Query(100, ge=1, le=1000), ctx: Context = READER) -> dict[str, Any]:
    found = await _call(lambda: cases.list_cases(ctx.store, ctx.org, status, limit))
    return {"cases": found, "total": len(found)}


@router.get("/cases/{case_id}", summary="One case: application, assessment, steps, consultations, notices")
async def get_case(case_id: int, ctx: Context = READER) -> dict[str, Any]:
    return await _call(lambda: cases.get_case(ctx.store, ctx.org, case_id))


@router.post("/cases", status_code=201, summary="Open a case: the application is assessed and screened against partner notices")
async def open_case(body: NewCase, ctx: Context = ANALYST, key: ApiKey = Depends(caller)) -> dict[str, Any]:
    from redline.licensing.application import parse_application

    return await _call(lambda: cases.open_case(ctx, parse_application(body.application, "<request>"),
                                               policy=body.policy, role=key.role))


@router.post("/cases/{case_id}/decide", summary="An officer's decision: approve (awaits sign-off), deny or refer")
async def decide(case_id: int, body: Decision, ctx: Context = ANALYST, key: ApiKey = Depends(caller)) -> dict[str, Any]:
    return await _call(lambda: cases.decide(ctx, case_id, body.decision, body.reason, role=key.role))


@router.post("/cases/{case_id}/sign-off", summary="A second officer's sign-off of an approval (four-eyes)")
async def sign_off(case_id: int, body: Reason, ctx: Context = ANALYST, key: ApiKey = Depends(caller)) -> dict[str, Any]:
    return await _call(lambda: cases.sign_off(ctx, case_id, body.reason, role=key.role))


class NoticeOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    expiry: str | None = Field(None, description="ISO date; default three years after the denial")


@router.post("/cases/{case_id}/notice", status_code=201, summary="Signed denial notices for a denied case")
async def case_notice(case_id: int, body: NoticeOptions, ctx: Context = ANALYST,
                      key: ApiKey = Depends(caller)) -> dict[str, Any]:
    issued = await _call(lambda: cases.issue_notices(ctx, case_id, role=key.role, expiry=body.expiry))
    return {"notices": issued}


@router.get("/consultations", summary="Consultations on the organisation's cases, newest first")
async def list_consultations(status: Literal["open", "answered", "closed"] | None = Query(None),
                             ctx: Context = READER) -> dict[str, Any]:
    found = await _call(lambda: consultations.list_consultations(ctx.store, ctx.org, status))
    return {"consultations": found, "total": len(found)}


@router.get("/consultations/{consultation_id}", summary="One consultation")
async def get_consultation(consultation_id: int, ctx: Context = READER) -> dict[str, Any]:
    return await _call(lambda: consultations.get_consultation(ctx.store, ctx.org, consultation_id))


@router.post("/consultations/{consultation_id}/answer", summary="Record the consulted state's answer")
async def answer(consultation_id: int, body: Answer, ctx: Context = ANALYST, key: ApiKey = Depends(caller)) -> dict[str, Any]:
    return await _call(lambda: consultations.answer(ctx, consultation_id, body.text, role=key.role))


@router.post("/consultations/{consultation_id}/close", summary="Close a consultation (answered, or past its deadline)")
async def close(consultation_id: int, body: Close, ctx: Context = ANALYST, key: ApiKey = Depends(caller)) -> dict[str, Any]:
    return await _call(lambda: consultations.close(ctx, consultation_id, body.reason, role=key.role, no_reply=body.no_reply))


@router.get("/notices", summary="Denial notices: ours (signed here) and partners' (verified)")
async def list_notices(origin: Literal["own", "partner"] | None = Query(None), ctx: Context = READER) -> dict[str, Any]:
    found = await run_in_threadpool(notices.list_notices, ctx.store, origin)
    return {"notices": found, "total": len(found)}

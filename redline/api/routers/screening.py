"""yente-compatible screening: /match, /search, /entities, /catalog, /algorithms."""

from __future__ import annotations

import asyncio
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from typing import Any

import orjson
from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from redline.api import yente
from redline.api.app import Lists
from redline.api.auth import READER
from redline.api.responses import Json
from redline.context import Context
from redline.ledger import GroupCommit
from redline.parties import api as parties
from redline.parties.screening import MATCH_THRESHOLD

router = APIRouter(tags=["Matching"])
# /match and /search screen on the process's few screening threads (`redline.api.hot.Work`): a
# screening is a few ms of CPU, and on the event loop it would hold every other request of the
# worker, health probes included, behind it. The screenings are recorded (ledger entries and review
# items, docs/review.md) by the process's group committer, and the request answers once they are
# committed: their entries share transactions. MAX_QUERIES bounds one request.
MAX_QUERIES = 100
MAX_LIMIT = 500


class EntityExample(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore")
    id: str | None = None
    schema_: str = Field(..., alias="schema", examples=["Company"])
    properties: dict[str, str | list[Any]] = Field(..., examples=[{"name": ["Hikvision"], "country": ["cn"]}])


class MatchRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")
    queries: dict[str, EntityExample | None]
    weights: dict[str, float] = {}
    config: dict[str, Any] = {}
    exclude_entity_ids: list[str] = Field([], description="Also accepted as a query parameter, as yente does")


def _dataset(lists: Lists, dataset: str) -> str | None:
    """None for every list ('default'), else the source name; 404 for a name no snapshot has."""
    if dataset == "default":
        return None
    sources = lists.sources
    if dataset not in sources:
        raise HTTPException(404, f"no such dataset {dataset!r}: use 'default' or one of {', '.join(sorted(sources))}")
    return dataset


def _algorithm(name: str) -> None:
    if name not in yente.ALIASES:
        raise HTTPException(400, f"algorithm: unknown algorithm {name!r}; available: {', '.join(sorted(yente.ALIASES))}")


def _ready(request: Request) -> Lists:
    """The lists in force, held by the server (503 until the first are loaded)."""
    readiness = request.app.state.readiness
    readiness.ensure_watching()
    lists = readiness.lists
    if lists is None:
        readiness.ensure_loading()
        raise HTTPException(503, readiness.error or "the lists are loading; retry shortly",
                            headers={"Retry-After": "5"})
    return lists


async def _recorded(request: Request, ctx: Context, screenings: list[dict[str, Any]]) -> None:
    if screenings:
        await asyncio.wrap_future(request.app.state.recorder.submit(lambda conn: yente.record(conn, ctx, screenings)))


@dataclass(frozen=True)
class MatchPlan:
    """A /match request checked and parsed, before any screening: what `answer_match` runs."""

    lists: Lists
    source: str | None
    examples: dict[str, yente.Example]
    queries: dict[str, EntityExample | None]
    limit: int
    threshold: float
    cutoff: float
    exclude: set[str]


def plan_match(lists: Lists, dataset: str, body: MatchRequest, *, limit: int, threshold: float, cutoff: float,
               algorithm: str, exclude_entity_ids: list[str]) -> MatchPlan:
    """Raises HTTPException (4xx) for a request that cannot be answered; does no screening."""
    _algorithm(algorithm)
    source = _dataset(lists, dataset)
    if not body.queries:
        raise HTTPException(400, "queries: no queries provided")
    if len(body.queries) > MAX_QUERIES:
        raise HTTPException(400, f"queries: too many queries in one batch (limit: {MAX_QUERIES})")
    examples: dict[str, yente.Example] = {}
    for key, example in body.queries.items():
        if example is None:
            continue
        try:
            examples[key] = yente.parse_example(f"queries.{key}", example.schema_, example.properties)
        except yente.ExampleError as exc:
            raise HTTPException(422, str(exc)) from None
    return MatchPlan(lists, source, examples, body.queries, limit, threshold, cutoff,
                     set(exclude_entity_ids) | set(body.exclude_entity_ids))


def answer_match(recorder: GroupCommit, ctx: Context, plan: MatchPlan) -> tuple[bytes, Future[Any] | None]:
    """Screen every example and encode the answer (in a worker thread); the screenings are handed to
    the process's group committer, and the caller answers once the returned future is done."""
    found = {key: yente.screen_example(plan.lists.screener, parsed, dataset=plan.source, limit=plan.limit,
                                       threshold=plan.threshold, cutoff=plan.cutoff, exclude=plan.exclude)
             for key, parsed in plan.examples.items()}
    screenings = [s for _, done in found.values() for s in done]
    recorded = recorder.submit(lambda conn: yente.record(conn, ctx, screenings)) if screenings else None
    entities = plan.lists.entities
    responses = {}
    for key, parsed in plan.examples.items():
        results = [yente.scored_response(h, entities) for h in found[key][0]]
        query = plan.queries[key]
        responses[key] = {
            "status": 200,
            "results": results,
            "total": {"value": len(results), "relation": "eq"},
            "query": yente.example_dict(parsed.schema, query.properties, query.id),  # type: ignore[union-attr]
        }
    # every key is a string here (the client's keys come from JSON): orjson's non-string-key option
    # cost 10 of the 35-45 us this took for the api_match answers (9.4 kB each)
    body = orjson.dumps({"responses": responses, "matcher": yente.ALGORITHM_DOC["features"], "limit": plan.limit},
                        default=str)
    return body, recorded


@router.post("/match/{dataset}", response_model=None, summary="Match FollowTheMoney-shaped examples (yente's query-by-example)")
async def match(
    request: Request,
    body: MatchRequest,
    dataset: str,
    limit: int = Query(5, ge=1, le=MAX_LIMIT),
    threshold: float = Query(MATCH_THRESHOLD, ge=0.0, le=1.0),
    cutoff: float = Query(0.0, ge=0.0, le=1.0),
    algorithm: str = Query(yente.ALGORITHM),
    exclude_entity_ids: list[str] = Query([], max_length=500),
    ctx: Context = READER,
) -> Response:
    # Well-formed requests are answered by redline.api.hot without this route's FastAPI machinery;
    # this route answers the rest (its errors) and documents /match in the OpenAPI schema.
    plan = plan_match(_ready(request), dataset, body, limit=limit, threshold=threshold, cutoff=cutoff,
                      algorithm=algorithm, exclude_entity_ids=exclude_entity_ids)
    payload = await request.app.state.work.run_recorded(answer_match, request.app.state.recorder, ctx, plan)
    return Response(payload, media_type="application/json", headers={"x-batch-size": str(len(plan.examples))})


@router.get("/search/{dataset}", response_model=None, summary="Search by a name (yente's simple search)")
async def search(
    request: Request,
    dataset: str,
    q: str = Query(..., min_length=1, max_length=500),
    schema: str = Query("LegalEntity"),
    countries: list[str] = Query([]),
    limit: int = Query(10, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=1000),
    ctx: Context = READER,
) -> Json:
    lists = _ready(request)
    source = _dataset(lists, dataset)
    try:
        example = yente.parse_example("q", schema, {"name": [q], "country": countries})
    except yente.ExampleError as exc:
        raise HTTPException(422, str(exc).replace("q.schema", "schema")) from None
    hits, done = await request.app.state.work.run(partial(
        yente.screen_example, lists.screener, example, dataset=source, limit=limit + offset,
        threshold=MATCH_THRESHOLD, cutoff=0.0, exclude=set()))
    await _recorded(request, ctx, done)
    entities = lists.entities
    page = [yente.scored_response(h, entities) for h in hits[offset:]]
    return Json({"results": page, "facets": {}, "total": {"value": len(hits), "relation": "eq"}, "limit": limit,
                 "offset": offset})


@router.get("/entities/{entity_id}", tags=["Data access"], summary="One listed party by id")
async def entity(request: Request, entity_id: str, ctx: Context = READER) -> dict[str, Any]:
    found = _ready(request).entities.get(entity_id)
    if found is None:
        raise HTTPException(404, f"no listed entity {entity_id!r}")
    return yente.entity_response(found)


@router.get("/catalog", tags=["Data access"], summary="The datasets (list sources) in force")
def catalog(ctx: Context = READER) -> dict[str, Any]:
    snaps = parties.snapshots()
    datasets = [{
        "name": s["source"],
        "title": s["label"],
        "summary": f"snapshot {s['id']} of {s['source']}, sha256 {s['sha256'][:12]}",
        "url": s.get("url"),
        "load": True,
        "entities_url": None,
        "version": s.get("data_date") or s["retrieved_at"],
        "index_version": str(s["id"]),
        "index_current": True,
        "children": [],
    } for s in snaps]
    default = {"name": "default", "title": "Every list in force", "summary": None, "url": None, "load": True,
               "entities_url": None, "version": max((d["version"] or "" for d in datasets), default=""),
               "index_version": None, "index_current": True, "children": sorted({d["name"] for d in datasets})}
    names = [default["name"]] + [d["name"] for d in datasets]
    return {"datasets": [default] + datasets, "current": names, "outdated": [], "index_stale": False}


@router.get("/algorithms", summary="The scoring algorithms this server offers")
def algorithms(ctx: Context = READER) -> dict[str, Any]:
    return {"algorithms": [yente.ALGORITHM_DOC], "default": yente.ALGORITHM, "best": yente.ALGORITHM}

"""The parties domain as a Python API; the CLI, the HTTP service and other domains call these."""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from redline.context import get_context
from redline.parties.graph import EVIDENCE, SourceEntity, build_parties, cluster_audit as _cluster_audit, merge_entities
from redline.parties.screening import MATCH_THRESHOLD, Query, Screener, hit_to_dict
from redline.parties.snapshots import IMPORTS, active_entities, import_paths as _import_paths, list_snapshots

CACHE_VERSION = "27"


class NoListsLoaded(RuntimeError):
    def __init__(self) -> None:
        super().__init__("no lists are loaded: run `redline parties import PATH` or `redline parties update` first")


@dataclass
class _Loaded:
    key: str
    screener: Screener
    store_id: int
    imports: int
    checked_at: float


_screener: _Loaded | None = None
FRESHNESS_S = 1.0  # how long an in-memory screener is trusted before the store is asked again


def _state_key(snapshots: list[dict[str, Any]]) -> str:
    material = CACHE_VERSION + "|" + "|".join(f"{s['id']}:{s['sha256']}" for s in snapshots)
    return hashlib.sha256(material.encode()).hexdigest()[:20]


def get_screener() -> Screener:
    """The screener over every snapshot in force: from memory, else a cache file, else built.

    Imports in this process are seen at once; imports by another process within FRESHNESS_S."""
    global _screener
    ctx = get_context()
    loaded = _screener
    now = time.monotonic()
    if (
        loaded
        and loaded.store_id == id(ctx.store)
        and loaded.imports == IMPORTS[0]
        and now - loaded.checked_at < FRESHNESS_S
    ):
        return loaded.screener
    snapshots = list_snapshots(ctx.store, active_only=True)
    if not snapshots:
        raise NoListsLoaded()
    key = _state_key(snapshots)
    if loaded and loaded.key == key:
        loaded.checked_at, loaded.store_id, loaded.imports = now, id(ctx.store), IMPORTS[0]
        return loaded.screener
    cache = ctx.settings.cache_dir / f"screener-{key}.pickle"
    gc.unfreeze()  # a screener frozen earlier may be garbage now: let the collector see it again
    gc.disable()  # millions of small objects: collecting while they are made costs more than making them
    try:
        screener = _read_cache(cache) or _build(ctx, snapshots, cache)
    finally:
        gc.enable()
    gc.freeze()  # the screener lives as long as the process: keep it out of every later collection
    _screener = _Loaded(key, screener, id(ctx.store), IMPORTS[0], now)
    return screener


def _read_cache(cache: Path) -> Screener | None:
    if not cache.exists():
        return None
    try:
        with cache.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return None


def _build(ctx: Any, snapshots: list[dict[str, Any]], cache: Path) -> Screener:
    entities = (SourceEntity(data, source, label) for data, source, label in active_entities(ctx.store))
    screener = Screener(build_parties(entities), snapshots)
    for old in ctx.settings.cache_dir.glob("screener-*.pickle"):
        old.unlink(missing_ok=True)
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("wb") as handle:
        pickle.dump(screener, handle, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(cache)
    return screener


def screen(
    name: str,
    *,
    schema: str | None = None,
    country: str | None = None,
    birth_date: str | None = None,
    identifiers: list[str] | None = None,
    limit: int = 5,
    threshold: float = MATCH_THRESHOLD,
    on: date | None = None,
) -> dict[str, Any]:
    """Screen one party. Returns the DESIGN.md contract: {"query", "results", "snapshots"}."""
    screener = get_screener()
    query = Query(name=name, schema=schema, country=country, birth_date=birth_date, identifiers=identifiers or [])
    hits = screener.screen(query, limit=limit, threshold=threshold, on=on)
    return {
        "query": query.to_dict(),
        "results": [hit_to_dict(h) for h in hits],
        "snapshots": [
            {k: s[k] for k in ("id", "label", "source", "sha256", "retrieved_at", "data_date")} for s in screener.snapshots
        ],
    }


def compare_names(left: str, right: str, schema: str | None = None) -> dict[str, Any]:
    """Score two names against each other (no lists needed)."""
    from redline.parties.names import analyse
    from redline.parties.score import compare

    person = schema == "Person"
    a, b = analyse(left, person=person), analyse(right, person=person)
    forward, backward = compare(a, b), compare(b, a)
    best = forward if forward.score >= backward.score else backward
    return {"score": round(best.score, 4), "match": best.score >= MATCH_THRESHOLD, "explanation": best.explain()}


def listed_clusters(program_ids: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every listed party (a cluster across lists), optionally only those on some programs."""
    wanted = set(program_ids) if program_ids else None
    for party in get_screener().parties:
        if not party.listed:
            continue
        if wanted and not wanted & {listing.program_id for listing in party.listings}:
            continue
        yield {
            "id": party.id,
            "caption": party.caption,
            "schema": party.schema,
            "names": party.names,
            "countries": sorted(party.countries),
            "lists": [listing.to_dict() for listing in party.listings],
        }


def cluster_audit(contains: str | None = None) -> dict[str, Any]:
    """Every party that joins several list entities, with the evidence of each merge (which key,
    which entities); `contains` keeps the clusters with a name holding that text."""
    screener = get_screener()
    clusters = _cluster_audit(screener.parties, contains)
    counts = {kind: 0 for kind in EVIDENCE}
    for cluster in clusters:
        for merge in cluster["merges"]:
            counts[merge["evidence"]] += 1
    return {"clusters": clusters, "evidence_counts": counts, "evidence": EVIDENCE,
            "snapshots": [{k: s[k] for k in ("id", "label", "source")} for s in screener.snapshots]}


def import_paths(paths: list[Path], force: bool = False) -> list[dict[str, Any]]:
    """Import list files or folders into the current store; one snapshot each."""
    results, _ = _import_paths(get_context().store, [Path(p) for p in paths], force=force)
    return [r.to_dict() for r in results]


def export_ftm(output: Path, sources: Iterable[str] | None = None) -> dict[str, Any]:
    """Every entity in force (optionally of some sources only) as FollowTheMoney JSON lines, the
    format `parties import` reads: one Redline's lists load unchanged into another. An id that two
    sources both publish (OFAC's consolidated list as CSV and XML) is written once, with every value."""
    from followthemoney import model

    from redline.parties.sources.ftm_json import export_entities

    wanted = set(sources) if sources else None
    merged: dict[str, SourceEntity] = {}
    used: set[str] = set()
    for data, source, label in active_entities(get_context().store):
        if wanted and source not in wanted:
            continue
        used.add(source)
        entity = SourceEntity(data, source, label)
        known = merged.get(data["id"])
        merged[data["id"]] = merge_entities(known, entity) if known else entity
    output = Path(output)
    tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    export_entities((model.get_proxy(entity.data) for entity in merged.values()), tmp)
    tmp.replace(output)
    return {"output": str(output), "entities": len(merged), "sources": sorted(used)}


def snapshots(active_only: bool = True) -> list[dict[str, Any]]:
    return list_snapshots(get_context().store, active_only=active_only)

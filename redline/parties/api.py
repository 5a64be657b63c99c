"""The parties domain as a Python API; the CLI, the HTTP service and other domains call these."""

from __future__ import annotations

import functools
import gc
import hashlib
import os
import pickle
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from redline.cachefile import write_cache
from redline.context import Context, get_context
from redline.parties.graph import EVIDENCE, SourceEntity, build_parties, cluster_audit as _cluster_audit, merge_entities
from redline.parties.screening import MATCH_THRESHOLD, Query, Screener, hit_to_dict
from redline.parties.score import Rarity
from redline.parties.snapshots import IMPORTS, active_entities, import_paths as _import_paths, list_snapshots
from redline.review.core import record_screening

CACHE_VERSION = "286"  # bump whenever analysis, the name index or vocab.yaml changes what a cached analysis holds (the history is in git log)


# Who is screening, where a caller cannot pass a Context down (the HTTP routes set it per request).
_acting: ContextVar[Context | None] = ContextVar("redline_parties_acting", default=None)


@contextmanager
def acting(ctx: Context) -> Iterator[Context]:
    """Screenings inside this block are recorded as `ctx`'s (its actor and organisation)."""
    token = _acting.set(ctx)
    try:
        yield ctx
    finally:
        _acting.reset(token)


def set_acting(ctx: Context) -> None:
    """For the rest of this task or thread's context (an HTTP request), screenings are `ctx`'s."""
    _acting.set(ctx)


def current_context(ctx: Context | None = None) -> Context:
    return ctx or _acting.get() or get_context()


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
    cache = _cache_path(ctx, key)
    gc.unfreeze()  # a screener frozen earlier may be garbage now: let the collector see it again
    gc.disable()  # millions of small objects: collecting while they are made costs more than making them
    try:
        screener = read_screener_cache(cache) or _build(ctx, snapshots, cache)
    finally:
        gc.enable()
    gc.freeze()  # the screener lives as long as the process: keep it out of every later collection
    _screener = _Loaded(key, screener, id(ctx.store), IMPORTS[0], now)
    return screener


def _cache_path(ctx: Any, key: str) -> Path:
    return ctx.settings.cache_dir / f"screener-{key}.pickle"


def screener_cache_file() -> Path:
    """The cache file of the screener in force (for processes that load it: workers, a cluster)."""
    screener = get_screener()
    loaded = _screener
    assert loaded is not None
    cache = _cache_path(get_context(), loaded.key)
    if not cache.exists():
        write_cache(cache, screener, stale="screener-*.pickle")
    return cache


def read_screener_cache(cache: Path) -> Screener | None:
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
    write_cache(cache, screener, stale="screener-*.pickle")
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
    ctx: Context | None = None,
    record: bool = True,
) -> dict[str, Any]:
    """Screen one party. Returns the DESIGN.md contract: {"query", "results", "snapshots"}, and
    with `record` (the default) writes it to the ledger as `ctx`'s (default: the acting or the
    process's Context) and raises its reviewable hits in the review queue: "ledger_seq" and
    "review_items" (the ids raised) are added. `record=False` is for a caller that records the
    screening itself."""
    screener = get_screener()
    query = Query(name=name, schema=schema, country=country, birth_date=birth_date, identifiers=identifiers or [])
    hits = screener.screen(query, limit=limit, threshold=threshold, on=on)
    result: dict[str, Any] = {
        "query": query.to_dict(),
        "results": [hit_to_dict(h) for h in hits],
        "snapshots": [
            {k: s[k] for k in ("id", "label", "source", "sha256", "retrieved_at", "data_date")} for s in screener.snapshots
        ],
    }
    if record:
        context = current_context(ctx)
        with context.store.transaction() as conn:
            seq, raised = record_screening(
                conn, context.ledger, kind="parties.screen", actor=context.actor, org=context.org,
                query=result["query"], hits=result["results"], snapshots=[s["label"] for s in result["snapshots"]],
            )
        result["ledger_seq"], result["review_items"] = seq, raised
    return result


def update(sources: list[str] | None = None, *, ctx: Context | None = None, transport: Any = None) -> dict[str, Any]:
    """Download the current lists from their publishers and import them (each import has its own
    ledger entry), then write one "parties.update" entry for the run: what was asked, each URL with
    the file's SHA-256 and what became of it, and each failure."""
    from redline.parties.snapshots import import_unit
    from redline.parties.sources.updaters import update as download

    context = current_context(ctx)
    downloads = download(sources, transport=transport)
    results, fetched = [], []
    for d in downloads:
        r = import_unit(context.store, d.reader, Path(d.path), url=d.url, retrieved_at=d.retrieved_at, actor=context.actor)
        results.append(r.to_dict())
        fetched.append({"source": d.source, "url": d.url, "sha256": d.sha256, "retrieved_at": d.retrieved_at,
                        "status": r.status, "snapshot_id": r.snapshot_id, "error": r.error})
    failures = [f.__dict__ for f in downloads.failures]
    entry = context.ledger.append(
        "parties.update", context.actor, {"sources": sources or "all"},
        {"summary": f"{len(results)} downloaded, {len(failures)} failed", "lists": fetched, "failures": failures},
        refs={"snapshots": [r["label"] for r in results if r.get("label")]},
    )
    return {"results": results, "failures": failures, "ledger_seq": entry.seq}


def list_rarity() -> Rarity | None:
    """How many listed parties carry each word (rule word_rarity), from the lists in force; None
    when no list is loaded."""
    try:
        return get_screener().rarity
    except NoListsLoaded:
        return None


def compare_names(left: str, right: str, schema: str | None = None) -> dict[str, Any]:
    """Score two names against each other. With lists loaded, words weigh by how many listed
    parties carry them, as in screening (rule word_rarity); with none, every word weighs by its kind."""
    return _compare_names(left, right, schema, list_rarity())


def name_comparer() -> Callable[..., dict[str, Any]]:
    """`compare_names` with the lists' word counts read now, once: for many comparisons, or for
    comparisons made inside a store transaction (reading the lists opens a connection of its own)."""
    return functools.partial(_compare_names, rarity=list_rarity())


def _compare_names(left: str, right: str, schema: str | None = None, rarity: Rarity | None = None) -> dict[str, Any]:
    from redline.parties.names import readings, split_alternatives, translated
    from redline.parties.normalise import normalise
    from redline.parties.score import compare

    person = schema == "Person"
    # Each name of a string that carries several ('X a.k.a. Y'), as the screener reads a listed name.
    pairs = [(a, b) for a in readings(left, person) for b in readings(right, person)]
    if not person:
        # An organisation's name in Chinese against one in Latin: also read in translation.
        for a_raw, b_raw in ((left, right), (right, left)):
            for name in split_alternatives(a_raw):
                read = translated(name, b_raw)
                if read is not None:
                    pairs.extend((read, b) for b in readings(b_raw, person))
    best = max(
        (found for a, b in pairs for found in (compare(a, b, rarity=rarity), compare(b, a, rarity=rarity))),
        key=lambda found: found.score,
    )
    explanation = best.explain()
    changed = dict.fromkeys(change for name in (left, right) for change in normalise(name).changes)
    if changed:  # readings take each name as normalised, so analyse finds nothing left to say
        explanation = f"{explanation}; names normalised before matching: {'; '.join(changed)}"
    return {"score": round(best.score, 4), "match": best.score >= MATCH_THRESHOLD, "explanation": explanation}


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

"""`monitor run`: re-screen a book when its rows or the lists change, and raise each alert once.

A book's first run screens every row. After that a run screens only what changed since the
book's last run:

- rows added or changed by an import (their screened hash differs) are screened against the lists;
- listed parties added or changed since the book's last run (a new fingerprint of names and
  listings) are looked up in an index of the book, built by the same NameIndex and scored by the
  same `compare` the screener uses, the book being the index and the delta the query. A book row
  found that way is then screened by the screener itself, so a delta alert carries exactly the
  score and explanation a full screen gives;
- a listed party gone from the lists gives a `delisted` alert to each row alerted on it before.

An alert is keyed on (book, row, listed party, fingerprint of the listing): it is raised once,
whatever an analyst decided, until the listing changes.
"""

from __future__ import annotations

import gc
import hashlib
import pickle
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import islice
from typing import Any

import numpy as np
import orjson
from sqlalchemy import Connection, bindparam, delete, insert, or_, select, update

from redline.cachefile import write_cache
from redline.context import Context
from redline.monitor.books import BookNotFound, get_book, iter_rows
from redline.monitor.tables import monitor_alerts, monitor_books, monitor_rows, monitor_seen
from redline.parties import api, dask_engine
from redline.parties.graph import Party
from redline.parties.index import NameEntry, NameIndex
from redline.parties.names import analyse, query_names, split_alternatives
from redline.parties.normalise import normalise
from redline.parties.score import Rarity, compare
from redline.parties.screening import BIRTH_YEAR_AGREES, MATCH_THRESHOLD, Hit, Query, Screener, hit_to_dict, informative
from redline.review.core import record_screening

REASONS = ("new_listing", "changed_listing", "delisted")
# A book row whose name scores this much against a changed listing is screened: the screener's
# adjustments lift a name score by at most BIRTH_YEAR_AGREES (an identifier is looked up apart).
PREFILTER_MARGIN = 0.05
CANDIDATES = 48
SCREEN_LIMIT = 10
CLUSTER_CHUNK = 256  # book rows a Dask task screens


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def party_fingerprint(party: Party) -> str:
    """What makes a listing new to a book: the party's names and its listings (not the snapshot labels)."""
    lists = sorted([l.source, l.program_id, l.program, l.authority, l.listed_on or ""] for l in party.listings)
    material = {"schema": party.schema, "names": sorted(set(party.names)), "lists": lists}
    return hashlib.sha256(orjson.dumps(material)).hexdigest()


_state_cache: list[tuple[Screener, dict[str, tuple[str, int]]]] = []


def listing_state(screener: Screener) -> dict[str, tuple[str, int]]:
    """Listed party id -> (fingerprint, index in screener.parties), once per screener."""
    if not _state_cache or _state_cache[0][0] is not screener:
        _state_cache[:] = [(screener, {p.id: (party_fingerprint(p), i) for i, p in enumerate(screener.parties) if p.listed})]
    return _state_cache[0][1]


class BookNames(Sequence[NameEntry]):
    """The book's names as the NameIndex's entries, analysed when a lookup reaches one: the cached
    index holds each name as a string and a flag, so that a delta run loads a 1 M-row book quickly
    (a pickle of a million analysed names took most of such a run)."""

    def __init__(self, texts: list[str], persons: np.ndarray, rows: np.ndarray) -> None:
        self.texts, self.persons, self.rows = texts, persons, rows

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, n: int) -> NameEntry:  # type: ignore[override]
        return NameEntry(analyse(self.texts[n], person=bool(self.persons[n])), int(self.rows[n]))


@dataclass
class BookIndex:
    row_ids: list[str]
    index: NameIndex
    identifiers: dict[str, list[int]]


def _book_index(ctx: Context, conn: Connection, book: Any) -> BookIndex:
    """The book's names in a NameIndex (cached per book generation: an import makes a new one)."""
    cache = ctx.settings.cache_dir / f"book-{book.id}-{book.generation}-{api.CACHE_VERSION}.pickle"
    if cache.exists():
        gc.disable()  # millions of small objects: collecting while they load costs more than loading them
        try:
            with cache.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
        finally:
            gc.enable()
    row_ids: list[str] = []
    entries: list[NameEntry] = []
    texts: list[str] = []
    persons: list[bool] = []
    identifiers: dict[str, list[int]] = {}
    for n, row in enumerate(iter_rows(conn, book.id)):
        row_ids.append(row.row_id)
        readings = [True] if row.schema == "Person" else [False] if row.schema not in (None, "LegalEntity") else [False, True]
        seen: set[Any] = set()
        for variant in query_names(normalise(row.name).text):
            for person in readings:
                analysed = analyse(variant, person=person)
                if analysed.tokens and analysed.tokens not in seen:
                    seen.add(analysed.tokens)
                    entries.append(NameEntry(analysed, n))
                    texts.append(variant)
                    persons.append(person)
        for ident in orjson.loads(row.identifiers):
            identifiers.setdefault(ident.replace(" ", "").upper(), []).append(n)
    index = NameIndex(entries)
    index.entries = BookNames(texts, np.array(persons, dtype=bool),  # type: ignore[assignment]
                              np.fromiter((e.party for e in entries), dtype=np.int32, count=len(entries)))
    built = BookIndex(row_ids, index, identifiers)
    write_cache(cache, built, stale=f"book-{book.id}-*.pickle")
    return built


def rows_near(book: BookIndex, parties: list[Party], threshold: float, rarity: Rarity | None) -> set[str]:
    """Book rows that a full screen might match to one of `parties`: the delta as the query, each
    word weighed by `rarity` (the screener's) as the full screen weighs it."""
    floor = threshold - BIRTH_YEAR_AGREES - PREFILTER_MARGIN
    found: set[int] = set()
    for party in parties:
        for name in {alt for listed in party.names for alt in split_alternatives(listed)}:
            listed = analyse(name, person=party.is_person)
            if not informative(listed):
                continue
            for n in book.index.candidates(listed, CANDIDATES):
                entry = book.index.entries[n]
                if entry.party not in found and compare(entry.name, listed, rarity=rarity).score >= floor:
                    found.add(entry.party)
        for ident in party.identifiers:
            found.update(book.identifiers.get(ident, ()))
    return {book.row_ids[n] for n in found}


QueryKey = tuple[str, str | None, str | None, str | None, str]  # name, schema, country, birth date, identifiers (JSON)


def _key(row: Any) -> QueryKey:
    return (row.name, row.schema, row.country, row.birth_date, row.identifiers)


def _query(key: QueryKey) -> Query:
    name, schema, country, birth_date, identifiers = key
    return Query(name=name, schema=schema, country=country, birth_date=birth_date, identifiers=orjson.loads(identifiers))


@dataclass(frozen=True)
class Found:
    """A matching hit for a book row, in a form that travels between processes."""

    party_id: str
    caption: str
    score: float
    fingerprint: str | None  # of a party outside the listing state (one reached through ownership)
    snapshot: str
    hit: dict[str, Any]


def screen_keys(screener: Screener, keys: list[QueryKey], threshold: float) -> list[list[Found]]:
    """The matching hits of each query, as `Found` (what a Dask worker sends back)."""
    state = listing_state(screener)
    found: dict[QueryKey, list[Found]] = {}
    for key in keys:
        if key not in found:  # a book names the same party on many rows
            found[key] = [_found(hit, state) for hit in screener.screen(_query(key), limit=SCREEN_LIMIT, threshold=threshold)
                          if hit.match]
    return [found[key] for key in keys]


def _found(hit: Hit, state: dict[str, tuple[str, int]]) -> Found:
    snapshot = ", ".join(sorted({l.snapshot for l in hit.party.listings} | {l["snapshot"] for v in hit.via for l in v["lists"]}))
    return Found(hit.party.id, hit.party.caption, round(hit.score, 4),
                 None if hit.party.id in state else party_fingerprint(hit.party), snapshot, hit_to_dict(hit))


def _screen_keys_on_worker(cache: str, threshold: float, keys: list[QueryKey]) -> list[list[Found]]:
    return screen_keys(dask_engine.worker_screener(cache), keys, threshold)


@dataclass
class _Proposal:
    row: Any
    hit: dict[str, Any] | None
    party_id: str
    caption: str
    score: float
    fingerprint: str
    snapshot: str
    changed: bool  # the listing changed since the book's last run


def run(ctx: Context, book: str | None = None, threshold: float = MATCH_THRESHOLD, engine: str = "local",
        scheduler: str | None = None, workers: int | None = None) -> dict[str, Any]:
    """Run every book of the context's organisation, or one: the alerts raised and what was screened.

    With `engine` "dask", the rows screened whole (a first run, new or changed rows) are screened on
    the Dask scheduler at `scheduler`, else on a LocalCluster of `workers` processes."""
    dask_engine.check_engine(engine, scheduler)
    with ctx.store.connect() as conn:
        if book is not None:
            books = [get_book(conn, ctx, book)]
        else:
            org = monitor_books.c.org_key == (ctx.org or "")
            books = list(conn.execute(select(monitor_books).where(org).order_by(monitor_books.c.name)))
    screener = api.get_screener()
    state = listing_state(screener)
    alerts: list[dict[str, Any]] = []
    runs = []
    with ExitStack() as running:
        if engine == "dask":
            dask = running.enter_context(dask_engine.client(scheduler, workers))
            cache = str(dask_engine.screener_file())
            screen = _on_cluster(dask, cache, threshold)
        else:
            screen = _in_process(screener, threshold)
        for row in books:
            result = _run_book(ctx, row, screener, state, threshold, screen)
            alerts.extend(result.pop("alerts"))
            runs.append(result)
    return {"alerts": alerts, "books": runs, "engine": engine,
            "snapshots": [s["label"] for s in screener.snapshots], "threshold": threshold}


Screen = Callable[[Iterator[Any]], Iterator[tuple[Any, list[Found]]]]  # rows -> (row, its hits), in order


def _in_process(screener: Screener, threshold: float) -> Screen:
    memo: dict[QueryKey, list[Found]] = {}

    def screen(rows: Iterator[Any]) -> Iterator[tuple[Any, list[Found]]]:
        for row in rows:
            key = _key(row)
            if key not in memo:
                memo[key] = screen_keys(screener, [key], threshold)[0]
            yield row, memo[key]

    return screen


def _on_cluster(dask: Any, cache: str, threshold: float) -> Screen:
    def submit(chunk: list[Any]) -> Callable[[], tuple[list[Any], list[list[Found]]]]:
        future = dask.submit(_screen_keys_on_worker, cache, threshold, [_key(row) for row in chunk], pure=False)
        return lambda: (chunk, future.result())

    def screen(rows: Iterator[Any]) -> Iterator[tuple[Any, list[Found]]]:
        chunks = iter(lambda: list(islice(rows, CLUSTER_CHUNK)), [])
        for chunk, found in dask_engine.ordered(submit, chunks, dask_engine.depth(dask)):
            yield from zip(chunk, found)

    return screen


def _run_book(ctx: Context, book: Any, screener: Screener, state: dict[str, tuple[str, int]], threshold: float,
              screen: Screen) -> dict[str, Any]:
    started = time.perf_counter()
    first = book.last_run_at is None
    with ctx.store.connect() as conn:
        seen = dict(conn.execute(select(monitor_seen.c.party_id, monitor_seen.c.fingerprint)
                                 .where(monitor_seen.c.book_id == book.id)).all())
        added = [pid for pid in state if pid not in seen]
        changed = [pid for pid, (fp, _) in state.items() if pid in seen and seen[pid] != fp]
        removed = [pid for pid in seen if pid not in state]
        fresh_ids = set(added) | set(changed)
        proposals: list[_Proposal] = []
        stale = or_(monitor_rows.c.screened_hash.is_(None), monitor_rows.c.screened_hash != monitor_rows.c.query_hash)
        screened: list[tuple[str, str]] = []
        for row, found in screen(iter_rows(conn, book.id, stale)):
            screened.append((row.row_id, row.query_hash))
            proposals += _proposals(row, found, state, None if first else fresh_ids, only=None)
        whole = {row_id for row_id, _ in screened}
        delta_rows: int | None = None
        local = _in_process(screener, threshold)  # the few rows near changed listings
        if not first and fresh_ids:
            index = _book_index(ctx, conn, book)
            near = rows_near(index, [screener.parties[state[pid][1]] for pid in fresh_ids], threshold, screener.rarity) - whole
            delta_rows = len(near)
            for row, found in local(iter(_rows(conn, book.id, sorted(near)))):
                proposals += _proposals(row, found, state, fresh_ids, only=fresh_ids)
        delisted = _delisted(conn, book, removed, screener) if removed else []
        if screened and delta_rows is None:
            _book_index(ctx, conn, book)  # built now, after an import, so that the next delta run only loads it
    labels = [s["label"] for s in screener.snapshots]
    with ctx.store.transaction() as conn:
        raised = [_raise(ctx, conn, book, p, "delisted" if p.hit is None else None, labels) for p in proposals + delisted]
        raised = [a for a in raised if a]
        if screened:
            conn.execute(update(monitor_rows).where(monitor_rows.c.book_id == book.id,
                                                    monitor_rows.c.row_id == bindparam("rid"))
                         .values(screened_hash=bindparam("qh")), [{"rid": r, "qh": h} for r, h in screened])
        if removed:
            conn.execute(delete(monitor_seen).where(monitor_seen.c.book_id == book.id, monitor_seen.c.party_id.in_(removed)))
        if changed:
            conn.execute(update(monitor_seen).where(monitor_seen.c.book_id == book.id, monitor_seen.c.party_id == bindparam("pid"))
                         .values(fingerprint=bindparam("fp")), [{"pid": pid, "fp": state[pid][0]} for pid in changed])
        if added:
            conn.execute(insert(monitor_seen), [{"book_id": book.id, "party_id": pid, "fingerprint": state[pid][0]} for pid in added])
        now = _now()
        conn.execute(update(monitor_books).where(monitor_books.c.id == book.id)
                     .values(last_run_at=now, last_snapshots=orjson.dumps(labels).decode()))
        summary = {"book": book.name, "id": book.id, "first_run": first, "rows_screened_whole": len(screened),
                   "rows_screened_for_delta": delta_rows or 0,
                   "listings": {"added": len(added) if not first else 0, "changed": len(changed), "removed": len(removed)},
                   "alerts_raised": len(raised)}
        ctx.ledger.append("monitor.run", ctx.actor, {"book": book.name, "org": ctx.org, "threshold": threshold},
                          summary, refs={"snapshots": labels}, conn=conn)
    summary["seconds"] = round(time.perf_counter() - started, 3)
    return {**summary, "alerts": raised}


def _rows(conn: Connection, book_id: int, row_ids: list[str]) -> list[Any]:
    found: list[Any] = []
    for i in range(0, len(row_ids), 500):
        found += conn.execute(select(monitor_rows).where(monitor_rows.c.book_id == book_id,
                                                         monitor_rows.c.row_id.in_(row_ids[i:i + 500]))).all()
    return found


def _proposals(row: Any, found: list[Found], state: dict[str, tuple[str, int]], fresh: set[str] | None,
               only: set[str] | None) -> list[_Proposal]:
    return [_Proposal(row, f.hit, f.party_id, f.caption, f.score, f.fingerprint or state[f.party_id][0], f.snapshot,
                      fresh is not None and f.party_id in fresh)
            for f in found if only is None or f.party_id in only]


def _delisted(conn: Connection, book: Any, removed: list[str], screener: Screener) -> list[_Proposal]:
    """One proposal per (row, party) alerted on before whose party is gone from the lists."""
    previous = conn.execute(select(monitor_alerts).where(
        monitor_alerts.c.book_id == book.id, monitor_alerts.c.hit_id.in_(removed), monitor_alerts.c.reason != "delisted",
    ).order_by(monitor_alerts.c.id)).all()
    current = {s["source"]: s["label"] for s in screener.snapshots}
    latest: dict[tuple[str, str], Any] = {(a.row_id, a.hit_id): a for a in previous}
    found = []
    for alert in latest.values():
        sources = {label.split("@")[0] for label in alert.snapshot.split(", ")}
        snapshot = ", ".join(sorted(current[s] for s in sources if s in current)) or "no snapshot of its lists in force"
        found.append(_Proposal(alert, None, alert.hit_id, alert.caption, alert.score, "delisted", snapshot, True))
    return found


def _raise(ctx: Context, conn: Connection, book: Any, p: _Proposal, reason: str | None, labels: list[str]) -> dict[str, Any] | None:
    row_id = p.row.row_id
    key = (monitor_alerts.c.book_id == book.id) & (monitor_alerts.c.row_id == row_id) & (monitor_alerts.c.hit_id == p.party_id)
    if conn.execute(select(monitor_alerts.c.id).where(key, monitor_alerts.c.fingerprint == p.fingerprint)).first():
        return None  # raised before (and perhaps cleared since) for this very listing
    if reason is None:
        before = conn.execute(select(monitor_alerts.c.id).where(key)).first()
        reason = "changed_listing" if p.changed and (before or seen_party(conn, book.id, p.party_id)) else "new_listing"
    alert = {"book": book.name, "book_id": row_id, "name": p.row.name, "hit_id": p.party_id, "caption": p.caption,
             "score": p.score, "reason": reason, "snapshot": p.snapshot}
    item = None
    if p.hit is not None:
        seq, items = record_screening(
            conn, ctx.ledger, kind="monitor.alert", actor=ctx.actor, org=ctx.org, query=_query(_key(p.row)).to_dict(),
            hits=[p.hit], snapshots=labels, extra={"book": book.name, "book_id": row_id, "reason": reason},
        )
        item = items[0] if items else None
    else:
        seq = ctx.ledger.append("monitor.alert", ctx.actor, {"book": book.name, "book_id": row_id, "org": ctx.org},
                                alert, refs={"snapshots": labels}, conn=conn).seq
    conn.execute(insert(monitor_alerts).values(
        book_id=book.id, row_id=row_id, name=p.row.name, hit_id=p.party_id, caption=p.caption, score=p.score,
        reason=reason, fingerprint=p.fingerprint, snapshot=p.snapshot, raised_at=_now(), ledger_seq=seq, review_item=item,
    ))
    return {**alert, "ledger_seq": seq, "review_item": item}


_SEEN_PARTY = select(monitor_seen.c.party_id).where(monitor_seen.c.book_id == bindparam("book"),
                                                    monitor_seen.c.party_id == bindparam("party"))


def seen_party(conn: Connection, book_id: int, party_id: str) -> bool:
    """Whether the book's last run saw this party listed already (its listing changed, it is not new)."""
    return conn.execute(_SEEN_PARTY, {"book": book_id, "party": party_id}).first() is not None


__all__ = ["BookNotFound", "REASONS", "listing_state", "party_fingerprint", "rows_near", "run"]

"""Fetching from an exchange into its bank, deconfirming a shared hash, pushing feedback back.

A fetch reads the exchange's pages from its checkpoint. Each page is applied in ONE transaction
together with its checkpoint: its new hashes (through `banks.add_signals`), its deletions, the
provenance of every hash, the records refused, and the page's ledger entries. A fetch that fails
part-way leaves the bank holding exactly the pages whose checkpoint was stored, and the next fetch
resumes after them; re-applying a page is harmless (duplicates are counted, not added).
"""

from __future__ import annotations

import importlib.util
import queue
import threading
import time
from operator import itemgetter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

import orjson
from sqlalchemy import Connection, and_, func, select, update

from redline.context import Context
from redline.exchange import sqlbulk
from redline.exchange import tables as t
from redline.exchange.adapters.base import ExchangeError, Feedback, Page, Refusal
from redline.exchange.credentials import CredentialError
from redline.exchange.exchanges import FETCH_LEASE, Exchange, ExchangeProblem, get_exchange, now, open_adapter
from redline.ledger import Ledger
from redline.media import banks, bulk
from redline.media import tables as media_tables
from redline.media.labels import LabelError, normalise_labels
from redline.media.signals import HexDigest, SignalError, all_hex, normalise, signal_type

LEASE = FETCH_LEASE  # a fetch marked running longer than this is taken to have died
COMMIT_ROWS = 50_000  # pages are applied in groups of at least this many records: the bank's bulk path
MAX_GROUP_ROWS = 400_000  # … and of at most the bank's size or this many (memory: ~1 KB a record held)
READ_AHEAD_RECORDS = 200_000  # records the reading thread may hold beyond the group being applied
PROVENANCE_REBUILD_MIN = 50_000
REVIVE_LOOKUP_MAX = 10_000
SQLITE_PAGE_CACHE_KIB = 256 * 1024  # while a group's provenance is written (random keys into a large index)
NOTICES_MODULE = "redline.licensing.notices"
CHUNK = 500


@dataclass
class FetchResult:
    exchange: str
    pages: int = 0
    added: int = 0
    duplicates: int = 0
    deleted: int = 0
    refused: int = 0
    verification_failures: int = 0
    skipped: int = 0
    notices: int = 0
    checkpoint: str | None = None
    complete: bool = False
    error: str | None = None
    started_at: str = ""
    finished_at: str | None = None
    refusals: list[str] = field(default_factory=list)  # the first reasons, for the status
    # CPU seconds by phase (each phase's own thread): read (fetch, parse, verify pages: the read-ahead
    # thread), check (normalise records), bank (add_signals), provenance (the group's own writes);
    # and wait, the wall seconds spent waiting for a page
    cpu: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def spent(self, phase: str, seconds: float) -> None:
        self.cpu[phase] = round(self.cpu.get(phase, 0.0) + seconds, 3)


class _PageLedger:
    """Passed to `banks.add_signals` as its ledger: runs the page's own writes on the connection of
    the bank's transaction, so the page, its checkpoint and its ledger entries commit together."""

    def __init__(self, ledger: Ledger, write: Callable[[Connection], None]) -> None:
        self.ledger = ledger
        self.write = write
        self.done = False

    def append(self, kind: str, actor: str, inputs: Any, outcome: Any, refs: dict[str, Any] | None = None,
               at: datetime | None = None, conn: Connection | None = None) -> Any:
        if conn is not None and not self.done:
            self.write(conn)
            self.done = True
        return self.ledger.append(kind, actor, inputs, outcome, refs=refs, at=at, conn=conn)


def _status(conn: Connection, exchange_id: int, status: dict[str, Any], **values: Any) -> None:
    conn.execute(update(t.exchanges).where(t.exchanges.c.id == exchange_id)
                 .values(status=orjson.dumps(status).decode(), **values))


def _start(ctx: Context, exchange: Exchange, result: FetchResult) -> None:
    with ctx.store.transaction() as conn:
        row = conn.execute(select(t.exchanges.c.status).where(t.exchanges.c.id == exchange.id).with_for_update()).one()
        status = orjson.loads(row.status or "{}")
        if status.get("state") == "running":
            started = datetime.fromisoformat(status.get("started_at", "1970-01-01T00:00:00+00:00"))
            if datetime.now(timezone.utc) - started < LEASE:
                raise ExchangeProblem(f"NAME: {exchange.name} is being fetched (since {status['started_at']}); "
                                      "try again when that fetch ends")
        _status(conn, exchange.id, {**result.to_dict(), "state": "running"})


def fetch(ctx: Context, name: str, *, max_pages: int | None = None, rate: float | None = None,
          commit_rows: int = COMMIT_ROWS) -> FetchResult:
    with bulk.gc_paused():
        return _fetch(ctx, name, max_pages=max_pages, rate=rate, commit_rows=commit_rows)


def _fetch(ctx: Context, name: str, *, max_pages: int | None, rate: float | None, commit_rows: int) -> FetchResult:
    """Fetch new pages from the checkpoint on. Pages are applied in groups of at least `commit_rows`
    records (the last group may be smaller), each group in one transaction with the checkpoint of its
    last page. Errors of the exchange end the fetch with `error` set (the groups applied before stay,
    with their checkpoint); bad arguments raise ExchangeProblem."""
    exchange = get_exchange(ctx, name)
    if not exchange.enabled:
        raise ExchangeProblem(f"NAME: {name} is disabled (redline exchange add {name} --update --enable)")
    result = FetchResult(name, checkpoint=exchange.checkpoint, started_at=now())
    _start(ctx, exchange, result)
    adapter = None
    group: list[Page] = []

    def flush() -> None:
        nonlocal group
        if group:
            _apply(ctx, exchange, _merged(group), result)
            result.pages += len(group)
            group = []

    try:
        adapter = open_adapter(ctx, exchange, rate=rate)
        in_bank: int | None = None  # counted once a fetch proves large (a small one never pays for it)
        try:
            for page in _read_ahead(adapter.pages(exchange.checkpoint), result):
                group.append(page)
                last = not page.more or (max_pages is not None and result.pages + len(group) >= max_pages)
                # a group as large as the bank already is (up to MAX_GROUP_ROWS) loads through the
                # bank's index rebuild (media.bulk), not a million random index inserts
                records = sum(len(p.signals) for p in group)
                if records >= commit_rows and in_bank is None:
                    in_bank = _bank_rows(ctx, exchange.bank)
                if last or records >= min(max(commit_rows, in_bank or 0), MAX_GROUP_ROWS):
                    before = result.added
                    flush()
                    in_bank = None if in_bank is None else in_bank + result.added - before
                if last:
                    result.complete = not page.more
                    break
            else:
                flush()
                result.complete = True
        except (ExchangeError, CredentialError):
            flush()  # the pages received before the exchange failed are sound
            raise
    except (ExchangeError, CredentialError, banks.BankError) as exc:
        result.error = str(exc)
    except BaseException as exc:  # a bug or an interruption: recorded, then raised
        result.error = f"interrupted: {exc.__class__.__name__}: {exc}"
        raise
    finally:
        if adapter is not None:
            adapter.close()
        result.finished_at = now()
        state = "failed" if result.error else ("ok" if result.complete else "partial")
        with ctx.store.transaction() as conn:
            _status(conn, exchange.id, {**result.to_dict(), "state": state})
            ctx.ledger.append("exchange.fetch", ctx.actor, {"exchange": name, "adapter": exchange.adapter,
                                                             "from": exchange.checkpoint},
                              {k: v for k, v in result.to_dict().items() if k not in ("refusals", "cpu")}, conn=conn)
    return result


def _read_ahead(pages: Iterator[Page], result: FetchResult, limit: int = READ_AHEAD_RECORDS) -> Iterator[Page]:
    """The adapter's pages, fetched, parsed and verified by a thread while the current group is
    applied (the exchange's own time to answer overlaps ours): it runs ahead by up to `limit`
    records (at least one page), so the next group is mostly read by the time this one commits.
    An adapter never touches the store. The adapter's errors are raised here, in order, after the
    pages before them."""
    box: queue.Queue[tuple[str, Any]] = queue.Queue()
    room = threading.Condition()
    held = [0]  # records read and not yet taken
    stop = threading.Event()

    def put(item: tuple[str, Any]) -> bool:
        size = len(item[1].signals) if item[0] == "page" else 0
        with room:
            while held[0] and held[0] + size > limit and not stop.is_set():
                room.wait(0.1)
            if stop.is_set():
                return False
            held[0] += size
        box.put(item)
        return True

    def run() -> None:
        try:
            while True:
                started = time.thread_time()
                page = next(pages, None)
                result.spent("read", time.thread_time() - started)
                if page is None:
                    break
                if not put(("page", page)):
                    return
            put(("end", None))
        except BaseException as exc:  # handed to the consumer, which raises it
            put(("error", exc))

    thread = threading.Thread(target=run, name="exchange-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            waited = time.perf_counter()
            kind, item = box.get()
            result.spent("wait", time.perf_counter() - waited)
            if kind == "page":
                with room:
                    held[0] -= len(item.signals)
                    room.notify_all()
            if kind == "end":
                return
            if kind == "error":
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def _bank_rows(ctx: Context, bank: str) -> int:
    with ctx.store.connect() as conn:
        bank_id = conn.execute(select(media_tables.banks.c.id).where(media_tables.banks.c.name == bank)).scalar_one_or_none()
        return 0 if bank_id is None else bulk.bank_rows_up_to(conn, bank_id, MAX_GROUP_ROWS)


def _merged(pages: list[Page]) -> Page:
    if len(pages) == 1:
        return pages[0]
    return Page([s for p in pages for s in p.signals], [r for p in pages for r in p.refused], pages[-1].checkpoint,
                pages[-1].more, [n for p in pages for n in p.notices], sum(p.skipped for p in pages))


def _apply(ctx: Context, exchange: Exchange, page: Page, result: FetchResult) -> None:
    started = time.thread_time()
    refused: list[Refusal] = list(page.refused)
    latest: dict[tuple[str, str], tuple[Any, list[str], str]] = {}  # key -> (incoming, labels, value); last wins
    label_sets: dict[tuple[str, ...], list[str]] = {}  # a feed repeats a few label sets
    kinds: dict[str, tuple[str, int]] = {}  # type name -> (canonical name, hex length or 0)
    for incoming in page.signals:
        try:
            kind_info = kinds.get(incoming.signal_type)
            if kind_info is None:
                cls = signal_type(incoming.signal_type)
                kind_info = kinds[incoming.signal_type] = (
                    cls.name, int(getattr(cls, "length", 0)) if issubclass(cls, HexDigest) else 0)
            kind, length = kind_info
            value = incoming.value.strip().lower() if length else ""
            if not length or len(value) != length:
                kind, value = normalise(incoming.signal_type, incoming.value)  # raises the precise error
            given = tuple(incoming.labels)
            if given not in label_sets:
                label_sets[given] = normalise_labels(list(given))
            labels = label_sets[given]
        except (SignalError, LabelError) as exc:
            refused.append(Refusal(str(exc), asdict(incoming)))
            continue
        latest[(kind, value if len(value) <= 64 else banks.value_key(kind, value))] = (incoming, labels, value)
    _refuse_bad_digits(latest, {name for name, length in kinds.values() if length}, refused)
    notices = _receive_notices(ctx, exchange, page.notices, refused)
    additions, synthesised = _additions(ctx, exchange, latest, refused)
    deletions = [k for k, (inc, _, _) in latest.items() if inc.deleted]
    counts: dict[str, int] = {}
    result.spent("check", time.thread_time() - started)
    provenance = 0.0

    def write(conn: Connection) -> None:
        nonlocal provenance
        began = time.thread_time()
        counts["deleted"] = _write_page(ctx, conn, exchange, page, latest, deletions, refused, result)
        provenance = time.thread_time() - began

    hook = _PageLedger(ctx.ledger, write)
    started = time.thread_time()
    added = banks.add_signals(ctx.store, exchange.bank, additions, actor=ctx.actor, ledger=hook,  # type: ignore[arg-type]
                              source=f"exchange:{exchange.name}")
    if not hook.done:  # the bank call wrote nothing of its own (an empty page)
        with ctx.store.transaction() as conn:
            write(conn)
    result.spent("bank", time.thread_time() - started - provenance)
    result.spent("provenance", provenance)
    result.added += added.added
    result.duplicates += added.duplicates - synthesised
    result.deleted += counts.get("deleted", 0)
    result.refused += len(refused)
    result.verification_failures += sum(1 for r in refused if r.verification)
    result.skipped += page.skipped
    result.notices += notices
    result.checkpoint = page.checkpoint
    result.refusals = (result.refusals + [r.reason for r in refused])[:20]


def _refuse_bad_digits(latest: dict[tuple[str, str], tuple[Any, list[str], str]], hex_kinds: set[str],
                      refused: list[Refusal]) -> None:
    """Hex digits (of the hex digest types) are checked over the whole group at once, one pass in C;
    only when that finds a bad one are the values checked one by one, to refuse each with its error."""
    if not hex_kinds or all_hex([value for (kind, _), (_, _, value) in latest.items() if kind in hex_kinds]):
        return
    for key, (incoming, _, value) in list(latest.items()):
        if key[0] not in hex_kinds or all_hex([value]):
            continue
        try:
            normalise(incoming.signal_type, incoming.value)
        except SignalError as exc:
            refused.append(Refusal(str(exc), asdict(incoming)))
            del latest[key]


def _additions(ctx: Context, exchange: Exchange, latest: dict[tuple[str, str], tuple[Any, list[str], str]],
               refused: list[Refusal]) -> tuple[list[banks.SignalRecord], int]:
    """The page's new hashes as bank records. A derived hash (a window of a banked picture, shared by
    a Redline peer) is linked to its parent: the parent comes earlier in the page, or is already in
    the bank and is named again in the call (counted as a duplicate, then taken off the count)."""
    if all(inc.derived_of is None for inc, _, _ in latest.values()):  # a plain list: one pass
        name = exchange.name
        return [banks.SignalRecord(key[0], value, inc.content_id, labels, inc.contributor or name)
                for key, (inc, labels, value) in latest.items() if not inc.deleted], 0
    records: list[banks.SignalRecord] = []
    position: dict[tuple[str, str], int] = {}
    parents: dict[tuple[str, str], tuple[str, str]] = {}  # child key -> parent (type, value)
    for key, (inc, _, _) in latest.items():
        if inc.deleted or inc.derived_of is None:
            continue
        try:
            parents[key] = normalise(*inc.derived_of)
        except SignalError as exc:
            refused.append(Refusal(f"derived_from: {exc}", asdict(inc)))
    page_parents = {k for k, (inc, _, _) in latest.items() if not inc.deleted and inc.derived_of is None}
    outside = {(p[0], banks.value_key(*p)) for p in parents.values()} - page_parents
    held = _in_bank(ctx, exchange.bank, outside)
    synthesised = 0
    for key, (inc, labels, value) in latest.items():
        if inc.deleted or (inc.derived_of is not None and key not in parents):
            continue
        record = banks.SignalRecord(key[0], value, content_id=inc.content_id, labels=labels,
                                    contributor=inc.contributor or exchange.name)
        if key in parents:
            pkind, pvalue = parents[key]
            pkey = (pkind, banks.value_key(pkind, pvalue))
            if pkey not in position:
                if pkey not in held or pkind != key[0]:
                    refused.append(Refusal(f"derived hash without its parent {pkind} {pvalue[:20]}…", asdict(inc)))
                    continue
                position[pkey] = len(records)
                records.append(banks.SignalRecord(pkind, pvalue))
                synthesised += 1
            record.derived_from, record.variant = position[pkey], inc.variant or "derived"
        else:
            position[key] = len(records)
        records.append(record)
    return records, synthesised


def _in_bank(ctx: Context, bank: str, keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    if not keys:
        return set()
    s = media_tables.signals
    found: set[tuple[str, str]] = set()
    values = sorted({k[1] for k in keys})
    with ctx.store.connect() as conn:
        bank_id = conn.execute(select(media_tables.banks.c.id).where(media_tables.banks.c.name == bank)).scalar_one()
        for start in range(0, len(values), CHUNK):
            found |= {(r.signal_type, r.value_key) for r in conn.execute(select(s.c.signal_type, s.c.value_key).where(
                and_(s.c.bank_id == bank_id, s.c.value_key.in_(values[start:start + CHUNK]))))}
    return found & keys


def _receive_notices(ctx: Context, exchange: Exchange, notices: list[dict[str, Any]], refused: list[Refusal]) -> int:
    """Denial notices go to the licensing domain, which verifies the issuing authority's signature."""
    if not notices:
        return 0
    if importlib.util.find_spec(NOTICES_MODULE) is None:
        refused.extend(Refusal("denial notice: this installation has no licensing notices module", n) for n in notices)
        return 0
    module = importlib.import_module(NOTICES_MODULE)
    received = 0
    for notice in notices:
        try:
            module.receive(ctx, notice, exchange=exchange.name)
            received += 1
        except module.NoticeRefused as exc:
            refused.append(Refusal(f"denial notice refused: {exc}", notice, True))
    return received


def _write_page(ctx: Context, conn: Connection, exchange: Exchange, page: Page,
                latest: dict[tuple[str, str], tuple[Any, list[str], str]], deletions: list[tuple[str, str]],
                refused: list[Refusal], result: FetchResult) -> int:
    at = now()
    bank_id = conn.execute(select(media_tables.banks.c.id).where(media_tables.banks.c.name == exchange.bank)).scalar_one()
    deleted = _set_enabled(conn, bank_id, deletions, False)
    # a hash the exchange deleted and now asserts again is enabled again, unless deconfirmed here
    again = [k for k, (inc, _, _) in latest.items() if not inc.deleted]
    # a small page looks its keys up (a scan for any deleted hash grows with the exchange's million)
    if again and (len(again) <= REVIVE_LOOKUP_MAX or conn.execute(select(t.signals.c.id).where(and_(
            t.signals.c.exchange_id == exchange.id, t.signals.c.deleted.is_(True))).limit(1)).first()):
        revived: list[tuple[str, str]] = []
        for kind in sorted({k[0] for k in again}):
            values = [k[1] for k in again if k[0] == kind]
            for start in range(0, len(values), CHUNK):
                revived += [(kind, r.value_key) for r in conn.execute(select(t.signals.c.value_key).where(and_(
                    t.signals.c.exchange_id == exchange.id, t.signals.c.signal_type == kind,
                    t.signals.c.value_key.in_(values[start:start + CHUNK]), t.signals.c.deleted.is_(True),
                    t.signals.c.deconfirmed_at.is_(None))))]
        _set_enabled(conn, bank_id, revived, True)
    label_json: dict[int, str] = {}  # a group shares a few label lists (fetch._apply's label_sets)
    rows = [(exchange.id, k[0], k[1], value, inc.remote_id, inc.contributor,
             label_json.get(id(labels)) or label_json.setdefault(id(labels), orjson.dumps(labels).decode()), at,
             inc.confirmed_at or at, bool(inc.deleted))
            for k, (inc, labels, value) in latest.items() if inc.derived_of is None]  # derived ones follow their parent
    if rows:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite and len(rows) >= COMMIT_ROWS // 2:
            conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_PAGE_CACHE_KIB}")
        try:
            _upsert_provenance(conn, exchange.id, rows)
        finally:
            if sqlite and len(rows) >= COMMIT_ROWS // 2:
                conn.exec_driver_sql("PRAGMA cache_size=-2000")
    if refused:
        conn.execute(t.refused.insert(), [{"exchange_id": exchange.id, "at": at, "reason": r.reason[:1000],
                                          "record": orjson.dumps(r.record, default=str).decode()[:2000]} for r in refused])
    failures = [r for r in refused if r.verification]
    if failures:
        ctx.ledger.append("exchange.verify_failed", ctx.actor, {"exchange": exchange.name, "checkpoint": page.checkpoint},
                          {"count": len(failures), "reasons": [r.reason for r in failures[:50]]}, conn=conn)
    status = {**result.to_dict(), "state": "running", "checkpoint": page.checkpoint}
    _status(conn, exchange.id, status, checkpoint=page.checkpoint)
    ctx.ledger.append("exchange.fetch.page", ctx.actor, {"exchange": exchange.name, "checkpoint": page.checkpoint},
                      {"signals": len(latest), "deleted": deleted, "refused": len(refused), "skipped": page.skipped},
                      conn=conn)
    return deleted


_provenance_key = itemgetter(2)  # value_key: one exchange's rows, mostly of one type


PROVENANCE_COLUMNS = ("exchange_id", "signal_type", "value_key", "value", "remote_id", "contributor", "labels",
                      "first_seen", "last_confirmed", "deleted")
UPDATED_ON_CONFLICT = ("remote_id", "contributor", "labels", "last_confirmed", "deleted")


def _upsert_provenance(conn: Connection, exchange_id: int, rows: list[tuple[Any, ...]]) -> None:
    """Insert or update the provenance of a group's hashes (one row a key). Rows go in sorted by key
    (unless the table is empty), so the unique index is walked, or built, in order rather than at
    random. A group at least as large as the table (and PROVENANCE_REBUILD_MIN)
    splits into new keys, inserted with the index dropped and built again after, and known keys,
    updated through it."""
    conflict = ("exchange_id", "signal_type", "value_key")
    largest = conn.execute(select(func.coalesce(func.max(t.signals.c.id), 0))).scalar_one()
    if largest:  # into an empty table the sort costs more than it saves
        rows.sort(key=_provenance_key)
    if len(rows) < PROVENANCE_REBUILD_MIN or len(rows) < largest:
        sqlbulk.insert_many(conn, t.signals.name, PROVENANCE_COLUMNS, rows, conflict=conflict, update=UPDATED_ON_CONFLICT)
        return
    known = set(bulk.driver_rows(conn, f"SELECT signal_type, value_key FROM {t.signals.name} "
                                       f"WHERE exchange_id = {int(exchange_id)}"))
    new = [row for row in rows if (row[1], row[2]) not in known]
    again = [row for row in rows if (row[1], row[2]) in known]
    unique = next(i for i in t.signals.indexes if i.name == "ix_exchange_signals_key")
    unique.drop(conn)
    sqlbulk.insert_many(conn, t.signals.name, PROVENANCE_COLUMNS, new)
    unique.create(conn)
    if again:
        sqlbulk.insert_many(conn, t.signals.name, PROVENANCE_COLUMNS, again, conflict=conflict,
                            update=UPDATED_ON_CONFLICT)


def _set_enabled(conn: Connection, bank_id: int, keys: list[tuple[str, str]], enabled: bool) -> int:
    if not keys:
        return 0
    rev = banks.next_rev(conn)
    changed = 0
    s = media_tables.signals
    for kind in {k[0] for k in keys}:
        values = [k[1] for k in keys if k[0] == kind]
        for start in range(0, len(values), CHUNK):
            where = and_(s.c.bank_id == bank_id, s.c.signal_type == kind, s.c.value_key.in_(values[start:start + CHUNK]),
                         s.c.enabled.is_(not enabled))
            changed += conn.execute(update(s).where(where).values(enabled=enabled, rev=rev)).rowcount or 0
    return changed


# --- feedback ------------------------------------------------------------------------------------


def deconfirm(ctx: Context, name: str, value: str, *, signal_type: str | None = None, reason: str | None = None,
              push_now: bool = True) -> dict[str, Any]:
    """Mark a shared hash a false positive here: disabled in the exchange's bank at once, recorded
    with who and why, and queued to be pushed back (pushed now unless `push_now` is False)."""
    from redline.exchange.adapters import ADAPTERS

    exchange = get_exchange(ctx, name)
    where = and_(t.signals.c.exchange_id == exchange.id, t.signals.c.value_key.in_(_keys(value)))
    if signal_type:
        where = and_(where, t.signals.c.signal_type == signal_type)
    with ctx.store.connect() as conn:
        rows = conn.execute(select(t.signals).where(where)).all()
    if not rows:
        raise ExchangeProblem(f"HASH: {name} never delivered the hash {value.strip()[:80]}")
    if len(rows) > 1:
        raise ExchangeProblem(f"--signal-type: {name} delivered {value.strip()[:80]} as "
                              f"{', '.join(r.signal_type for r in rows)}; say which")
    row = rows[0]
    feedback = "pending" if ADAPTERS[exchange.adapter].takes_feedback else "local"
    outcome = {"signal_type": row.signal_type, "signal_value": row.value, "exchange": name, "bank": exchange.bank,
               "contributor": row.contributor, "labels": orjson.loads(row.labels), "reason": reason,
               "feedback": feedback, "already": row.deconfirmed_at is not None}
    if row.deconfirmed_at is None:
        def write(conn: Connection) -> None:
            conn.execute(update(t.signals).where(t.signals.c.id == row.id).values(
                deconfirmed_at=now(), deconfirmed_by=ctx.actor, deconfirm_reason=reason, feedback=feedback))
            ctx.ledger.append("exchange.deconfirm", ctx.actor, {"exchange": name, "signal_type": row.signal_type,
                                                                 "value": row.value}, {"reason": reason, "feedback": feedback},
                              conn=conn)

        hook = _PageLedger(ctx.ledger, write)
        try:
            banks.set_signal_enabled(ctx.store, exchange.bank, row.value, False, kind=row.signal_type, actor=ctx.actor,
                                     ledger=hook)  # type: ignore[arg-type]
        except banks.BankError:
            hook.done = False  # the bank never held it (a deletion arrived first): record the opinion alone
        if not hook.done:
            with ctx.store.transaction() as conn:
                write(conn)
    if push_now and feedback == "pending":
        try:
            outcome["push"] = push(ctx, name)
        except ExchangeError as exc:
            outcome["push_error"] = f"{exc}; it stays queued for `redline exchange push {name}`"
    return outcome


def _keys(value: str) -> list[str]:
    text = value.strip()
    return list({banks.value_key("", text), banks.value_key("", text.lower())})


def push(ctx: Context, name: str) -> dict[str, Any]:
    """Push queued deconfirmations to the exchange; they are marked pushed in the same transaction
    as the ledger entry. A failure leaves them queued (and is written to the ledger)."""
    exchange = get_exchange(ctx, name)
    with ctx.store.connect() as conn:
        rows = conn.execute(select(t.signals).where(and_(t.signals.c.exchange_id == exchange.id,
                                                         t.signals.c.feedback == "pending"))).all()
    if not rows:
        return {"exchange": name, "pushed": 0}
    items = [Feedback(r.signal_type, r.value, r.remote_id, r.deconfirm_reason, r.deconfirmed_at or now()) for r in rows]
    adapter = None
    try:
        adapter = open_adapter(ctx, exchange)
        answer = adapter.push(items)
    except (ExchangeError, CredentialError) as exc:
        ctx.ledger.append("exchange.push", ctx.actor, {"exchange": name, "items": len(items)}, {"error": str(exc)})
        raise ExchangeError(str(exc)) from None
    finally:
        if adapter is not None:
            adapter.close()
    with ctx.store.transaction() as conn:
        conn.execute(update(t.signals).where(t.signals.c.id.in_([r.id for r in rows])).values(feedback="pushed"))
        ctx.ledger.append("exchange.push", ctx.actor, {"exchange": name, "items": len(items)},
                          {"answer": answer, "values": [r.value for r in rows[:50]]}, conn=conn)
    return {"exchange": name, "pushed": len(items), "answer": answer}

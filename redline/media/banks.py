"""Named banks of hashes: create, add, enable/disable, import and export.

A bank holds hashes of one or more signal types (`pdq`, `md5`, `video_md5`, `vpdq`), each with
labels, a content-incident id, the contributing member and a date. A *negative* bank holds
known-benign hashes that suppress matches. Every write takes a new store revision (`rev`) so a
running index can catch up without a rebuild.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Integer, and_, func, select, update
from sqlalchemy.exc import IntegrityError

from redline import csvio
from redline.ledger import Ledger
from redline.media import bulk
from redline.media import tables as t
from redline.media.labels import LabelError, normalise_labels
from redline.media.signals import SIGNAL_TYPES, HexDigest, SignalError, SignalType, all_hex, normalise, signal_type
from redline.store.base import Store

BANK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


class BankError(ValueError):
    pass


class ImportFormatError(BankError):
    """A malformed hash list; `line` is the 1-based line (or JSON record) number."""

    def __init__(self, line: int, message: str, source: str = "") -> None:
        self.line = line
        where = f"{source}: " if source else ""
        super().__init__(f"{where}line {line}: {message}; nothing was imported")


@dataclass
class Bank:
    id: int
    name: str
    negative: bool
    labels: list[str]
    enabled: bool
    created_at: str
    created_by: str
    size: int = 0  # hashes, not counting derived ones
    enabled_size: int = 0
    derived_size: int = 0  # hashes Redline derived from banked files for robust matching

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "negative": self.negative,
            "labels": self.labels,
            "enabled": self.enabled,
            "created_at": self.created_at,
            "created_by": self.created_by,
            "size": self.size,
            "enabled_size": self.enabled_size,
            "derived_size": self.derived_size,
        }


@dataclass
class SignalRecord:
    signal_type: str
    value: str
    content_id: str | None = None
    labels: list[str] = field(default_factory=list)
    contributor: str | None = None
    added_on: str | None = None
    enabled: bool = True
    quality: int | None = None
    # a hash derived from the same file as an earlier record of one `add_signals` call (its index in
    # that call), e.g. the picture without its bars; `variant` names how it was derived
    derived_from: int | None = None
    variant: str | None = None
    keypoints: bytes | None = None  # keypoints.pack of the banked picture or key frame (its own PDQ record only)

    def to_dict(self) -> dict[str, Any]:
        return {
            "signal_type": self.signal_type,
            "signal_value": self.value,
            "content_id": self.content_id,
            "labels": self.labels,
            "contributor": self.contributor,
            "added_on": self.added_on,
            "enabled": self.enabled,
        }


@dataclass(frozen=True)
class AddResult:
    bank: str
    added: int  # not counting derived hashes
    duplicates: int
    derived: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"bank": self.bank, "added": self.added, "duplicates": self.duplicates, "derived": self.derived}


# --- revisions ------------------------------------------------------------------------------------


def next_rev(conn: Connection) -> int:
    """Take the next store revision inside the caller's write transaction."""
    row = conn.execute(select(t.state.c.value).where(t.state.c.key == "rev")).first()
    if row is None:
        conn.execute(t.state.insert().values(key="rev", value="1"))
        return 1
    value = int(row.value) + 1
    conn.execute(update(t.state).where(t.state.c.key == "rev").values(value=str(value)))
    return value


def current_rev(conn: Connection) -> int:
    row = conn.execute(select(t.state.c.value).where(t.state.c.key == "rev")).first()
    return int(row.value) if row else 0


def store_identity(store: Store) -> str:
    """A random id made once per store: an index file written for one store is never read for another."""
    with store.connect() as conn:
        row = conn.execute(select(t.state.c.value).where(t.state.c.key == "store_id")).first()
    if row:
        return row.value
    with store.transaction() as conn:
        row = conn.execute(select(t.state.c.value).where(t.state.c.key == "store_id")).first()
        if row:
            return row.value
        value = uuid.uuid4().hex
        conn.execute(t.state.insert().values(key="store_id", value=value))
        return value


# --- banks ----------------------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def check_bank_name(name: str) -> str:
    if not BANK_NAME.match(name or ""):
        raise BankError(f"invalid bank name {name!r}: use letters, digits, '.', '_' or '-' (at most 100)")
    return name


def create_bank(
    store: Store, name: str, *, labels: Iterable[str] = (), negative: bool = False, actor: str = "unknown",
    ledger: Ledger | None = None,
) -> Bank:
    check_bank_name(name)
    try:
        bank_labels = normalise_labels(list(labels))
    except LabelError as exc:
        raise BankError(str(exc)) from None
    created = _now()
    try:
        with store.transaction() as conn:
            conn.execute(
                t.banks.insert().values(
                    name=name, negative=negative, labels=orjson.dumps(bank_labels).decode(), enabled=True,
                    created_at=created, created_by=actor,
                )
            )
            if ledger:
                ledger.append("media.bank.create", actor, {"bank": name}, {"labels": bank_labels, "negative": negative},
                              conn=conn)
    except IntegrityError:
        raise BankError(f"bank {name!r} already exists") from None
    return get_bank(store, name)


def _bank_from_row(row: Any, size: int = 0, enabled_size: int = 0, derived_size: int = 0) -> Bank:
    return Bank(row.id, row.name, bool(row.negative), orjson.loads(row.labels), bool(row.enabled),
                row.created_at, row.created_by, size, enabled_size, derived_size)


def _not_deleted() -> Any:
    return t.banks.c.id.not_in(select(t.bank_tombstones.c.bank_id))


def get_bank(store: Store, name: str) -> Bank:
    with store.connect() as conn:
        row = conn.execute(select(t.banks).where(t.banks.c.name == name, _not_deleted())).first()
        if row is None:
            raise BankError(f"no bank named {name!r}")
        sizes = _sizes(conn, row.id)
    return _bank_from_row(row, *sizes)


def _bank_id(conn: Connection, name: str) -> int:
    """A bank's id without counting its hashes (`get_bank` counts them: 1 s at 300 k)."""
    row = conn.execute(select(t.banks.c.id).where(t.banks.c.name == name, _not_deleted())).first()
    if row is None:
        raise BankError(f"no bank named {name!r}")
    return int(row.id)


def _sizes(conn: Connection, bank_id: int) -> tuple[int, int, int]:
    """(hashes, enabled hashes, derived hashes) of a bank; the first two leave derived ones out."""
    is_derived = t.derived.c.signal_id.is_not(None)
    row = conn.execute(
        select(
            func.count().filter(~is_derived),
            func.coalesce(func.sum(t.signals.c.enabled.cast(type_=Integer)).filter(~is_derived), 0),
            func.count().filter(is_derived),
        )
        .select_from(t.signals.outerjoin(t.derived, t.derived.c.signal_id == t.signals.c.id))
        .where(t.signals.c.bank_id == bank_id)
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def list_banks(store: Store) -> list[Bank]:
    with store.connect() as conn:
        rows = conn.execute(select(t.banks).where(_not_deleted()).order_by(t.banks.c.name)).all()
        return [_bank_from_row(row, *_sizes(conn, row.id)) for row in rows]


def set_bank_enabled(store: Store, name: str, enabled: bool, *, actor: str = "unknown", ledger: Ledger | None = None) -> Bank:
    bank = get_bank(store, name)
    with store.transaction() as conn:
        rev = next_rev(conn)
        conn.execute(update(t.banks).where(t.banks.c.id == bank.id).values(enabled=enabled))
        conn.execute(update(t.signals).where(t.signals.c.bank_id == bank.id).values(rev=rev))
        if ledger:
            ledger.append("media.bank.enable" if enabled else "media.bank.disable", actor, {"bank": name},
                          {"enabled": enabled}, conn=conn)
    return get_bank(store, name)


def set_signal_enabled(
    store: Store, name: str, value: str, enabled: bool, *, kind: str | None = None, actor: str = "unknown",
    ledger: Ledger | None = None,
) -> int:
    """Enable or disable one hash in a bank (by value; type inferred when not given). Returns rows changed.
    The hashes derived from it (bars trimmed, windows) follow it; a derived hash given by its own
    value changes alone."""
    bank = get_bank(store, name)
    kind_name, canonical = normalise_guess(kind, value)
    with store.transaction() as conn:
        rev = next_rev(conn)
        where = and_(t.signals.c.bank_id == bank.id, t.signals.c.signal_type == kind_name,
                     t.signals.c.value_key == value_key(kind_name, canonical))
        ids = [r.id for r in conn.execute(select(t.signals.c.id).where(where))]
        changed = 0
        if ids:
            changed = conn.execute(update(t.signals).where(t.signals.c.id.in_(ids)).values(enabled=enabled, rev=rev)).rowcount or 0
            children = select(t.derived.c.signal_id).where(t.derived.c.parent_id.in_(ids))
            conn.execute(update(t.signals).where(t.signals.c.id.in_(children)).values(enabled=enabled, rev=rev))
        if changed == 0:
            raise BankError(f"bank {name!r} holds no {kind_name} hash {canonical[:80]}")  # rolls back the rev
        if ledger:
            ledger.append("media.signal.enable" if enabled else "media.signal.disable", actor,
                          {"bank": name, "signal_type": kind_name, "value": canonical}, {"enabled": enabled}, conn=conn)
    return changed


@dataclass(frozen=True)
class Tombstone:
    """What `delete_bank` left behind: the bank's id and name, who deleted it, when, at which revision."""

    bank_id: int
    name: str
    deleted_at: str
    deleted_by: str
    rev: int
    hashes: int
    purged_at: str | None = None
    withdrawn: int = 0  # deletions appended to this installation's feed (when deleted; not stored)

    def to_dict(self) -> dict[str, Any]:
        return {"bank": self.name, "deleted_at": self.deleted_at, "deleted_by": self.deleted_by, "rev": self.rev,
                "hashes": self.hashes, "purged": self.purged_at is not None, "purged_at": self.purged_at,
                "withdrawn_from_feed": self.withdrawn}


def delete_bank(context: Any, name: str, *, actor: str | None = None) -> Tombstone:
    """Delete a bank: its name is free at once, it leaves every listing, and its hashes stop matching,
    here and at the peers that fetch it.

    One transaction takes a store revision, writes a tombstone (media_bank_tombstones), renames the
    bank's row out of the way (to a name `check_bank_name` never accepts) and disables it, appends a
    signed deletion to this installation's feed for each of its hashes that the feed carries
    (`exchange.feed.withdraw_bank`: peers stop matching them after their next fetch), and writes a
    `media.bank.delete` ledger entry. Its hashes stay in the table (a million-row delete is not
    what a curator should wait for): a running Matcher drops them from its answers on its next
    refresh (within `refresh_seconds`) and marks them dead in its index, which compacts them away
    later; `purge_deleted_banks` removes the rows. The bank of an exchange is refused (its next fetch
    would need it; `exchange.exchanges.remove_exchange` deletes it with the exchange). `context`
    needs `store`, `ledger`, `settings.user` (the default actor) and `settings` for the feed's key."""
    who = actor or context.settings.user
    with context.store.transaction() as conn:
        return delete_bank_in(context, conn, name, who)


def delete_bank_in(context: Any, conn: Connection, name: str, who: str) -> Tombstone:
    """`delete_bank` inside the caller's transaction."""
    from redline.exchange import feed
    from redline.exchange import tables as xt

    bank_id = _bank_id(conn, name)
    used_by = [r.name for r in conn.execute(select(xt.exchanges.c.name).where(xt.exchanges.c.bank == name))]
    if used_by:
        raise BankError(f"bank {name!r} holds the hashes of exchange {used_by[0]!r} and is not deleted while "
                        f"the exchange uses it (`redline exchange remove {used_by[0]}` removes both; or disable it: "
                        "the exchange's next fetch would fill it again)")
    hashes = _sizes(conn, bank_id)[0]
    rev = next_rev(conn)
    at = _now()
    conn.execute(update(t.banks).where(t.banks.c.id == bank_id).values(
        name=f"{name}@deleted.{bank_id}", enabled=False))
    conn.execute(t.bank_tombstones.insert().values(
        bank_id=bank_id, name=name, deleted_at=at, deleted_by=who, rev=rev, hashes=hashes))
    withdrawn = feed.withdraw_bank(context, conn, name)
    context.ledger.append("media.bank.delete", who, {"bank": name},
                          {"hashes": hashes, "rev": rev, "withdrawn_from_feed": withdrawn}, conn=conn)
    return Tombstone(bank_id, name, at, who, rev, hashes, withdrawn=withdrawn)


def deleted_banks(store: Store) -> list[Tombstone]:
    with store.connect() as conn:
        rows = conn.execute(select(t.bank_tombstones).order_by(t.bank_tombstones.c.rev)).all()
    return [Tombstone(r.bank_id, r.name, r.deleted_at, r.deleted_by, r.rev, r.hashes, r.purged_at) for r in rows]


def purge_deleted_banks(context: Any, *, actor: str | None = None) -> int:
    """Remove the hashes of deleted banks (their tombstones stay). Returns the rows removed.

    The table's last row is kept when it belongs to a deleted bank: SQLite would otherwise give its
    id to the next hash added, and indexes rely on ids only growing (a reused id would revive a
    dead row of an index that still holds it)."""
    store: Store = context.store
    who = actor or context.settings.user
    removed = 0
    with store.transaction() as conn:
        pending = [r.bank_id for r in conn.execute(
            select(t.bank_tombstones.c.bank_id).where(t.bank_tombstones.c.purged_at.is_(None)))]
        if not pending:
            return 0
        last = bulk.table_rows(conn)
        for bank_id in pending:
            removed += conn.execute(t.signals.delete().where(
                t.signals.c.bank_id == bank_id, t.signals.c.id < last)).rowcount or 0
        conn.execute(update(t.bank_tombstones).where(t.bank_tombstones.c.bank_id.in_(pending)).values(purged_at=_now()))
        context.ledger.append("media.bank.purge", who, {"banks": len(pending)}, {"removed": removed}, conn=conn)
    return removed


def value_key(kind: str, value: str) -> str:
    return value if len(value) <= 64 else hashlib.sha256(value.encode()).hexdigest()


def normalise_guess(kind: str | None, value: str) -> tuple[str, str]:
    if kind:
        return normalise(kind, value)
    text = value.strip()
    guessed = {64: "pdq", 32: "md5"}.get(len(text), "vpdq")
    return normalise(guessed, text)


# `SignalRecord.derived_from` links a hash to an earlier one of its own type (a picture's windows to its
# PDQ, a video's bar-trimmed vPDQ to its vPDQ) or across these (parent type, derived type): a video's
# key frames (and their windows) derive from its vPDQ
CROSS_DERIVATIONS = frozenset({("vpdq", "pdq")})


def add_signals(
    store: Store, name: str, records: Iterable[SignalRecord], *, actor: str = "unknown", ledger: Ledger | None = None,
    source: str | None = None,
) -> AddResult:
    """Add hashes to a bank in one transaction: every record is checked first; one bad record adds nothing.
    A record with `derived_from` is linked to that earlier record's hash (see tables.derived, CROSS_DERIVATIONS):
    a video, its key frames (derived from its vPDQ) and its TMK hash go in together or not at all.

    Built for millions: rows are loaded in bulk (see `bulk`), and the ledger gets one entry for the
    whole call with its record count and the SHA-256 of the batch (`batch_digest`)."""
    with bulk.gc_paused():
        return _add_signals(store, name, records, actor=actor, ledger=ledger, source=source)


def _add_signals(store: Store, name: str, records: Iterable[SignalRecord], *, actor: str, ledger: Ledger | None,
                 source: str | None) -> AddResult:
    with store.connect() as conn:
        bank_id = _bank_id(conn, name)
    rows: list[tuple[Any, ...]] = []  # in bulk.SIGNAL_COLUMNS order, rev filled in below
    keypoint_blobs: dict[int, bytes] = {}
    links: dict[int, tuple[int, str]] = {}  # row index -> (parent row index, variant)
    today = date.today().isoformat()
    # per signal type name: (canonical name, hex length or 0, class); hex digits are checked in one
    # pass over the batch (signals.all_hex), other types one value at a time
    kinds: dict[str, tuple[str, int, type[SignalType]]] = {}
    label_cache: dict[tuple[str, ...], str] = {}
    not_hex: list[int] = []  # rows of types that are not hex digests
    append = rows.append
    for number, record in enumerate(records, start=1):
        try:
            kind_info = kinds.get(record.signal_type)
            if kind_info is None:
                kind_class = signal_type(record.signal_type)
                length = int(getattr(kind_class, "length", 0)) if issubclass(kind_class, HexDigest) else 0
                kind_info = kinds[record.signal_type] = (kind_class.name, length, kind_class)
            kind, length, kind_class = kind_info
            if length:
                value = record.value.strip().lower()
                if len(value) != length:
                    raise kind_class.error(record.value)  # type: ignore[attr-defined]
            else:
                value = kind_class.normalise(record.value)
                not_hex.append(len(rows))
            labels = label_cache.get(label_key := tuple(record.labels))
            if labels is None:
                labels = label_cache[label_key] = orjson.dumps(normalise_labels(record.labels)).decode()
        except (SignalError, LabelError) as exc:
            _check_hex(rows, not_hex, source)  # a bad digit on an earlier line is the first error
            raise ImportFormatError(number, str(exc), source or "") from None
        if record.derived_from is not None:
            parent = record.derived_from
            if not (0 <= parent < len(rows)) or parent in links or (
                    rows[parent][1] != kind and (rows[parent][1], kind) not in CROSS_DERIVATIONS):
                raise BankError(f"record {number}: derived_from must name an earlier, underived {kind} record "
                                "(or, for a video's key frame, the video's vpdq record)")
            links[len(rows)] = (parent, record.variant or "derived")
        if record.keypoints:
            keypoint_blobs[len(rows)] = record.keypoints
        append((bank_id, kind, value, value if len(value) <= 64 else value_key(kind, value),
                record.content_id or None, labels, record.contributor or actor, record.added_on or today,
                bool(record.enabled), record.quality, 0))
    _check_hex(rows, not_hex, source)
    digest = batch_digest((row[1], row[2]) for row in rows)
    keys = [(row[1], row[3]) for row in rows]
    with store.transaction() as conn:
        rev = next_rev(conn)
        existing = bulk.existing_keys(conn, bank_id, keys)
        fresh: list[tuple[Any, ...]]
        fresh_index: Sequence[int]
        if not existing and not links and len(set(keys)) == len(keys):  # a new list: nothing to drop
            fresh, fresh_index, duplicates = [row[:-1] + (rev,) for row in rows], range(len(rows)), 0
        else:
            fresh, fresh_index, duplicates = _fresh_rows(rows, keys, existing, links, rev)
        rebuilt = bulk.insert_signals(conn, fresh, reorder=not links)  # derived rows follow their parents
        derived = sum(1 for i in fresh_index if i in links) if links else 0
        added = len(fresh) - derived
        if links:
            _link_derived(conn, bank_id, rows, {i: links[i] for i in fresh_index if i in links})
        if keypoint_blobs:
            fresh_set = set(fresh_index)
            _store_keypoints(conn, bank_id, rows, {i: blob for i, blob in keypoint_blobs.items() if i in fresh_set})
        if ledger:
            ledger.append("media.bank.add", actor, {"bank": name, "source": source, "records": len(rows),
                                                    "sha256": digest},
                          {"added": added, "duplicates": duplicates, "derived": derived,
                           "indexes_rebuilt": rebuilt}, conn=conn)
    return AddResult(name, added, duplicates, derived)


def _fresh_rows(rows: list[tuple[Any, ...]], keys: list[tuple[str, str]], existing: set[tuple[str, str]],
                links: dict[int, tuple[int, str]], rev: int) -> tuple[list[tuple[Any, ...]], list[int], int]:
    """The rows to insert (first of each key, not already in the bank), their positions, and the
    duplicates (derived rows, which repeat across pictures, are not counted)."""
    fresh: list[tuple[Any, ...]] = []
    fresh_index: list[int] = []
    duplicates = 0
    for i, row in enumerate(rows):
        key = keys[i]
        if key in existing:
            if i not in links:
                duplicates += 1
            continue
        existing.add(key)
        fresh.append(row[:-1] + (rev,))
        fresh_index.append(i)
    return fresh, fresh_index, duplicates


def _check_hex(rows: list[tuple[Any, ...]], not_hex: list[int], source: str | None) -> None:
    """Raise ImportFormatError for the first row of a hex type whose value holds a non-hex digit."""
    skip = set(not_hex)
    if all_hex([row[2] for i, row in enumerate(rows) if i not in skip] if skip else [row[2] for row in rows]):
        return
    for i in range(len(rows)):
        if i in skip:
            continue
        kind_class = SIGNAL_TYPES[rows[i][1]]
        try:
            kind_class.normalise(rows[i][2])
        except SignalError as exc:
            raise ImportFormatError(i + 1, str(exc), source or "") from None


def batch_digest(pairs: Iterable[tuple[str, str]]) -> str:
    """SHA-256 of a batch written as `TYPE VALUE` lines, one a record, in order (the format
    `hashfiles.read_hash_file` reads), so anyone holding the list can check what a ledger entry says was added."""
    return hashlib.sha256("".join([f"{kind} {value}\n" for kind, value in pairs]).encode()).hexdigest()


def _store_keypoints(conn: Connection, bank_id: int, rows: list[tuple[Any, ...]], blobs: dict[int, bytes]) -> None:
    """Keypoints of freshly added pictures, under the id their own PDQ hash was given."""
    if not blobs:
        return
    keys = {(rows[i][1], rows[i][3]): blob for i, blob in blobs.items()}
    ids = _signal_ids(conn, bank_id, keys)
    values = [{"signal_id": ids[key], "data": blob} for key, blob in keys.items() if key in ids]
    if values:
        conn.execute(t.keypoints.insert(), values)


def _signal_ids(conn: Connection, bank_id: int, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Ids of a bank's hashes by (signal_type, value_key), looked up through the unique index."""
    by_type: dict[str, list[str]] = {}
    for kind, key in keys:
        by_type.setdefault(kind, []).append(key)
    ids: dict[tuple[str, str], int] = {}
    for kind, values in by_type.items():
        for start in range(0, len(values), bulk.EXISTING_CHUNK):
            for r in conn.execute(select(t.signals.c.id, t.signals.c.value_key).where(and_(
                    t.signals.c.bank_id == bank_id, t.signals.c.signal_type == kind,
                    t.signals.c.value_key.in_(values[start : start + bulk.EXISTING_CHUNK])))):
                ids[(kind, r.value_key)] = r.id
    return ids


def _link_derived(conn: Connection, bank_id: int, rows: list[tuple[Any, ...]], links: dict[int, tuple[int, str]]) -> None:
    """Record which freshly added hashes derive from which hash (the parent may have been there before)."""
    if not links:
        return
    wanted = {(rows[i][1], rows[i][3]) for i in links}
    wanted |= {(rows[p][1], rows[p][3]) for p, _ in links.values()}
    ids = _signal_ids(conn, bank_id, wanted)
    values = []
    for i, (p, variant) in links.items():
        child = ids.get((rows[i][1], rows[i][3]))
        parent = ids.get((rows[p][1], rows[p][3]))
        if child is not None and parent is not None and child != parent:
            values.append({"signal_id": child, "parent_id": parent, "variant": variant[:40]})
    if values:
        conn.execute(t.derived.insert(), values)


def bank_signals(store: Store, name: str, *, include_derived: bool = False) -> list[SignalRecord]:
    """A bank's hashes in the order added; derived hashes (tables.derived) only when asked for."""
    bank = get_bank(store, name)
    query = (select(t.signals, t.derived.c.variant)
             .select_from(t.signals.outerjoin(t.derived, t.derived.c.signal_id == t.signals.c.id))
             .where(t.signals.c.bank_id == bank.id).order_by(t.signals.c.id))
    if not include_derived:
        query = query.where(t.derived.c.signal_id.is_(None))
    with store.connect() as conn:
        rows = conn.execute(query).all()
    return [
        SignalRecord(r.signal_type, r.value, r.content_id, orjson.loads(r.labels), r.contributor, r.added_on,
                     bool(r.enabled), r.quality, variant=r.variant)
        for r in rows
    ]


# --- import / export ------------------------------------------------------------------------------

def import_file(
    store: Store, name: str, path: Path | str, *, default_type: str | None = None, actor: str = "unknown",
    ledger: Ledger | None = None,
) -> AddResult:
    """Parse the whole file first, then add it in one transaction: a malformed line adds nothing."""
    from redline.media.hashfiles import read_hash_file

    records = read_hash_file(path, default_type=default_type)
    if not records:
        raise BankError(f"{path}: no hashes found")
    return add_signals(store, name, records, actor=actor, ledger=ledger, source=str(path))


EXPORT_COLUMNS = ("signal_type", "signal_value", "content_id", "labels", "contributor", "added_on", "enabled")


def export_bank(store: Store, name: str, path: Path | str, fmt: str | None = None) -> int:
    """Write a bank as CSV or JSON (by suffix unless `fmt` given), in ThreatExchange signal-type names."""
    bank = get_bank(store, name)
    records = bank_signals(store, name)
    path = Path(path)
    fmt = (fmt or ("json" if path.suffix.lower() == ".json" else "csv")).lower()
    if fmt == "json":
        payload = {"bank": bank.name, "negative": bank.negative, "labels": bank.labels,
                   "signals": [r.to_dict() for r in records]}
        path.write_bytes(orjson.dumps(payload, option=orjson.OPT_INDENT_2))
    elif fmt == "csv":
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csvio.writer(handle)  # formula cells neutralised
            writer.writerow(EXPORT_COLUMNS)
            for r in records:
                writer.writerow([r.signal_type, r.value, r.content_id or "", ";".join(r.labels), r.contributor or "",
                                 r.added_on or "", "true" if r.enabled else "false"])
    else:
        raise BankError(f"unknown export format {fmt!r}: use csv or json")
    return len(records)


__all__ = [
    "SIGNAL_TYPES", "AddResult", "Bank", "BankError", "ImportFormatError", "SignalRecord", "Tombstone", "add_signals",
    "bank_signals", "create_bank", "current_rev", "delete_bank", "deleted_banks", "export_bank", "get_bank",
    "import_file", "list_banks", "purge_deleted_banks",
    "next_rev", "set_bank_enabled", "set_signal_enabled", "store_identity",
]

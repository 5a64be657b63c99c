"""An exact, appendable PDQ index: faiss `IndexBinaryFlat` plus a tombstone mask, and from
`MIH_MIN_ROWS` hashes on an exact multi-index hash (`mih.MultiIndex`) over them.

Memory per hash: 32 bytes of code + 8 bytes of signal id + 1 byte live flag = 41 bytes (plus
growth slack), and with the multi-index 4 bytes a table (12 tables at 1 M) plus its bucket offsets.
The multi-index covers the rows up to `sealed`; rows appended after it sit in a small flat index
(the tail) until the tail outgrows `TAIL_FRACTION` of the sealed rows and is folded in, the
multi-index rebuilt. Rows are kept in signal-id order (ids only grow), so finding a hash's rows is a
binary search, not a dictionary. Disabling marks rows dead; `compact()` drops them when they pile up.

`SignalIndex` follows a store: `refresh()` reads only rows whose revision is newer than what it has
seen, appends new hashes and flips live flags; `save()` writes a file under REDLINE_HOME keyed by
the store's identity and revision, which `open()` reloads and then catches up from. It keeps the
hashes Redline derived from banked files (windows, bars trimmed, video key frames: ~15 a picture)
apart from the files' own hashes, in `derived`: exact and flat below `DERIVED_IVF_FROM` of them,
the approximate `ivf.IVFIndex` from there (docs/media.md, "The index").
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import faiss
import numpy as np

from redline.media import tables as t
from redline.media.banks import current_rev, store_identity
from redline.media.bulk import driver_rows
from redline.media.mih import MultiIndex
from redline.media.signals import PDQ_DEFAULT_THRESHOLD, VpdqSignal
from redline.store.base import Store

if TYPE_CHECKING:
    from redline.media.ivf import IVFIndex

CODE_BYTES = 32
FORMAT_VERSION = 2  # 2: derived hashes in their own index (a version-1 file is rebuilt from the store)
COMPACT_DEAD_FRACTION = 0.25
COMPACT_MIN_DEAD = 1024
DEFAULT_THREADS = faiss.omp_get_max_threads()
PARALLEL_MIN_QUERIES = 8
# A flat scan of queries × rows below this runs on one OpenMP thread: under it the workers' wake-ups and
# spinning cost more CPU (and, on a busy machine, more wall time) than they save (30 queries on 2 shared
# cores: 10 k rows 0.6 vs 23 ms CPU, 100 k 6.5 vs 19.5, 1 M 107 vs 128; docs/benchmarks-media.md, "Cost at 1 M").
PARALLEL_MIN_CODES = 1 << 25
MIH_MIN_ROWS = 100_000  # below this a flat scan takes under half a millisecond
TAIL_MIN_ROWS = 50_000
TAIL_FRACTION = 0.125
IVF_FROM_ENV = "REDLINE_PDQ_IVF_FROM"  # hashes from which the PDQ index is the approximate IVF (unset: never)
# Derived hashes are exact below this many: a flat scan (41 B a hash, no multi-index) costs under half
# a millisecond there and holds less than the IVF (49 B a hash); from here the exact index would add its
# multi-index (~100 B a hash more), and there are enough hashes to draw 64+ centroids of ~1,500+ each.
DERIVED_IVF_FROM = MIH_MIN_ROWS
DERIVED_NPROBE = 64  # lists probed a query in the derived IVF (docs/benchmarks-media.md, "Bank-side windows")


def hex_to_codes(hexes: list[str]) -> np.ndarray:
    """64-hex PDQ strings → (n, 32) uint8 rows (byte order as written, so Hamming distance is preserved)."""
    if not hexes:
        return np.zeros((0, CODE_BYTES), dtype=np.uint8)
    return np.frombuffer(bytes.fromhex("".join(hexes)), dtype=np.uint8).reshape(len(hexes), CODE_BYTES)


def codes_to_hex(codes: np.ndarray) -> list[str]:
    return [row.tobytes().hex() for row in codes]


@dataclass(frozen=True)
class Hit:
    query: int  # which query row
    signal_id: int
    distance: int
    row: int  # position in the index (several rows may belong to one vPDQ signal)


class SignalRows:
    """The signal ids (non-decreasing) and live flags of an index's rows, in numpy arrays with spare
    capacity (a quarter), so that appends rarely copy them."""

    def __init__(self) -> None:
        self._ids = np.zeros(0, dtype=np.int64)
        self._live = np.zeros(0, dtype=bool)
        self.size = 0

    def _grow(self, extra: int) -> None:
        need = self.size + extra
        if need > len(self._ids):
            capacity = need + need // 4 + 1024
            ids = np.zeros(capacity, dtype=np.int64)
            live = np.zeros(capacity, dtype=bool)
            ids[: self.size] = self._ids[: self.size]
            live[: self.size] = self._live[: self.size]
            self._ids, self._live = ids, live

    @property
    def ids(self) -> np.ndarray:
        return self._ids[: self.size]

    @property
    def live(self) -> np.ndarray:
        return self._live[: self.size]

    @property
    def live_count(self) -> int:
        return int(self.live.sum())

    def rows_of(self, signal_id: int) -> slice:
        ids = self.ids
        return slice(int(np.searchsorted(ids, signal_id, "left")), int(np.searchsorted(ids, signal_id, "right")))

    def set_live(self, signal_id: int, live: bool) -> bool:
        rows = self.rows_of(signal_id)
        if rows.start == rows.stop:
            return False
        self._live[rows] = live
        return True

    def dead_count(self) -> int:
        return self.size - self.live_count

    # -- compaction, over what each index provides: every row's code and a rebuild from rows
    def codes(self) -> np.ndarray:
        raise NotImplementedError

    def _rebuild(self, ids: np.ndarray, codes: np.ndarray, live: np.ndarray) -> None:
        raise NotImplementedError

    def compact(self) -> int:
        """Drop dead rows; returns how many were dropped."""
        dead = self.dead_count()
        if dead:
            keep = self.live.copy()
            self._rebuild(self.ids[keep], self.codes()[keep], np.ones(int(keep.sum()), bool))
        return dead

    def needs_compaction(self) -> bool:
        dead = self.dead_count()
        return dead >= COMPACT_MIN_DEAD and dead > COMPACT_DEAD_FRACTION * max(self.size, 1)


class BinaryIndex(SignalRows):
    """Codes in two faiss flat binary indexes, `faiss` (rows [0, sealed), under the multi-index once
    there are `multi_index_from` rows) and `tail` (rows [sealed, size), appended since); ids
    (non-decreasing) and live flags in numpy arrays with spare capacity.

    An append touches only the tail and the spare capacity: appending to the sealed codes would copy
    them all whenever their buffer fills (2.7 s at 10 M hashes). The tail is folded in, and the
    multi-index rebuilt, when it outgrows `TAIL_FRACTION` of the sealed rows."""

    def __init__(self, *, multi_index_from: int | None = None) -> None:
        super().__init__()
        self.faiss = faiss.IndexBinaryFlat(CODE_BYTES * 8)
        self.multi_index_from = MIH_MIN_ROWS if multi_index_from is None else multi_index_from
        self.mih: MultiIndex | None = None
        self.sealed = 0  # rows in self.faiss (and in self.mih when it is set)
        self.tail = faiss.IndexBinaryFlat(CODE_BYTES * 8)  # rows [sealed, size)

    def add(self, ids: np.ndarray, codes: np.ndarray, live: np.ndarray | None = None) -> None:
        """Append rows; ids must not be smaller than the last id held (callers add in id order)."""
        n = len(ids)
        if n == 0:
            return
        ids = np.asarray(ids, dtype=np.int64)
        if self.size and ids[0] < self._ids[self.size - 1] or np.any(np.diff(ids) < 0):
            self._merge(ids, codes, live)
            return
        self._grow(n)
        codes = np.ascontiguousarray(codes, dtype=np.uint8)
        self._ids[self.size : self.size + n] = ids
        self._live[self.size : self.size + n] = True if live is None else live
        self.size += n
        if self._seal_due():
            self._fold_tail(codes)
            self.seal()
        else:
            self.tail.add(codes)

    # -- the sealed rows and their multi-index
    def _seal_due(self) -> bool:
        tail = self.size - self.sealed
        if self.mih is None and self.size >= self.multi_index_from:
            return True
        return tail > max(TAIL_MIN_ROWS, TAIL_FRACTION * self.sealed)

    def _fold_tail(self, codes: np.ndarray | None = None) -> None:
        """Move the tail's codes (and `codes`, rows not yet stored anywhere) into the sealed index."""
        if self.tail.ntotal:
            self.faiss.add(faiss.vector_to_array(self.tail.xb).reshape(-1, CODE_BYTES))  # type: ignore[attr-defined]
            self.tail = faiss.IndexBinaryFlat(CODE_BYTES * 8)
        if codes is not None:
            self.faiss.add(codes)
        self.sealed = self.faiss.ntotal

    def seal(self) -> None:
        """Fold the tail in and (re)build the multi-index over every row (from `multi_index_from` rows)."""
        self._fold_tail()
        self.mih = MultiIndex(self.codes_view()) if self.size >= self.multi_index_from else None

    def codes_view(self) -> np.ndarray:
        """The sealed rows' codes without a copy: valid until the next seal (faiss may move them)."""
        if self.sealed == 0:
            return np.zeros((0, CODE_BYTES), dtype=np.uint8)
        pointer = self.faiss.xb.data()  # type: ignore[attr-defined]
        return faiss.rev_swig_ptr(pointer, self.sealed * CODE_BYTES).reshape(self.sealed, CODE_BYTES)

    def _merge(self, ids: np.ndarray, codes: np.ndarray, live: np.ndarray | None) -> None:
        all_ids = np.concatenate([self.ids, ids])
        all_codes = np.concatenate([self.codes(), np.asarray(codes, dtype=np.uint8)])
        all_live = np.concatenate([self.live, np.ones(len(ids), bool) if live is None else live])
        order = np.argsort(all_ids, kind="stable")
        self._rebuild(all_ids[order], all_codes[order], all_live[order])

    def _rebuild(self, ids: np.ndarray, codes: np.ndarray, live: np.ndarray, mih: MultiIndex | None = None) -> None:
        self.faiss = faiss.IndexBinaryFlat(CODE_BYTES * 8)
        self._ids = np.zeros(0, dtype=np.int64)
        self._live = np.zeros(0, dtype=bool)
        self.size = 0
        self.mih, self.sealed, self.tail = None, 0, faiss.IndexBinaryFlat(CODE_BYTES * 8)
        if len(ids):
            self._grow(len(ids))
            self._ids[: len(ids)] = ids
            self._live[: len(ids)] = live
            self.size = len(ids)
            codes = np.ascontiguousarray(codes, dtype=np.uint8)
            if mih is not None and mih.size <= self.size:  # adopt a saved multi-index; later rows to the tail
                self._fold_tail(codes[: mih.size])
                self.mih = mih
                if mih.size < self.size:
                    self.tail.add(np.ascontiguousarray(codes[mih.size :]))
                if self._seal_due():
                    self.seal()
            else:
                self._fold_tail(codes)
                if self.size >= self.multi_index_from:
                    self.seal()

    def codes(self) -> np.ndarray:
        """Every row's code (a copy)."""
        parts = [faiss.vector_to_array(index.xb).reshape(-1, CODE_BYTES)  # type: ignore[attr-defined]
                 for index in (self.faiss, self.tail) if index.ntotal]
        return np.concatenate(parts) if parts else np.zeros((0, CODE_BYTES), dtype=np.uint8)

    def search(self, queries: np.ndarray, threshold: int = PDQ_DEFAULT_THRESHOLD) -> list[Hit]:
        """Every live row within `threshold` bits (inclusive) of each query row: exact, not approximate."""
        if self.size == 0 or len(queries) == 0:
            return []
        # One scan per query is fastest on one thread: OpenMP workers for a single query cost more in
        # wake-ups than they save (measured 0.9 ms vs 52 ms p50 at 1 M hashes on a busy 2-core machine),
        # and so do they for a few queries over a small index (PARALLEL_MIN_CODES).
        parallel = len(queries) >= PARALLEL_MIN_QUERIES and len(queries) * self.size >= PARALLEL_MIN_CODES
        faiss.omp_set_num_threads(DEFAULT_THREADS if parallel else 1)
        queries = np.ascontiguousarray(queries, dtype=np.uint8)
        if self.mih is not None and threshold <= self.mih.max_threshold():
            query_of, labels, distances = self.mih.search(self.codes_view(), queries, threshold)
        else:
            query_of, labels, distances = _range(self.faiss, queries, threshold)
        if self.tail.ntotal:
            tail_of, tail_labels, tail_distances = _range(self.tail, queries, threshold)
            query_of = np.concatenate([query_of, tail_of])
            labels = np.concatenate([labels, tail_labels + self.sealed])
            distances = np.concatenate([distances, tail_distances])
        if len(labels) == 0:
            return []
        keep = self._live[labels]
        return [
            Hit(int(q), int(self._ids[row]), int(d), int(row))
            for q, row, d in zip(query_of[keep], labels[keep], distances[keep])
        ]

    def memory_bytes(self) -> int:
        extra = self.mih.memory_bytes() if self.mih is not None else 0
        return self.size * CODE_BYTES + self._ids.nbytes + self._live.nbytes + extra


def _range(index: faiss.IndexBinary, queries: np.ndarray, threshold: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(query numbers, rows, distances) of a faiss range search (faiss's radius is exclusive)."""
    lims, distances, labels = index.range_search(queries, threshold + 1)
    query_of = np.repeat(np.arange(len(queries)), np.diff(lims.astype(np.int64)))
    return query_of, labels.astype(np.int64), distances.astype(np.int64)


def _changed_sql(kind: str, after: int, upto: int) -> str:
    """Rows of one signal type changed in revisions (after, upto]: id, value, live (the hash and its
    bank enabled) as 0/1, derived (a hash Redline derived from a banked file: tables.derived) as 0/1,
    in id order. Only integers and a fixed type name are inlined."""
    s, b, d = t.signals.name, t.banks.name, t.derived.name
    return (f"SELECT s.id, s.value, CASE WHEN s.enabled AND b.enabled THEN 1 ELSE 0 END, "
            f"CASE WHEN d.signal_id IS NULL THEN 0 ELSE 1 END "
            f"FROM {s} AS s JOIN {b} AS b ON b.id = s.bank_id LEFT JOIN {d} AS d ON d.signal_id = s.id "
            f"WHERE s.rev > {int(after)} AND s.rev <= {int(upto)} AND s.signal_type = '{kind}' ORDER BY s.id")


def _set_live_many(index: SignalRows, ids: np.ndarray, live: np.ndarray) -> np.ndarray:
    """Set the live flag of the rows of `ids` (sorted) already in `index` (one row an id, as PDQ
    signals have); returns the mask of ids it does not hold yet."""
    held = index.ids
    if len(held) == 0:
        return np.ones(len(ids), dtype=bool)
    at = np.searchsorted(held, ids)
    inside = at < len(held)
    known = np.zeros(len(ids), dtype=bool)
    known[inside] = held[at[inside]] == ids[inside]
    index.live[at[known]] = live[known]
    return ~known


def ivf_from_setting() -> int | None:
    """REDLINE_PDQ_IVF_FROM: a number of PDQ hashes from which the index turns approximate (IVF)."""
    from redline.config import ConfigError

    raw = os.environ.get(IVF_FROM_ENV, "").strip().replace("_", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise ConfigError(f"{IVF_FROM_ENV}={raw!r}: expected a number of hashes (unset: always the exact index)")
    return int(raw) or None


class SignalIndex:
    """The PDQ photo index and the vPDQ frame index of one store, kept in step with it.

    PDQ hashes are split in two indexes. `pdq` holds the files' own hashes (and imported lists): exact
    (`BinaryIndex`) unless `ivf_from` (default: REDLINE_PDQ_IVF_FROM) is set and the bank holds that
    many, then the approximate `ivf.IVFIndex`. `derived` holds the hashes Redline derived from banked
    files (tables.derived: a picture's windows and bar-trimmed hashes, a video's key frames), ~15 a
    picture: exact and flat below `derived_ivf_from` (DERIVED_IVF_FROM) of them, an `IVFIndex` probing
    DERIVED_NPROBE lists from there, so they cost ~57 B a hash instead of the multi-index's ~140 B.
    A file's own hash is always found exactly by the exact layout; a hit through a window is missed
    when the window lies in a list the query did not probe. `search_pdq` searches both."""

    def __init__(self, store: Store, path: Path | None, ivf_from: int | None = None,
                 derived_ivf_from: int | None = None) -> None:
        self.store = store
        self.path = path
        self.ivf_from = ivf_from if ivf_from is not None else ivf_from_setting()
        self.derived_ivf_from = derived_ivf_from if derived_ivf_from is not None else DERIVED_IVF_FROM
        self.pdq: BinaryIndex | IVFIndex = BinaryIndex()
        self.derived: BinaryIndex | IVFIndex = _flat_derived()
        self.frames = BinaryIndex()
        self.rev = 0
        self.store_id = store_identity(store)
        self.changed_since_save = 0

    @classmethod
    def open(cls, store: Store, home: Path | None = None) -> SignalIndex:
        path = None
        if home is not None:
            folder = home / "media"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / "signal-index.npz"
        index = cls(store, path)
        if path is not None and path.is_file():
            index._load(path)
        index.refresh()
        if index.path is not None and index.changed_since_save:
            index.save()
        return index

    # -- searching and flagging PDQ hashes in both indexes
    def search_pdq(self, queries: np.ndarray, threshold: int = PDQ_DEFAULT_THRESHOLD) -> list[Hit]:
        """Live PDQ hashes within `threshold` of each query: the files' own and the derived ones
        (a hit's `row` is its position in whichever index holds it)."""
        return self.pdq.search(queries, threshold) + self.derived.search(queries, threshold)

    def set_pdq_live(self, signal_id: int, live: bool) -> bool:
        """Flag a PDQ hash (own or derived) live or dead; False when neither index holds it."""
        return self.pdq.set_live(signal_id, live) or self.derived.set_live(signal_id, live)

    def pdq_live(self, signal_id: int) -> bool:
        for part in (self.pdq, self.derived):
            rows = part.rows_of(signal_id)
            if rows.start < rows.stop:
                return bool(part.live[rows.start])
        return False

    def compact_due(self) -> None:
        """Compact each index whose dead rows pile up (`SignalRows.needs_compaction`)."""
        for part in (self.pdq, self.derived, self.frames):
            if part.needs_compaction():
                part.compact()

    def memory_bytes(self) -> dict[str, int]:
        return {"pdq": self.pdq.memory_bytes(), "derived": self.derived.memory_bytes(),
                "frames": self.frames.memory_bytes()}

    # -- persistence
    def _load(self, path: Path) -> None:
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = data["meta"]
                if int(meta[0]) != FORMAT_VERSION or bytes(data["store_id"]).decode() != self.store_id:
                    return
                rev = int(meta[1])
                with self.store.connect() as conn:
                    if rev > current_rev(conn):
                        return  # the store went back in time (restored): rebuild from it
                mih = None
                if "pdq_mih_rows" in data:
                    mih = MultiIndex.from_arrays(int(meta[2]), data["pdq_mih_rows"], data["pdq_mih_offsets"])
                self.pdq = _index_from(data, "pdq", BinaryIndex(), mih)
                self.derived = _index_from(data, "derived", _flat_derived())
                self.frames._rebuild(data["frame_ids"], data["frame_codes"], data["frame_live"])
                self.rev = rev
        except (OSError, KeyError, ValueError):  # unreadable: rebuild
            self.pdq, self.derived, self.frames, self.rev = BinaryIndex(), _flat_derived(), BinaryIndex(), 0

    def save(self) -> None:
        if self.path is None:
            return
        mih = self.pdq.mih if isinstance(self.pdq, BinaryIndex) else None
        meta = np.array([FORMAT_VERSION, self.rev, mih.bits if mih is not None else 0], dtype=np.int64)
        extra: dict[str, Any] = {"pdq_mih_rows": mih.rows, "pdq_mih_offsets": mih.offsets} if mih is not None else {}
        extra.update(_index_arrays(self.pdq, "pdq"))
        extra.update(_index_arrays(self.derived, "derived"))
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".signal-index-", suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez(
                    handle, meta=meta, store_id=np.frombuffer(self.store_id.encode(), dtype=np.uint8),
                    frame_ids=self.frames.ids, frame_codes=self.frames.codes(), frame_live=self.frames.live, **extra,
                )
            os.replace(tmp, self.path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        self.changed_since_save = 0

    # -- catching up with the store
    def refresh(self) -> int:
        """Apply every hash added, enabled or disabled since the last refresh. Returns rows applied.

        PDQ rows are read in one query as the driver's tuples and applied as arrays: rows already
        indexed get their live flag, the others are appended in one call to the index their kind
        goes to (a row at a time through SQLAlchemy, with a lookup each, cost 18.5 s CPU for 1 M hashes)."""
        with self.store.connect() as conn:
            rev = current_rev(conn)
            if rev <= self.rev:
                return 0
            pdq_rows = driver_rows(conn, _changed_sql("pdq", self.rev, rev))
            frame_rows = driver_rows(conn, _changed_sql("vpdq", self.rev, rev))
        if pdq_rows:
            ids_col, values, live_col, derived_col = zip(*pdq_rows)
            ids = np.fromiter(ids_col, dtype=np.int64, count=len(pdq_rows))
            live = np.fromiter(live_col, dtype=bool, count=len(pdq_rows))
            derived = np.fromiter(derived_col, dtype=bool, count=len(pdq_rows))
            fresh = _set_live_many(self.pdq, ids, live)
            if fresh.any() and self.derived.size:
                fresh[fresh] = _set_live_many(self.derived, ids[fresh], live[fresh])
            for part, kind in ((self.pdq, ~derived), (self.derived, derived)):
                take = fresh & kind
                if take.any():
                    codes = hex_to_codes(list(values) if take.all() else [v for v, f in zip(values, take.tolist()) if f])
                    part.add(ids[take], codes, live[take])
        new_frames: list[tuple[int, list[str], bool]] = []
        for signal_id, value, live_flag, _ in frame_rows:
            if self.frames.set_live(signal_id, bool(live_flag)):
                continue
            frames = sorted({f.pdq for f in VpdqSignal.parse(value) if f.quality >= 50})
            new_frames.append((signal_id, frames, bool(live_flag)))
        if new_frames:
            frame_ids = np.array([r[0] for r in new_frames for _ in r[1]], dtype=np.int64)
            frames_live = np.array([r[2] for r in new_frames for _ in r[1]], dtype=bool)
            self.frames.add(frame_ids, hex_to_codes([h for r in new_frames for h in r[1]]), frames_live)
        self.compact_due()
        if self.ivf_from or self.derived.size >= self.derived_ivf_from:
            from redline.media.ivf import IVFIndex

            if self.ivf_from and isinstance(self.pdq, BinaryIndex) and self.pdq.size >= self.ivf_from:
                self.pdq = IVFIndex.build(self.pdq.ids, self.pdq.codes(), self.pdq.live)
            if isinstance(self.derived, BinaryIndex) and self.derived.size >= self.derived_ivf_from:
                self.derived = IVFIndex.build(self.derived.ids, self.derived.codes(), self.derived.live,
                                              nprobe=DERIVED_NPROBE)
        self.rev = rev
        self.changed_since_save += len(pdq_rows) + len(frame_rows)
        return len(pdq_rows) + len(frame_rows)

    def frame_counts(self) -> dict[int, int]:
        """Distinct indexed frames per vPDQ signal (for the 'compared' match percentage)."""
        ids, counts = np.unique(self.frames.ids, return_counts=True)
        return dict(zip(ids.tolist(), counts.tolist()))


def _flat_derived() -> BinaryIndex:
    """The derived hashes' exact index below DERIVED_IVF_FROM: a flat scan, never a multi-index."""
    return BinaryIndex(multi_index_from=sys.maxsize)


def _index_arrays(index: BinaryIndex | IVFIndex, prefix: str) -> dict[str, np.ndarray]:
    """An index as arrays named `prefix_...` (an IVF's lists as they are: no re-filing on load)."""
    arrays = {f"{prefix}_ids": index.ids, f"{prefix}_live": index.live}
    if isinstance(index, BinaryIndex):
        arrays[f"{prefix}_codes"] = index.codes()
    else:
        arrays.update({f"{prefix}_{name}": value for name, value in index.to_arrays().items()})
    return arrays


def _index_from(data: Any, prefix: str, empty: BinaryIndex, mih: MultiIndex | None = None) -> BinaryIndex | IVFIndex:
    """What `_index_arrays` wrote: the IVF it saved, or `empty` filled with the saved rows."""
    if f"{prefix}_ivf_sizes" in data:
        from redline.media.ivf import IVFIndex

        names = ("ivf_quantizer", "ivf_centroids", "ivf_meta", "ivf_sizes", "ivf_codes", "ivf_rows")
        return IVFIndex.from_arrays({name: data[f"{prefix}_{name}"] for name in names},
                                    data[f"{prefix}_ids"], data[f"{prefix}_live"])
    empty._rebuild(data[f"{prefix}_ids"], data[f"{prefix}_codes"], data[f"{prefix}_live"], mih)
    return empty

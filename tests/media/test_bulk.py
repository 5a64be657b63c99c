"""Bulk banking on SQLite and PostgreSQL: the indexes rebuilt after a large load, duplicates found
inside the batch and against the bank, one ledger entry for the batch with its count and SHA-256."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from redline.ledger import Ledger
from redline.media import bulk
from redline.media import tables as t
from redline.media.banks import SignalRecord, add_signals, bank_signals, create_bank, get_bank
from redline.media.index import SignalIndex, hex_to_codes
from redline.store import Store


def _hashes(n: int, seed: int) -> list[str]:
    codes = np.random.default_rng(seed).integers(0, 256, size=(n, 32), dtype=np.uint8)
    return [row.tobytes().hex() for row in codes]


def _index_names(store: Store) -> set[str]:
    with store.connect() as conn:
        return {i["name"] for i in inspect(conn).get_indexes(t.signals.name)}


@pytest.fixture
def small_bulk(monkeypatch: pytest.MonkeyPatch) -> int:
    """A 'large' load from 300 rows, so the rebuilding path runs in a fast test."""
    monkeypatch.setattr(bulk, "REBUILD_MIN_ROWS", 300)
    return 300


def test_bulk_load_rebuilds_indexes_and_keeps_constraints(any_store: Store, small_bulk: int) -> None:
    ledger = Ledger(any_store)
    create_bank(any_store, "big")
    first = _hashes(1000, 1)
    result = add_signals(any_store, "big", [SignalRecord("pdq", h.upper()) for h in first + first[:10]],
                         ledger=ledger, source="first.txt")
    assert (result.added, result.duplicates) == (1000, 10)
    entries = [e for e in ledger.entries("media.bank.add")]
    assert len(entries) == 1
    lines = "".join(f"pdq {h}\n" for h in first + first[:10])
    assert entries[0].inputs["records"] == 1010
    assert entries[0].inputs["sha256"] == hashlib.sha256(lines.encode()).hexdigest()
    assert entries[0].outcome["indexes_rebuilt"] is True
    assert {i.name for i in t.signals.indexes} <= _index_names(any_store)
    # the unique index is back: a second copy of a banked hash is refused by the database itself
    with pytest.raises(IntegrityError), any_store.transaction() as conn:
        conn.execute(t.signals.insert().values(
            bank_id=get_bank(any_store, "big").id, signal_type="pdq", value=first[0], value_key=first[0],
            labels="[]", added_on="2026-01-01", enabled=True, rev=1))
    if any_store.engine.dialect.name == "postgresql":  # the foreign key dropped for the load is back
        with any_store.connect() as conn:
            assert inspect(conn).get_foreign_keys(t.signals.name)
    # a smaller batch next to a larger table keeps the indexes; overlap with the bank is found
    second = _hashes(400, 2)
    result = add_signals(any_store, "big", [SignalRecord("pdq", h) for h in second + first[500:900]], ledger=ledger)
    assert (result.added, result.duplicates) == (400, 400)
    assert [e.outcome["indexes_rebuilt"] for e in ledger.entries("media.bank.add")] == [True, False]
    assert [r.value for r in bank_signals(any_store, "big")] == first + second  # in the order added
    assert get_bank(any_store, "big").size == 1400


def test_bulk_loaded_hashes_are_searchable(any_store: Store, small_bulk: int) -> None:
    create_bank(any_store, "big")
    hashes = _hashes(2000, 3)
    add_signals(any_store, "big", [SignalRecord("pdq", h, labels=["un_listed"], content_id="c\t1\\x")
                                   for h in hashes])
    index = SignalIndex(any_store, None)
    index.refresh()
    assert index.pdq.live_count == 2000
    hits = index.pdq.search(hex_to_codes([hashes[1234]]), threshold=0)
    assert len(hits) == 1
    with any_store.connect() as conn:
        row = conn.execute(select(t.signals).where(t.signals.c.id == hits[0].signal_id)).one()
    assert (row.value, row.labels, row.content_id) == (hashes[1234], '["entity:un_listed"]', "c\t1\\x")


def test_a_bad_hash_late_in_a_bulk_batch_names_its_line_and_adds_nothing(any_store: Store, small_bulk: int) -> None:
    from redline.media.banks import ImportFormatError

    create_bank(any_store, "big")
    hashes = _hashes(500, 4)
    hashes[321] = hashes[321][:-1] + "g"
    with pytest.raises(ImportFormatError, match="line 322"):
        add_signals(any_store, "big", [SignalRecord("pdq", h) for h in hashes])
    assert get_bank(any_store, "big").size == 0


def test_runs_of_alike_rows_and_single_rows_keep_their_order_and_columns(any_store: Store) -> None:
    """SQLite loads a run of rows that differ only in their hash from a JSON array; other rows one by one."""
    create_bank(any_store, "mixed")
    hashes = _hashes(400, 5)
    records = [SignalRecord("pdq", h, labels=["un_listed"], contributor="x") for h in hashes[:150]]
    records += [SignalRecord("pdq", h, content_id=f"c{i}") for i, h in enumerate(hashes[150:153])]
    records.append(SignalRecord("vpdq", f"0,100,{hashes[153]},0.000;1,90,{hashes[154]},1.000", "video"))
    records.append(SignalRecord("md5", hashes[155][:32], enabled=False))
    records += [SignalRecord("pdq", h, added_on="2024-01-02", quality=77) for h in hashes[156:400]]
    assert add_signals(any_store, "mixed", records).added == len(records)
    stored = bank_signals(any_store, "mixed")
    assert [(r.signal_type, r.value, r.content_id, r.labels, r.contributor, r.enabled, r.quality) for r in stored] == [
        (r.signal_type, r.value, r.content_id, ["entity:un_listed"] if r.labels else [], r.contributor or "unknown",
         r.enabled, r.quality) for r in records]
    assert {r.added_on for r in stored[-244:]} == {"2024-01-02"}


def test_a_rebuilding_load_leaves_statistics_that_send_a_refresh_through_the_revision_index(
        store: Store, small_bulk: int) -> None:
    create_bank(store, "big")
    add_signals(store, "big", [SignalRecord("pdq", h) for h in _hashes(1000, 6)])
    with store.connect() as conn:
        plan = " ".join(str(r[3]) for r in conn.exec_driver_sql(
            f"EXPLAIN QUERY PLAN SELECT id FROM {t.signals.name} WHERE rev > 1 AND rev <= 2 "
            "AND signal_type IN ('pdq', 'vpdq') ORDER BY id"))
    assert "ix_media_signals_rev" in plan


def test_a_large_load_into_a_table_with_rows_goes_in_sorted_and_loses_nothing(
        any_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """From SORTED_LOAD_MIN_ROWS rows (300 here), a load into a table that already holds rows goes in
    sorted by hash (ids follow); into an empty table, and with derived links, in the order given."""
    monkeypatch.setattr(bulk, "SORTED_LOAD_MIN_ROWS", 300)
    create_bank(any_store, "first")
    create_bank(any_store, "second")
    hashes = _hashes(700, 9)
    add_signals(any_store, "first", [SignalRecord("pdq", h) for h in hashes[:350]])
    assert [r.value for r in bank_signals(any_store, "first")] == hashes[:350]  # empty table: as given
    added = add_signals(any_store, "second", [SignalRecord("pdq", h, content_id=h[:6]) for h in hashes[350:]])
    assert added.added == 350
    stored = bank_signals(any_store, "second")
    assert [r.value for r in stored] == sorted(hashes[350:])
    assert all(r.content_id == r.value[:6] for r in stored)
    index = SignalIndex(any_store, None)
    index.refresh()
    assert index.pdq.size == 700 and index.pdq.search(hex_to_codes([hashes[500]]), 0)

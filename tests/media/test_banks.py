"""Banks: labels, import/export in ThreatExchange formats, all-or-nothing imports."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from sqlalchemy import func, select

from redline.context import get_context
from redline.media import tables as t
from redline.media.banks import (
    BankError, ImportFormatError, add_signals, bank_signals, create_bank, delete_bank, deleted_banks, export_bank,
    get_bank, import_file, list_banks, purge_deleted_banks, set_bank_enabled, SignalRecord,
)
from redline.media.matcher import Matcher
from redline.store import Store

PDQ_A = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
PDQ_B = "30a10efd71cc3d429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af"


def test_create_list_and_labels(store: Store) -> None:
    bank = create_bank(store, "gifct-hashes", labels=["un_listed", "behaviour:livestreamed_attack"])
    assert bank.labels == ["entity:un_listed", "behaviour:livestreamed_attack"]
    create_bank(store, "benign", negative=True)
    assert [b.name for b in list_banks(store)] == ["benign", "gifct-hashes"]
    with pytest.raises(BankError, match="already exists"):
        create_bank(store, "benign")
    with pytest.raises(BankError, match="unknown label"):
        create_bank(store, "x", labels=["terrorism-ish"])
    with pytest.raises(BankError, match="invalid bank name"):
        create_bank(store, "../etc; drop table")


def test_real_hash_lists_load_unchanged(store: Store, data_dir: Path) -> None:
    create_bank(store, "hay")
    lists = data_dir / "media/pdq/hash-lists"
    result = import_file(store, "hay", lists / "haystack.txt")
    lines = [l for l in (lists / "haystack.txt").read_text().splitlines() if l.strip()]
    assert result.added == len(set(lines)) and result.added > 1000
    again = import_file(store, "hay", lists / "needles.txt")
    assert again.added + again.duplicates == len([l for l in (lists / "needles.txt").read_text().splitlines() if l.strip()])
    assert get_bank(store, "hay").size == result.added + again.added


def test_malformed_line_refused_with_line_number_nothing_applied(store: Store, tmp_path: Path, data_dir: Path) -> None:
    create_bank(store, "b")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "signal_type,signal_value,content_id,labels\n"
        f"pdq,{PDQ_A},c1,un_listed\n"
        f"md5,{'a' * 32},c2,\n"
        f"pdq,{PDQ_B[:-1]}z,c3,\n"
    )
    with pytest.raises(ImportFormatError) as info:
        import_file(store, "b", bad)
    assert info.value.line == 4 and "line 4" in str(info.value)
    assert get_bank(store, "b").size == 0
    # 64-bit test hashes are not PDQ: refused at line 1
    with pytest.raises(ImportFormatError) as info:
        import_file(store, "b", data_dir / "media/pdq/hash-lists/long64.dat")
    assert info.value.line == 1
    bad_label = tmp_path / "label.csv"
    bad_label.write_text(f"signal_type,signal_value,labels\npdq,{PDQ_A},un_listed\npdq,{PDQ_B},made_up\n")
    with pytest.raises(ImportFormatError, match="line 3"):
        import_file(store, "b", bad_label)
    assert get_bank(store, "b").size == 0


def test_csv_and_json_round_trip(store: Store, tmp_path: Path) -> None:
    create_bank(store, "src", labels=["branded"])
    add_signals(store, "src", [
        SignalRecord("pdq", PDQ_A, "incident-1", ["un_listed"], "member-a", "2024-05-01"),
        SignalRecord("md5", "d41d8cd98f00b204e9800998ecf8427e", "incident-2", ["attacker_manifesto"], "member-b", "2024-05-02", enabled=False),
        SignalRecord("video_md5", "0123456789abcdef0123456789abcdef", "incident-3", [], "member-c", "2024-05-03"),
        SignalRecord("vpdq", f"0,100,{PDQ_A},0.000;1,90,{PDQ_B},1.000", "incident-4", ["livestreamed_attack"]),
    ])
    original = [r.to_dict() for r in bank_signals(store, "src")]
    for suffix in ("csv", "json"):
        out = tmp_path / f"export.{suffix}"
        assert export_bank(store, "src", out) == 4
        create_bank(store, f"copy-{suffix}")
        assert import_file(store, f"copy-{suffix}", out).added == 4
        assert [r.to_dict() for r in bank_signals(store, f"copy-{suffix}")] == original
    payload = orjson.loads((tmp_path / "export.json").read_bytes())
    assert {s["signal_type"] for s in payload["signals"]} == {"pdq", "md5", "video_md5", "vpdq"}


def test_json_object_of_lists_and_type_value_lines(store: Store, tmp_path: Path) -> None:
    create_bank(store, "b")
    doc = tmp_path / "list.json"
    doc.write_bytes(orjson.dumps({"pdq": [PDQ_A, PDQ_B], "md5": ["d41d8cd98f00b204e9800998ecf8427e"]}))
    assert import_file(store, "b", doc).added == 3
    lines = tmp_path / "pytx.txt"
    lines.write_text(f"pdq {PDQ_A}\nvideo_md5 0123456789abcdef0123456789abcdef\n")
    result = import_file(store, "b", lines)
    assert (result.added, result.duplicates) == (1, 1)
    bad = tmp_path / "bad.json"
    bad.write_bytes(orjson.dumps([{"signal_type": "pdq", "signal_value": PDQ_A}, {"signal_type": "sha1", "signal_value": "ab"}]))
    with pytest.raises(ImportFormatError, match="line 2"):
        import_file(store, "b", bad)


def test_disable_bank(store: Store) -> None:
    create_bank(store, "b")
    add_signals(store, "b", [SignalRecord("pdq", PDQ_A)])
    assert set_bank_enabled(store, "b", False).enabled is False
    assert get_bank(store, "b").enabled is False
    with pytest.raises(BankError, match="no bank"):
        set_bank_enabled(store, "missing", False)


MD5_A = "d41d8cd98f00b204e9800998ecf8427e"


def test_delete_bank_stops_a_running_matcher_and_frees_the_name(db_url: str) -> None:
    ctx = get_context()
    store = ctx.store
    create_bank(store, "gone", labels=["un_listed"])
    create_bank(store, "kept")
    add_signals(store, "gone", [SignalRecord("pdq", PDQ_A, "c1"), SignalRecord("md5", MD5_A, "c1"),
                                SignalRecord("vpdq", f"0,100,{PDQ_B},0.000", "c1")])
    add_signals(store, "kept", [SignalRecord("pdq", PDQ_B, "c2")])
    running = Matcher.open(ctx, refresh_seconds=0)
    assert [m.bank for m in running.match_pdq(PDQ_A)] == ["gone"]
    assert {m.bank for m in running.match_frame(PDQ_B)} == {"gone", "kept"}
    running.save()  # an index file written before the deletion

    tomb = delete_bank(ctx, "gone")
    assert (tomb.name, tomb.hashes) == ("gone", 3)
    assert running.match_pdq(PDQ_A) == []
    assert [m.bank for m in running.match_frame(PDQ_B)] == ["kept"]
    assert running._exact("md5", MD5_A) == []
    assert running.index.pdq.dead_count() == 1 and running.index.frames.dead_count() == 1
    assert [b.name for b in list_banks(store)] == ["kept"]
    with pytest.raises(BankError, match="no bank named 'gone'"):
        get_bank(store, "gone")
    with pytest.raises(BankError, match="no bank named 'gone'"):
        delete_bank(ctx, "gone")
    with pytest.raises(BankError, match="no bank named 'gone'"):
        add_signals(store, "gone", [SignalRecord("pdq", PDQ_A)])
    entry = list(ctx.ledger.entries("media.bank.delete"))[-1]
    assert entry.inputs == {"bank": "gone"} and entry.outcome["hashes"] == 3
    assert [d.name for d in deleted_banks(store)] == ["gone"]

    # the name is free again, and the new bank's hash answers in both matchers
    create_bank(store, "gone")
    add_signals(store, "gone", [SignalRecord("pdq", PDQ_A, "c3")])
    assert [m.content_id for m in running.match_pdq(PDQ_A)] == ["c3"]
    reopened = Matcher.open(ctx, refresh_seconds=0)  # from the file saved before the deletion
    assert [m.content_id for m in reopened.match_pdq(PDQ_A)] == ["c3"]
    assert [m.bank for m in reopened.match_frame(PDQ_B)] == ["kept"]


def test_purge_removes_a_deleted_banks_hashes_but_ids_never_go_back(db_url: str) -> None:
    ctx = get_context()
    store = ctx.store
    create_bank(store, "old")
    add_signals(store, "old", [SignalRecord("pdq", PDQ_A), SignalRecord("pdq", PDQ_B), SignalRecord("md5", MD5_A)])
    with store.connect() as conn:
        last_id = conn.execute(select(func.max(t.signals.c.id))).scalar_one()
    delete_bank(ctx, "old")
    assert purge_deleted_banks(ctx) == 2  # the table's last row stays, or SQLite would hand its id out again
    assert purge_deleted_banks(ctx) == 0
    assert deleted_banks(store)[0].purged_at is not None
    create_bank(store, "new")
    add_signals(store, "new", [SignalRecord("pdq", PDQ_A, "n1")])
    with store.connect() as conn:
        assert conn.execute(select(func.max(t.signals.c.id))).scalar_one() > last_id
    assert [m.content_id for m in Matcher.open(ctx, refresh_seconds=0).match_pdq(PDQ_A)] == ["n1"]


def test_the_bank_of_an_exchange_is_not_deleted(store: Store, tmp_path: Path) -> None:
    from redline.exchange import exchanges

    ctx = get_context()
    (tmp_path / "drop").mkdir()
    exchanges.add_exchange(ctx, "drop", "file", {"path": str(tmp_path / "drop")})
    with pytest.raises(BankError, match="exchange 'drop'"):
        delete_bank(ctx, "exchange.drop")
    assert get_bank(ctx.store, "exchange.drop").name == "exchange.drop"

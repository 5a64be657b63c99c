"""Imports that lose nothing: shrink holds, the data's own date decides what is in force, each
snapshot commits with its ledger entry, and one file is one snapshot even under concurrency."""

from __future__ import annotations

import csv
import json
import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from typer.testing import CliRunner

from redline.cli import app
from redline.ledger import Ledger
from redline.parties import snapshots as snapshots_module
from redline.parties.snapshots import content_date, import_paths, list_snapshots, path_date
from redline.parties.sources.registry import discover
from redline.parties.tables import entities as entities_table
from redline.parties.tables import snapshots as snapshots_table
from redline.store import Store

runner = CliRunner()


def _csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _csl_slices(data_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A 1,200-row slice of the real CSL and the same file cut at a row boundary to 500 rows, which
    keeps the row with the latest start date, so both state the same data date (as in the report)."""
    header, rows = _csv_rows(data_dir / "lists/us_csl/2022-04/consolidated.csv")
    full = rows[:1200]
    start = header.index("start_date")
    latest = max(full, key=lambda row: row[start])
    cut = full[:500] + ([latest] if latest not in full[:500] else [])
    return (
        _write_csv(tmp_path / "full" / "consolidated.csv", header, full),
        _write_csv(tmp_path / "cut" / "consolidated.csv", header, cut),
    )


def _invoke_import(*args: str) -> tuple[int, dict]:
    result = runner.invoke(app, ["parties", "import", *args, "--json"])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


# --- 1. a list that shrinks sharply is held -----------------------------------------------------


def test_a_list_cut_in_half_is_held_until_accepted(data_dir: Path, tmp_path: Path) -> None:
    full, cut = _csl_slices(data_dir, tmp_path)
    code, first = _invoke_import(str(full))
    assert code == 0 and first["results"][0]["status"] == "imported"
    in_force = first["results"][0]["label"]

    code, held = _invoke_import(str(cut))
    result = held["results"][0]
    assert code == 1 and result["status"] == "held" and not result["in_force"]
    shrink = result["shrink"]
    assert shrink["previous"] > shrink["new"] and shrink["percent"] < -10 and shrink["previous_snapshot"] == in_force
    assert "--accept-shrink" in result["error"] and str(cut) in result["error"]
    status = json.loads(runner.invoke(app, ["parties", "status", "--json"]).stdout)
    assert [s["label"] for s in status] == [in_force]  # the full list stays in force
    text = runner.invoke(app, ["parties", "import", str(cut)])
    assert text.exit_code == 1 and "held" in text.output and f"{shrink['percent']:+.1f}%" in text.output

    code, accepted = _invoke_import(str(cut), "--accept-shrink")
    assert code == 0 and accepted["results"][0]["status"] == "imported" and accepted["results"][0]["in_force"]
    kinds = [(e.kind, e.outcome["summary"]) for e in Ledger(_store()).entries(kind="parties.import")]
    assert kinds == [("parties.import", "imported"), ("parties.import", "held"), ("parties.import", "held"), ("parties.import", "imported")]


def test_a_small_change_is_not_held(data_dir: Path, tmp_path: Path) -> None:
    header, rows = _csv_rows(data_dir / "lists/us_csl/2022-04/consolidated.csv")
    start = header.index("start_date")
    base = sorted(rows[:400], key=lambda row: row[start])
    store = _store()
    import_paths(store, [_write_csv(tmp_path / "a" / "consolidated.csv", header, base)])
    results, _ = import_paths(store, [_write_csv(tmp_path / "b" / "consolidated.csv", header, base[:-30] + base[-1:])])
    assert results[0].status == "imported" and results[0].in_force and results[0].shrink is None


# --- 2. and 3. the data's own date decides, and labels carry it -----------------------------------


def _sdn_slice(data_dir: Path, edition: str, target: Path, rows: int) -> Path:
    """The first `rows` rows of one edition's sdn.csv plus every row that states a listing or issue date."""
    source = data_dir / "lists/ofac_sdn" / edition / "sdn.csv"
    lines = source.read_bytes().split(b"\r\n") if b"\r\n" in source.read_bytes() else source.read_bytes().split(b"\n")
    lines = [line for line in lines if line.strip() and line != b"\x1a"]
    keep = lines[:rows] + [line for line in lines[rows:] if b"Listing Date" in line or b"issued" in line]
    target.mkdir(parents=True)
    (target / "sdn.csv").write_bytes(b"\r\n".join(keep) + b"\r\n")
    return target


def test_force_reimport_of_older_sdn_does_not_replace_newer(data_dir: Path, tmp_path: Path) -> None:
    newer = _sdn_slice(data_dir, "2024-05-03", tmp_path / "x", 300)
    older = _sdn_slice(data_dir, "2021-07-07", tmp_path / "y", 300)  # folder names carry no date
    store = _store()
    first, _ = import_paths(store, [newer])
    second, _ = import_paths(store, [older])
    assert first[0].date_basis and "content" in first[0].date_basis
    assert first[0].data_date > second[0].data_date
    assert first[0].in_force and not second[0].in_force
    again, _ = import_paths(store, [older], force=True)
    assert again[0].status == "reimported" and again[0].snapshot_id == second[0].snapshot_id
    active = list_snapshots(store, active_only=True)
    assert [s["id"] for s in active] == [first[0].snapshot_id]
    assert len(list_snapshots(store)) == 2  # --force refills the snapshot, it does not store the file twice


def test_labels_carry_the_data_date_or_say_date_unknown(data_dir: Path, tmp_path: Path) -> None:
    dated = _sdn_slice(data_dir, "2024-05-03", tmp_path / "2024-05-03", 50)
    store = _store()
    result, _ = import_paths(store, [dated])
    assert result[0].label.startswith("us_ofac_sdn@2024-05-03#") and result[0].date_basis == "the file's or folder's name"
    header, rows = _csv_rows(data_dir / "lists/us_misc_opensanctions_repo/ndaa_section_889.csv")
    undated = _write_csv(tmp_path / "lists" / "ndaa_section_889.csv", header, rows)
    result, _ = import_paths(store, [undated])
    assert result[0].data_date is None and result[0].label.endswith(f"@date unknown#{result[0].snapshot_id}")
    assert "imported last" in result[0].warnings[0]
    retrieved = list_snapshots(store)[-1]["retrieved_at"][:10]
    assert retrieved not in result[0].label
    status = json.loads(runner.invoke(app, ["parties", "status", "--json"]).stdout)
    assert {s["label"] for s in status} == {s["label"] for s in list_snapshots(store)} >= {result[0].label}


def test_content_and_path_dates() -> None:
    rows = [
        {"schema": "Person", "properties": {"notes": ["Passport X issued 03 Nov 2024 expires 2030"]}},
        {"schema": "Company", "properties": {"notes": ["Listing Date (EO 14024 Directive 2): 24 Feb 2022"]}},
        {"schema": "Company", "properties": {"notes": ["Effective Date (EO 14024 Directive 2): 24 Feb 2022"]}},
        {"schema": "Sanction", "properties": {"listingDate": ["2021-05-01"], "endDate": ["2056-01-01"]}},
        {"schema": "Person", "properties": {"birthDate": ["2023-01-01"]}},
    ]
    # One record's "issued 03 Nov 2024" is not enough; two records name 24 Feb 2022; endDate and birthDate never count.
    assert content_date(rows, today="2026-01-01") == "2022-02-24"
    assert content_date(rows[3:], today="2026-01-01") == "2021-05-01"
    assert content_date(rows[4:], today="2026-01-01") is None
    assert path_date(Path("/data/ofac_sdn/2024-05-03/sdn.csv"), "2026-01-01") == "2024-05-03"
    assert path_date(Path("/data/names_only_2022-12/list.csv"), "2026-01-01") == "2022-12"
    assert path_date(Path("/data/2030-01-01/list.csv"), "2026-01-01") is None
    assert path_date(Path("/data/lists/list.csv"), "2026-01-01") is None


# --- 5. each snapshot commits with its ledger entry, or not at all --------------------------------


def test_a_failure_between_snapshot_and_ledger_entry_commits_nothing(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = _store()
    path = data_dir / "lists/us_misc_opensanctions_repo/bis_mieu.csv"
    written: list[int] = []

    def crash(self, *args, conn=None, **kwargs):  # noqa: ANN001, ANN202
        # The snapshot and its entities are written in this transaction by now.
        written.append(conn.execute(select(snapshots_table.c.id)).all().__len__())
        raise RuntimeError("killed between the snapshot and its ledger entry")

    monkeypatch.setattr(Ledger, "append", crash)
    with pytest.raises(RuntimeError):
        import_paths(store, [path])
    assert written == [1]
    monkeypatch.undo()
    with store.connect() as conn:
        assert conn.execute(select(snapshots_table)).all() == []
        assert conn.execute(select(entities_table)).all() == []
    assert list(Ledger(store).entries()) == []
    again, _ = import_paths(store, [path])
    assert again[0].status == "imported"  # not "unchanged": nothing of the failed run was kept
    entries = list(Ledger(store).entries(kind="parties.import"))
    assert [e.outcome["snapshot"] for e in entries] == [again[0].snapshot_id]
    assert entries[0].refs["snapshot"] == again[0].label and Ledger(store).verify() == []


# --- 6. one file, one snapshot, under concurrency ---------------------------------------------------


def test_the_store_refuses_a_second_row_for_one_file(any_store: Store, data_dir: Path) -> None:
    store = any_store
    results, _ = import_paths(store, [data_dir / "lists/us_misc_opensanctions_repo/bis_mieu.csv"])
    row = list_snapshots(store)[0]
    with pytest.raises(IntegrityError), store.transaction() as conn:
        conn.execute(insert(snapshots_table).values(
            source=row["source"], sha256=row["sha256"], retrieved_at="2026-01-01", counts="{}", active=False))
    assert results[0].status == "imported"


def test_a_lost_race_reads_as_unchanged(any_store: Store, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What an import that loses the race sees: both checks found nothing, the insert hits the
    unique constraint, and the import reports the other's snapshot as unchanged."""
    store = any_store
    path = data_dir / "lists/us_misc_opensanctions_repo/bis_mieu.csv"
    first, _ = import_paths(store, [path])
    real = snapshots_module._by_digest
    calls = iter([None, None])
    monkeypatch.setattr(snapshots_module, "_by_digest", lambda *a: next(calls, "real") and real(*a))
    second, _ = import_paths(store, [path])
    assert second[0].status == "unchanged" and second[0].snapshot_id == first[0].snapshot_id
    assert len(list_snapshots(store)) == 1
    assert len(list(Ledger(store).entries(kind="parties.import"))) == 1


# Children are spawned, not forked: a fork copies whatever lock another thread of the test process holds at that moment
# (a CI run once left one child stuck before the barrier, under load).
CHILDREN = "spawn"


def _import_in_process(url: str, path: str, barrier, queue) -> None:  # noqa: ANN001
    """Import `path`, waiting after the read until the other process has read its file too."""
    from redline.parties.sources.registry import detect

    store = Store(url)
    reader = detect(Path(path))
    original = reader.read

    def read_then_wait(unit):  # noqa: ANN001, ANN202
        entities = list(original(unit))
        barrier.wait(timeout=120)  # both processes have checked the store and read the file
        return iter(entities)

    reader.read = read_then_wait
    try:
        queue.put(snapshots_module.import_unit(store, reader, Path(path), actor="test").status)
    finally:
        reader.read = original
        store.close()


def test_two_processes_importing_one_file_store_one_snapshot(any_store: Store, data_dir: Path, tmp_path: Path) -> None:
    """Both processes check the store and read the file before either writes; the second then finds
    the first's snapshot in its own transaction (SQLite's BEGIN IMMEDIATE, PostgreSQL's per-source
    advisory lock), and the unique index stands behind both (test_a_lost_race_reads_as_unchanged)."""
    store = any_store
    path = tmp_path / "bis_mieu.csv"
    path.write_bytes((data_dir / "lists/us_misc_opensanctions_repo/bis_mieu.csv").read_bytes())
    store.create_all()
    context = multiprocessing.get_context(CHILDREN)
    barrier, queue = context.Barrier(2), context.Queue()
    workers = [context.Process(target=_import_in_process, args=(store.url, str(path), barrier, queue)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=240)
    statuses = sorted(queue.get(timeout=5) for _ in workers)
    assert statuses == ["imported", "unchanged"]
    assert len(list_snapshots(store)) == 1
    assert len(list(Ledger(store).entries(kind="parties.import"))) == 1


def _store() -> Store:
    from redline.context import get_context

    return get_context().store


def test_the_upgrade_keeps_one_snapshot_of_a_file_stored_twice(tmp_path: Path) -> None:
    """A store written before revision 0004 by `import --force` holds one file twice; the upgrade
    keeps the copy in force and adds the unique index."""
    from alembic import command
    from sqlalchemy import create_engine, text

    from redline.store import schema

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(schema.alembic_config(conn), "0003")
        insert = text(
            "INSERT INTO party_snapshots (id, source, retrieved_at, sha256, counts, active) "
            "VALUES (:id, 'bis_mieu', '2026-01-01T00:00:00', :sha, '{}', :active)"
        )
        conn.execute(insert, {"id": 1, "sha": "a" * 64, "active": False})
        conn.execute(insert, {"id": 2, "sha": "a" * 64, "active": True})
        for snapshot_id in (1, 2):
            conn.execute(text(
                "INSERT INTO party_entities (snapshot_id, entity_id, schema, caption, data) "
                "VALUES (:s, 'e1', 'Company', 'Example', '{}')"
            ), {"s": snapshot_id})
    engine.dispose()
    fresh = Store(url)
    assert schema.upgrade(fresh)["from"] == "0003"
    with fresh.connect() as conn:
        assert [row.id for row in conn.execute(select(snapshots_table.c.id))] == [2]
        assert {row.snapshot_id for row in conn.execute(select(entities_table.c.snapshot_id))} == {2}
    with pytest.raises(IntegrityError), fresh.transaction() as conn:
        conn.execute(text("INSERT INTO party_snapshots (source, retrieved_at, sha256, counts, active) "
                          "SELECT source, retrieved_at, sha256, counts, 0 FROM party_snapshots"))
    fresh.close()


def _import_then_die(url: str, first: str, second: str) -> None:
    import os
    import signal

    store = Store(url)
    import_paths(store, [Path(first)], actor="test")

    def die(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        os.kill(os.getpid(), signal.SIGKILL)  # the snapshot and its entities are written, uncommitted

    Ledger._write = staticmethod(die)  # type: ignore[method-assign]
    import_paths(store, [Path(second)], actor="test")


def test_a_process_killed_mid_import_leaves_no_snapshot_without_its_entry(store: Store, data_dir: Path) -> None:
    folder = data_dir / "lists/us_misc_opensanctions_repo"
    store.create_all()
    worker = multiprocessing.get_context(CHILDREN).Process(
        target=_import_then_die, args=(store.url, str(folder / "bis_mieu.csv"), str(folder / "ndaa_section_889.csv")))
    worker.start()
    worker.join(timeout=240)
    assert worker.exitcode == -9
    snaps = list_snapshots(store)
    entries = list(Ledger(store).entries(kind="parties.import"))
    assert [s["source"] for s in snaps] == ["us_bis_mieu"]
    assert [e.outcome["snapshot"] for e in entries] == [snaps[0]["id"]] and Ledger(store).verify() == []
    again, _ = import_paths(store, [folder / "ndaa_section_889.csv"])
    assert again[0].status == "imported"


def test_two_files_of_one_source_imported_at_once_leave_one_in_force(any_store: Store, data_dir: Path, tmp_path: Path) -> None:
    store = any_store
    lines = (data_dir / "lists/us_misc_opensanctions_repo/bis_mieu.csv").read_bytes().splitlines(keepends=True)
    paths = []
    for name, kept in (("a", lines), ("b", lines[:-1])):
        (tmp_path / name).mkdir()
        paths.append(tmp_path / name / "bis_mieu.csv")
        paths[-1].write_bytes(b"".join(kept))
    store.create_all()
    context = multiprocessing.get_context(CHILDREN)
    barrier, queue = context.Barrier(2), context.Queue()
    workers = [context.Process(target=_import_in_process, args=(store.url, str(path), barrier, queue)) for path in paths]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=240)
    assert sorted(queue.get(timeout=5) for _ in workers) == ["imported", "imported"]
    snaps = list_snapshots(store)
    assert len(snaps) == 2 and sum(s["active"] for s in snaps) == 1
    assert len(list(Ledger(store).entries(kind="parties.import"))) == 2


def test_a_forced_reread_that_loses_most_entities_is_held(store: Store, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--force re-reads a file into its own snapshot; if the reader now finds far fewer entities
    (a reader bug, a changed format) the snapshot in force is not emptied without confirmation."""
    path = tmp_path / "bis_mieu.csv"
    path.write_bytes((data_dir / "lists/us_misc_opensanctions_repo/bis_mieu.csv").read_bytes())
    first, _ = import_paths(store, [path])
    (reader, _unit), = list(discover(path))
    original = type(reader).read
    monkeypatch.setattr(type(reader), "read", lambda self, unit: iter(list(original(self, unit))[:10]))
    held, _ = import_paths(store, [path], force=True)
    assert held[0].status == "held" and held[0].shrink["previous_snapshot"] == first[0].label
    assert list_snapshots(store)[0]["counts"] == first[0].counts
    accepted, _ = import_paths(store, [path], force=True, accept_shrink=True)
    assert accepted[0].status == "reimported" and sum(list_snapshots(store)[0]["counts"].values()) == 10

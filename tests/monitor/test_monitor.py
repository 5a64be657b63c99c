"""Customer books and delta monitoring, on the real UN snapshots (2024-11-30, then 2026-02-27)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.cli import app
from redline.context import Context, get_context, reset_context
from redline.monitor.books import BookError, import_book, list_books, show_book

runner = CliRunner()

HEADER = "id,name,schema,country,birth_date,identifiers,segment\n"
QUIET = [
    "c1,Northwind Traders Ltd,Company,gb,,,retail",
    "c2,Maria Gonzalez Lopez,Person,es,1980-04-02,,private",
    "c6,Blue Harbor Shipping Co,Company,sg,,IMO 9999999,corporate",
]
LISTED_IN_BOTH = "c7,Abdul Ghani Baradar,Person,af,,,private"  # UN TAi.024, unchanged between the snapshots
NEWLY_LISTED = [  # added by the 2026 snapshot
    "c3,Fereidoun Abbasi-Davani,Person,,,,private",
    "c4,Amin Industrial Complex,Organization,ir,,,corporate",
    "c5,Kempes Sanon,Person,ht,,,private",
]
DELISTED = "c8,Lionel Dumont,Person,,,,private"  # UN QDi.095, gone from the 2026 snapshot
NEW_ALIAS = "c9,Bashar Al-Nasiri,Person,,,,private"  # an alias UN IQi.085 gained in 2026


def _cli(*args: str) -> dict | list:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _said(result) -> str:  # type: ignore[no-untyped-def]
    return " ".join(result.output.split())  # Rich folds long lines


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_import_updates_by_id_and_reports_added_changed_removed(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.csv", QUIET + NEWLY_LISTED)
    result = _cli("parties", "book", "import", str(first), "--book", "retail")
    assert (result["rows"], result["added"], result["changed"], result["removed"]) == (6, 6, 0, 0)
    second = _write(tmp_path / "b.csv", [QUIET[0], QUIET[1].replace("private", "premier"), QUIET[2]] + NEWLY_LISTED[:2] + [LISTED_IN_BOTH])
    result = _cli("parties", "book", "import", str(second), "--book", "retail")
    assert (result["added"], result["changed"], result["removed"], result["unchanged"]) == (1, 1, 1, 4)
    shown = _cli("parties", "book", "show", "retail")
    assert shown["rows"] == 6
    rows = {r["id"]: r for r in shown["sample"]}
    assert rows["c2"]["attributes"] == {"segment": "premier"} and rows["c2"]["birth_date"] == "1980-04-02"
    assert rows["c6"]["identifiers"] == ["IMO 9999999"] and rows["c6"]["country"] == "sg"
    assert "c5" not in rows
    assert [b["book"] for b in _cli("parties", "book", "list")] == ["retail"]


def test_export_then_import_as_parquet_keeps_every_row(tmp_path: Path) -> None:
    _cli("parties", "book", "import", str(_write(tmp_path / "a.csv", QUIET + NEWLY_LISTED)), "--book", "retail")
    out = tmp_path / "retail.parquet"
    assert _cli("parties", "book", "export", "retail", "-o", str(out))["rows"] == 6
    result = _cli("parties", "book", "import", str(out), "--book", "copy")
    assert (result["rows"], result["added"]) == (6, 6)
    again = _cli("parties", "book", "import", str(out), "--book", "retail")
    assert (again["unchanged"], again["changed"]) == (6, 0)  # the round trip changed nothing


def test_a_bad_book_file_is_refused_with_its_line_and_nothing_is_imported(tmp_path: Path) -> None:
    bad = _write(tmp_path / "bad.csv", QUIET + ["c9,,Person,,,,x"])
    result = runner.invoke(app, ["parties", "book", "import", str(bad), "--book", "retail"])
    assert result.exit_code == 2 and f"{bad}:5: name: is empty" in _said(result)
    assert "Traceback" not in result.output
    (tmp_path / "noname.csv").write_text("id,label\n1,x\n", encoding="utf-8")
    result = runner.invoke(app, ["parties", "book", "import", str(tmp_path / "noname.csv"), "--book", "retail"])
    assert result.exit_code == 2 and "no name column" in _said(result)
    twice = _write(tmp_path / "twice.csv", QUIET + [QUIET[0]])
    result = runner.invoke(app, ["parties", "book", "import", str(twice), "--book", "retail"])
    assert result.exit_code == 2 and f"{twice}:5: id: 'c1' appears twice" in _said(result)
    assert _cli("parties", "book", "list") == []
    result = runner.invoke(app, ["monitor", "run", "--book", "nope"])
    assert result.exit_code == 2 and "--book" in _said(result)


def test_a_bad_parquet_row_is_named_by_its_row_number(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "book.parquet"
    pq.write_table(pa.table({"id": ["a", "b"], "name": ["Northwind Traders Ltd", " "], "score": [1, 2]}), path)
    result = runner.invoke(app, ["parties", "book", "import", str(path), "--book", "retail"])
    assert result.exit_code == 2 and f"{path}: row 2: name: is empty" in _said(result)
    pq.write_table(pa.table({"id": ["a"], "name": ["Northwind Traders Ltd"], "score": [1]}), path)
    assert _cli("parties", "book", "import", str(path), "--book", "retail")["added"] == 1
    assert _cli("parties", "book", "show", "retail")["sample"][0]["attributes"] == {"score": 1}


def test_books_belong_to_the_contexts_organisation(tmp_path: Path) -> None:
    ctx = get_context()
    path = _write(tmp_path / "a.csv", QUIET)
    import_book(ctx.acting_as("ann", "acme"), path, "retail")
    import_book(ctx.acting_as("bob", "globex"), path, "retail")  # the same name in another organisation
    assert [b["rows"] for b in list_books(ctx.acting_as("ann", "acme"))] == [3]
    assert list_books(ctx) == []
    with pytest.raises(LookupError):
        show_book(ctx.acting_as("eve", "initech"), "retail")
    with pytest.raises(BookError):
        import_book(ctx, path, " ")


def test_delta_runs_on_the_real_un_snapshots(tmp_path: Path, data_dir: Path) -> None:
    un = data_dir / "lists" / "un_sc"
    _cli("parties", "import", str(un / "2024-11-30"))
    book = _write(tmp_path / "book.csv", QUIET + NEWLY_LISTED + [LISTED_IN_BOTH, DELISTED, NEW_ALIAS])
    _cli("parties", "book", "import", str(book), "--book", "retail")

    first = _cli("monitor", "run", "--book", "retail")
    assert first["books"][0]["first_run"] and first["books"][0]["rows_screened_whole"] == 9
    assert {(a["book_id"], a["hit_id"], a["reason"]) for a in first["alerts"]} == {
        ("c7", "un-sc-TAi.024", "new_listing"), ("c8", "un-sc-QDi.095", "new_listing")}
    assert all(a["snapshot"] == "un_sc@2024-11-30#1" for a in first["alerts"])

    _cli("parties", "import", str(un / "2026-02-27"))
    second = _cli("monitor", "run", "--book", "retail")
    run = second["books"][0]
    assert not run["first_run"] and run["rows_screened_whole"] == 0
    assert run["listings"]["added"] >= 100 and run["rows_screened_for_delta"] < 9  # only rows near the delta
    found = {(a["book_id"], a["hit_id"], a["reason"]) for a in second["alerts"]}
    assert found == {
        ("c3", "un-sc-IRi.001", "new_listing"), ("c4", "un-sc-IRe.003", "new_listing"), ("c5", "un-sc-HTi.009", "new_listing"),
        ("c8", "un-sc-QDi.095", "delisted"), ("c9", "un-sc-IQi.085", "changed_listing"),
    }
    new = [a for a in second["alerts"] if a["reason"] != "delisted"]
    assert all(a["snapshot"] == "un_sc@2026-02-27#2" and a["score"] >= 0.75 and a["review_item"] for a in new)

    # The delta alerts are the ones a full re-screen of the book against the new lists gives.
    full = _cli("parties", "book", "import", str(book), "--book", "fresh")
    assert full["added"] == 9
    fresh = _cli("monitor", "run", "--book", "fresh")
    assert {(a["book_id"], a["hit_id"]) for a in fresh["alerts"]} >= {(b, h) for b, h, r in found if r != "delisted"}

    assert _cli("monitor", "run", "--book", "retail")["alerts"] == []  # nothing is raised twice
    ledger = _cli("ledger", "show", "--limit", "100")
    kinds = [e["kind"] for e in (ledger["entries"] if isinstance(ledger, dict) else ledger)]
    assert kinds.count("monitor.alert") == 2 + 5 + len(fresh["alerts"]) and "monitor.run" in kinds

    # A renamed customer is screened again on the next run, and only it.
    renamed = _write(tmp_path / "renamed.csv", [QUIET[0].replace("Northwind Traders Ltd,Company,gb", "Azim Aghajani,Person,")] + QUIET[1:]
                     + NEWLY_LISTED + [LISTED_IN_BOTH, DELISTED, NEW_ALIAS])
    assert _cli("parties", "book", "import", str(renamed), "--book", "retail")["changed"] == 1
    third = _cli("monitor", "run", "--book", "retail")
    assert third["books"][0]["rows_screened_whole"] == 1
    assert [(a["book_id"], a["hit_id"], a["reason"]) for a in third["alerts"]] == [("c1", "un-sc-IRi.003", "new_listing")]
    reset_context()
    assert isinstance(get_context(), Context)


def test_books_and_runs_on_both_backends_with_a_cleared_alert_not_raised_again(db_url: str, tmp_path: Path) -> None:
    from redline.parties.snapshots import import_paths
    from redline.review import core

    fixtures = Path(__file__).resolve().parent.parent / "fixtures" / "lists"
    ctx = get_context().acting_as("ann", "acme")
    results, _ = import_paths(ctx.store, [fixtures / "uk_fcdo"])
    assert results and results[0].status == "imported"
    path = _write(tmp_path / "a.csv", QUIET + ["u1,Beijing Testsec Surveillance Technology Co Ltd,Company,,,,corporate"])
    assert import_book(ctx, path, "corp")["added"] == 4
    assert import_book(ctx, path, "corp")["unchanged"] == 4
    from redline.monitor.delta import run

    alerts = run(ctx, "corp")["alerts"]
    assert [(a["book_id"], a["reason"]) for a in alerts] == [("u1", "new_listing")]
    core.decide(ctx.store, ctx.ledger, item_id=alerts[0]["review_item"], decision="cleared", reason="another firm",
                actor="ann", role="analyst", org="acme", snapshots=run(ctx, "corp")["snapshots"])
    assert core.get_item(ctx.store, "acme", alerts[0]["review_item"])["status"] == "cleared"
    path.write_text(path.read_text().replace("corporate", "key account"), encoding="utf-8")
    assert import_book(ctx, path, "corp")["changed"] == 2
    assert run(ctx, "corp")["alerts"] == []  # attributes changed, not the listing: nothing raised again
    assert list_books(ctx)[0]["alerts"] == 1

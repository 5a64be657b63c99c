from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from redline.cli import app
from redline.ledger import Ledger
from redline.parties.snapshots import diff, import_paths, list_snapshots
from redline.parties.sources.registry import detect
from redline.store import Store

runner = CliRunner()


def test_import_is_a_versioned_snapshot_and_reimport_is_unchanged(store: Store, data_dir: Path) -> None:
    path = data_dir / "lists/us_misc_opensanctions_repo/bis_mieu.csv"
    results, _ = import_paths(store, [path])
    assert results[0].status == "imported" and results[0].counts["Organization"] == 13
    snap = list_snapshots(store)[0]
    assert snap["source"] == "us_bis_mieu" and len(snap["sha256"]) == 64 and snap["active"]
    again, _ = import_paths(store, [path])
    assert again[0].status == "unchanged"
    assert len(list_snapshots(store)) == 1


def test_truncated_file_is_refused_and_previous_snapshot_stays(store: Store, data_dir: Path, tmp_path: Path) -> None:
    good = data_dir / "lists/us_dod_1260h/dod_chinese_military_companies_1260h.csv"
    work = tmp_path / "dod_chinese_military_companies_1260h.csv"
    shutil.copy(good, work)
    first, _ = import_paths(store, [work])
    assert first[0].status == "imported"
    data = good.read_bytes()
    cut = data.index(b'"', len(data) // 2)  # inside a quoted field
    work.write_bytes(data[: cut + 5])
    reader = detect(work)
    second, _ = import_paths(store, [work])
    assert second[0].status == "refused"
    assert str(work) in second[0].error and ":" in second[0].error
    snaps = list_snapshots(store)
    assert len(snaps) == 1 and snaps[0]["active"] and snaps[0]["source"] == reader.info.name


def test_un_snapshots_diff(store: Store, data_dir: Path) -> None:
    import_paths(store, [data_dir / "lists/un_sc/2024-11-30", data_dir / "lists/un_sc/2026-02-27"])
    snaps = list_snapshots(store, active_only=False)
    assert [s["active"] for s in snaps] == [False, True]  # the later data date is in force
    d = diff(store, "un_sc")
    assert d["old"].startswith("un_sc@2024") and d["new"].startswith("un_sc@2026")
    assert d["added"] and d["removed"] and d["changed"]
    assert len(d["added"]) < 300 and len(d["removed"]) < 300


def test_cli_import_status_screen_and_ledger(data_dir: Path, tmp_path: Path) -> None:
    lists = data_dir / "lists"
    result = runner.invoke(app, ["parties", "import", str(lists / "us_misc_opensanctions_repo"), "--json"])
    assert result.exit_code == 0, result.output
    assert {r["source"] for r in json.loads(result.output)["results"]} >= {"us_ndaa_889", "us_fcc_covered"}
    status = json.loads(runner.invoke(app, ["parties", "status", "--json"]).output)
    assert {s["source"] for s in status} >= {"us_ndaa_889", "cn_mfa"}
    out = runner.invoke(app, ["parties", "screen", "Hangzhou Hikvision Digital Technology Co Ltd", "--json"])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.output)
    assert payload["query"]["name"].startswith("Hangzhou")
    best = payload["results"][0]
    assert best["match"] and {"US-NDAA-889", "US-FCC-COVERED"} <= {l["program_id"] for l in best["lists"]}
    assert all(l["snapshot"] for l in best["lists"])
    from redline.context import get_context

    kinds = [e.kind for e in Ledger(get_context().store).entries()]
    assert "parties.screen" in kinds and "parties.import" in kinds


def test_cli_screen_without_lists_is_a_clear_error() -> None:
    result = runner.invoke(app, ["parties", "screen", "Anything"])
    assert result.exit_code != 0
    assert "no lists are loaded" in result.output


def test_screen_file_streams_in_order_and_resumes(data_dir: Path, tmp_path: Path) -> None:
    runner.invoke(app, ["parties", "import", str(data_dir / "lists/us_misc_opensanctions_repo")])
    src = tmp_path / "in.csv"
    names = ["Hikvision", "Nobody Particular Ltd", "ZTE Corporation", "Dahua Technology Company", "Plain Bakery"]
    src.write_text("id,name,country\n" + "".join(f"{i},{n},CN\n" for i, n in enumerate(names)), encoding="utf-8")
    out = tmp_path / "out.csv"
    # An interrupted earlier run: the header, two rows and half a row.
    first = runner.invoke(app, ["parties", "screen-file", str(src), "-o", str(out), "--json"])
    assert first.exit_code == 0, first.output
    full = out.read_text(encoding="utf-8").splitlines()
    out.write_text("\n".join(full[:3]) + "\n" + full[3][:10], encoding="utf-8")
    second = runner.invoke(app, ["parties", "screen-file", str(src), "-o", str(out), "--json"])
    assert json.loads(second.output)["resumed"] == 2
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows == full
    assert rows[0].split(",")[:3] == ["id", "name", "country"] and "hit_caption" in rows[0]
    assert [r.split(",")[0] for r in rows[1:]] == ["0", "1", "2", "3", "4"]
    assert ",true," in rows[3] and ",false," in rows[2]
    shown = runner.invoke(app, ["parties", "screen-file", str(src), "-o", str(out), "--show", "5"])
    assert shown.exit_code == 0, shown.output
    assert "MATCH" in shown.output and "ZTE" in shown.output and "explanation" in shown.output


def test_compare_pairs_in_order(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("left,right,schema\nZhejiang Dahua Technology Co Ltd,Dahua Technology,\nKANSO GROUP,NSO Group,\nSergey Lavrov,Сергей Лавров,Person\n", encoding="utf-8")
    result = runner.invoke(app, ["parties", "compare", "--pairs", str(pairs), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["match"] for r in rows] == [True, False, True]
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\nx,y\n", encoding="utf-8")
    result = runner.invoke(app, ["parties", "compare", "--pairs", str(bad)])
    assert result.exit_code != 0 and "left" in result.output


def test_export_loads_unchanged_into_another_redline(data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    from redline.context import reset_context

    runner.invoke(app, ["parties", "import", str(data_dir / "lists/us_misc_opensanctions_repo")])
    out = tmp_path / "lists.ftm.json"
    exported = runner.invoke(app, ["parties", "export", "-o", str(out), "--json"])
    assert exported.exit_code == 0, exported.output
    count = json.loads(exported.output)["entities"]
    assert count > 0 and len(out.read_text(encoding="utf-8").splitlines()) == count
    before = json.loads(runner.invoke(app, ["parties", "screen", "Hikvision", "--json"]).output)["results"][0]["caption"]

    monkeypatch.setenv("REDLINE_HOME", str(tmp_path / "other"))
    reset_context()
    imported = runner.invoke(app, ["parties", "import", str(out), "--json"])
    assert imported.exit_code == 0, imported.output
    assert sum(json.loads(imported.output)["results"][0]["counts"].values()) == count
    after = json.loads(runner.invoke(app, ["parties", "screen", "Hikvision", "--json"]).output)["results"][0]["caption"]
    assert after == before
    nothing = runner.invoke(app, ["parties", "export", "-o", str(tmp_path / "x.json"), "--source", "no_such"])
    assert nothing.exit_code != 0 and "nothing to export" in nothing.output

"""screen-file and compare against broken, mis-encoded and adversarial CSV files: read what can
be read (BOMs, UTF-16, cp1252), refuse the rest with the file and line, never write formulas."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile_helpers import invoke, ledger_state, payload, refused
from redline.csvio import FORMULA_STARTS, PLAIN_NUMBER, SKIPPED_LEAD, neutralise

NAMES = ["Hikvision", "Société Générale Trading", "Plain Bakery"]


def screen_file(src: Path, out: Path, *extra: str):
    return invoke("parties", "screen-file", str(src), "-o", str(out), "--json", *extra)


def out_rows(out: Path) -> list[dict[str, str]]:
    with out.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"],
)
def test_common_encodings_are_detected_and_read(loaded: Path, tmp_path: Path, encoding: str) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    text = "id,name\n" + "".join(f"{i},{n}\n" for i, n in enumerate(NAMES))
    src.write_bytes(text.encode(encoding))
    result = screen_file(src, out)
    assert result.exit_code == 0, result.output
    assert [r["name"] for r in out_rows(out)] == NAMES
    assert out_rows(out)[0]["match"] == "true"


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", 3, "binary"),
        (b"id,name\n1,Acme\n2,Beta\x00Corp\n", 3, "binary"),
        (b"id,name\n1,Acme\n2,\x81\x8d\x8f\x90\x9d\n", 3, "UTF-8"),  # neither UTF-8 nor cp1252
        (b"", 1, "header"),
        (b"\n\n", 1, "header"),
        (b"id,label\n1,Acme\n", 1, "'name'"),
        (b"name,name\nAcme,Beta\n", 1, "more than once"),
        (b"id,name\n1,Acme\n2,Beta,extra\n", 3, "values"),
        (b'id,name\n1,Acme\n2,"Beta\n3,Gamma\n4,Delta\n', 3, "quote"),  # runs to the end of the file
        (b'id,name\n1,"Acme\n' + b"".join(b"%d,Row %d\n" % (i, i) for i in range(40)) + b'9,Zeta"\n', 2, "quote"),
        (b'id,name\n1,"Acme" Ltd,\n', 2, "expected"),
    ],
)
def test_broken_files_are_refused_with_file_and_line_and_nothing_written(
    loaded: Path, tmp_path: Path, content: bytes, line: int, words: str
) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_bytes(content)
    before = ledger_state()
    message = refused(screen_file(src, out), words)
    assert f"in.csv:{line}" in message.replace("\n", ""), message
    assert not out.exists()
    assert ledger_state() == before


def test_rows_that_cannot_be_read_are_reported_with_their_line_not_misread(loaded: Path, tmp_path: Path) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text(
        "id,name,country,birth_date\n"
        "a,Hikvision,China,\n"
        "b,Ivanov Sergey,,19xx\n"
        "c,   ,,\n"
        "d,Hikvision,ZZZ,\n"
        "e,Ivanov Sergey,,12/05/1958\n"
        "f,Ivanov Sergey,,12.05.1958\n",
        encoding="utf-8",
    )
    summary = payload(screen_file(src, out))
    rows = out_rows(out)
    assert [r["id"] for r in rows] == list("abcdef")
    assert summary["errors"] == 4 and summary["rows"] == 6
    errors = {r["id"]: r["error"] for r in rows}
    assert errors["a"] == "" and rows[0]["match"] == "true"
    assert errors["b"].startswith("line 3:") and "birth_date" in errors["b"]
    assert errors["c"].startswith("line 4:") and "name" in errors["c"]
    assert errors["d"].startswith("line 5:") and "country" in errors["d"]
    assert errors["e"].startswith("line 6:") and "date-order" in errors["e"]
    assert errors["f"] == ""
    assert all(r["match"] == "" for r in rows if r["error"])
    # Told how to read 12/05/1958, the same file has one error fewer.
    out.unlink()
    assert payload(screen_file(src, out, "--date-order", "dmy"))["errors"] == 3


def test_an_oversized_name_is_a_row_error_not_a_screening(loaded: Path, tmp_path: Path) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_bytes(b"id,name\n1,Hikvision\n2," + b"A" * 300_000 + b"\n")
    summary = payload(screen_file(src, out))
    assert summary["rows"] == 2 and summary["errors"] == 1
    assert summary["row_errors"][0].startswith("line 3: name")
    assert out.stat().st_size < 400_000  # the row is written back once, not screened


FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(1+1)", "-2+3+cmd|' /C calc'!A0", "@HYPERLINK(\"http://x\")", "\t=1+1", ' "=1+1', "＝1+1"]


def test_formula_names_are_neutralised_in_screen_file_and_compare_output(loaded: Path, tmp_path: Path) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    with src.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "note"])
        for i, name in enumerate(FORMULAS):
            writer.writerow([f"=ID{i}", f"{name} Hikvision", name])
    assert screen_file(src, out).exit_code == 0
    for row in out_rows(out):
        for cell in row.values():
            assert not _evaluated(cell), cell
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("left,right\n=1+1 Acme,@SUM(A1) Acme\n", encoding="utf-8")
    printed = invoke("parties", "compare", "--pairs", str(pairs))
    assert printed.exit_code == 0, printed.output
    for row in csv.reader(printed.output.splitlines()):
        assert not any(_evaluated(cell) for cell in row), row


def test_infra_report_csv_is_neutralised() -> None:
    from redline.infra.report import report_csv

    row = {"provider": "=HYPERLINK(\"x\")", "company": "@evil", "country": "+1", "serves": [
        {"party": "-2+3", "id": "x", "lists": "=1", "domains": ["a.example"], "services": ["dns"]}], "embeds_only": []}
    for cells in csv.reader(report_csv([row]).splitlines()[1:]):
        assert not any(_evaluated(cell) for cell in cells), cells


def _evaluated(cell: str) -> bool:
    """Would a spreadsheet take this cell for a formula?"""
    if not cell or cell[0] == "'" or PLAIN_NUMBER.fullmatch(cell):
        return False
    return cell[0] in FORMULA_STARTS or cell.lstrip(SKIPPED_LEAD)[:1] in FORMULA_STARTS


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=30))
def test_no_cell_comes_out_a_formula(text: str) -> None:
    cell = neutralise(text)
    if cell != text:
        assert cell == "'" + text
    elif text:
        formula = text[0] in FORMULA_STARTS or text.lstrip(SKIPPED_LEAD)[:1] in FORMULA_STARTS
        assert not formula or PLAIN_NUMBER.fullmatch(text), text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_screened_or_refused_cleanly(loaded: Path, tmp_path: Path, data: bytes) -> None:
    src, out = tmp_path / "fuzz.csv", tmp_path / "fuzz.out.csv"
    out.unlink(missing_ok=True)
    src.write_bytes(b"id,name\n" + data)
    result = screen_file(src, out)
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert "fuzz.csv:" in result.output.replace("\n", "")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\x00\x01\x02binary", "binary"),
        (b"a,b\nx,y\n", "'left' and 'right'"),
        (b"left,right\nAcme,\n", "right"),
        (b"left,right,schema\nAcme,Acme,Spaceship\n", "schema"),
        (b'left,right\n"Acme,Beta\n', "quote"),
    ],
)
def test_compare_refuses_broken_pair_files_with_file_and_line(tmp_path: Path, content: bytes, words: str) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_bytes(content)
    message = refused(invoke("parties", "compare", "--pairs", str(pairs)), words)
    assert "pairs.csv:" in message.replace("\n", "")


def test_screen_file_refuses_bad_outputs_and_a_corrupt_resume(loaded: Path, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,name\n1,Hikvision\n", encoding="utf-8")
    refused(screen_file(src, src), "--output")
    refused(screen_file(src, tmp_path / "missing" / "out.csv"), "missing")
    refused(invoke("parties", "screen-file", str(src), "-o", str(tmp_path / "o.csv"), "--show", "-1"), "--show")
    refused(invoke("parties", "screen-file", str(tmp_path / "nowhere.csv"), "-o", str(tmp_path / "o.csv")), "nowhere.csv")
    corrupt = tmp_path / "corrupt.csv"
    corrupt.write_bytes(b'id,name,match\n"1,Hikvision\n' + b"x\n" * 30)
    refused(screen_file(src, corrupt), "--no-resume")
    assert screen_file(src, corrupt, "--no-resume").exit_code == 0
    older = tmp_path / "older.csv"  # written by a Redline without the error column: left as it is
    older.write_bytes(b"id,name,match,score,hit_id,hit_caption,hit_lists,explanation\n1,Hikvision,tr")
    refused(screen_file(src, older), "--no-resume")
    assert older.read_bytes().endswith(b",tr")


def test_unwritable_or_unreadable_paths_are_named(loaded: Path, tmp_path: Path) -> None:
    refused(invoke("parties", "export", "-o", str(tmp_path / "missing" / "x.json")), "--output")
    refused(invoke("parties", "compare", "--pairs", str(tmp_path)), "not a file")
    refused(invoke("parties", "screen-file", str(tmp_path), "-o", str(tmp_path / "o.csv")), "not a file")


def test_ledger_arguments_are_checked(tmp_path: Path) -> None:
    refused(invoke("ledger", "show", "--limit", "0"), "--limit")
    refused(invoke("ledger", "export", "-o", str(tmp_path / "missing" / "l.jsonl")), "--output")

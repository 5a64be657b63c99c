"""List files in other encodings are read, and named files no reader recognises are refused
(exit 1, the file and the reason named, nothing stored, no traceback)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.cli import app
from redline.parties.snapshots import import_paths, list_snapshots
from redline.parties.sources.common import TextEncodingError, detect_text_encoding, sniff_csv_header
from redline.parties.sources.registry import discover
from redline.store import Store

runner = CliRunner()


def _import_json(*paths: Path) -> tuple[int, dict]:
    result = runner.invoke(app, ["parties", "import", *map(str, paths), "--json"])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("bis_mieu.csv", "utf-16"), ("bis_mieu.csv", "utf-32"), ("bis_mieu.csv", "utf-8-sig"), ("cn_mfa_countersanctions.csv", "gb18030")],
)
def test_other_encodings_read_like_utf8(store: Store, data_dir: Path, tmp_path: Path, name: str, encoding: str) -> None:
    original = data_dir / "lists/us_misc_opensanctions_repo" / name
    converted = tmp_path / encoding / name
    converted.parent.mkdir()
    text = original.read_text(encoding="utf-8-sig")
    if encoding == "gb18030":
        text = "".join(char for char in text if _in_gb18030(char))
        (tmp_path / "utf8").mkdir()
        original = tmp_path / "utf8" / name
        original.write_text(text, encoding="utf-8")
    converted.write_bytes(text.encode(encoding))
    reference = list(discover(original))[0][0].read(original)
    expected = sorted((e.id, sorted(e.get("name", quiet=True))) for e in reference)
    (reader, path), = list(discover(converted))
    assert sorted((e.id, sorted(e.get("name", quiet=True))) for e in reader.read(path)) == expected
    results, _ = import_paths(store, [converted])
    assert results[0].status == "imported"


def _in_gb18030(char: str) -> bool:
    return bool(char.encode("gb18030", errors="ignore"))


def test_cp1252_with_accents_reads(tmp_path: Path, data_dir: Path) -> None:
    original = data_dir / "lists/us_misc_opensanctions_repo/bis_mieu.csv"
    header = original.read_text(encoding="utf-8-sig").splitlines()[0]
    rows = original.read_text(encoding="utf-8-sig").splitlines()[1:4]
    cells = rows[0].split(",")
    cells[1] = "Société Générale d'Études Müller"  # the Name column
    text = "\n".join([header, *rows, ",".join(cells)]) + "\n"
    path = tmp_path / "bis_mieu.csv"
    path.write_bytes(text.encode("cp1252"))
    assert detect_text_encoding(path)[0] == "cp1252"
    (reader, _), = list(discover(path))
    names = {name for entity in reader.read(path) for name in entity.get("name", quiet=True)}
    assert any("Société Générale d'Études Müller" in name for name in names)


def test_a_character_split_at_byte_4096_does_not_hide_a_valid_file(tmp_path: Path, data_dir: Path) -> None:
    original = (data_dir / "lists/us_misc_opensanctions_repo/bis_mieu.csv").read_bytes()
    header, _, body = original.partition(b"\n")
    first = body.split(b"\n")[0]
    # Pad the first row's name so that a two-byte "é" spans bytes 4095 and 4096.
    pad = 4095 - len(header) - 1 - 1
    name_start = first.index(b",")
    row = b'"' + b"A" * (pad - 0) + "é".encode() + b'"' + first[name_start:]
    data = header + b"\n" + row + b"\n" + body
    assert data[4095:4097] == "é".encode()
    path = tmp_path / "bis_mieu.csv"
    path.write_bytes(data)
    with pytest.raises(UnicodeDecodeError):
        data[:4096].decode("utf-8")  # what a fixed strict prefix decode met
    assert sniff_csv_header(path) is not None
    assert [reader.info.name for reader, _ in discover(path)] == ["us_bis_mieu"]


def _truncated_zip(data_dir: Path, tmp_path: Path) -> Path:
    whole = (data_dir / "lists/ofac_non_sdn/2025-01-14_enhanced_xml/CONS_ENHANCED.ZIP").read_bytes()
    path = tmp_path / "CONS_ENHANCED.ZIP"
    path.write_bytes(whole[: len(whole) // 2])
    return path


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("list.csv", "Name,Type\nAcme,Company\n".encode("utf-16-le"), "UTF-16 (little-endian) text without a byte-order mark"),
        ("list.csv", ("名称,类型\n" + "华为,公司\n" * 20).encode("gb18030"), "text (GB18030) in a format no reader recognises"),
        ("list.csv", ("Name\n" + "ソニー株式会社\n" * 20).encode("shift_jis"), "encoding Redline does not read"),
        ("list.csv", b"", "empty file"),
        ("list.bin", bytes(range(256)) * 8, "binary data"),
        ("list.csv", "Name,Type\nAcme,Company\n".encode("utf-16"), "text (UTF-16 (little-endian, with BOM)) in a format no reader recognises"),
        ("README.md", b"# a list?\n", "text (UTF-8) in a format no reader recognises"),
    ],
)
def test_a_named_file_no_reader_recognises_is_refused(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, payload = _import_json(path)
    assert code == 1
    (result,) = payload["results"]
    assert result["status"] == "refused" and str(path) in result["error"] and reason in result["error"], result["error"]
    text = runner.invoke(app, ["parties", "import", str(path)])
    assert text.exit_code == 1 and "refused" in text.output and "Traceback" not in text.output
    assert json.loads(runner.invoke(app, ["parties", "status", "--all", "--json"]).stdout) == []


def test_a_truncated_zip_is_refused(data_dir: Path, tmp_path: Path) -> None:
    path = _truncated_zip(data_dir, tmp_path)
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(path)
    code, payload = _import_json(path)
    assert code == 1 and "truncated or corrupt ZIP" in payload["results"][0]["error"]


def test_in_a_folder_unknown_files_are_skipped_not_fatal(store: Store, data_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "bis_mieu.csv").write_bytes((data_dir / "lists/us_misc_opensanctions_repo/bis_mieu.csv").read_bytes())
    (tmp_path / "notes.csv").write_bytes("x\n".encode("utf-16-le"))
    results, skipped = import_paths(store, [tmp_path])
    assert [r.status for r in results] == ["imported"]
    assert skipped == [{"path": str(tmp_path / "notes.csv"), "reason": "UTF-16 (little-endian) text without a byte-order mark; save it as UTF-8 or with a BOM; no reader recognises it"}]
    assert len(list_snapshots(store)) == 1


def test_a_bad_byte_later_in_a_utf8_file_is_refused_at_its_line(store: Store, data_dir: Path, tmp_path: Path) -> None:
    lines = (data_dir / "lists/us_misc_opensanctions_repo/bis_mieu.csv").read_bytes().split(b"\n")
    for number in (1, 2, 3):
        cells = lines[number].split(b",")
        lines[number] = b",".join([cells[0], cells[1] + " Société".encode(), *cells[2:]])  # real UTF-8 text in names
    cells = lines[5].split(b",")
    lines[5] = b",".join([cells[0], cells[1] + b"\xff", *cells[2:]])  # and one stray byte
    path = tmp_path / "bis_mieu.csv"
    path.write_bytes(b"\n".join(lines))
    results, _ = import_paths(store, [path])
    assert results[0].status == "refused" and "line 6: not valid UTF-8" in results[0].error and str(path) in results[0].error
    assert list_snapshots(store) == []


def test_encoding_errors_name_what_the_file_is(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xff\xfe\x00\x00" + "abc".encode("utf-32-le")[:-1])
    with pytest.raises(TextEncodingError, match="UTF-32"):
        detect_text_encoding(path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "utf-32"])
def test_headerless_rows_in_any_encoding_end_where_the_text_ends(tmp_path: Path, encoding: str) -> None:
    from redline.parties.sources.base import ListFormatError
    from redline.parties.sources.common import iter_csv_rows

    text = '1,"ACME TRADING",-0-\n2,"ÉLAN SARL",-0-\n'
    encode = (lambda t: b"\xfe\xff" + t.encode("utf-16-be")) if encoding == "utf-16-be-bom" else (lambda t: t.encode(encoding))
    whole = tmp_path / "whole.csv"
    whole.write_bytes(encode(text))
    assert [fields[1] for _line, fields in iter_csv_rows(whole, 3)] == ["ACME TRADING", "ÉLAN SARL"]
    cut = tmp_path / "cut.csv"
    cut.write_bytes(encode(text[:-4]))  # ends inside the last row: 2,"ÉLAN SARL",
    with pytest.raises(ListFormatError, match="truncated"):
        list(iter_csv_rows(cut, 3))


# --- properties: any bytes get an answer, never a traceback -------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from redline.parties.sources.registry import diagnose  # noqa: E402

_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=300)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000))
def test_any_bytes_are_diagnosed_without_an_exception(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "any.csv"
    path.write_bytes(data)
    try:
        detect_text_encoding(path)
    except TextEncodingError:
        pass
    assert isinstance(diagnose(path), str)
    assert discover(path).skipped or list(discover(path))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXT, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_unicode_text_with_a_bom_or_in_utf8_decodes_to_itself(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "text.csv"
    path.write_bytes(text.encode(encoding))
    codec, _name = detect_text_encoding(path)
    assert path.read_bytes().decode(codec) == text

"""C2PA provenance, read offline, on the real signed samples in REDLINE_DATA/media/c2pa."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.media.provenance import OFFLINE_SETTINGS, check_file, check_files

AI_SAMPLE = "generated-A-trainedAlgorithmicMedia-es256-testcert.jpg"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any HTTP fetch the reader might try goes to a dead loopback port instead of the network."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)


@pytest.fixture(scope="module")
def c2pa_dir(data_dir: Path) -> Path:
    folder = data_dir / "media" / "c2pa"
    if not folder.is_dir():
        pytest.skip("no C2PA samples")
    return folder


def test_remote_fetching_is_off() -> None:
    assert OFFLINE_SETTINGS["verify"]["remote_manifest_fetch"] is False
    assert OFFLINE_SETTINGS["verify"]["ocsp_fetch"] is False


def test_ai_generated_sample_is_flagged(c2pa_dir: Path) -> None:
    r = check_file(c2pa_dir / AI_SAMPLE)
    assert r["has_manifest"] and r["valid"] is True
    assert r["ai_generated"] is True
    assert r["generator"] == "cc-test 0.0.1"
    assert r["issues"] == []  # the untrusted test certificate is not an issue: there is no trust list
    assert r["untrusted_signer"] is True
    assert [a["kind"] for a in r["alerts"]] == ["ai_generated"]
    assert any(s["type"] == "trainedAlgorithmicMedia" and s["active"] for s in r["digital_source_types"])


def test_firefly_edit_is_flagged_with_the_tool(c2pa_dir: Path) -> None:
    r = check_file(c2pa_dir / "ocsp.jpg")
    assert r["valid"] is True and r["ai_generated"] is True
    assert r["generator"] == "Adobe Firefly"
    types = {s["type"] for s in r["digital_source_types"]}
    assert {"compositeWithTrainedAlgorithmicMedia", "trainedAlgorithmicMedia"} <= types


@pytest.mark.parametrize("name", ["C.jpg", "CA.jpg", "CACAE-uri-CA.jpg", "C_with_CAWG_data.jpg", "video1.mp4"])
def test_valid_manifests_without_ai(c2pa_dir: Path, name: str) -> None:
    r = check_file(c2pa_dir / name)
    assert r["has_manifest"] is True
    assert r["valid"] is True, r["issues"]
    assert r["ai_generated"] is False  # algorithmicMedia and digitalCapture are not *trained* algorithmic media
    assert r["alerts"] == []


@pytest.mark.parametrize(("name", "code"), [("XCA.jpg", "assertion.dataHash.mismatch"),
                                            ("E-sig-CA.jpg", "claimSignature.mismatch")])
def test_invalid_manifests_are_tampered(c2pa_dir: Path, name: str, code: str) -> None:
    r = check_file(c2pa_dir / name)
    assert r["has_manifest"] is True and r["valid"] is False
    assert code in [i["code"] for i in r["issues"]]
    assert "tampered" in [a["kind"] for a in r["alerts"]]


def test_no_manifest(c2pa_dir: Path) -> None:
    r = check_file(c2pa_dir / "no_manifest.jpg")
    # no manifest declares nothing: AI generation is unknown, not "no"
    assert r == r | {"has_manifest": False, "valid": None, "ai_generated": None, "generator": None, "issues": []}


def test_flipped_image_bytes_break_the_signature(c2pa_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "tampered.jpg"
    shutil.copyfile(c2pa_dir / AI_SAMPLE, copy)
    data = bytearray(copy.read_bytes())
    sos = data.index(b"\xff\xda")  # start of scan: the compressed pixels follow the SOS header
    start = sos + 2 + int.from_bytes(data[sos + 2 : sos + 4], "big")
    middle = start + (len(data) - start) // 2
    for i in range(middle, middle + 16):
        if data[i] not in (0xFF, 0x00) and data[i] ^ 0x55 not in (0xFF, 0x00):
            data[i] ^= 0x55
    copy.write_bytes(bytes(data))
    r = check_file(copy)
    assert r["has_manifest"] is True
    assert r["valid"] is False
    assert "assertion.dataHash.mismatch" in [i["code"] for i in r["issues"]]
    assert {a["kind"] for a in r["alerts"]} == {"tampered", "ai_generated"}  # still declares AI, and tampered
    # the untouched original stays valid
    assert check_file(c2pa_dir / AI_SAMPLE)["valid"] is True


def test_bad_inputs_do_not_stop_the_batch(c2pa_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    text = tmp_path / "notes.jpg"
    text.write_text("not an image at all")
    rows = check_files([str(tmp_path / "missing.jpg"), str(empty), str(text), str(c2pa_dir / AI_SAMPLE)])
    assert [Path(r["file"]).name for r in rows] == ["missing.jpg", "empty.jpg", "notes.jpg", AI_SAMPLE]
    assert rows[0]["issues"][0]["code"] == "file.not_found" and rows[0]["has_manifest"] is False
    assert rows[1]["has_manifest"] is False and rows[2]["has_manifest"] is False
    assert rows[3]["ai_generated"] is True


def test_cli_json_in_input_order(c2pa_dir: Path, tmp_path: Path) -> None:
    from redline.cli import app

    files = [c2pa_dir / "no_manifest.jpg", c2pa_dir / AI_SAMPLE, c2pa_dir / "XCA.jpg"]
    result = CliRunner().invoke(app, ["media", "provenance", *map(str, files), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["file"] for r in rows] == [str(f) for f in files]
    for r in rows:
        assert {"file", "has_manifest", "valid", "ai_generated", "generator", "issues"} <= set(r)
    assert [r["ai_generated"] for r in rows] == [None, True, False]
    assert [r["valid"] for r in rows] == [None, True, False]
    missing = CliRunner().invoke(app, ["media", "provenance", str(tmp_path / "nope.jpg"), "--json"])
    assert missing.exit_code == 1
    assert json.loads(missing.stdout)[0]["issues"][0]["code"] == "file.not_found"


def test_cli_table_says_unknown_shows_the_signer_and_wraps_long_names(c2pa_dir: Path, tmp_path: Path) -> None:
    from redline.cli import app

    long_name = tmp_path / ("a-very-long-file-name-that-would-not-fit-in-a-table-column-" * 2 + "end.jpg")
    shutil.copyfile(c2pa_dir / "no_manifest.jpg", long_name)
    result = CliRunner().invoke(app, ["media", "provenance", str(long_name), str(c2pa_dir / AI_SAMPLE)],
                                env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert "unknown" in result.output and "untrusted" in result.output
    assert "…" not in result.output  # nothing cut
    assert "end.jpg" in result.output  # the whole name, wrapped over several lines

"""The case, notice and consultation commands as an officer uses them: two installations (two
homes), a notice file dropped from one to the other, exit 2 for bad arguments, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers_licensing import FakeScreener
from typer.testing import CliRunner

from redline.cli import app
from redline.context import get_context, reset_context

runner = CliRunner()

APP = """
id: Y-2026-0031
date: 2026-11-02
exporter: {name: Oslo Signals AS, country: "NO"}
destination: RU
parties:
  - {role: end_user, name: "Rostelecom PJSC", country: RU, type: state_owned_telecom}
items:
  - {description: "IP network monitoring centre", control_code: 5A001.j.1, category: ip_network_surveillance}
end_use: {type: lawful_interception_with_oversight}
"""


@pytest.fixture(autouse=True)
def fake_engine(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> FakeScreener:
    screener = FakeScreener()
    monkeypatch.setattr("redline.licensing.service.default_screener", lambda: screener)
    return screener


def run(*args: str) -> tuple[int, object]:
    result = runner.invoke(app, ["licensing", *args, "--json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    try:
        return result.exit_code, json.loads(result.stdout)
    except json.JSONDecodeError:
        return result.exit_code, result.output


def home(monkeypatch: pytest.MonkeyPatch, path: Path, authority: str, user: str) -> None:
    monkeypatch.setenv("REDLINE_HOME", str(path))
    monkeypatch.setenv("REDLINE_AUTHORITY", authority)
    monkeypatch.setenv("REDLINE_USER", user)
    reset_context()


def test_a_dropped_notice_file_holds_an_approval_until_the_consultation_closes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # State X issues a notice naming the party in Cyrillic, and exports it.
    home(monkeypatch, tmp_path / "x", "State X Ministry of Foreign Affairs", "x-officer")
    code, bad = run("notice", "issue", "--party", "ПАО Ростелеком", "--country", "RU", "--item-category", "ip_network_surveilance",
                    "--grounds", "internal repression")
    assert code == 2 and "--item-category" in str(bad) and "ip_network_surveillance" in str(bad)
    code, notice = run("notice", "issue", "--party", "ПАО Ростелеком", "--country", "RU", "--control-code", "5A001.j",
                       "--grounds", "clear risk of use for internal repression", "--date", "2026-10-20")
    assert code == 0 and notice["expiry"] == "2029-10-20" and notice["signature"]  # type: ignore[index]
    code, x_key = run("notice", "public-key")
    assert code == 0 and x_key["authority"] == "State X Ministry of Foreign Affairs"  # type: ignore[index]
    (tmp_path / "x.pem").write_text(x_key["public_key"])  # type: ignore[index]
    drop = tmp_path / "x-notices.json"
    assert run("notice", "export", str(drop)) == (0, {"file": str(drop), "notices": 1})
    assert run("notice", "verify", str(drop))[0] == 0
    tampered = tmp_path / "tampered.json"
    data = json.loads(drop.read_text())
    data["notices"][0]["grounds"] = "none"
    tampered.write_text(json.dumps(data))
    code, checked = run("notice", "verify", str(tampered))
    assert code == 1 and "signature" in checked[0]["problem"]  # type: ignore[index]

    # State Y has an open case for the same party spelled in Latin script; the file drop opens a consultation.
    home(monkeypatch, tmp_path / "y", "State Y export control office", "alice")
    application = tmp_path / "app.yaml"
    application.write_text(APP)
    code, case = run("case", "open", str(application))
    assert code == 0 and case["status"] == "open"  # type: ignore[index]
    assert run("notice", "trust", "--authority", "State X Ministry of Foreign Affairs", "--public-key", str(application),
               "--reason", "plenary")[0] == 2  # not a key
    code, pinned = run("notice", "trust", "--authority", "State X Ministry of Foreign Affairs", "--public-key",
                       str(tmp_path / "x.pem"), "--reason", "key handed over at the plenary")
    assert code == 0 and pinned["key_id"] == notice["key_id"]  # type: ignore[index]
    code, imported = run("notice", "import", str(tampered))
    assert code == 1 and "signature" in imported[0]["refused"]  # type: ignore[index]
    code, imported = run("notice", "import", str(drop))
    assert code == 0
    (consultation,) = imported[0]["consultations"]  # type: ignore[index]
    code, refused = run("case", "decide", "1", "--decision", "approve", "--reason", "fine")
    assert code == 2 and "undercut" in str(refused) and "Traceback" not in str(refused)
    assert run("consultation", "close", str(consultation["id"]), "--reason", "done")[0] == 2
    code, answered = run("consultation", "answer", str(consultation["id"]), "--text", "X maintains its denial")
    assert code == 0 and answered["status"] == "answered"  # type: ignore[index]
    assert run("consultation", "close", str(consultation["id"]), "--reason", "answer weighed")[0] == 0
    code, decided = run("case", "decide", "1", "--decision", "approve", "--reason", "consulted; conditions attached")
    assert code == 0 and decided["status"] == "awaiting_sign_off"  # type: ignore[index]
    code, same = run("case", "sign-off", "1", "--reason", "mine")
    assert code == 2 and "four-eyes" in str(same)
    monkeypatch.setenv("REDLINE_USER", "bob")
    reset_context()
    code, signed = run("case", "sign-off", "1", "--reason", "second officer")
    assert code == 0 and signed["status"] == "approved"  # type: ignore[index]
    assert [s["actor"] for s in signed["steps"]] == ["alice", "alice", "bob"]  # type: ignore[index]
    assert run("case", "show", "99")[0] == 2
    assert run("case", "list", "--status", "maybe")[0] == 2
    kinds = [e.kind for e in get_context().ledger.entries() if e.kind.startswith("licensing.")]
    assert [k["how"] for k in run("notice", "keys")[1]] == ["trusted"]  # type: ignore[union-attr]
    assert kinds == ["licensing.assess", "licensing.case.open", "licensing.notice.trust", "licensing.notice.refused",
                     "licensing.notice.receive",
                     "licensing.consultation.open", "licensing.consultation.answer", "licensing.consultation.close",
                     "licensing.case.decide", "licensing.case.sign_off"]


def test_a_denied_case_issues_its_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home(monkeypatch, tmp_path / "x", "State X Ministry of Foreign Affairs", "x-officer")
    application = tmp_path / "app.yaml"
    application.write_text(APP)
    assert run("case", "open", str(application))[0] == 0
    code, early = run("case", "notice", "1")
    assert code == 2 and "denied case" in str(early)
    assert run("case", "decide", "1", "--decision", "deny", "--reason", "internal repression")[0] == 0
    code, (notice,) = run("case", "notice", "1")  # type: ignore[misc]
    assert code == 0 and notice["party"] == {"name": "Rostelecom PJSC", "country": "RU"}
    assert notice["control_codes"] == ["5A001.j.1"] and notice["grounds"] == "internal repression" and notice["case_id"] == 1
    assert run("case", "notice", "1")[0] == 2  # once
    code, listed = run("notice", "list", "--origin", "own")
    assert code == 0 and [n["notice_id"] for n in listed] == [notice["notice_id"]]  # type: ignore[union-attr]

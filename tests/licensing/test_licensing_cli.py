"""The CLI: refusals write nothing, assessments write the ledger, denials flow between partners."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers_licensing import APPLICATIONS, BAD, FakeScreener, listing
from typer.testing import CliRunner

from redline.cli import app
from redline.context import get_context

runner = CliRunner()


@pytest.fixture(autouse=True)
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> FakeScreener:
    screener = FakeScreener()
    monkeypatch.setattr("redline.licensing.service.default_screener", lambda: screener)
    return screener


def ledger_entries() -> list:  # type: ignore[type-arg]
    return list(get_context().ledger.entries(kind="licensing"))


def test_invalid_application_is_refused_with_field_and_reason() -> None:
    result = runner.invoke(app, ["licensing", "assess", str(BAD / "missing_fields.yaml"), "--json"])
    assert result.exit_code == 2
    for words in ("date: is required", "parties[0].role: 'buyer' is not one of", "items: at least one item",
                  "end_use.type: 'surveillance'", "nothing recorded"):
        assert words in result.output, result.output
    assert ledger_entries() == []


def test_unknown_iso_code_suggests_the_close_match() -> None:
    result = runner.invoke(app, ["licensing", "assess", str(BAD / "unknown_iso.yaml")])
    assert result.exit_code == 2
    assert "destination: 'UK' is not an ISO 3166-1 alpha-2 country code; did you mean 'GB'" in result.output
    assert "parties[0].country: 'GBR'" in result.output and "did you mean 'GB'" in result.output
    assert ledger_entries() == []


def test_one_bad_file_refuses_the_whole_batch(tmp_path: Path) -> None:
    for src in (APPLICATIONS / "routers_norway_private.yaml", BAD / "unknown_iso.yaml"):
        (tmp_path / src.name).write_text(src.read_text())
    result = runner.invoke(app, ["licensing", "assess", str(tmp_path), "--json"])
    assert result.exit_code == 2
    assert ledger_entries() == []


def test_assess_writes_one_ledger_entry_each(tmp_path: Path) -> None:
    result = runner.invoke(app, ["licensing", "assess", str(APPLICATIONS / "carrier_monitoring_uae_interior.yaml"),
                                 "--policy", "eu-2021-821", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["decision"] == "deny" and out["policy"] == {"name": "eu-2021-821", "version": "2026.1", "title": out["policy"]["title"]}
    (entry,) = ledger_entries()
    assert entry.kind == "licensing.assess"
    assert entry.inputs["application"] == "APP-2026-0388" and len(entry.inputs["sha256"]) == 64
    assert entry.outcome["decision"] == "deny"
    assert entry.refs["policy"]["version"] == "2026.1"
    assert any(s.startswith("countries/fiw@") for s in entry.refs["snapshots"]["countries"])
    assert entry.refs["snapshots"]["lists"] == ["test-snapshot-1"]
    assert get_context().ledger.verify() == []


def test_batch_over_a_folder_and_plain_language() -> None:
    result = runner.invoke(app, ["licensing", "assess", str(APPLICATIONS), "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) == len(list(APPLICATIONS.glob("*.yaml"))) == len(ledger_entries())
    text = runner.invoke(app, ["licensing", "assess", str(APPLICATIONS / "intrusion_software_nso_group.yaml"), "--policy", "us-ear"])
    assert "DENY" in text.output and "Listed parties: NSO Group" in text.output and "US02_entity_list_surveillance_item" in text.output


def test_compare_shows_where_policies_diverge() -> None:
    result = runner.invoke(app, ["licensing", "compare", str(APPLICATIONS / "intrusion_software_nso_group.yaml"),
                                 "--policies", "echri,eu-2021-821,us-ear", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["decisions"] == {"echri": "deny", "eu-2021-821": "refer", "us-ear": "deny"}
    assert report["diverge"] is True
    eu = next(d for d in report["differences"] if d["policy"] == "eu-2021-821")
    assert "EU06_partner_listing" in eu["decisive_rules"]


def test_denial_export_import_and_no_undercut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, redline_home: Path) -> None:
    denial_file = tmp_path / "denial.json"
    monkeypatch.setenv("REDLINE_AUTHORITY", "Norway (Ministry of Foreign Affairs)")
    result = runner.invoke(app, ["licensing", "assess", str(APPLICATIONS / "carrier_monitoring_uae_interior.yaml"),
                                 "--export-denial", str(denial_file), "--json"])
    assert result.exit_code == 0, result.output
    notice = json.loads(denial_file.read_text())
    (denial,) = notice["denials"]
    assert denial["parties"][0]["name"] == "Ministry of Interior of the United Arab Emirates"
    assert denial["item_categories"] == ["ip_network_surveillance"] and denial["decided_on"] == "2026-10-02"
    assert denial["reason"] and denial["citations"]

    # A partner state (a fresh home) imports it; a later look-alike application is flagged.
    from redline.context import reset_context

    monkeypatch.setenv("REDLINE_HOME", str(tmp_path / "partner"))
    reset_context()
    imported = runner.invoke(app, ["licensing", "denial", "import", str(denial_file), "--json"])
    assert imported.exit_code == 0 and json.loads(imported.output)["imported"] == 1
    later = tmp_path / "later.yaml"
    later.write_text("""
id: APP-PARTNER-9
date: 2026-12-01
exporter: {name: Oslo Signals AS, country: "NO"}
destination: AE
parties:
  - {role: end_user, name: "MINISTRY OF INTERIOR OF THE UNITED ARAB EMIRATES", country: AE, type: government_security}
items:
  - {description: "Lawful interception mediation platform", category: lawful_interception_or_data_retention}
end_use: {type: lawful_interception_with_oversight}
""")
    flagged = json.loads(runner.invoke(app, ["licensing", "assess", str(later), "--policy", "us-ear", "--json"]).output)
    assert "RF_PARTNER_DENIAL" in flagged["red_flags"] and "US09_partner_denial" in flagged["rules"]
    evidence = [e for e in flagged["evidence"] if e["kind"] == "partner_denial"]
    assert evidence[0]["source"] == "Norway (Ministry of Foreign Affairs)" and evidence[0]["detail"]["families"] == ["interception"]
    # A dissimilar item (routers) for the same party is not an undercut.
    later.write_text(later.read_text().replace("category: lawful_interception_or_data_retention", "category: general_ict"))
    plain = json.loads(runner.invoke(app, ["licensing", "assess", str(later), "--policy", "us-ear", "--json"]).output)
    assert "RF_PARTNER_DENIAL" not in plain["red_flags"]


def test_denial_import_rejects_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"denials": [{"authority": "X", "decided_on": "2026-02-30", "reason": "r",
                                            "parties": [{"name": "A"}], "item_categories": ["general_ict"]}]}))
    result = runner.invoke(app, ["licensing", "denial", "import", str(bad)])
    assert result.exit_code == 2 and "denials[0].decided_on" in result.output


def test_policy_check_and_show() -> None:
    ok = runner.invoke(app, ["licensing", "policy", "check", "us-ear", "--json"])
    assert ok.exit_code == 0 and json.loads(ok.output)["valid"] is True
    shown = json.loads(runner.invoke(app, ["licensing", "policy", "show", "us-ear", "--json"]).output)
    aff = next(r for r in shown["rules"] if r["id"] == "US04_affiliate_of_entity_list")
    assert aff["effective"] == "2025-09-29" and aff["suspended"][0]["from"] == "2025-11-10"


def test_policy_check_reports_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "p.yaml"
    broken.write_text((Path(__file__).parents[2] / "redline/licensing/policies/echri.yaml").read_text()
                      .replace("decision: deny", "decision: forbid", 1))
    result = runner.invoke(app, ["licensing", "policy", "check", str(broken), "--json"])
    assert result.exit_code == 1
    error = json.loads(result.output)["error"]
    assert error["where"] == "rule E01_serious_misuse_risk" and error["field"] == "decision"


def test_alignment_from_clusters() -> None:
    from redline.licensing.alignment import alignment_report

    clusters = [
        {"id": "c1", "caption": "NSO Group", "schema": "Company", "names": ["NSO Group"], "countries": ["il"],
         "lists": [listing("US-BIS-EL", "Entity List", "2021-11-04")]},
        {"id": "c2", "caption": "Some Official", "schema": "Person", "names": [], "countries": [],
         "lists": [listing("US-OFAC-SDN", "GLOMAG", "2021-12-10"), listing("UK-FCDO", "Global Human Rights", "2021-12-10")]},
        {"id": "c3", "caption": "A Bank", "schema": "Company", "names": [], "countries": [],
         "lists": [listing("UK-FCDO", "Russia", "2022-03-01"), listing("AU-DFAT", "Russia", "2022-03-01")]},
    ]
    report = alignment_report(clusters)
    assert report["jurisdictions_loaded"] == ["AU", "UK", "US"]
    by_id = {p["id"]: p for p in report["parties"]}
    assert set(by_id) == {"c1", "c2"}  # the bank is listed, but not under a human-rights programme
    assert by_id["c1"]["listed_by"] == ["US"] and by_id["c1"]["not_listed_by"] == ["AU", "UK"]
    assert by_id["c2"]["not_listed_by"] == ["AU"]


def test_denials_per_policy_fuzzy_partner_match_and_control_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 redline_home: Path) -> None:
    # Issue 13, licensing 5. The same application denied under two policies keeps two denials.
    monkeypatch.setenv("REDLINE_AUTHORITY", "Finland (Ministry for Foreign Affairs)")
    app_file = APPLICATIONS / "telecom_interception_no_legal_framework.yaml"
    for policy in ("echri", "eu-2021-821"):
        result = runner.invoke(app, ["licensing", "assess", str(app_file), "--policy", policy, "--json"])
        assert result.exit_code == 0 and json.loads(result.output)["decision"] == "deny", result.output
    denials = json.loads(runner.invoke(app, ["licensing", "denial", "export", "--json"]).output)["denials"]
    assert sorted(d["policy"] for d in denials) == ["echri", "eu-2021-821"]
    assert all(d["control_codes"] == ["5D001.e"] for d in denials)
    denial_file = tmp_path / "denials.json"
    denial_file.write_text(json.dumps({"format": "redline.denial-notification/1", "denials": denials}))

    # A partner imports them; "Telecom Egypt S.A.E." is the denied "Telecom Egypt" by the parties engine.
    from redline.context import reset_context

    monkeypatch.setenv("REDLINE_HOME", str(tmp_path / "partner"))
    reset_context()
    imported = runner.invoke(app, ["licensing", "denial", "import", str(denial_file), "--json"])
    assert imported.exit_code == 0 and json.loads(imported.output)["imported"] == 2
    later = tmp_path / "later.yaml"
    later.write_text(app_file.read_text().replace("id: APP-2026-0933", "id: APP-PARTNER-77")
                     .replace("name: Telecom Egypt,", 'name: "Telecom Egypt S.A.E.",'))
    flagged = json.loads(runner.invoke(app, ["licensing", "assess", str(later), "--policy", "echri", "--json"]).output)
    evidence = [e for e in flagged["evidence"] if e["kind"] == "partner_denial"]
    assert len(evidence) == 2 and "RF_PARTNER_DENIAL" in flagged["red_flags"]
    assert all("by the parties engine" in e["detail"]["how"] for e in evidence)
    assert all(e["detail"]["control_codes"] == ["5D001.e"] for e in evidence)
    assert sorted(e["detail"]["policy"] for e in evidence) == ["echri", "eu-2021-821"]
    # An unrelated telecom is not the denied party.
    later.write_text(later.read_text().replace('"Telecom Egypt S.A.E."', '"Orange Egypt for Telecommunications"'))
    plain = json.loads(runner.invoke(app, ["licensing", "assess", str(later), "--policy", "echri", "--json"]).output)
    assert "RF_PARTNER_DENIAL" not in plain["red_flags"]

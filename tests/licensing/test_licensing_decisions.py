"""Decisions for the realistic applications, with a fake screener holding the real listings."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from helpers_licensing import APPLICATIONS, FakeScreener, expectations, fixture_files

from redline.config import load_settings
from redline.licensing.application import ApplicationError, load_application
from redline.licensing.assess import assess
from redline.licensing.countries import load_country_data
from redline.licensing.policy import load_policy


@pytest.fixture(scope="module")
def countries():  # type: ignore[no-untyped-def]
    settings = load_settings()
    if settings.data_dir is None:
        pytest.skip("REDLINE_DATA is not available")
    return load_country_data(settings.data_dir)


CASES = [(path, policy) for path in fixture_files() for policy in expectations(path)]


@pytest.mark.parametrize("path, policy_name", CASES, ids=[f"{p.stem}-{n}" for p, n in CASES])
def test_fixture_decision_and_reasons(path: Path, policy_name: str, countries) -> None:  # type: ignore[no-untyped-def]
    expected = expectations(path)[policy_name]
    result = assess(load_application(path), load_policy(policy_name), countries=countries, screener=FakeScreener())
    assert result["decision"] == expected["decision"], result["explanation"]
    reasons = [r["rule"] for r in result["reasons"] if r["rule"]]
    assert set(expected["rules"]) <= set(reasons), reasons
    if not expected["rules"]:
        assert result["rules"] == []
    for reason in result["reasons"]:
        if reason["rule"]:
            assert reason["citations"] and reason["text"], reason
    cited = " | ".join(c for r in result["reasons"] for c in r["citations"])
    for pinpoint in expected.get("must_cite", []):
        assert pinpoint in cited, (pinpoint, cited)
    for pinpoint in expected.get("must_not_cite", []):
        assert pinpoint not in cited, (pinpoint, cited)
    assert result["policy"]["name"] == policy_name and result["policy"]["version"]


def test_not_free_destination_is_cited_with_source_edition_value(countries) -> None:  # type: ignore[no-untyped-def]
    result = assess(load_application(APPLICATIONS / "face_recognition_xinjiang_psb.yaml"), load_policy("echri"),
                    countries=countries, screener=FakeScreener())
    assert result["destination_risk"] == "high"
    by_indicator = {e["detail"]["indicator"]: e for e in result["evidence"] if e["kind"] == "destination_indicator"}
    assert by_indicator["fiw_status"]["detail"]["value"] == "NF"
    assert by_indicator["fiw_status"]["detail"]["edition"] == "FIW 2024 edition"
    assert by_indicator["fotn_status"]["source"].startswith("Freedom House, Freedom on the Net")
    assert by_indicator["vdem_libdem"]["snapshot"].startswith("countries/vdem@")
    snapshots = {s["id"]: s for s in result["snapshots"]["countries"]}
    assert all(len(s["sha256"]) == 64 and s["counts"]["rows"] > 0 for s in snapshots.values())
    listed = [e for e in result["evidence"] if e["kind"] == "listed_party"]
    assert listed and listed[0]["detail"]["lists"][0]["program_id"] == "US-OFAC-SDN"
    assert listed[0]["snapshot"] == ["test-snapshot-1"]


def test_missing_country_is_unknown_never_low(countries) -> None:  # type: ignore[no-untyped-def]
    result = assess(load_application(APPLICATIONS / "missing_country_data_vatican.yaml"), load_policy("echri"),
                    countries=countries, screener=FakeScreener())
    assert result["destination_risk"] == "unknown"
    missing = [e for e in result["evidence"] if e["kind"] == "destination_indicator_missing"]
    assert "fiw_status" in missing[0]["detail"]["missing"]


def test_rules_as_of_the_application_date(countries) -> None:  # type: ignore[no-untyped-def]
    app = load_application(APPLICATIONS / "affiliate_chengdu_dahua.yaml")
    policy = load_policy("us-ear")
    decisions = {}
    for when in (date(2025, 10, 15), date(2026, 3, 1), date(2026, 11, 20)):
        result = assess(dataclasses.replace(app, date=when), policy, countries=countries, screener=FakeScreener())
        decisions[when] = (result["decision"], result["rules"], result["rules_not_in_force"])
    assert decisions[date(2025, 10, 15)][0] == "deny"
    assert decisions[date(2026, 3, 1)][0] == "refer"
    assert "US04_affiliate_of_entity_list" not in decisions[date(2026, 3, 1)][1]
    assert any(d["rule"] == "US04_affiliate_of_entity_list" and "suspended" in d["status"] for d in decisions[date(2026, 3, 1)][2])
    assert decisions[date(2026, 11, 20)][0] == "deny"


def test_several_parties_and_items_name_their_items(countries) -> None:  # type: ignore[no-untyped-def]
    result = assess(load_application(APPLICATIONS / "multi_party_reseller_uae.yaml"), load_policy("echri"),
                    countries=countries, screener=FakeScreener())
    reasons = {r["rule"]: r for r in result["reasons"]}
    assert reasons["E01_serious_misuse_risk"]["items"] == [1]  # the IMSI catcher, not the routers
    assert result["items"][1]["category"] == "mobile_interception"  # from control code 5A001.f
    assert len(result["parties"]) == 3


def test_assessment_is_deterministic(countries) -> None:  # type: ignore[no-untyped-def]
    app = load_application(APPLICATIONS / "intrusion_software_nso_group.yaml")
    first = assess(app, load_policy("us-ear"), countries=countries, screener=FakeScreener())
    second = assess(app, load_policy("us-ear"), countries=countries, screener=FakeScreener())
    assert first == second


def test_unlisted_party_changes_the_outcome(countries) -> None:  # type: ignore[no-untyped-def]
    """The listing is what denies NSO under us-ear: with nobody listed the same item is referred."""
    app = load_application(APPLICATIONS / "intrusion_software_nso_group.yaml")
    result = assess(app, load_policy("us-ear"), countries=countries, screener=FakeScreener(listed={}))
    assert result["decision"] == "refer"


def test_unknown_control_code_follows_the_policy(countries) -> None:  # type: ignore[no-untyped-def]
    from helpers_licensing import BAD

    app = load_application(BAD / "unknown_control_code.yaml")
    with pytest.raises(ApplicationError) as caught:
        assess(app, load_policy("eu-2021-821"), countries=countries, screener=FakeScreener())
    assert caught.value.problems[0][0] == "items[0].control_code"
    result = assess(app, load_policy("us-ear"), countries=countries, screener=FakeScreener())
    assert result["decision"] == "refer" and "US12_unclassified_item" in result["rules"]


def test_unknown_analyst_red_flag_is_refused(countries) -> None:  # type: ignore[no-untyped-def]
    app = load_application(APPLICATIONS / "routers_norway_private.yaml")
    app = dataclasses.replace(app, red_flags=("RF_COVERT_TARGETTING",))
    with pytest.raises(ApplicationError, match="did you mean 'RF_COVERT_TARGETING'"):
        assess(app, load_policy("echri"), countries=countries, screener=FakeScreener())

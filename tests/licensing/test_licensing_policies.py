from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from redline.licensing.policy import POLICY_DIR, PolicyError, available_policies, load_policy, parse_policy


def test_three_policies_ship_and_load() -> None:
    assert available_policies() == ["echri", "eu-2021-821", "us-ear"]
    for name in available_policies():
        policy = load_policy(name)
        assert policy.version and policy.rules
        for rule in policy.rules:
            assert rule.cite, rule.id
            for cite in rule.cite:
                assert cite.split(" ")[0] in policy.sources


def test_control_codes_map_to_categories() -> None:
    eu = load_policy("eu-2021-821")
    assert eu.categories_for_code("5A001.j") == ["ip_network_surveillance"]
    assert eu.categories_for_code("4D004") == ["intrusion_software_platform"]
    assert eu.categories_for_code("5A001.f.1") == ["mobile_interception"]  # a sub-paragraph of a mapped entry
    assert eu.categories_for_code("5A999") == []
    assert eu.unknown_control_code == "error" and load_policy("us-ear").unknown_control_code == "unknown"


def test_affiliates_rule_runs_as_of_the_date() -> None:
    rule = next(r for r in load_policy("us-ear").rules if r.id == "US04_affiliate_of_entity_list")
    assert not rule.in_force(date(2025, 9, 28))  # before the interim final rule
    assert rule.in_force(date(2025, 10, 15))
    assert not rule.in_force(date(2025, 11, 10))  # suspension starts
    assert "suspended" in rule.status(date(2026, 3, 1))
    assert not rule.in_force(date(2026, 11, 9))
    assert rule.in_force(date(2026, 11, 10))  # suspension over (unless extended)


def _broken(tmp_path: Path, mutate) -> Path:  # type: ignore[no-untyped-def]
    data = yaml.safe_load((POLICY_DIR / "echri.yaml").read_text())
    mutate(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize(
    "mutate, where, field, words",
    [
        (lambda d: d["rules"][0]["when"]["all"].append({"item.colour": "red"}), "rule E01_serious_misuse_risk", "when.all[3].item.colour", "unknown fact"),
        (lambda d: d["rules"][1].update(decision="maybe"), "rule E02_repressive_end_use", "decision", "must be one of"),
        (lambda d: d["rules"][2].update(cite=[]), "rule E03_listed_party_surveillance_item", "cite", "citation"),
        (lambda d: d["rules"][2].update(cite=["NOWHERE Art. 1"]), "rule E03_listed_party_surveillance_item", "cite", "not in sources"),
        (lambda d: d["rules"][0].update(effective="2023-13-01"), "rule E01_serious_misuse_risk", "effective", "ISO date"),
        (lambda d: d["rules"][0]["when"]["all"][1]["any"][0].update({"end_user_types": {"in": ["gov_security"]}}), "rule E01_serious_misuse_risk", "when.all[1].any[0].end_user_types.in", "did you mean 'government_security'"),
        (lambda d: d["categories"]["mobile_interception"].update(codes=["five-a-one"]), "category mobile_interception", "codes", "not a control code"),
        (lambda d: d["country_groups"]["arms_embargo"].update(members=["RU", "XX"]), "country group arms_embargo", "members", "'XX'"),
    ],
)
def test_invalid_policy_names_file_rule_and_field(tmp_path: Path, mutate, where: str, field: str, words: str) -> None:  # type: ignore[no-untyped-def]
    path = _broken(tmp_path, mutate)
    with pytest.raises(PolicyError) as caught:
        load_policy(str(path))
    err = caught.value
    assert err.file == str(path) and err.where == where and err.field == field, err
    assert words in err.reason
    assert str(path) in str(err) and where in str(err)


def test_unquoted_norway_is_read_as_norway() -> None:
    data = yaml.safe_load((POLICY_DIR / "eu-2021-821.yaml").read_text().replace('"NO"', "NO"))
    assert "NO" in parse_policy(data, "eu.yaml").country_groups["eu001"]["members"]


def test_unknown_policy_name_suggests() -> None:
    with pytest.raises(PolicyError, match="did you mean 'us-ear'"):
        load_policy("us-eer")

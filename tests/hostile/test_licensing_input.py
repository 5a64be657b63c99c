"""Hostile licensing input: typos, wrong types and deep nesting are refused by name, never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from redline.cli import app
from redline.licensing.application import ApplicationError, parse_application
from redline.licensing.policy import POLICY_DIR, PolicyError, load_policy, parse_policy
from redline.licensing.schema import MAX_DEPTH

runner = CliRunner()
GOOD = Path(__file__).parents[1] / "licensing" / "applications" / "imsi_catcher_chile_police.yaml"


def good() -> dict[str, Any]:
    return yaml.safe_load(GOOD.read_text())


@pytest.fixture(autouse=True)
def no_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    def screen(name: str, **_: Any) -> dict[str, Any]:
        return {"results": [], "snapshots": []}

    monkeypatch.setattr("redline.licensing.service.default_screener", lambda: screen)


def problems(data: Any) -> dict[str, str]:
    with pytest.raises(ApplicationError) as err:
        parse_application(data, "app.yaml")
    return dict(err.value.problems)


def test_a_misspelt_field_is_refused_with_the_close_match() -> None:
    data = good()
    data["redflags"] = data.pop("red_flags") + ["RF_NO_LEGAL_FRAMEWORK"]
    found = problems(data)
    assert "did you mean 'red_flags'" in found["redflags"]
    data = good()
    data["parties"][0]["contry"] = "CL"
    assert "did you mean 'country'" in problems(data)["parties[0].contry"]


def test_extensions_are_accepted_under_the_x_prefix() -> None:
    data = {**good(), "x_case_officer": {"name": "A. Officer", "notes": [1, 2]}}
    data["items"][0]["x_serial_numbers"] = ["SN1", "SN2"]
    assert parse_application(data, "app.yaml").id == "APP-2026-0107"


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("id", {"nested": [1]}, "must be text or a number, not a mapping"),
    ("destination", ["CL"], "not a list"),
    ("red_flags", "RF_LISTED", "must be a list of text"),
    ("date", [2026, 5, 4], "ISO date"),
])
def test_types_are_enforced(field: str, value: Any, reason: str) -> None:
    assert reason in problems({**good(), field: value})[field]


def test_a_list_where_text_is_expected_is_refused_inside_parties_and_items() -> None:
    data = good()
    data["parties"][0]["name"] = ["Carabineros", "de Chile"]
    data["items"][0]["quantity"] = "four"
    data["end_use"]["statement"] = {"text": "x"}
    found = problems(data)
    assert "must be text, not a list" in found["parties[0].name"]
    assert "must be a number" in found["items[0].quantity"]
    assert "must be text" in found["end_use.statement"]


def test_deep_nesting_is_refused_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("id: A\nx_deep: " + "[" * 5000 + "]" * 5000 + "\n")
    result = runner.invoke(app, ["licensing", "assess", str(path), "--json"])
    assert result.exit_code == 2, result.output
    assert f"line 2: nested more than {MAX_DEPTH} levels deep" in result.output
    assert "Traceback" not in result.output and "RecursionError" not in result.output


def test_deeply_nested_policy_condition_is_refused(tmp_path: Path) -> None:
    text = (POLICY_DIR / "us-ear.yaml").read_text()
    deep = "{not: " * 2000 + "{end_use: civil}" + "}" * 2000
    path = tmp_path / "deep-policy.yaml"
    path.write_text(text.replace("when: {red_flags: RF_PARTNER_DENIAL}", f"when: {deep}"))
    with pytest.raises(PolicyError) as err:
        load_policy(str(path))
    assert "nested more than" in str(err.value) and str(path) in str(err.value)


def test_policy_typo_and_wrong_type_are_named() -> None:
    data = yaml.safe_load((POLICY_DIR / "echri.yaml").read_text())
    data["rules"][0]["decison"] = data["rules"][0].pop("decision")
    with pytest.raises(PolicyError) as err:
        parse_policy(data, "p.yaml")
    assert err.value.field == "decison" and "did you mean 'decision'" in err.value.reason
    data = yaml.safe_load((POLICY_DIR / "echri.yaml").read_text())
    first = next(iter(data["red_flags"]))
    data["red_flags"][first]["text"] = ["a", "b"]
    with pytest.raises(PolicyError) as err:
        parse_policy(data, "p.yaml")
    assert err.value.where == f"red_flags.{first}" and err.value.field == "text" and "not a list" in err.value.reason


def test_cli_refuses_a_typo_with_file_and_field(tmp_path: Path) -> None:
    data = good()
    data["redflags"] = ["RF_NO_LEGAL_FRAMEWORK"]
    path = tmp_path / "typo.yaml"
    path.write_text(yaml.safe_dump(data))
    result = runner.invoke(app, ["licensing", "assess", str(path), "--policy", "us-ear"])
    assert result.exit_code == 2
    assert str(path) in result.output and "redflags" in result.output and "red_flags" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("content", [b"\xff\xfe\x00i\x00d", b"id: [unclosed\n", b"- just\n- a list\n", b""])
def test_unreadable_or_wrong_shaped_files_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    result = runner.invoke(app, ["licensing", "assess", str(path), "--json"])
    assert result.exit_code == 2, result.output
    assert str(path) in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(("args", "words"), [
    (["licensing", "compare", str(GOOD), "--policies", ",,"], "--policies"),
    (["licensing", "compare", str(GOOD), "--policies", "echri,nope"], "no policy named 'nope'"),
    (["licensing", "denial", "export", "/nonexistent/dir/denials.json"], "cannot write"),
    (["licensing", "countries", "ZZ"], "is not an ISO 3166-1 alpha-2"),
])
def test_bad_arguments_exit_2_naming_them(args: list[str], words: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert words in " ".join(result.output.split()) and "Traceback" not in result.output
    assert "did you mean 'ZZ'" not in result.output


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                       lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                       max_leaves=12)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(["id", "date", "exporter", "destination", "parties", "items", "end_use", "red_flags",
                              "expect", "redflags", "x_any"]), value=_values)
def test_any_value_in_any_field_is_accepted_or_refused_by_name(field: str, value: Any) -> None:
    data = {**good(), field: value}
    try:
        parse_application(data, "app.yaml")
    except ApplicationError as err:
        assert err.problems and all(isinstance(f, str) and isinstance(r, str) and r for f, r in err.problems)

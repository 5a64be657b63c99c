"""Arguments are checked at the edge: a bad value exits 2 naming the argument, and nothing is
screened or logged on a misreading."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redline.inputs import InputError, parse_country, parse_date, parse_name
from hostile_helpers import invoke, ledger_state, payload, refused

HIKVISION = "Hangzhou Hikvision Digital Technology Co Ltd"


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["", "--json"], "NAME"),
        (["   \t"], "NAME"),
        (["\u200b\u202e"], "NAME"),  # only invisible controls
        (["x" * 5000], "NAME"),
        ([HIKVISION, "--limit", "0"], "--limit"),
        ([HIKVISION, "--limit", "-1"], "--limit"),
        ([HIKVISION, "--limit", "many"], "--limit"),
        ([HIKVISION, "--birth-date", "19xx"], "--birth-date"),
        ([HIKVISION, "--birth-date", "12/05/1958"], "--date-order"),
        ([HIKVISION, "--birth-date", "1958-02-30"], "--birth-date"),
        ([HIKVISION, "--birth-date", "2999"], "--birth-date"),
        ([HIKVISION, "--birth-date", "12/05/1958", "--date-order", "sideways"], "--date-order"),
        ([HIKVISION, "--country", "ZZZ"], "--country"),
        ([HIKVISION, "--country", ""], "--country"),
        ([HIKVISION, "--schema", "Spaceship"], "--schema"),
        ([HIKVISION, "--id", ""], "--id"),
    ],
)
def test_bad_screen_arguments_exit_2_naming_the_argument_and_log_nothing(loaded: Path, args: list[str], named: str) -> None:
    before = ledger_state()
    refused(invoke("parties", "screen", *args), named)
    assert ledger_state() == before


def test_dates_and_countries_in_common_forms_are_read_not_misread(loaded: Path) -> None:
    day_first = payload(invoke("parties", "screen", "Ivanov Sergey", "--birth-date", "12/05/1958", "--date-order", "dmy", "--json"))
    assert day_first["query"]["birth_date"] == "1958-05-12"
    dotted = payload(invoke("parties", "screen", "Ivanov Sergey", "--birth-date", "12.05.1958", "--json"))["query"]
    assert dotted["birth_date"] == "1958-05-12"
    for form in ("12 May 1958", "May 12, 1958", "19580512", "1958-05-12"):
        assert parse_date(form) == "1958-05-12", form
    for form in ("China", "CN", "chn", "People's Republic of China"):
        assert parse_country(form) == "cn", form


def test_a_named_country_agrees_with_the_listed_one(loaded: Path) -> None:
    """'--country China' once compared the string CHINA with the code cn and marked every hit down."""
    by_name = payload(invoke("parties", "screen", HIKVISION, "--country", "China", "--json"))["results"][0]
    plain = payload(invoke("parties", "screen", HIKVISION, "--json"))["results"][0]
    assert by_name["id"] == plain["id"] and by_name["score"] >= plain["score"]
    assert "not among" not in by_name["explanation"]


def test_help_shows_no_type_labels_and_every_json_option_is_explained() -> None:
    from typer._click.core import Context
    from typer.main import get_command

    from redline.cli import _tidy, app

    root = get_command(app)
    _tidy(root)

    def commands(command, path):
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            yield from commands(sub, path + [name])

    seen = 0
    for path, command in commands(root, []):
        if not getattr(command, "commands", None):
            assert any("--json" in getattr(p, "opts", []) for p in command.params), f"redline {' '.join(path)} has no --json"
        for param in command.get_params(Context(command)):
            assert "<" not in (param.display_type_rich(Context(command)) or ""), (path, param.name)
            if "--json" in getattr(param, "opts", []):
                assert param.help, f"redline {' '.join(path)} --json has no help"
                seen += 1
    assert seen >= 20
    for path in (["parties", "screen"], ["parties", "import"], ["ledger", "show"]):
        text = invoke(*path, "--help").output
        assert "--json" in text and "<bool>" not in text and "<str>" not in text and "<list[" not in text, path


def test_version_takes_json() -> None:
    assert payload(invoke("version", "--json"))["version"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_date_parser_returns_an_iso_prefix_or_refuses(text: str) -> None:
    try:
        value = parse_date(text, "--birth-date")
    except InputError as exc:
        assert exc.argument == "--birth-date"
        return
    if value is not None:
        assert len(value) in (4, 7, 10) and value[:4].isdigit() and 1800 <= int(value[:4])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_country_parser_returns_a_code_or_refuses(text: str) -> None:
    try:
        code = parse_country(text, "--country")
    except InputError as exc:
        assert exc.argument == "--country"
        return
    assert code is None or (code.islower() and 2 <= len(code) <= 6)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=600))
def test_name_parser_keeps_a_name_with_a_letter_or_refuses(text: str) -> None:
    try:
        name = parse_name(text, "NAME")
    except InputError as exc:
        assert exc.argument == "NAME"
        return
    assert name == name.strip() and 0 < len(name) <= 500

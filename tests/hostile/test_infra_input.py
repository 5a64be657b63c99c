"""Hostile infra input: evidence of the wrong type or with impossible addresses, bad lookup arguments,
and oversized pages are refused or bounded by name, never a traceback or a silent 'ok'."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from redline.cli import app
from redline.infra.evidence import EvidenceError, read_observations

runner = CliRunner()


def write(tmp_path: Path, records: list[Any], jsonl: bool = False) -> Path:
    path = tmp_path / ("evidence.jsonl" if jsonl else "evidence.json")
    path.write_text("\n".join(json.dumps(r) for r in records) if jsonl else json.dumps(records))
    return path


@pytest.mark.parametrize(("record", "words"), [
    ({"domain": "a.example", "dns": {"A": "192.0.2.1"}}, "dns.A: Input should be a valid list"),
    ({"domain": "a.example", "dns": {"A": ["999.1.1.1"]}}, "dns.A[0]: '999.1.1.1' is not an IPv4 address"),
    ({"domain": "a.example", "dns": {"AAAA": ["zz::1"]}}, "dns.AAAA[0]: 'zz::1' is not an IPv6 address"),
    ({"domain": "a.example", "dns": {"A": ["2001:db8::1"]}}, "is not an IPv4 address"),
    ({"domain": "a.example", "html": ["<p>"]}, "html: Input should be a valid string"),
    ({"domain": "a.example", "http": {"headers": {"server": ["x"]}}}, "http.headers.server"),
    ({"dns": {"A": ["192.0.2.1"]}}, "domain: is required"),
])
def test_bad_records_are_refused_with_the_record_named(tmp_path: Path, record: dict[str, Any], words: str) -> None:
    good = {"domain": "ok.example", "dns": {"A": ["192.0.2.7"]}}
    path = write(tmp_path, [good, record], jsonl=True)
    with pytest.raises(EvidenceError) as err:
        read_observations(path)
    assert f"{path}:2" in str(err.value) and words in str(err.value)
    assert f"{path}:1" not in str(err.value)


def test_scan_refuses_bad_evidence_with_exit_2_and_no_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, [{"domain": "a.example", "status": "ok", "dns": {"A": ["999.1.1.1"]}}])
    result = runner.invoke(app, ["infra", "scan", "--evidence", str(path), "--json"])
    assert result.exit_code == 2, result.output
    assert "record 1 (a.example): dns.A[0]: '999.1.1.1' is not an IPv4 address" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("ip", ["999.1.1.1", "zz::1", "example.com", ""])
def test_lookup_refuses_what_is_not_an_address(ip: str) -> None:
    result = runner.invoke(app, ["infra", "lookup", "8.8.4.4", ip, "--json"])
    assert result.exit_code == 2, result.output
    assert "IPS" in result.output and "is not an IPv4 or IPv6 address" in result.output


def test_deeply_nested_evidence_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"domain": "a.example", "x": ' + "[" * 5000 + "]" * 5000 + "}")
    result = runner.invoke(app, ["infra", "scan", "--evidence", str(path), "--json"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_owners_csv_quoted_company_with_comma_after_a_space(tmp_path: Path) -> None:
    from redline.infra.owners import read_owners_csv

    path = tmp_path / "owners.csv"
    path.write_text('domain, owner\nwww.hikvision.com, "Hangzhou Hikvision Digital Technology Co., Ltd."\n')
    assert read_owners_csv(path) == {"www.hikvision.com": "Hangzhou Hikvision Digital Technology Co., Ltd."}


@pytest.mark.parametrize(("content", "words"), [
    ("domain,owner\nwww.hikvision.com,Hikvision Co., Ltd.\n", ":2: more fields than the header"),
    ("domain,owner\nok.example,Owner\nnot a domain,Owner\n", ":3: domain 'not a domain'"),
    ("domain,owner\nok.example,\n", ":2: no owner for ok.example"),
    ("name,company\nx,y\n", "needs a header with the columns domain,owner"),
])
def test_owners_csv_problems_name_file_and_line(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "owners.csv"
    path.write_text(content)
    evidence = write(tmp_path, [{"domain": "ok.example"}])
    result = runner.invoke(app, ["infra", "scan", "--evidence", str(evidence), "--owners", str(path), "--no-store", "--json"])
    assert result.exit_code == 2, result.output
    flat = "".join(result.output.split())  # the error console wraps long lines
    assert "".join(f"{path}".split()) in flat and "".join(words.split()) in flat, result.output
    assert "Traceback" not in result.output


def test_owners_csv_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "owners.csv"
    path.write_bytes("domain,owner\nwww.a.example,Société Générale\n".encode("utf-16"))
    evidence = write(tmp_path, [{"domain": "ok.example"}])
    result = runner.invoke(app, ["infra", "scan", "--evidence", str(evidence), "--owners", str(path), "--json"])
    assert result.exit_code == 2 and "Traceback" not in result.output


@pytest.mark.parametrize("command", [["infra", "report", "--results"], ["infra", "validate-2020", "--results"]])
@pytest.mark.parametrize("content", [b'{"a":', b"[1, 2]", b'[{"domain": "a.example", "providers": "x"}]', b"\xff\xfe\x00"])
def test_results_files_that_are_not_scan_results_are_refused(tmp_path: Path, command: list[str], content: bytes) -> None:
    path = tmp_path / "results.json"
    path.write_bytes(content)
    result = runner.invoke(app, [*command, str(path), "--json"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "results.json" in result.output


def test_claims_and_domain_lists_that_are_not_utf8_are_refused(tmp_path: Path) -> None:
    binary = tmp_path / "list.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    results = write(tmp_path, [{"domain": "a.example", "providers": []}])
    claims = runner.invoke(app, ["infra", "validate-2020", "--results", str(results), "--claims", str(binary)])
    assert claims.exit_code == 2 and "notUTF-8" in "".join(claims.output.split())
    domains = runner.invoke(app, ["infra", "scan", "--input", str(binary), "--no-store"])
    assert domains.exit_code == 2 and "--input" in domains.output and "notUTF-8" in "".join(domains.output.split())


@pytest.mark.parametrize(("option", "value"), [("--concurrency", "0"), ("--rate", "-1"), ("--max-bytes", "-5"),
                                               ("--timeout", "0"), ("--dns-port", "70000"), ("--retries", "-1")])
def test_collect_options_out_of_range_exit_2_naming_the_option(tmp_path: Path, option: str, value: str) -> None:
    result = runner.invoke(app, ["infra", "collect", "a.example", "-o", str(tmp_path / "o.json"), option, value])
    assert result.exit_code == 2 and option in result.output
    assert not (tmp_path / "o.json").exists()


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from redline.infra.evidence import validate_observation  # noqa: E402

_leaf = st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.sampled_from(["999.1.1.1", "zz::1", "192.0.2.1", "::1"])
_value = st.recursive(_leaf, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                      max_leaves=10)


@settings(max_examples=150, deadline=None)
@given(dns=st.dictionaries(st.sampled_from(["A", "AAAA", "CNAME", "NS", "MX", "TXT", "SOA"]), _value, max_size=4),
       http=_value, tls=_value, html=_value)
def test_any_record_is_valid_or_refused_with_named_fields(dns: dict, http: Any, tls: Any, html: Any) -> None:  # type: ignore[type-arg]
    problems = validate_observation({"domain": "a.example", "dns": dns, "http": http, "tls": tls, "html": html})
    assert all(": " in p for p in problems)
    if not problems:
        for ip in dns.get("A", []):
            assert ip.count(".") == 3

"""The CLI over recorded observations, owner linking with an injected screener, and the exposure report."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from redline.cli import app
from redline.infra.owners import OwnerLinker, statements

OBSERVATIONS = [
    {"domain": "www.listed-served.example", "observed_at": "2026-11-20T10:00:00Z",
     "dns": {"A": ["13.32.1.5"], "CNAME": ["d1.cloudfront.net"], "NS": ["ns-5.awsdns-05.com"],
             "MX": ["listed.mail.protection.outlook.com"], "AAAA": [], "TXT": []},
     "tls": {"issuer": "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1,O=DigiCert Inc,C=US"},
     "http": {"status": 200, "headers": {"x-amz-cf-id": "1"}},
     "html": '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=A">'},
    {"domain": "www.listed-embeds.example", "dns": {"A": ["192.0.2.7"]},
     "html": '<script src="https://ajax.googleapis.com/ajax/libs/jquery/3.7.1/jquery.min.js"></script>'},
    {"domain": "www.unlisted.example", "dns": {"A": ["104.16.0.1"]}},
]


def fake_screener(listed: dict[str, str]):  # type: ignore[no-untyped-def]
    calls: list[str] = []

    def screen(name: str, *, schema: str | None = None, country: str | None = None, limit: int = 5) -> dict[str, Any]:
        calls.append(name)
        results = []
        if name in listed:
            results.append({"id": f"id-{name}", "caption": listed[name], "schema": "Company", "score": 0.97,
                            "match": True, "via": [], "explanation": "test",
                            "lists": [{"source": "us_csl", "program": "Entity List", "program_id": "US-BIS-EL",
                                       "authority": "US Commerce BIS", "listed_on": "2019-10-09",
                                       "snapshot": "us_csl@2022-04-21#1"}]})
        results.append({"id": "near", "caption": "Somebody Else", "score": 0.4, "match": False, "lists": []})
        return {"query": {"name": name}, "results": results, "snapshots": [{"id": 1}]}

    screen.calls = calls  # type: ignore[attr-defined]
    return screen


@pytest.fixture
def evidence(tmp_path: Path) -> Path:
    path = tmp_path / "obs.json"
    path.write_bytes(orjson.dumps(OBSERVATIONS))
    return path


@pytest.fixture
def owners_csv(tmp_path: Path) -> Path:
    path = tmp_path / "owners.csv"
    path.write_text("domain,owner\nwww.listed-served.example,Served Co\nwww.listed-embeds.example,Embeds Co\n"
                    "www.unlisted.example,Clean Co\n")
    return path


@pytest.fixture
def screener(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    fake = fake_screener({"Served Co": "SERVED CO LTD", "Embeds Co": "EMBEDS CO"})
    monkeypatch.setattr("redline.infra.owners.default_screener", lambda: fake)
    return fake


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def test_scan_evidence_with_owners_and_report(home_with_cache, evidence, owners_csv, screener, tmp_path) -> None:
    out = orjson.loads(invoke("infra", "scan", "--evidence", str(evidence), "--owners", str(owners_csv),
                              "--json").stdout)
    assert [r["domain"] for r in out] == [o["domain"] for o in OBSERVATIONS]
    served = out[0]
    assert served["owner_screening"] == "listed"
    assert served["listed_parties"][0]["caption"] == "SERVED CO LTD"
    assert ("Amazon CloudFront serves www.listed-served.example (cdn), the site of Served Co (listed as "
            "SERVED CO LTD), which is on the Entity List (US Commerce BIS) (snapshot us_csl@2022-04-21#1).") \
        in served["statements"]
    assert out[2]["owner_screening"] == "not_listed" and out[2]["listed_parties"] == []
    assert sorted(screener.calls) == ["Clean Co", "Embeds Co", "Served Co"]  # each owner screened once

    report = orjson.loads(invoke("infra", "report", "--json", "--csv", str(tmp_path / "r.csv")).stdout)
    by_provider = {row["provider"]: row for row in report}
    assert [i["party"] for i in by_provider["Amazon CloudFront"]["serves"]] == ["SERVED CO LTD"]
    assert [i["party"] for i in by_provider["DigiCert"]["serves"]] == ["SERVED CO LTD"]
    hosted_libs = by_provider["Google Hosted Libraries"]
    assert hosted_libs["serves"] == [] and [i["party"] for i in hosted_libs["embeds_only"]] == ["EMBEDS CO"]
    assert by_provider["Google Fonts"]["serves"] == []  # Google only appears on the listed sites
    assert "Cloudflare" not in by_provider  # serves an unlisted site only
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text())))
    assert {"provider": "Google Fonts", "role": "embeds_only", "party": "SERVED CO LTD"}.items() <= \
        next(r for r in rows if r["provider"] == "Google Fonts").items()
    table = invoke("infra", "report").stdout
    assert "Amazon CloudFront" in table and "SERVED CO LTD" in table


def test_scan_subset_of_evidence_and_single_owner(home_with_cache, evidence, screener) -> None:
    out = orjson.loads(invoke("infra", "scan", "www.listed-embeds.example", "missing.example", "--evidence",
                              str(evidence), "--owner", "Embeds Co", "--no-store", "--json").stdout)
    assert [(r["domain"], r["status"]) for r in out] == [("www.listed-embeds.example", "ok"),
                                                         ("missing.example", "not_in_evidence")]
    [sentence] = out[0]["statements"]
    assert "only embedded" in sentence and "not a customer relationship" in sentence


def test_owner_screening_failure_is_reported_per_domain(ref) -> None:  # type: ignore[no-untyped-def]
    class NoListsLoaded(RuntimeError):
        pass

    def broken(name: str, **_: Any) -> dict[str, Any]:
        raise NoListsLoaded("no lists are loaded")

    link = OwnerLinker(broken).screen("Anyone")
    assert link["status"] == "no_lists_loaded" and link["parties"] == []


def test_statements_need_a_listed_owner() -> None:
    assert statements("a.example", None, [], []) == []
    assert statements("a.example", "X", [{"provider": "P", "service": "cdn", "role": "serves"}], []) == []


def test_refs_and_lookup_commands(home_with_cache) -> None:
    refs = orjson.loads(invoke("infra", "refs", "--json").stdout)
    sources = {s["source"]: s for s in refs["snapshots"]}
    assert sources["aws"]["counts"]["prefixes"] > 13000 and len(sources["aws"]["sha256"]) == 64
    assert sources["aws"]["data_date"] == "2025-07-24-20-23-14"
    assert sources["webappanalyzer"]["counts"]["technologies"] == 7586
    again = orjson.loads(invoke("infra", "refs", "--json").stdout)
    assert [s["id"] for s in again["snapshots"]] == [s["id"] for s in refs["snapshots"]]  # same bytes, same snapshot
    rows = orjson.loads(invoke("infra", "lookup", "151.101.1.1", "10.0.0.1", "--json").stdout)
    assert rows[0]["provider"] == "Fastly" and rows[0]["snapshot"] == sources["fastly"]["id"]
    assert rows[1]["provider"] is None  # a private address: in no published range
    refused = CliRunner().invoke(app, ["infra", "lookup", "151.101.1.1", "nonsense", "--json"])
    assert refused.exit_code == 2 and "'nonsense' is not an IPv4 or IPv6 address" in refused.output


def test_bad_evidence_file_is_a_clear_error(home_with_cache, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"no_domain": 1}]')
    result = CliRunner().invoke(app, ["infra", "scan", "--evidence", str(bad), "--json"])
    assert result.exit_code == 2
    assert "domain: is required" in result.output and "record" in result.output


def test_validate_2020_claims(home_with_cache, tmp_path: Path, screener, data_dir: Path) -> None:
    """The documented check, run over recorded observations shaped like the 2020 situation."""
    observations = [
        {"domain": "www.hikvision.com", "dns": {"A": ["13.32.1.5"], "MX": []},
         "html": '<script src="https://ajax.googleapis.com/ajax/libs/jquery/3.7.1/jquery.min.js"></script>'
                 '<script src="https://connect.facebook.net/en_US/sdk.js"></script>'},
        {"domain": "www.sensetime.com", "dns": {"A": ["192.0.2.1"], "MX": ["sensetime-com.mail.protection.outlook.com"]}},
    ]
    path = tmp_path / "obs.json"
    path.write_bytes(orjson.dumps(observations))
    results = tmp_path / "results.json"
    invoke("infra", "scan", "--evidence", str(path), "-o", str(results), "--json")
    rows = orjson.loads(invoke("infra", "validate-2020", "--results", str(results), "--json").stdout)
    by = {(r["subject"].split()[0], r["provider"]): r for r in rows}
    assert by[("Hangzhou", "Amazon")]["verdict"].startswith("supported")
    google = by[("Hangzhou", "Google")]
    assert google["verdict"].startswith("embeds only") and google["agrees_with_2020_correction"] is True
    assert by[("Hangzhou", "Facebook; Twitter")]["agrees_with_2020_correction"] is True
    assert by[("SenseTime", "Microsoft")]["verdict"].startswith("supported")
    assert by[("Megvii", "Microsoft")]["verdict"].startswith("no observation")

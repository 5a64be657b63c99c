"""The live collectors against real local servers: dnsmasq for DNS, an HTTPS server with a test CA."""

from __future__ import annotations

import asyncio
from pathlib import Path

import orjson
import pytest

from redline.infra.collect.batch import collect_many
from redline.infra.collect.config import CollectConfig
from redline.infra.collect.journal import Journal

pytestmark = pytest.mark.network


def config(dns_server, https_server, **kw) -> CollectConfig:  # type: ignore[no-untyped-def]
    base = dict(nameservers=(dns_server[0],), dns_port=dns_server[1], https_port=https_server["port"],
                http_port=1, verify=str(https_server["ca"]), timeout=2.0, retries=0, per_host_rate=0,
                concurrency=8, domain_timeout=20)
    base.update(kw)
    return CollectConfig(**base)


def collect(domains, cfg, journal=None):  # type: ignore[no-untyped-def]
    return asyncio.run(collect_many(domains, cfg, journal))


def test_collects_dns_tls_http_and_page(dns_server, https_server) -> None:
    [obs] = collect(["www.site.test"], config(dns_server, https_server))
    assert obs["status"] == "ok", obs.get("errors")
    assert obs["dns"]["A"] == ["127.0.0.1"]
    assert obs["dns"]["CNAME"] == ["edge.cloudfront.net"]
    assert obs["dns"]["MX"] == ["site-test.mail.protection.outlook.com"]  # from the zone site.test
    assert any("spf.protection.outlook.com" in t for t in obs["dns"]["TXT"])
    assert obs["tls"]["issuer"] == "CN=Redline Test Root,O=Redline Test CA"
    assert "www.site.test" in obs["tls"]["san"]
    assert obs["http"]["status"] == 200
    assert obs["http"]["tls_verified"] is True
    assert obs["http"]["headers"]["x-amz-cf-id"] == "test-edge-id"
    assert "fonts.googleapis.com" in obs["html"]


def test_untrusted_certificate_is_still_observed_and_flagged(dns_server, https_server) -> None:
    # the system CAs do not trust the test CA: the page is fetched, marked unverified
    [obs] = collect(["site.test"], config(dns_server, https_server, verify=True))
    assert obs["http"]["status"] == 200
    assert obs["http"]["tls_verified"] is False
    assert any("certificate" in w for w in obs["http"]["warnings"])


def test_bad_input_gives_a_status_per_domain_and_the_batch_goes_on(dns_server, https_server) -> None:
    domains = ["bad domain!", "nothing-here.test", "site.test", "-x-.test", "; rm -rf /"]
    out = collect(domains, config(dns_server, https_server))
    statuses = {o["input"]: o["status"] for o in out}
    assert statuses == {"bad domain!": "invalid_domain", "nothing-here.test": "nxdomain", "site.test": "ok",
                        "-x-.test": "invalid_domain", "; rm -rf /": "invalid_domain"}
    assert [o["input"] for o in out] == domains  # input order kept


def test_idna_domain_is_collected_under_its_a_label(dns_server, https_server) -> None:
    [obs] = collect(["bücher.test"], config(dns_server, https_server))
    assert obs["domain"] == "xn--bcher-kva.test"
    assert obs["status"] == "ok"
    assert obs["http"]["status"] == 200


def test_dns_timeout_is_a_status_not_a_crash(dns_blackhole, https_server) -> None:
    cfg = config(dns_blackhole, https_server, timeout=0.3)
    out = collect(["site.test", "www.site.test"], cfg)
    assert [o["status"] for o in out] == ["dns_timeout", "dns_timeout"]
    assert "within" in out[0]["errors"]["dns"]


def test_hostile_page_is_cut_at_the_size_cap(dns_server, https_server) -> None:
    [obs] = collect(["big.test"], config(dns_server, https_server, max_bytes=200_000))
    assert obs["http"]["truncated"] is True
    assert obs["http"]["bytes"] == 200_000
    assert len(obs["html"]) <= 200_000


def test_redirect_loop_stops_at_the_limit(dns_server, https_server) -> None:
    [obs] = collect(["loop.test"], config(dns_server, https_server, max_redirects=3))
    assert "redirects" in obs["errors"]["http"]


def test_journal_resumes_and_skips_done_domains(tmp_path: Path, dns_server, https_server) -> None:
    out = tmp_path / "obs.json"
    journal = Journal(out)
    # an interrupted earlier run: one finished domain in the journal, and a half-written last line
    journal.path.write_bytes(orjson.dumps({"input": "site.test", "domain": "site.test", "status": "ok",
                                           "marker": "from-first-run"}) + b"\n{\"input\": \"www.si")
    result = collect(["site.test", "www.site.test"], config(dns_server, https_server), Journal(out))
    assert result[0]["marker"] == "from-first-run"            # skipped, not collected again
    assert result[1]["status"] == "ok" and "marker" not in result[1]
    saved = orjson.loads(out.read_bytes())
    assert [o["domain"] for o in saved] == ["site.test", "www.site.test"]
    assert not journal.path.exists()


def test_cli_collect_then_scan_live(home_with_cache, tmp_path: Path, dns_server, https_server) -> None:
    from typer.testing import CliRunner

    from redline.cli import app

    common = ["--nameserver", dns_server[0], "--dns-port", str(dns_server[1]), "--https-port",
              str(https_server["port"]), "--http-port", "1", "--ca-bundle", str(https_server["ca"]),
              "--retries", "0", "--timeout", "2", "--json"]
    out = tmp_path / "obs.json"
    result = CliRunner().invoke(app, ["infra", "collect", "www.site.test", "embedsonly.test", "nope.test",
                                      "-o", str(out), *common])
    assert result.exit_code == 0, result.output
    assert [o["status"] for o in orjson.loads(result.stdout)] == ["ok", "ok", "nxdomain"]
    scanned = orjson.loads(CliRunner().invoke(app, ["infra", "scan", "--evidence", str(out), "--json"]).stdout)
    www, embeds_only, nope = scanned
    serving = {(p["provider"], p["service"]) for p in www["providers"] if p["role"] == "serves"}
    # 127.0.0.1 is in nobody's ranges: CloudFront is found by the CNAME and by its edge headers
    assert ("Amazon CloudFront", "cdn") in serving and ("Microsoft 365 / Exchange Online", "mail") in serving
    assert not [p for p in embeds_only["providers"] if p["role"] == "serves"]
    assert {p["provider"] for p in embeds_only["providers"]} == {"Google Fonts", "Google Hosted Libraries"}
    assert nope["status"] == "nxdomain" and nope["providers"] == []
    live = CliRunner().invoke(app, ["infra", "scan", "embedsonly.test", "--no-store", *common])
    assert live.exit_code == 0, live.output
    assert orjson.loads(live.stdout)[0]["providers"][0]["role"] == "embeds"

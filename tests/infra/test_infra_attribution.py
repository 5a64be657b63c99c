"""Attribution of recorded observations built on the real published ranges."""

from __future__ import annotations

import pytest

from redline.infra.attribution import Attributor
from redline.infra.domains import check_domain
from redline.infra.scan import scan_observations


def roles(result: dict) -> dict[tuple[str, str], str]:
    return {(p["provider"], p["role"]): p["service"] for p in result["providers"]}


SERVED = {
    "domain": "www.example-served.com",
    "dns": {"A": ["13.32.1.5"], "AAAA": ["2600:9000:2000::1"], "CNAME": ["d111abc.cloudfront.net"],
            "NS": ["ns-1.awsdns-01.org"], "MX": ["example.mail.protection.outlook.com"],
            "TXT": ["v=spf1 include:spf.protection.outlook.com -all", "google-site-verification=abc"]},
    "tls": {"issuer": "CN=Amazon RSA 2048 M01,O=Amazon,C=US"},
    "http": {"status": 200, "headers": {"X-Amz-Cf-Id": "x", "Via": "1.1 a.cloudfront.net (CloudFront)"}},
    "html": "<html></html>",
}


def test_serving_evidence_from_every_channel(ref) -> None:  # type: ignore[no-untyped-def]
    result = Attributor(ref).attribute(SERVED)
    got = roles(result)
    assert got[("Amazon CloudFront", "serves")] == "cdn"
    assert got[("Amazon Route 53", "serves")] == "dns"
    assert got[("Microsoft 365 / Exchange Online", "serves")] == "mail"
    assert got[("Amazon Trust Services", "serves")] == "certificate_authority"
    cloudfront = next(p for p in result["providers"] if p["provider"] == "Amazon CloudFront")
    kinds = {e["kind"] for e in cloudfront["evidence"]}
    assert kinds == {"ip", "cname", "header"}
    ip_evidence = [e for e in cloudfront["evidence"] if e["kind"] == "ip"]
    assert {e["matched"] for e in ip_evidence} == {"13.32.0.0/15", "2600:9000:2000::/36"}
    assert all(role == "serves" for _, role in got)


def test_retracted_2020_error_public_script_never_yields_serves(ref) -> None:  # type: ignore[no-untyped-def]
    """Regression: a page that only loads a provider's public script or font is not its customer."""
    obs = {
        "domain": "surveillance-firm.example.cn",
        "dns": {"A": ["192.0.2.10"], "NS": ["ns1.example.cn"], "MX": [], "TXT": [], "CNAME": [], "AAAA": []},
        "http": {"status": 200, "headers": {
            "Server": "nginx",
            # what a page may load is not who serves it
            "Content-Security-Policy": "script-src https://s3.amazonaws.com https://ajax.googleapis.com",
            "Link": "<https://fonts.gstatic.com>; rel=preconnect"}},
        "html": """<html><head>
            <script src="https://ajax.googleapis.com/ajax/libs/jquery/3.7.1/jquery.min.js"></script>
            <script src="https://cdnjs.cloudflare.com/ajax/libs/vue/3.0.0/vue.min.js"></script>
            <link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Noto+Sans">
            <script src="https://connect.facebook.net/en_US/sdk.js"></script>
            <script src="https://platform.twitter.com/widgets.js"></script>
            <img src="https://d2abc.cloudfront.net/banner.png">
            <link rel="preconnect" href="https://www.google.com">
            </head></html>""",
    }
    result = Attributor(ref).attribute(obs)
    assert [p for p in result["providers"] if p["role"] == "serves"] == []
    embedded = {p["provider"] for p in result["providers"] if p["role"] == "embeds"}
    assert embedded == {"Google Hosted Libraries", "cdnjs (Cloudflare)", "Google Fonts", "Facebook", "Twitter",
                        "Amazon CloudFront"}
    # cdnjs "implies" Cloudflare in webappanalyzer: that must not make Cloudflare serve the site
    assert ("Cloudflare", "serves") not in roles(result)


def test_same_provider_can_serve_and_be_embedded_separately(ref) -> None:  # type: ignore[no-untyped-def]
    obs = {"domain": "shop.example.org", "dns": {"A": ["104.16.1.1"]},
           "html": '<script src="https://cdnjs.cloudflare.com/ajax/libs/a.js"></script>'}
    got = roles(Attributor(ref).attribute(obs))
    assert got[("Cloudflare", "serves")] == "cdn"
    assert got[("cdnjs (Cloudflare)", "embeds")] == "scripts"


def test_own_subdomains_are_not_third_party_embeds(ref) -> None:  # type: ignore[no-untyped-def]
    obs = {"domain": "www.hikvision.com.cn", "dns": {"A": []},
           "html": '<script src="https://static.hikvision.com.cn/app.js"></script>'
                   '<script src="https://widgets.unknown-vendor.example/w.js"></script>'}
    result = Attributor(ref).attribute(obs)
    assert result["providers"] == []
    assert result["unattributed_hosts"] == ["widgets.unknown-vendor.example"]


def test_chinese_providers_by_cname_and_ns(ref) -> None:  # type: ignore[no-untyped-def]
    obs = {"domain": "www.example.cn", "dns": {"A": ["47.74.0.1"], "CNAME": ["www.example.cn.w.kunlunpi.com"],
                                               "NS": ["dns9.hichina.com"], "MX": ["mxw.mxhichina.com"]}}
    got = roles(Attributor(ref).attribute(obs))
    assert got[("Alibaba Cloud", "serves")] in ("cloud", "cdn")
    assert got[("Alibaba Cloud DNS", "serves")] == "dns"
    assert got[("Alibaba Mail", "serves")] == "mail"


def test_scan_observations_statuses_and_citations(ref) -> None:  # type: ignore[no-untyped-def]
    from redline.infra.snapshots import register_snapshots
    from redline.infra.service import reference_for  # noqa: F401  (import check)
    from redline.store.base import Store
    from redline.config import load_settings

    store = Store(load_settings().db_url)
    register_snapshots(store, ref)
    results = scan_observations([SERVED, {"domain": "not a domain"},
                                 {"domain": "gone.example", "status": "nxdomain", "dns": {}}], ref)
    assert [r["status"] for r in results] == ["ok", "invalid_domain", "nxdomain"]
    cited = {c["source"] for c in results[0]["snapshots"]}
    assert {"aws", "redline-curated", "webappanalyzer"} <= cited
    assert all(isinstance(c["snapshot"], int) for c in results[0]["snapshots"])
    store.close()


@pytest.mark.parametrize("raw,expected", [
    ("Example.COM.", "example.com"), ("https://www.example.com/path", "www.example.com"),
    ("bücher.de", "xn--bcher-kva.de"), ("例え.jp", "xn--r8jz45g.jp"),
])
def test_domain_normalisation(raw: str, expected: str) -> None:
    assert check_domain(raw).domain == expected


@pytest.mark.parametrize("raw", ["", "localhost", "exa mple.com", "a..b", "-bad-.com", "x" * 64 + ".com",
                                 "1.2.3.4", "$(id).example.com", "example.com;ls", "xn--.com"])
def test_invalid_domains(raw: str) -> None:
    check = check_domain(raw)
    assert check.status == "invalid_domain" and check.domain is None and check.detail

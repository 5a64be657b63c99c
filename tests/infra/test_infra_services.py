"""Services within a provider: a public resolver is not a CDN, Google's own network is not a CDN,
and a CA behind a CDN serves the CDN's edge, not the owner directly."""

from __future__ import annotations

from redline.infra.attribution import Attributor
from redline.infra.owners import statements


def test_public_resolvers_are_resolvers_not_cdn(ref) -> None:  # type: ignore[no-untyped-def]
    hits = ref.lookup_ips(["8.8.8.8", "8.8.4.4", "1.1.1.1", "9.9.9.9", "2001:4860:4860::8888", "142.250.1.1", "34.120.1.1"])
    got = [(h.provider, h.service) if h else None for h in hits]
    assert got[:5] == [("Google Public DNS", "dns_resolver"), ("Google Public DNS", "dns_resolver"),
                       ("Cloudflare DNS (1.1.1.1)", "dns_resolver"), ("Quad9", "dns_resolver"),
                       ("Google Public DNS", "dns_resolver")]
    assert got[5] == ("Google", "network")          # goog ranges: Google's own network
    assert got[6] == ("Google Cloud", "cloud")      # cloud.json: Google Cloud customers


def test_certificate_from_a_ca_on_a_cloudflare_site_is_via_cloudflare(ref) -> None:  # type: ignore[no-untyped-def]
    obs = {"domain": "www.example-fronted.org", "dns": {"A": ["104.16.1.1"]},
           "tls": {"issuer": "CN=WE1,O=Google Trust Services,C=US"},
           "http": {"status": 200, "headers": {"server": "cloudflare", "cf-ray": "1"}}}
    result = Attributor(ref).attribute(obs)
    ca = next(p for p in result["providers"] if p["service"] == "certificate_authority")
    assert ca["provider"] == "Google Trust Services" and ca["via"] == "Cloudflare"
    said = statements("www.example-fronted.org", "Example Co", result["providers"],
                      [{"caption": "Example Co", "list_names": "the Entity List", "snapshots": [1]}])
    assert any("Google Trust Services serves Cloudflare for www.example-fronted.org" in s for s in said), said
    alone = Attributor(ref).attribute({**obs, "dns": {"A": ["192.0.2.10"]}, "http": {"status": 200, "headers": {}}})
    assert all("via" not in p for p in alone["providers"])

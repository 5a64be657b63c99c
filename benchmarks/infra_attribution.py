"""Attribution throughput over recorded observations built on the real ranges (synthetic domains, real IPs).

Batched attribution (one vectorised lookup for the whole batch, cached host/script rules) against the
baseline of attributing one observation at a time with a fresh attributor (no shared caches).
Run: .venv/bin/python benchmarks/infra_attribution.py [N]
"""

from __future__ import annotations

import ipaddress
import random
import sys
import time

from redline.config import load_settings
from redline.infra.attribution import Attributor
from redline.infra.reference import load_reference

PAGES = [
    '<html><head><link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
    '<script src="https://www.googletagmanager.com/gtag/js?id=G-{i}"></script>'
    '<script src="/static/app.{i}.js"></script></head><body>{body}</body></html>',
    '<html><head><script src="https://ajax.googleapis.com/ajax/libs/jquery/3.7.1/jquery.min.js"></script>'
    '<script src="https://cdnjs.cloudflare.com/ajax/libs/vue/3.{j}.0/vue.min.js"></script>'
    '<script src="https://widgets.vendor{j}.example/w.js"></script></head><body>{body}</body></html>',
    '<html><body>{body}<img src="https://static.site{i}.example.com/a.png">'
    '<iframe src="https://www.youtube.com/embed/{i}"></iframe></body></html>',
]


def observations(ref, n: int) -> list[dict]:  # type: ignore[no-untyped-def]
    rng = random.Random(3)
    nets = [ipaddress.ip_network(c.decode(), strict=False) for c in rng.sample(list(ref.record_cidr), 5000)]
    body = "<p>" + "lorem ipsum " * 400 + "</p>"  # ~5 kB of text a page
    out = []
    for i in range(n):
        net = rng.choice(nets)
        ip = str(net.network_address + rng.randrange(min(net.num_addresses, 2**32)))
        out.append({
            "domain": f"www.site{i}.example.com",
            "dns": {"A": [ip] if ":" not in ip else [], "AAAA": [ip] if ":" in ip else [],
                    "CNAME": rng.choice([[], [f"d{i}.cloudfront.net"], [f"site{i}.edgekey.net"]]),
                    "NS": rng.choice([[f"ns-{i % 2000}.awsdns-{i % 60:02d}.org"], ["ns1.alidns.com"],
                                      ["a.ns.cloudflare.com"]]),
                    "MX": rng.choice([[f"site{i}.mail.protection.outlook.com"], ["aspmx.l.google.com"], []]),
                    "TXT": ["v=spf1 include:spf.protection.outlook.com -all"]},
            "tls": {"issuer": rng.choice(["CN=Amazon RSA 2048 M01,O=Amazon,C=US", "CN=R3,O=Let's Encrypt,C=US",
                                          "CN=DigiCert Global G2,O=DigiCert Inc,C=US"])},
            "http": {"status": 200, "headers": rng.choice([{"x-amz-cf-id": "x", "server": "CloudFront"},
                                                           {"server": "cloudflare", "cf-ray": "1"},
                                                           {"server": "nginx"}])},
            "html": rng.choice(PAGES).format(i=i, j=i % 50, body=body),
        })
    return out


def main(n: int = 5000) -> None:
    settings = load_settings()
    ref = load_reference(settings.data("infra"), settings.cache_dir)
    obs = observations(ref, n)
    t = time.perf_counter()
    results = Attributor(ref).attribute_many(obs)
    batched = n / (time.perf_counter() - t)
    no_html = [{k: v for k, v in o.items() if k != "html"} for o in obs]
    t = time.perf_counter()
    Attributor(ref).attribute_many(no_html)
    batched_dns = n / (time.perf_counter() - t)
    sample = obs[:500]
    t = time.perf_counter()
    for o in sample:
        Attributor(ref).attribute(o)
    baseline = len(sample) / (time.perf_counter() - t)
    serving = sum(1 for r in results if any(p["role"] == "serves" for p in r["providers"]))
    print(f"{n} observations, {serving} with a serving provider")
    print(f"batched attribution, with HTML parsing   : {batched:>10,.0f} domains/s")
    print(f"batched attribution, DNS/TLS/HTTP only   : {batched_dns:>10,.0f} domains/s")
    print(f"baseline: one at a time, fresh attributor: {baseline:>10,.0f} domains/s  (ratio {batched / baseline:.1f}x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)

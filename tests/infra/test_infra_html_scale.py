"""Big pages: extraction walks the tree once, script rules are found through their literals (same
answers as trying every pattern in order), and the page is read up to a bound."""

from __future__ import annotations

import re
import time

from redline.infra.attribution import Attributor
from redline.infra.html_resources import extract_resources
from redline.infra.reference.fingerprints import ScriptMatcher, compiled


def big_page(blocks: int) -> str:
    block = ('<script src="https://www.googletagmanager.com/gtag/js?id=G-{i}"></script>'
             '<script src="https://cdn.vendor{i}.example/w.js"></script><img src="/img/{i}.png"><p>text</p>')
    return "<html><body>" + "".join(block.format(i=i) for i in range(blocks)) + "</body></html>"


def test_extraction_of_a_large_page_is_linear_not_quadratic() -> None:
    html = big_page(12_000)  # ~1.3 MB, 36,000 resources: the old XPath union took tens of seconds
    started = time.perf_counter()
    found = extract_resources(html, "https://www.example.org/")
    assert time.perf_counter() - started < 20
    assert len(found) == 36_000
    assert found[2].url == "https://www.example.org/img/0.png" and found[2].kind == "image"


def test_base_href_applies_to_resources_before_it_and_document_order_is_kept() -> None:
    html = ('<html><head><script src="a.js"></script><base href="https://static.example.net/x/">'
            '<link rel="stylesheet" href="s.css"><style>@import "i.css"; p{background:url(b.png)}</style>'
            '</head><body><iframe src="//frames.example.com/f"></iframe><object data="o.swf"></object></body></html>')
    got = [(r.kind, r.url) for r in extract_resources(html, "https://www.example.org/")]
    assert got == [("script", "https://static.example.net/x/a.js"), ("style", "https://static.example.net/x/s.css"),
                   ("style", "https://static.example.net/x/i.css"), ("image", "https://static.example.net/x/b.png"),
                   ("iframe", "https://frames.example.com/f"), ("media", "https://static.example.net/x/o.swf")]


def test_script_matcher_agrees_with_trying_every_pattern_in_order(ref) -> None:  # type: ignore[no-untyped-def]
    rules = ref.fingerprints.script_src
    matcher = ScriptMatcher(rules)

    def brute(url: str):  # type: ignore[no-untyped-def]
        for tech, service, pattern in rules:
            regex = compiled(pattern)
            if regex is not None and regex.search(url):
                return tech, service, pattern
        return None

    hosts = sorted({m.group(0).strip("\\/.") for _, _, p in rules[:400] for m in [re.search(r"[a-z0-9-]+\\\.[a-z]{2,}", p)] if m})
    urls = [f"https://www.{h.replace(chr(92), '')}/js/x.js" for h in hosts]
    urls += [u.upper() for u in urls[:50]] + ["https://cdn.example/none.js", "https://www.googletagmanager.com/gtag/js?id=1"]
    assert sum(brute(u) is not None for u in urls) > 100
    for url in urls:
        assert matcher.match(url) == brute(url), url


def test_a_page_over_the_bound_is_read_up_to_it_and_says_so(ref) -> None:  # type: ignore[no-untyped-def]
    html = big_page(2_000)
    result = Attributor(ref, max_html_bytes=10_000).attribute({"domain": "www.example.org", "html": html})
    assert result["html_truncated"] == {"bytes": len(html), "read": 10_000}
    whole = Attributor(ref, max_html_bytes=None).attribute({"domain": "www.example.org", "html": html})
    assert "html_truncated" not in whole
    assert len(whole["unattributed_hosts"]) > len(result["unattributed_hosts"]) > 0

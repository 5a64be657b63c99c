"""The hosts a page pulls content from: scripts, styles, images, iframes, fonts and media.

Parsed with lxml; scripts are never executed, so resources added by JavaScript at run time are
not seen (a known limit of static collection).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'")\s;]+)""", re.IGNORECASE)
_FONT_EXT = (".woff2", ".woff", ".ttf", ".otf", ".eot")
_XPATH = (
    "//script[@src] | //link[@href] | //img[@src or @srcset] | //iframe[@src] | //frame[@src]"
    " | //source[@src or @srcset] | //video[@src] | //audio[@src] | //embed[@src] | //object[@data] | //style"
)


@dataclass(frozen=True)
class Resource:
    kind: str   # script, style, image, iframe, font, media
    url: str
    host: str


def _host(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.hostname.rstrip(".").lower()


def _link_kind(rel: str, as_: str, href: str) -> str | None:
    rels = set(rel.lower().split())
    if "stylesheet" in rels:
        return "style"
    if rels & {"preload", "prefetch", "modulepreload"}:
        if as_ == "font" or href.lower().split("?")[0].endswith(_FONT_EXT):
            return "font"
        return {"script": "script", "style": "style", "image": "image"}.get(as_, None) or (
            "script" if "modulepreload" in rels else None)
    if rels & {"icon", "apple-touch-icon", "shortcut"}:
        return "image"
    return None  # preconnect, dns-prefetch, canonical, alternate: nothing is loaded


def _css_resources(text: str, base: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for url in _CSS_IMPORT.findall(text):
        found.append(("style", urljoin(base, url)))
    for url in _CSS_URL.findall(text):
        if url.startswith("data:"):
            continue
        kind = "font" if url.lower().split("?")[0].endswith(_FONT_EXT) else "image"
        found.append((kind, urljoin(base, url)))
    return found


def extract_resources(html: str | bytes, base_url: str) -> list[Resource]:
    """Every external resource the page references, in document order (duplicates removed)."""
    if not html:
        return []
    from lxml import etree

    parser = etree.HTMLParser(recover=True, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(html.encode("utf-8", "replace") if isinstance(html, str) else html, parser)
    except (etree.ParserError, ValueError):
        return []
    if root is None:
        return []
    base = base_url
    for node in root.iter("base"):
        href = node.get("href")
        if href:
            base = urljoin(base_url, href)
        break
    pairs: list[tuple[str, str]] = []
    for node in root.xpath(_XPATH):
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == "script":
            pairs.append(("script", urljoin(base, node.get("src", ""))))
        elif tag == "link":
            kind = _link_kind(node.get("rel", ""), (node.get("as") or "").lower(), node.get("href", ""))
            if kind:
                pairs.append((kind, urljoin(base, node.get("href", ""))))
        elif tag in ("img", "source"):
            if node.get("src"):
                pairs.append(("image" if tag == "img" else "media", urljoin(base, node.get("src", ""))))
            for item in (node.get("srcset") or "").split(","):
                url = item.strip().split(" ")[0]
                if url:
                    pairs.append(("image", urljoin(base, url)))
        elif tag in ("iframe", "frame"):
            pairs.append(("iframe", urljoin(base, node.get("src", ""))))
        elif tag in ("video", "audio", "embed"):
            pairs.append(("media", urljoin(base, node.get("src", ""))))
        elif tag == "object":
            pairs.append(("media", urljoin(base, node.get("data", ""))))
        elif tag == "style" and node.text:
            pairs.extend(_css_resources(node.text, base))
    seen: set[tuple[str, str]] = set()
    out: list[Resource] = []
    for kind, url in pairs:
        host = _host(url)
        if host and (kind, url) not in seen:
            seen.add((kind, url))
            out.append(Resource(kind, url, host))
    return out

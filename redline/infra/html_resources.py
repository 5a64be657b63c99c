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
# Elements that load something. Walked in one pass over the tree: an XPath union of these
# (`//script | //link | ...`) merges node sets pairwise in libxml2, quadratic in the page size.
_SOURCE_ATTRIBUTE = {"script": "src", "link": "href", "img": "src", "source": "src", "iframe": "src", "frame": "src",
                     "video": "src", "audio": "src", "embed": "src", "object": "data"}
_KIND = {"script": "script", "iframe": "iframe", "frame": "iframe", "video": "media", "audio": "media",
         "embed": "media", "object": "media"}
_TAGS = (*_SOURCE_ATTRIBUTE, "style")
MAX_HTML_BYTES = 2_000_000  # as the collector's default --max-bytes: the part of a page that is read


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


def _join(base: str, url: str) -> str:
    # Absolute addresses (most of a page's resources) need no resolution against the base.
    return url if url.startswith(("https://", "http://")) else urljoin(base, url)


def _css_resources(text: str, base: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for url in _CSS_IMPORT.findall(text):
        found.append(("style", _join(base, url)))
    for url in _CSS_URL.findall(text):
        if url.startswith("data:"):
            continue
        kind = "font" if url.lower().split("?")[0].endswith(_FONT_EXT) else "image"
        found.append((kind, _join(base, url)))
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
    first_base = root.find(".//base")  # the first <base> decides, wherever it stands
    if first_base is not None and first_base.get("href"):
        base = urljoin(base_url, first_base.get("href", ""))
    pairs: list[tuple[str, str]] = []
    for node in root.iter(*_TAGS):
        tag = node.tag
        if tag == "style":
            if node.text:
                pairs.extend(_css_resources(node.text, base))
            continue
        attribute = _SOURCE_ATTRIBUTE.get(tag)
        if attribute is None:
            continue
        url = node.get(attribute)
        if tag == "link":
            kind = _link_kind(node.get("rel", ""), (node.get("as") or "").lower(), url or "") if url else None
            if kind:
                pairs.append((kind, _join(base, url or "")))
        elif tag in ("img", "source"):
            if url:
                pairs.append(("image" if tag == "img" else "media", _join(base, url)))
            for item in (node.get("srcset") or "").split(","):
                candidate = item.strip().split(" ")[0]
                if candidate:
                    pairs.append(("image", _join(base, candidate)))
        elif url:
            pairs.append((_KIND[tag], _join(base, url)))
    seen: set[tuple[str, str]] = set()
    out: list[Resource] = []
    for kind, url in pairs:
        host = _host(url)
        if host and (kind, url) not in seen:
            seen.add((kind, url))
            out.append(Resource(kind, url, host))
    return out

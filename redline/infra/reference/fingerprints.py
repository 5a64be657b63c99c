"""webappanalyzer (Wappalyzer-format, GPL-3.0 data) fingerprints, reduced to what attribution needs.

Only technologies that are services somebody else runs are kept: CDN, PaaS, IaaS, hosting, load
balancers and e-mail (they can *serve* a site: matched on response headers, DNS records and the
certificate issuer) and analytics, tag managers, font scripts, advertising (they can only be
*embedded*: matched on script URLs). `implies` is ignored on purpose: cdnjs "implies" Cloudflare,
which is exactly the embed-as-customer error this tool exists to avoid.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import orjson

SERVING_CATEGORIES = {31: "cdn", 62: "hosting", 63: "cloud", 88: "hosting", 65: "cdn", 75: "mail"}
EMBEDDED_CATEGORIES = {31: "cdn", 10: "analytics", 42: "tag_manager", 17: "fonts", 36: "advertising"}
# Headers that name what a page may load, not who serves it.
IGNORED_HEADERS = {"content-security-policy", "content-security-policy-report-only", "link", "report-to", "nel"}


def _pattern(raw: str) -> str:
    return raw.split("\\;")[0]


def _service(cats: list[int], table: dict[int, str]) -> str | None:
    for cat in cats:
        if cat in table:
            return table[cat]
    return None


@dataclass
class Fingerprints:
    headers: dict[str, list[tuple[str, str, str]]]       # header -> [(tech, service, pattern)]
    dns: dict[str, list[tuple[str, str, str]]]           # record type -> [(tech, service, pattern)]
    cert_issuer: list[tuple[str, str, str]]              # [(tech, service, substring)]
    script_src: list[tuple[str, str, str]]               # [(tech, service, pattern)]
    technologies: int

    def to_json(self) -> dict:
        return {"headers": self.headers, "dns": self.dns, "cert_issuer": self.cert_issuer,
                "script_src": self.script_src, "technologies": self.technologies}

    @classmethod
    def from_json(cls, data: dict) -> "Fingerprints":
        return cls(
            {k: [tuple(x) for x in v] for k, v in data["headers"].items()},
            {k: [tuple(x) for x in v] for k, v in data["dns"].items()},
            [tuple(x) for x in data["cert_issuer"]],
            [tuple(x) for x in data["script_src"]],
            data["technologies"],
        )


def read_fingerprints(folder: Path) -> Fingerprints:
    headers: dict[str, list[tuple[str, str, str]]] = {}
    dns: dict[str, list[tuple[str, str, str]]] = {}
    cert: list[tuple[str, str, str]] = []
    scripts: list[tuple[str, str, str]] = []
    count = 0
    for path in sorted((folder / "technologies").glob("*.json")):
        for name, tech in orjson.loads(path.read_bytes()).items():
            count += 1
            cats = tech.get("cats", [])
            serving = _service(cats, SERVING_CATEGORIES)
            embedded = _service(cats, EMBEDDED_CATEGORIES)
            if serving:
                for header, pattern in (tech.get("headers") or {}).items():
                    if header.lower() not in IGNORED_HEADERS:
                        headers.setdefault(header.lower(), []).append((name, serving, _pattern(str(pattern))))
                for rtype, patterns in (tech.get("dns") or {}).items():
                    if rtype in ("TXT", "SOA"):
                        continue  # verification tokens and SOA are not a service relationship
                    for pattern in patterns if isinstance(patterns, list) else [patterns]:
                        dns.setdefault(rtype.upper(), []).append((name, serving, _pattern(str(pattern))))
            if tech.get("certIssuer"):
                cert.append((name, "certificate_authority", str(tech["certIssuer"])))
            if embedded:
                patterns = tech.get("scriptSrc") or []
                for pattern in patterns if isinstance(patterns, list) else [patterns]:
                    scripts.append((name, embedded, _pattern(str(pattern))))
    return Fingerprints(headers, dns, cert, scripts, count)


@lru_cache(maxsize=4096)
def compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error:
        return None



_GRAM = 4


def required_literal(pattern: str) -> str | None:
    """The longest run of plain characters every match of `pattern` contains (lower-cased), or None
    when the pattern has a top-level alternation, does not parse, or has no such run."""
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]
        from re._constants import LITERAL  # type: ignore[attr-defined]

        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except (re.error, ImportError, RecursionError, OverflowError):
        return None
    best, run = "", []
    for op, arg in parsed:
        if op is LITERAL:
            run.append(chr(arg))
            continue
        if len(run) > len(best):
            best = "".join(run)
        run = []
    if len(run) > len(best):
        best = "".join(run)
    return best.lower() if len(best) >= _GRAM else None


class ScriptMatcher:
    """The first script-URL pattern (in list order) that matches a URL.

    A pattern is searched only when its required literal occurs in the URL. The literals are
    indexed by their first four characters, so a URL costs one dictionary look-up per position
    and a regex search for the few candidates, not a search for each of the ~500 patterns.
    """

    def __init__(self, rules: Sequence[tuple[str, str, str]]) -> None:
        self.rules = list(rules)
        self.always: list[int] = []
        self.by_gram: dict[str, list[tuple[int, str]]] = {}
        for index, (_, _, pattern) in enumerate(self.rules):
            literal = required_literal(pattern)
            if literal is None:
                self.always.append(index)
            else:
                self.by_gram.setdefault(literal[:_GRAM], []).append((index, literal))

    def candidates(self, url: str) -> list[int]:
        lowered = url.lower()
        found = set(self.always)
        grams = self.by_gram
        for start in range(len(lowered) - _GRAM + 1):
            for index, literal in grams.get(lowered[start:start + _GRAM], ()):
                if lowered.startswith(literal, start):
                    found.add(index)
        return sorted(found)

    def match(self, url: str) -> tuple[str, str, str] | None:
        for index in self.candidates(url):
            tech, service, pattern = self.rules[index]
            regex = compiled(pattern)
            if regex is not None and regex.search(url):
                return tech, service, pattern
        return None

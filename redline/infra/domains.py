"""Domain names: validation, IDNA (to A-labels), and a site's registrable name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_IP_LITERAL = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")


@dataclass(frozen=True)
class DomainCheck:
    input: str
    domain: str | None       # the ASCII (A-label) form, or None when invalid
    status: str              # "ok" or "invalid_domain"
    detail: str = ""


def check_domain(raw: str) -> DomainCheck:
    text = (raw or "").strip()
    candidate = text
    if "://" in candidate:
        candidate = candidate.split("://", 1)[1]
    candidate = candidate.split("/", 1)[0].rstrip(".").lower()
    if not candidate:
        return DomainCheck(text, None, "invalid_domain", "empty domain name")
    if any(ch in candidate for ch in " \t\r\n@:?#;'\"\\`$|&<>*()[]{},"):
        return DomainCheck(text, None, "invalid_domain", "characters not allowed in a domain name")
    if not candidate.isascii():
        try:
            import idna

            candidate = idna.encode(candidate, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError) as exc:
            return DomainCheck(text, None, "invalid_domain", f"not a valid internationalised name: {exc}")
    labels = candidate.split(".")
    if len(labels) < 2:
        return DomainCheck(text, None, "invalid_domain", "a domain needs at least two labels")
    if len(candidate) > 253:
        return DomainCheck(text, None, "invalid_domain", "longer than 253 characters")
    for label in labels:
        if not _LABEL.match(label):
            return DomainCheck(text, None, "invalid_domain", f"bad label {label!r}")
    if labels[-1].isdigit():
        return DomainCheck(text, None, "invalid_domain", "an IP address, not a domain name")
    return DomainCheck(text, candidate, "ok")


@lru_cache(maxsize=1)
def _suffixes() -> Any:
    # The Public Suffix List as the publicsuffixlist package ships it (no network), private
    # section included: "www.hikvision.com.cn" is the site "hikvision.com.cn", and
    # "a.github.io" and "b.github.io" are two sites.
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


@lru_cache(maxsize=65_536)
def registrable(host: str) -> str:
    """The registrable domain (public suffix + one label) of `host`; the host itself when it is a
    public suffix or an address."""
    name = host.lower().rstrip(".")
    if _IP_LITERAL.match(name) or ":" in name:
        return name
    return _suffixes().privatesuffix(name) or name


def known_site(host: str) -> str | None:
    """The registrable domain of a host whose public suffix the list knows ('www.hikvision.com.cn' ->
    'hikvision.com.cn'); None for a string that ends in no known suffix ('veb.rf')."""
    site: str | None = _suffixes().privatesuffix(host.lower().rstrip("."), accept_unknown=False)
    return site


def same_site(host: str, domain: str) -> bool:
    return registrable(host) == registrable(domain)

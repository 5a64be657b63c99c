"""Domain names: validation, IDNA (to A-labels), and a site's registrable name."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")

# Second-level public suffixes common among the sites this tool looks at (a heuristic, not the full
# Public Suffix List): "www.hikvision.com.cn" belongs to the site "hikvision.com.cn".
_MULTI_PART_SUFFIXES = {
    "com.cn", "net.cn", "org.cn", "gov.cn", "edu.cn", "ac.cn", "com.hk", "com.tw", "org.tw", "co.uk", "org.uk",
    "ac.uk", "gov.uk", "co.jp", "ne.jp", "or.jp", "co.kr", "or.kr", "com.au", "net.au", "org.au", "com.br",
    "com.sg", "com.my", "co.in", "co.il", "com.tr", "com.ru", "co.za", "com.mx", "com.ar", "com.vn", "co.id",
    "com.pk", "com.eg", "com.sa", "ac.ir", "co.ir", "co.nz",
}


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


def registrable(host: str) -> str:
    labels = host.lower().rstrip(".").split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in _MULTI_PART_SUFFIXES:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def same_site(host: str, domain: str) -> bool:
    return registrable(host) == registrable(domain)

"""DNS records of a domain through dnspython's asyncio resolver (nameserver and port configurable)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from redline.infra.collect.config import CollectConfig
from redline.infra.domains import registrable


@dataclass
class DnsResult:
    records: dict[str, list[str]]
    status: str                          # ok, nxdomain, dns_timeout, dns_error, no_address
    errors: dict[str, str] = field(default_factory=dict)


def make_resolver(cfg: CollectConfig) -> Any:
    import dns.asyncresolver

    resolver = dns.asyncresolver.Resolver(configure=not cfg.nameservers)
    if cfg.nameservers:
        resolver.nameservers = list(cfg.nameservers)
    resolver.port = cfg.dns_port
    resolver.timeout = cfg.timeout
    resolver.lifetime = cfg.timeout
    resolver.cache = None
    return resolver


async def _query(resolver: Any, name: str, rdtype: str, retries: int, backoff: float = 0.2) -> Any:
    import dns.exception

    from redline.infra.collect.retry import retrying

    async for attempt in retrying(retries, lambda exc: isinstance(exc, dns.exception.Timeout), backoff):
        with attempt:
            return await resolver.resolve(name, rdtype, raise_on_no_answer=False, search=False)
    raise AssertionError("unreachable")


def _texts(answer: Any, rdtype: str) -> list[str]:
    import dns.rdatatype

    out: list[str] = []
    if answer is None or answer.response is None:
        return out
    wanted = dns.rdatatype.from_text(rdtype)
    for rrset in answer.response.answer:
        if rrset.rdtype != wanted:
            continue
        for rdata in rrset:
            if rdtype == "TXT":
                out.append(b"".join(rdata.strings).decode("utf-8", "replace"))
            elif rdtype == "MX":
                out.append(str(rdata.exchange).rstrip("."))
            elif rdtype in ("CNAME", "NS"):
                out.append(str(rdata.target).rstrip("."))
            else:
                out.append(rdata.to_text())
    return out


async def resolve_records(domain: str, cfg: CollectConfig, resolver: Any | None = None) -> DnsResult:
    import dns.exception
    import dns.resolver

    resolver = resolver or make_resolver(cfg)
    records: dict[str, list[str]] = {"A": [], "AAAA": [], "CNAME": [], "NS": [], "MX": [], "TXT": []}
    errors: dict[str, str] = {}
    try:
        a_answer = await _query(resolver, domain, "A", cfg.retries, cfg.retry_backoff)
    except dns.resolver.NXDOMAIN:
        return DnsResult(records, "nxdomain", {"dns": f"{domain} does not exist (NXDOMAIN)"})
    except dns.exception.Timeout:
        return DnsResult(records, "dns_timeout", {"dns": f"no answer for {domain} within {cfg.timeout:g}s"})
    except (dns.resolver.NoNameservers, dns.resolver.YXDOMAIN, dns.exception.DNSException) as exc:
        return DnsResult(records, "dns_error", {"dns": f"{type(exc).__name__}: {exc}"})
    records["A"] = _texts(a_answer, "A")
    records["CNAME"] = _texts(a_answer, "CNAME")

    async def safe(name: str, rdtype: str) -> Any:
        try:
            return await _query(resolver, name, rdtype, cfg.retries, cfg.retry_backoff)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return None
        except dns.exception.DNSException as exc:
            errors[f"{rdtype} {name}"] = f"{type(exc).__name__}: {exc}"
            return None

    site = registrable(domain)
    aaaa, mx, txt, ns = await asyncio.gather(safe(domain, "AAAA"), safe(domain, "MX"), safe(domain, "TXT"),
                                             safe(domain, "NS"))
    records["AAAA"] = _texts(aaaa, "AAAA")
    records["MX"] = _texts(mx, "MX")
    records["TXT"] = _texts(txt, "TXT")
    records["NS"] = _texts(ns, "NS")
    if site != domain:
        # www.example.com usually has no NS/MX of its own: the zone's are the site's
        if not records["NS"]:
            records["NS"] = _texts(await safe(site, "NS"), "NS")
        if not records["MX"]:
            records["MX"] = _texts(await safe(site, "MX"), "MX")
        if not any(t.lower().startswith("v=spf1") for t in records["TXT"]):
            records["TXT"] += [t for t in _texts(await safe(site, "TXT"), "TXT") if t.lower().startswith("v=spf1")]
    status = "ok" if records["A"] or records["AAAA"] else "no_address"
    return DnsResult(records, status, errors)

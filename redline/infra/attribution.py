"""Observation → providers, each with its service, its role and the evidence behind it.

`serves`: the provider carries the site itself — its addresses are in the provider's published
ranges, its CNAME chain or name servers or mail exchangers point at the provider, its certificate
was issued by it, or the provider's edge stamped the response headers.
`embeds`: the page pulls a script, style, font, image or frame from the provider. That makes the
site a *user* of a public resource, not the provider's customer: the error retracted in 2020.
Embed evidence never turns into `serves`, whatever else the provider is known for.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import orjson

from redline.infra.domains import same_site
from redline.infra.html_resources import MAX_HTML_BYTES, extract_resources
from redline.infra.reference.fingerprints import IGNORED_HEADERS, ScriptMatcher, compiled
from redline.infra.reference.issuers import issuer_provider
from redline.infra.reference.loader import RangeHit, ReferenceData
from redline.infra.reference.providers import resolve

SERVES, EMBEDS = "serves", "embeds"
_CONTEXT_SERVICE = {"ns": "dns", "mx": "mail", "spf": "mail"}


class Attributor:
    """Attribution against one loaded `ReferenceData`; caches per hostname and per script URL."""

    def __init__(self, ref: ReferenceData, max_html_bytes: int | None = MAX_HTML_BYTES) -> None:
        self.ref = ref
        self._snap = {key: info.snapshot for key, info in ref.sources.items()}
        self.match_host = lru_cache(maxsize=200_000)(self._match_host)
        self.match_script = lru_cache(maxsize=200_000)(self._match_script)
        self.match_dns_fp = lru_cache(maxsize=200_000)(self._match_dns_fp)
        self._scripts: ScriptMatcher | None = None
        self.max_html_bytes = max_html_bytes

    def snapshot_of(self, source: str) -> int | None:
        return self._snap.get("cdncheck" if source.startswith("cdncheck") else source)

    # --- rule matching (cached) ---------------------------------------------------------------
    def _match_host(self, host: str, context: str) -> tuple[str, str, str, str] | None:
        hit = self.ref.hostnames.match(host, context)
        if hit is None:
            return None
        source = "cdncheck" if hit.source.startswith("cdncheck") else hit.source
        return hit.provider, hit.service, hit.pattern, source

    def _match_dns_fp(self, rtype: str, value: str) -> tuple[str, str, str] | None:
        for tech, service, pattern in self.ref.fingerprints.dns.get(rtype, []):
            regex = compiled(pattern)
            if regex is not None and regex.search(value):
                return tech, service, pattern
        return None

    def _match_script(self, url: str) -> tuple[str, str, str] | None:
        if self._scripts is None:
            self._scripts = ScriptMatcher(self.ref.fingerprints.script_src)
        return self._scripts.match(url)

    # --- attribution --------------------------------------------------------------------------
    def attribute(self, obs: dict[str, Any], ip_hits: Sequence[RangeHit | None] | None = None) -> dict[str, Any]:
        domain = str(obs.get("domain", "")).lower().rstrip(".")
        dns = obs.get("dns") or {}
        found: dict[tuple[str, str], dict[str, Any]] = {}
        recorded: set[tuple[str, str, bytes]] = set()

        def add(provider_name: str, service: str, role: str, evidence: dict[str, Any]) -> None:
            provider = resolve(provider_name, service)
            key = (provider.name, role)
            entry = found.get(key)
            if entry is None:
                entry = {"provider": provider.name, "company": provider.company, "country": provider.country,
                         "service": service or provider.service, "role": role, "evidence": []}
                found[key] = entry
            fingerprint = (*key, orjson.dumps(evidence, option=orjson.OPT_SORT_KEYS))
            if fingerprint not in recorded:
                recorded.add(fingerprint)
                entry["evidence"].append(evidence)

        ips = [str(ip) for ip in (dns.get("A") or []) + (dns.get("AAAA") or [])]
        hits = ip_hits if ip_hits is not None else self.ref.lookup_ips(ips)
        for hit in hits:
            if hit is not None:
                add(hit.provider, hit.service, SERVES, {"kind": "ip", "value": hit.ip, "matched": hit.cidr,
                                                          "tag": hit.tag, "source": hit.source,
                                                          "snapshot": self.snapshot_of(hit.source)})
        for rtype, context in (("CNAME", "cname"), ("NS", "ns"), ("MX", "mx")):
            for value in dns.get(rtype) or []:
                host = _mx_host(str(value)) if rtype == "MX" else str(value).lower().rstrip(".")
                rule = self.match_host(host, context)
                if rule is not None:
                    provider, service, pattern, source = rule
                    add(provider, _CONTEXT_SERVICE.get(context, service), SERVES,
                        {"kind": context, "value": host, "matched": pattern, "source": source,
                         "snapshot": self.snapshot_of(source)})
                    continue
                fp = self.match_dns_fp(rtype, host)
                if fp is not None:
                    tech, service, pattern = fp
                    add(tech, _CONTEXT_SERVICE.get(context, service), SERVES,
                        {"kind": context, "value": host, "matched": pattern, "source": "webappanalyzer",
                         "snapshot": self.snapshot_of("webappanalyzer")})
        for txt in dns.get("TXT") or []:
            for include in _spf_includes(str(txt)):
                rule = self.match_host(include, "spf")
                if rule is not None:
                    provider, service, pattern, source = rule
                    add(provider, "mail", SERVES, {"kind": "spf", "value": include, "matched": pattern,
                                                   "source": source, "snapshot": self.snapshot_of(source)})
        tls = obs.get("tls") or {}
        issuer = str(tls.get("issuer") or "")
        if issuer:
            ca = issuer_provider(issuer)
            if ca is not None:
                add(ca[0], "certificate_authority", SERVES,
                    {"kind": "tls_issuer", "value": issuer, "matched": ca[1], "source": "redline-curated",
                     "snapshot": None})
        http = obs.get("http") or {}
        headers = {str(k).lower(): str(v) for k, v in (http.get("headers") or {}).items()}
        for name, value in headers.items():
            if name in IGNORED_HEADERS:
                continue
            for tech, service, pattern in self.ref.fingerprints.headers.get(name, ()):
                regex = compiled(pattern) if pattern else None
                if pattern and (regex is None or not regex.search(value)):
                    continue
                add(tech, service, SERVES, {"kind": "header", "value": f"{name}: {value[:120]}", "matched": pattern,
                                            "source": "webappanalyzer", "snapshot": self.snapshot_of("webappanalyzer")})
        third_party: dict[str, None] = {}
        html = obs.get("html")
        html_note: dict[str, int] | None = None
        if html:
            if self.max_html_bytes is not None and len(html) > self.max_html_bytes:
                html_note = {"bytes": len(html), "read": self.max_html_bytes}
                html = html[: self.max_html_bytes]
            base = str(http.get("final_url") or f"https://{domain}/")
            for res in extract_resources(html, base):
                if same_site(res.host, domain):
                    continue
                rule = self.match_host(res.host, "embed")
                evidence = {"kind": res.kind, "value": res.url[:300], "host": res.host}
                if rule is not None:
                    provider, service, pattern, source = rule
                    add(provider, service, EMBEDS, {**evidence, "matched": pattern, "source": source,
                                                    "snapshot": self.snapshot_of(source)})
                    continue
                fp = self.match_script(res.url) if res.kind == "script" else None
                if fp is not None:
                    tech, service, pattern = fp
                    add(tech, service, EMBEDS, {**evidence, "matched": pattern, "source": "webappanalyzer",
                                                "snapshot": self.snapshot_of("webappanalyzer")})
                else:
                    third_party[res.host] = None
        _certificates_via_edge(found)
        providers = sorted(found.values(), key=lambda p: (p["role"] != SERVES, p["provider"]))
        out: dict[str, Any] = {"providers": providers, "unattributed_hosts": list(third_party)}
        if html_note is not None:
            out["html_truncated"] = html_note
        return out

    def attribute_many(self, observations: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """Attribute a batch: every address of the batch is looked up in one vectorised search."""
        all_ips: list[str] = []
        spans: list[tuple[int, int]] = []
        for obs in observations:
            dns = obs.get("dns") or {}
            ips = [str(ip) for ip in (dns.get("A") or []) + (dns.get("AAAA") or [])]
            spans.append((len(all_ips), len(all_ips) + len(ips)))
            all_ips.extend(ips)
        hits = self.ref.lookup_ips(all_ips)
        return [self.attribute(obs, hits[a:b]) for obs, (a, b) in zip(observations, spans)]


# Services whose edge terminates TLS for the sites behind it, and so holds the certificate.
_EDGE_SERVICES = {"cdn", "waf"}


def _certificates_via_edge(found: dict[tuple[str, str], dict[str, Any]]) -> None:
    """A certificate from a CA other than the edge's own, on a site an edge (CDN, WAF) serves, is
    usually the edge's managed certificate (Cloudflare orders from Google Trust Services and Let's
    Encrypt): the CA serves the edge for this domain, not the owner directly. Say so."""
    edges = [p for p in found.values() if p["role"] == SERVES and p["service"] in _EDGE_SERVICES]
    for entry in found.values():
        if entry["role"] != SERVES or entry["service"] != "certificate_authority":
            continue
        others = [e["provider"] for e in edges if e["company"] != entry["company"]]
        if others and len(others) == len(edges):
            entry["via"] = others[0] if len(others) == 1 else ", ".join(sorted(others))
            entry["note"] = (f"certificate probably issued for {entry['via']}'s edge (a managed edge certificate), "
                             "not ordered by the domain owner")


def _mx_host(value: str) -> str:
    parts = value.split()
    return (parts[-1] if parts else value).lower().rstrip(".")


def _spf_includes(txt: str) -> list[str]:
    text = txt.strip().strip('"')
    if not text.lower().startswith("v=spf1"):
        return []
    out = []
    for term in text.split():
        term = term.lstrip("+~?-")
        for prefix in ("include:", "redirect=", "a:", "mx:"):
            if term.lower().startswith(prefix):
                out.append(term[len(prefix):].lower().rstrip("."))
    return out

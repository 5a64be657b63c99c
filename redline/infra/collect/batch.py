"""Collect many domains concurrently: one asyncio loop, a bounded number in flight, per-host pacing,
per-domain deadlines, results journaled as they complete, already-done domains skipped."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from redline.infra.collect.config import CollectConfig
from redline.infra.collect.dns_probe import make_resolver, resolve_records
from redline.infra.collect.http_probe import HttpClients, fetch_page
from redline.infra.collect.journal import Journal
from redline.infra.collect.ratelimit import HostRateLimiter
from redline.infra.collect.tls_probe import fetch_certificate
from redline.infra.domains import check_domain
from redline.infra.scan import now_iso

Progress = Callable[[dict[str, Any]], None]


class Collector:
    def __init__(self, cfg: CollectConfig) -> None:
        self.cfg = cfg
        self.resolver = make_resolver(cfg)
        self.limiter = HostRateLimiter(cfg.per_host_rate)
        self.clients: HttpClients | None = None

    async def __aenter__(self) -> "Collector":
        self.clients = HttpClients(self.cfg)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.clients is not None:
            await self.clients.aclose()

    async def _addresses(self, host: str) -> list[str]:
        result = await resolve_records(host, self.cfg, self.resolver)
        return result.records["A"] + result.records["AAAA"]

    async def observe(self, raw: str) -> dict[str, Any]:
        check = check_domain(raw)
        base: dict[str, Any] = {"input": raw, "domain": check.domain or raw, "observed_at": now_iso()}
        if check.domain is None:
            return {**base, "status": "invalid_domain", "errors": {"domain": check.detail}}
        try:
            return await asyncio.wait_for(self._observe(check.domain, base), self.cfg.domain_timeout)
        except (asyncio.TimeoutError, TimeoutError):
            return {**base, "status": "timeout", "errors": {"domain": f"gave up after {self.cfg.domain_timeout:g}s"}}

    async def _observe(self, domain: str, base: dict[str, Any]) -> dict[str, Any]:
        dns = await resolve_records(domain, self.cfg, self.resolver)
        obs: dict[str, Any] = {**base, "status": dns.status, "dns": dns.records}
        errors = dict(dns.errors)
        addresses = dns.records["A"] + dns.records["AAAA"]
        if dns.status != "ok" or not addresses:
            if errors:
                obs["errors"] = errors
            return obs
        assert self.clients is not None, "use `async with Collector(cfg)`"
        tasks = []
        if self.cfg.fetch_tls:
            async def tls() -> dict[str, Any]:
                await self.limiter.wait(addresses[0])
                return await fetch_certificate(domain, addresses[0], self.cfg.https_port, self.cfg.timeout)
            tasks.append(tls())
        if self.cfg.fetch_http:
            tasks.append(fetch_page(domain, addresses, self.clients, self.cfg, self._addresses, self.limiter))
        outcomes = await asyncio.gather(*tasks)
        if self.cfg.fetch_tls:
            tls_info = outcomes.pop(0)
            if "error" in tls_info:
                errors["tls"] = tls_info["error"]
            else:
                obs["tls"] = tls_info
        if self.cfg.fetch_http:
            page = outcomes.pop(0)
            if "error" in page:
                errors["http"] = page.pop("error")
            html = page.pop("html", None)
            if page.get("status") is not None:
                obs["http"] = page
            if html is not None:
                obs["html"] = html
        if errors:
            obs["errors"] = errors
        return obs


async def collect_many(domains: Sequence[str], cfg: CollectConfig, journal: Journal | None = None,
                       progress: Progress | None = None, retry_failed: bool = False) -> list[dict[str, Any]]:
    """Observations for `domains`, in input order; domains already in the journal are not collected again."""
    done = journal.done(retry_failed) if journal else {}
    results: dict[str, dict[str, Any]] = {}
    todo = []
    for raw in dict.fromkeys(domains):
        if raw in done:
            results[raw] = done[raw]
            if progress:
                progress(done[raw])
        else:
            todo.append(raw)
    queue: asyncio.Queue[str] = asyncio.Queue()
    for raw in todo:
        queue.put_nowait(raw)
    async with Collector(cfg) as collector:
        async def worker() -> None:
            while True:
                try:
                    raw = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                obs = await collector.observe(raw)
                results[raw] = obs
                if journal:
                    journal.append(obs)
                if progress:
                    progress(obs)

        await asyncio.gather(*(worker() for _ in range(max(1, min(cfg.concurrency, len(todo) or 1)))))
    ordered = [results[raw] for raw in dict.fromkeys(domains)]
    if journal:
        journal.finish(ordered)
    return ordered

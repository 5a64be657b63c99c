"""Registrable domains from the Public Suffix List; retries with backoff in the probes."""

from __future__ import annotations

import asyncio
import time

import dns.exception
import pytest

from redline.infra.collect.dns_probe import _query
from redline.infra.domains import registrable, same_site


@pytest.mark.parametrize(("host", "site"), [
    ("www.hikvision.com.cn", "hikvision.com.cn"),
    ("shop.example.co.uk", "example.co.uk"),
    ("www.example.com.br", "example.com.br"),      # not in the old hand-picked list of 40
    ("a.b.example.gov.sg", "example.gov.sg"),
    ("team.github.io", "team.github.io"),           # PSL private section: each github.io name is a site
    ("192.0.2.1", "192.0.2.1"),
])
def test_registrable_domain_follows_the_public_suffix_list(host: str, site: str) -> None:
    assert registrable(host) == site


def test_two_github_pages_are_different_sites() -> None:
    assert not same_site("alice.github.io", "bob.github.io")
    assert same_site("static.example.com.br", "www.example.com.br")


class FlakyResolver:
    def __init__(self, failures: int) -> None:
        self.failures, self.calls = failures, []

    async def resolve(self, name: str, rdtype: str, **_: object) -> str:
        self.calls.append(time.perf_counter())
        if len(self.calls) <= self.failures:
            raise dns.exception.Timeout()
        return "answer"


def test_dns_query_retries_with_growing_waits() -> None:
    resolver = FlakyResolver(failures=2)
    assert asyncio.run(_query(resolver, "example.org", "A", retries=2, backoff=0.05)) == "answer"
    gaps = [b - a for a, b in zip(resolver.calls, resolver.calls[1:])]
    assert len(gaps) == 2 and gaps[0] >= 0.04 and gaps[1] >= 0.09  # 0.05 s, then 0.1 s (plus jitter)


def test_dns_query_gives_up_after_the_retries() -> None:
    resolver = FlakyResolver(failures=5)
    with pytest.raises(dns.exception.Timeout):
        asyncio.run(_query(resolver, "example.org", "A", retries=1, backoff=0.01))
    assert len(resolver.calls) == 2

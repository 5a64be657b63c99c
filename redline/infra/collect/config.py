"""Settings of a collection run (all bounded: time, size, redirects, rate)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CollectConfig:
    nameservers: tuple[str, ...] = ()      # empty: the system resolver's
    dns_port: int = 53
    timeout: float = 5.0                    # seconds, per DNS query, TLS handshake and HTTP request
    domain_timeout: float = 60.0            # seconds for everything about one domain
    retries: int = 1                        # extra tries after a timeout or a refused connection
    retry_backoff: float = 0.2              # seconds before the first retry, doubling (with jitter) after
    max_bytes: int = 2_000_000              # body bytes kept; the download stops at the cap
    max_redirects: int = 5
    concurrency: int = 50                   # domains in flight
    per_host_rate: float = 10.0             # requests a second to one address (0: no limit)
    https_port: int = 443
    http_port: int = 80
    verify: bool | str = True               # True: system CAs; a path: that CA bundle; False: do not verify
    user_agent: str = "redline-infra/0.1 (+https://github.com/redline; research crawler)"
    fetch_tls: bool = True
    fetch_http: bool = True

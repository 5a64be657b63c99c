"""Per-host pacing: at most `rate` request starts a second to one address."""

from __future__ import annotations

import asyncio
import time


class HostRateLimiter:
    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._next: dict[str, float] = {}

    async def wait(self, host: str) -> None:
        if self.interval <= 0:
            return
        now = time.monotonic()
        start = max(now, self._next.get(host, now))
        self._next[host] = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)

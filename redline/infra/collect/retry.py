"""Retries with exponential backoff and jitter (tenacity), shared by the DNS and HTTP probes."""

from __future__ import annotations

from collections.abc import Callable

from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter


def retrying(retries: int, retry_on: Callable[[BaseException], bool], initial: float) -> AsyncRetrying:
    """`retries` extra tries after a failure `retry_on` accepts, waiting `initial` seconds, then
    twice as long each time (plus jitter, at most 8 × `initial`); the last error is re-raised."""
    return AsyncRetrying(stop=stop_after_attempt(retries + 1),
                         wait=wait_exponential_jitter(multiplier=initial, max=initial * 8, jitter=initial),
                         retry=retry_if_exception(retry_on), reraise=True)

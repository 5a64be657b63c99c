"""What every adapter speaks: pages of incoming signals, and feedback pushed back.

An adapter turns one exchange's wire format into `Page`s: the signals (additions and deletions)
of one response, the records it refused (malformed, failed verification) and the checkpoint to
resume from after it. The fetch engine (`redline.exchange.fetch`) applies a page in one transaction
with its checkpoint, so an adapter never writes to the store."""

from __future__ import annotations

import functools
import ssl
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx
import orjson
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

USER_AGENT = "redline-exchange/1"
BACKOFF = wait_exponential_jitter(multiplier=0.2, max=5.0, jitter=0.2)


class ExchangeError(RuntimeError):
    """A fetch or push that cannot go on; the message says why and what to do."""


class AuthRejected(ExchangeError):
    """The exchange refused the credential (expired or revoked token)."""


class Unsupported(ExchangeError):
    pass


@dataclass
class Incoming:
    signal_type: str
    value: str
    labels: list[str] = field(default_factory=list)
    contributor: str | None = None
    content_id: str | None = None
    remote_id: str | None = None
    deleted: bool = False
    confirmed_at: str | None = None  # when the exchange last asserted it
    derived_of: tuple[str, str] | None = None  # (type, value) of the banked file's own hash it derives from
    variant: str | None = None  # how it was derived (a window, the bars trimmed)


@dataclass
class Refusal:
    reason: str
    record: Any
    verification: bool = False  # a signature or digest that does not verify (else: malformed)


@dataclass
class Page:
    signals: list[Incoming]
    refused: list[Refusal]
    checkpoint: str | None  # where the next fetch resumes once this page is applied
    more: bool
    notices: list[dict[str, Any]] = field(default_factory=list)  # denial notices, signature checked
    skipped: int = 0  # records of signal types Redline does not match


@dataclass
class Feedback:
    """A local deconfirmation to push back: this hash is a false positive here."""
    signal_type: str
    value: str
    remote_id: str | None
    reason: str | None
    at: str


class Adapter:
    name: ClassVar[str]
    description: ClassVar[str]
    takes_feedback: ClassVar[bool] = True

    def __init__(self, config: dict[str, Any], secret: str | None, *, rate: float | None = None) -> None:
        self.config = config
        self.secret = secret
        self.rate = float(rate if rate is not None else config.get("rate", 5.0))

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> dict[str, Any]:
        """The config to store, or ValueError naming the option."""
        return config

    def pages(self, checkpoint: str | None) -> Iterator[Page]:
        raise NotImplementedError

    def push(self, items: list[Feedback]) -> dict[str, Any]:
        raise Unsupported(f"the {self.name} adapter takes no feedback")

    def close(self) -> None:
        pass


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, httpx.TransportError):
        return True
    return isinstance(exc, _Transient)


class _Transient(Exception):
    def __init__(self, status: int, retry_after: float | None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


class Http:
    """An HTTP client with a request rate limit (requests a second), retries with backoff for
    transient failures (connection errors, 408/425/429/5xx; Retry-After honoured up to 30 s), and
    clear errors for the rest."""

    def __init__(self, base_url: str, *, rate: float, headers: dict[str, str] | None = None,
                 timeout: float = 60.0, attempts: int = 4) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=timeout, verify=_tls(),
                                   headers={"User-Agent": USER_AGENT, **(headers or {})})
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.attempts = attempts
        self._last = 0.0

    def _pace(self) -> None:
        wait = self._last + self.interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            if isinstance(exc, _Transient) and exc.retry_after is not None:
                return min(exc.retry_after, 30.0)
            return BACKOFF(state)

        def once() -> httpx.Response:
            self._pace()
            response = self.client.request(method, url, **kwargs)
            if response.status_code in (408, 425, 429) or response.status_code >= 500:
                raise _Transient(response.status_code, _retry_after(response))
            return response

        try:
            for attempt in Retrying(retry=retry_if_exception(_retryable), stop=stop_after_attempt(self.attempts),
                                    wait=wait, reraise=True):
                with attempt:
                    return once()
        except _Transient as exc:
            raise ExchangeError(f"{method} {self._show(url)}: HTTP {exc.status} after {self.attempts} attempts") from None
        except httpx.TransportError as exc:
            raise ExchangeError(f"{method} {self._show(url)}: {exc.__class__.__name__} after {self.attempts} attempts "
                                f"({exc})") from None
        raise AssertionError("unreachable")

    def _show(self, url: str) -> str:
        shown = str(self.client.base_url.join(url))
        return shown.split("?", 1)[0]  # never print query strings: they may hold a token

    def json(self, response: httpx.Response) -> Any:
        try:
            return orjson.loads(response.content)  # several times faster than json on a 10,000-record page
        except ValueError:
            raise ExchangeError(f"{response.request.method} {self._show(str(response.request.url))}: "
                                f"HTTP {response.status_code}, not JSON") from None

    def close(self) -> None:
        self.client.close()


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context per process (building one costs ~0.1-0.3 s, more than a small fetch)."""
    return ssl.create_default_context()


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None

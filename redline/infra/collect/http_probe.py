"""The home page over HTTPS (then HTTP), through httpx: bounded redirects, bounded time, bounded size.

Connections go to the address our own DNS step found (Host header and TLS SNI carry the name), so
the whole observation rests on one resolver. The body is streamed and the download stops at
`max_bytes`: a hostile page cannot exhaust memory.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urljoin, urlsplit

from redline.infra.collect.config import CollectConfig
from redline.infra.collect.ratelimit import HostRateLimiter

Resolve = Callable[[str], Awaitable[list[str]]]
_REDIRECTS = {301, 302, 303, 307, 308}


class HttpClients:
    """One verifying and one non-verifying httpx client, shared by a whole batch."""

    def __init__(self, cfg: CollectConfig) -> None:
        import httpx

        limits = httpx.Limits(max_connections=max(cfg.concurrency * 2, 10), max_keepalive_connections=0)
        timeout = httpx.Timeout(cfg.timeout)
        verify: Any = cfg.verify
        if isinstance(verify, str):
            import ssl

            verify = ssl.create_default_context(cafile=verify)
        self.verified = httpx.AsyncClient(verify=verify, timeout=timeout, limits=limits,
                                          follow_redirects=False, trust_env=False)
        self.insecure = httpx.AsyncClient(verify=False, timeout=timeout, limits=limits,
                                          follow_redirects=False, trust_env=False)

    async def aclose(self) -> None:
        await self.verified.aclose()
        await self.insecure.aclose()


def _literal(address: str) -> str:
    return f"[{address}]" if ":" in address else address


async def _get(client: Any, url: str, address: str, cfg: CollectConfig) -> dict[str, Any]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (cfg.https_port if parts.scheme == "https" else cfg.http_port)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    target = f"{parts.scheme}://{_literal(address)}:{port}{path}"
    headers = {"Host": host if parts.port is None else f"{host}:{parts.port}", "User-Agent": cfg.user_agent,
               "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"}
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    async with client.stream("GET", target, headers=headers, extensions=extensions) as response:
        out: dict[str, Any] = {"status": response.status_code, "headers": dict(response.headers)}
        if response.status_code in _REDIRECTS and response.headers.get("location"):
            out["location"] = urljoin(url, response.headers["location"])
            return out
        chunks: list[bytes] = []
        size = 0
        truncated = False
        async for chunk in response.aiter_raw():
            room = cfg.max_bytes - size
            if len(chunk) >= room:
                chunks.append(chunk[:room])
                size += room
                truncated = True
                break
            chunks.append(chunk)
            size += len(chunk)
        out["body"] = b"".join(chunks)
        out["bytes"] = size
        out["truncated"] = truncated
        return out


def _decode(body: bytes, content_type: str) -> str:
    charset = "utf-8"
    for part in content_type.split(";"):
        if part.strip().lower().startswith("charset="):
            charset = part.split("=", 1)[1].strip().strip('"') or "utf-8"
    try:
        return body.decode(charset, "replace")
    except LookupError:
        return body.decode("utf-8", "replace")


async def _follow(client: Any, start: str, domain: str, addresses: list[str], cfg: CollectConfig,
                  resolve: Resolve, limiter: HostRateLimiter, tls_verified: bool | None) -> dict[str, Any]:
    import httpx

    url = start
    chain: list[str] = []
    known = {domain: addresses}
    for _ in range(cfg.max_redirects + 1):
        host = urlsplit(url).hostname or ""
        if host not in known:
            known[host] = await resolve(host)
        if not known[host]:
            raise httpx.ConnectError(f"{host} has no address")
        await limiter.wait(known[host][0])
        response = await _request_with_retries(client, url, known[host][0], cfg)
        if "location" in response:
            chain.append(url)
            url = response["location"]
            continue
        body = response.pop("body", b"")
        content_type = response["headers"].get("content-type", "")
        result = {**response, "final_url": url, "redirects": chain,
                  "tls_verified": tls_verified if start.startswith("https") else None}
        if "html" in content_type.lower() or not content_type:
            result["html"] = _decode(body, content_type)
        return result
    return {"error": f"more than {cfg.max_redirects} redirects", "redirects": chain, "final_url": url}


async def fetch_page(domain: str, addresses: list[str], clients: HttpClients, cfg: CollectConfig,
                     resolve: Resolve, limiter: HostRateLimiter) -> dict[str, Any]:
    """{"status", "headers", "final_url", "redirects", "tls_verified", "bytes", "truncated", "html"?, "error"?}"""
    import httpx

    errors: list[str] = []
    for start in (f"https://{domain}/", f"http://{domain}/"):
        try:
            return await _follow(clients.verified, start, domain, addresses, cfg, resolve, limiter, True)
        except httpx.ConnectError as exc:
            if not _is_certificate_error(exc):
                errors.append(f"{start}: {type(exc).__name__}: {exc}")
                continue
            errors.append(f"{start}: certificate not trusted ({exc}); fetched again without verification")
            try:
                result = await _follow(clients.insecure, start, domain, addresses, cfg, resolve, limiter, False)
                result["warnings"] = errors
                return result
            except httpx.HTTPError as exc2:
                errors.append(f"{start}: {type(exc2).__name__}: {exc2}")
        except httpx.HTTPError as exc:
            errors.append(f"{start}: {type(exc).__name__}: {exc}")
    return {"error": "; ".join(errors)}


async def _request_with_retries(client: Any, url: str, address: str, cfg: CollectConfig) -> dict[str, Any]:
    import httpx

    from redline.infra.collect.retry import retrying

    def transient(exc: BaseException) -> bool:
        if isinstance(exc, httpx.ConnectError):
            return not _is_certificate_error(exc)  # a bad certificate stays bad
        return isinstance(exc, (httpx.TimeoutException, httpx.RemoteProtocolError, httpx.ReadError))

    async for attempt in retrying(cfg.retries, transient, cfg.retry_backoff):
        with attempt:
            return await _get(client, url, address, cfg)
    raise AssertionError("unreachable")


def _is_certificate_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "certificate" in text or "ssl" in text and "verify" in text

"""Live collectors: DNS (dnspython), TLS certificate, HTTP(S) page (httpx), batched with asyncio."""

from redline.infra.collect.config import CollectConfig

__all__ = ["CollectConfig"]

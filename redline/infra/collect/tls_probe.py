"""The certificate a server presents for a name (read, not trusted: verification is the HTTP step's job)."""

from __future__ import annotations

import asyncio
import ssl
from typing import Any


def describe_certificate(der: bytes) -> dict[str, Any]:
    from cryptography import x509

    cert = x509.load_der_x509_certificate(der)
    try:
        san_ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        sans = [str(v) for v in san_ext.value.get_values_for_type(x509.DNSName)]
    except x509.ExtensionNotFound:
        sans = []
    return {
        "issuer": cert.issuer.rfc4514_string(),
        "subject": cert.subject.rfc4514_string(),
        "san": sans,
        "not_before": cert.not_valid_before_utc.isoformat(),
        "not_after": cert.not_valid_after_utc.isoformat(),
        "serial": format(cert.serial_number, "x"),
    }


_CONTEXT: ssl.SSLContext | None = None


def _reading_context() -> ssl.SSLContext:
    """One context for every probe: it trusts nothing (it only reads), so it loads no CA store."""
    global _CONTEXT
    if _CONTEXT is None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        _CONTEXT = context
    return _CONTEXT


async def fetch_certificate(host: str, address: str, port: int, timeout: float) -> dict[str, Any]:
    context = _reading_context()
    writer = None
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(address, port, ssl=context, server_hostname=host, ssl_handshake_timeout=timeout),
            timeout,
        )
        ssl_object = writer.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object else None
        if not der:
            return {"error": "no certificate presented"}
        info = describe_certificate(der)
        info["version"] = ssl_object.version()
        return info
    except (asyncio.TimeoutError, TimeoutError):
        return {"error": f"TLS handshake timed out after {timeout:g}s"}
    except (OSError, ssl.SSLError, ValueError) as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    finally:
        if writer is not None:
            writer.close()
            try:
                await asyncio.wait_for(writer.wait_closed(), 1.0)
            except (OSError, ssl.SSLError, asyncio.TimeoutError, TimeoutError):
                pass

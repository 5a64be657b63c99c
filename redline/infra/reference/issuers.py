"""Certificate issuer → certificate authority (authored table; matched on the issuer's O= and CN=)."""

from __future__ import annotations

# (substring of the issuer DN, lower case) -> provider name in the registry. First match wins.
ISSUERS: tuple[tuple[str, str], ...] = (
    ("o=amazon", "Amazon Trust Services"),
    ("cn=amazon", "Amazon Trust Services"),
    ("google trust services", "Google Trust Services"),
    ("microsoft", "Microsoft CA"),
    ("let's encrypt", "Let's Encrypt"),
    ("digicert", "DigiCert"),
    ("geotrust", "DigiCert"),
    ("thawte", "DigiCert"),
    ("rapidssl", "DigiCert"),
    ("symantec", "DigiCert"),
    ("encryption everywhere", "DigiCert"),
    ("sectigo", "Sectigo"),
    ("comodo", "Sectigo"),
    ("globalsign", "GlobalSign"),
    ("alphassl", "GlobalSign"),
    ("entrust", "Entrust"),
    ("identrust", "IdenTrust"),
    ("godaddy", "GoDaddy CA"),
    ("go daddy", "GoDaddy CA"),
    ("starfield", "GoDaddy CA"),
    ("zerossl", "ZeroSSL"),
    ("cloudflare", "Cloudflare CA"),
    ("trustasia", "TrustAsia"),
    ("wotrus", "WoTrus"),
    ("china financial certification authority", "CFCA"),
    ("cfca", "CFCA"),
)


def issuer_provider(issuer: str) -> tuple[str, str] | None:
    """(provider, the matched text) for an issuer DN, or None for an unknown authority."""
    text = issuer.lower()
    for needle, provider in ISSUERS:
        if needle in text:
            return provider, needle
    return None

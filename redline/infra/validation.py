"""A documented check of the 2020 Top10VPN claims against observations scanned by this tool.

Each claim ("Google provides web services for Hikvision") is compared with the scan results whose
owner is the claim's company: `serves` evidence from the named provider supports it; `embeds` only
means the page merely loads something from the provider — the very distinction of the 2020 correction.
These are historical claims; a verdict only says what the observations given here show.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# Words of the claim's provider column -> registry companies.
_COMPANIES = {
    "amazon": "Amazon", "google": "Google", "microsoft": "Microsoft", "facebook": "Meta", "twitter": "X Corp",
    "digicert": "DigiCert", "let's encrypt": "ISRG", "entrust": "Entrust", "geotrust": "DigiCert",
    "godaddy": "GoDaddy", "stackpath": "StackPath", "nortonlifelock": "DigiCert",
}


def read_claims(path: Path) -> list[dict[str, str]]:
    """The claims CSV; ValueError naming the file (and line) when it cannot be read as one."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except csv.Error as exc:
        raise ValueError(f"{path}: not a readable CSV ({exc})") from None
    for n, row in enumerate(rows, 2):
        if None in row:
            raise ValueError(f"{path}:{n}: more fields than the header names")
    if rows and "subject_company" not in rows[0]:
        raise ValueError(f"{path}: needs the columns subject_company, us_provider, claim, claim_status")
    return rows


def _companies(provider_text: str) -> list[str]:
    out = []
    for part in provider_text.replace(",", ";").split(";"):
        key = part.strip().lower()
        if key in _COMPANIES and _COMPANIES[key] not in out:
            out.append(_COMPANIES[key])
    return out


def _subject_key(subject: str) -> str | None:
    words = [w for w in subject.replace("(", " ").split() if w[:1].isupper()]
    skip = {"Hangzhou", "Zhejiang", "Technology", "Digital", "Co", "Ltd"}
    keys = [w.lower() for w in words if w not in skip]
    return keys[0] if keys else None


def validate_claims(claims: list[dict[str, str]], results: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    results = list(results)
    out = []
    for claim in claims:
        subject = claim.get("subject_company", "")
        key = _subject_key(subject) if not subject.startswith("(") else None
        companies = _companies(claim.get("us_provider", ""))
        row: dict[str, Any] = {"subject": subject, "provider": claim.get("us_provider"),
                               "claim": claim.get("claim"), "claim_status": claim.get("claim_status"),
                               "domains": [], "serves": [], "embeds_only": []}
        if key is None:
            row["verdict"] = "not checkable (no single company named)"
            out.append(row)
            continue
        mine = [r for r in results if key in str(r.get("owner", "")).lower() or key in str(r.get("domain", "")).lower()]
        row["domains"] = [r["domain"] for r in mine]
        if not mine:
            row["verdict"] = "no observation of the company's sites"
            out.append(row)
            continue
        serves, embeds = set(), set()
        for result in mine:
            for p in result.get("providers", []):
                if p.get("company") in companies:
                    label = f"{p['provider']} ({p['service']})"
                    (serves if p["role"] == "serves" else embeds).add(label)
        row["serves"] = sorted(serves)
        row["embeds_only"] = sorted(embeds - serves)
        if serves:
            row["verdict"] = "supported: the provider serves the site"
        elif embeds:
            row["verdict"] = "embeds only: the page loads content from the provider; not a customer relationship"
        else:
            row["verdict"] = "not observed"
        retracted = "retract" in str(claim.get("claim_status", "")).lower()
        row["agrees_with_2020_correction"] = (not serves) if retracted else None
        out.append(row)
    return out

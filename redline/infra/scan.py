"""Scan: observations in, one result per domain out (providers by role, listed parties, citations)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

import orjson

from redline.infra.attribution import Attributor
from redline.infra.domains import check_domain
from redline.infra.owners import OwnerLinker, statements
from redline.infra.reference.loader import ReferenceData

# Statuses a collector writes when it could not get the site's records at all.
FAILED_STATUSES = {"invalid_domain", "nxdomain", "dns_timeout", "dns_error", "no_address"}


def scan_observations(
    observations: Sequence[dict[str, Any]],
    ref: ReferenceData,
    attributor: Attributor | None = None,
    owners: dict[str, str] | None = None,
    default_owner: str | None = None,
    linker: OwnerLinker | None = None,
) -> list[dict[str, Any]]:
    attributor = attributor or Attributor(ref)
    citations = ref.citations()
    valid: list[tuple[int, dict[str, Any]]] = []
    results: list[dict[str, Any] | None] = [None] * len(observations)
    for i, obs in enumerate(observations):
        check = check_domain(str(obs.get("domain", "")))
        if check.domain is None:
            results[i] = {"domain": obs.get("domain"), "status": "invalid_domain", "detail": check.detail,
                          "providers": [], "listed_parties": []}
            continue
        valid.append((i, {**obs, "domain": check.domain}))
    attributed = attributor.attribute_many([obs for _, obs in valid])
    for (i, obs), found in zip(valid, attributed):
        status = str(obs.get("status") or "ok")
        result: dict[str, Any] = {
            "domain": obs["domain"],
            "status": status,
            "observed_at": obs.get("observed_at"),
            "providers": found["providers"],
            "unattributed_hosts": found["unattributed_hosts"],
            "listed_parties": [],
        }
        if obs.get("errors"):
            result["errors"] = obs["errors"]
        if found.get("html_truncated"):
            result["html_truncated"] = found["html_truncated"]
        owner = (owners or {}).get(obs["domain"]) or default_owner
        if owner:
            result["owner"] = owner
            link = (linker or OwnerLinker()).screen(owner)
            result["owner_screening"] = link["status"]
            if link.get("detail"):
                result["owner_screening_detail"] = link["detail"]
            result["listed_parties"] = link["parties"]
            result["statements"] = statements(obs["domain"], owner, found["providers"], link["parties"])
        used = {ev.get("snapshot") for p in found["providers"] for ev in p["evidence"]}
        result["snapshots"] = [c for c in citations if c["snapshot"] in used]
        results[i] = result
    return [r for r in results if r is not None]


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def dumps(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS, default=str)

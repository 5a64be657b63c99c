"""The exposure report: per provider, the listed parties whose sites it serves, and those it only appears on."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from redline import csvio


def exposure_report(results: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for result in results:
        parties = result.get("listed_parties") or []
        if not parties:
            continue
        domain = result.get("domain")
        for provider in result.get("providers") or []:
            row = rows.setdefault(provider["provider"], {
                "provider": provider["provider"], "company": provider.get("company", ""),
                "country": provider.get("country", ""), "serves": {}, "embeds": {}})
            bucket = row["serves" if provider["role"] == "serves" else "embeds"]
            for party in parties:
                key = party.get("id") or party.get("caption")
                item = bucket.setdefault(key, {"party": party.get("caption"), "id": party.get("id"),
                                               "lists": party.get("list_names"), "snapshots": party.get("snapshots"),
                                               "domains": [], "services": []})
                if domain not in item["domains"]:
                    item["domains"].append(domain)
                if provider.get("service") not in item["services"]:
                    item["services"].append(provider.get("service"))
    out = []
    for row in rows.values():
        serves = list(row["serves"].values())
        served_ids = set(row["serves"])
        embeds_only = [v for k, v in row["embeds"].items() if k not in served_ids]
        out.append({"provider": row["provider"], "company": row["company"], "country": row["country"],
                    "serves": serves, "embeds_only": embeds_only,
                    "serves_count": len(serves), "embeds_only_count": len(embeds_only)})
    out.sort(key=lambda r: (-r["serves_count"], -r["embeds_only_count"], r["provider"]))
    return out


CSV_FIELDS = ["provider", "company", "country", "role", "party", "party_id", "lists", "domains", "services", "snapshots"]


def report_csv(report: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csvio.dict_writer(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")  # formula cells neutralised
    writer.writeheader()
    for row in report:
        for role, items in (("serves", row["serves"]), ("embeds_only", row["embeds_only"])):
            for item in items:
                writer.writerow({"provider": row["provider"], "company": row["company"], "country": row["country"],
                                 "role": role, "party": item["party"], "party_id": item["id"], "lists": item["lists"],
                                 "domains": " ".join(item["domains"]), "services": " ".join(map(str, item["services"])),
                                 "snapshots": " ".join(str(s) for s in item.get("snapshots") or [])})
    return buffer.getvalue()

"""Alignment report: parties listed under surveillance or human-rights programmes, and which
partner jurisdictions list them and which don't (from the parties engine's listed_clusters())."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

PROGRAMMES_FILE = Path(__file__).with_name("alignment_programmes.yaml")


class AlignmentUnavailable(RuntimeError):
    pass


def load_programmes() -> dict[str, Any]:
    return yaml.safe_load(PROGRAMMES_FILE.read_text(encoding="utf-8"))


def jurisdiction(listing: dict[str, Any], names: dict[str, str]) -> str | None:
    """The partner jurisdiction whose listing this is, or None. A listing that names no authority
    (a names-only list of mixed or unknown origin) is no jurisdiction's, whatever its programme id."""
    if not listing.get("authority"):
        return None
    prefix = str(listing.get("program_id") or "").split("-", 1)[0]
    return prefix if prefix in names else None


def qualifying_reasons(listing: dict[str, Any], programmes: list[dict[str, Any]]) -> list[str]:
    out = []
    text = f"{listing.get('program') or ''}".casefold()
    listed_on = str(listing.get("listed_on") or "")
    for spec in programmes:
        if listing.get("program_id") != spec["program_id"]:
            continue
        by_text = any(m.casefold() in text for m in spec.get("program_contains") or [])
        by_date = any(listed_on.startswith(d) for d in spec.get("listed_on") or [])
        if by_text or by_date:
            out.append(f"{spec['program_id']}: {listing.get('program') or ''} ({listed_on or 'date unknown'})".strip())
    return out


def alignment_report(clusters: Iterable[dict[str, Any]] | None = None,
                     clusters_source: Callable[[], Iterable[dict[str, Any]]] | None = None) -> dict[str, Any]:
    spec = load_programmes()
    names: dict[str, str] = spec["jurisdictions"]
    if clusters is None:
        if clusters_source is None:
            try:
                from redline.parties.api import listed_clusters
            except ImportError as exc:
                raise AlignmentUnavailable(f"the parties engine is not available ({exc})") from None
            clusters_source = listed_clusters
        try:
            clusters = list(clusters_source())
        except Exception as exc:  # the engine's NoListsLoaded and the like
            raise AlignmentUnavailable(f"no listed clusters ({exc}); run `redline parties import PATH`") from None
    clusters = list(clusters)
    loaded: set[str] = set()
    for cluster in clusters:
        for listing in cluster.get("lists") or []:
            j = jurisdiction(listing, names)
            if j:
                loaded.add(j)
    parties = []
    for cluster in clusters:
        listings = cluster.get("lists") or []
        reasons = [r for listing in listings for r in qualifying_reasons(listing, spec["programmes"])]
        if not reasons:
            continue
        listed_by = sorted({j for lst in listings if (j := jurisdiction(lst, names))})
        parties.append({
            "id": cluster.get("id"), "caption": cluster.get("caption"), "schema": cluster.get("schema"),
            "countries": cluster.get("countries") or [], "reasons": sorted(set(reasons)),
            "listed_by": listed_by, "not_listed_by": sorted(loaded - set(listed_by)),
            "lists": [{k: lst.get(k) for k in ("source", "program", "program_id", "authority", "listed_on", "snapshot")}
                      for lst in listings],
        })
    parties.sort(key=lambda p: (-len(p["not_listed_by"]), str(p["caption"])))
    gaps: dict[str, int] = {j: 0 for j in sorted(loaded)}
    for p in parties:
        for j in p["not_listed_by"]:
            gaps[j] += 1
    return {"jurisdictions_loaded": sorted(loaded), "jurisdiction_names": {j: names[j] for j in sorted(loaded)},
            "not_listed_counts": gaps, "parties": parties,
            "note": "'not listed by' is only stated for jurisdictions whose lists are loaded"}

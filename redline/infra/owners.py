"""Link a domain's owner to the restricted-party lists through the parties screening engine.

The screener is any callable `screen(name, *, schema=None, country=None, limit=5) -> dict` returning
`{"results": [{"id", "caption", "score", "match", "lists", "via", …}], "snapshots": […]}`; the default
is `redline.parties.api.screen`, imported when first used.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

Screener = Callable[..., dict[str, Any]]


class OwnerScreeningUnavailable(RuntimeError):
    pass


def default_screener() -> Screener:
    try:
        from redline.parties import api
    except ImportError as exc:
        raise OwnerScreeningUnavailable(f"the parties screening engine is not available ({exc})") from exc
    return api.screen


def read_owners_csv(path: Path) -> dict[str, str]:
    """domain -> owner from a CSV with a header `domain,owner`. A name with a comma is quoted
    ("Hikvision Co., Ltd."), also after a space; a row that does not fit is refused with its line."""
    from redline.infra.domains import check_domain

    owners: dict[str, str] = {}
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle, skipinitialspace=True)
            fields = {(f or "").strip().lower() for f in reader.fieldnames or []}
            if not {"domain", "owner"} <= fields:
                raise ValueError(f"{path}: needs a header with the columns domain,owner")
            for row in reader:
                line = reader.line_num
                if None in row:
                    raise ValueError(f"{path}:{line}: more fields than the header names; "
                                     'quote a name that holds a comma ("Hikvision Co., Ltd.")')
                row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
                if not row.get("domain") and not row.get("owner"):
                    continue
                check = check_domain(row.get("domain", ""))
                if check.domain is None:
                    raise ValueError(f"{path}:{line}: domain {row.get('domain')!r}: {check.detail}")
                if not row.get("owner"):
                    raise ValueError(f"{path}:{line}: no owner for {check.domain}")
                owners[check.domain] = row["owner"]
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    except csv.Error as exc:
        raise ValueError(f"{path}:{reader.line_num}: not a readable CSV row ({exc})") from None
    return owners


def list_names(hit: dict[str, Any]) -> str:
    names = []
    for item in hit.get("lists") or []:
        label = item.get("program") or item.get("source") or "a restricted-party list"
        qualifier = item.get("authority") or item.get("source")
        if qualifier and qualifier not in label:
            label = f"the {label} ({qualifier})" if item.get("program") else label
        if label not in names:
            names.append(label)
    return " and ".join(names) or "a restricted-party list"


def snapshot_refs(hit: dict[str, Any]) -> list[Any]:
    refs = []
    for item in hit.get("lists") or []:
        snap = item.get("snapshot")
        if snap is not None and snap not in refs:
            refs.append(snap)
    return refs


class OwnerLinker:
    """Screens each owner once (cached) and turns the hits into `listed_parties` entries."""

    def __init__(self, screener: Screener | None = None, schema: str | None = None) -> None:
        self._screener = screener
        self.schema = schema
        self._cache: dict[str, dict[str, Any]] = {}

    @property
    def screener(self) -> Screener:
        if self._screener is None:
            self._screener = default_screener()
        return self._screener

    def screen(self, owner: str) -> dict[str, Any]:
        if owner not in self._cache:
            try:
                response = self.screener(owner, schema=self.schema, limit=5)
            except OwnerScreeningUnavailable as exc:
                self._cache[owner] = {"status": "screening_unavailable", "detail": str(exc), "parties": []}
                return self._cache[owner]
            except Exception as exc:  # the engine's NoListsLoaded and anything else: say so, go on
                name = type(exc).__name__
                status = "no_lists_loaded" if name == "NoListsLoaded" else "screening_error"
                self._cache[owner] = {"status": status, "detail": f"{name}: {exc}", "parties": []}
                return self._cache[owner]
            parties = [
                {"owner": owner, "id": hit.get("id"), "caption": hit.get("caption"), "schema": hit.get("schema"),
                 "score": hit.get("score"), "lists": hit.get("lists") or [], "via": hit.get("via") or [],
                 "explanation": hit.get("explanation"), "list_names": list_names(hit),
                 "snapshots": snapshot_refs(hit)}
                for hit in response.get("results") or [] if hit.get("match")
            ]
            self._cache[owner] = {"status": "listed" if parties else "not_listed", "parties": parties,
                                  "list_snapshots": response.get("snapshots") or []}
        return self._cache[owner]


def statements(domain: str, owner: str | None, providers: list[dict[str, Any]],
               parties: list[dict[str, Any]]) -> list[str]:
    """Plain sentences: who serves (or only embeds into) the site of a listed party."""
    if not owner or not parties:
        return []
    out = []
    for party in parties:
        snaps = ", ".join(str(s) for s in party.get("snapshots") or []) or "n/a"
        as_listed = "" if str(party.get("caption", "")).casefold() == owner.casefold() else \
            f" (listed as {party.get('caption')})"
        listed = f"{owner}{as_listed}, which is on {party['list_names']} (snapshot {snaps})"
        for p in providers:
            if p["role"] == "serves" and p.get("via"):
                out.append(f"{p['provider']} serves {p['via']} for {domain} ({p['service']} via {p['via']}), "
                           f"the site of {listed}; not the owner directly.")
            elif p["role"] == "serves":
                out.append(f"{p['provider']} serves {domain} ({p['service']}), the site of {listed}.")
            else:
                out.append(f"{p['provider']} is only embedded by {domain} (the page loads {p['service']} from it), "
                           f"the site of {listed}; embedding is not a customer relationship.")
    return out

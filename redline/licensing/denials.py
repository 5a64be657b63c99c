"""Denial notifications: export our denials, import a partner's, flag later look-alike applications.

A later application matches a partner's denial when one of its parties is the same party (same
name once legal forms and punctuation are set aside, or the same listed cluster by screening) and
one of its items is in the same family of categories (redline.licensing.vocab.CATEGORY_FAMILIES).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select

from redline.licensing.tables import denials as denials_table
from redline.licensing.territories import is_iso2
from redline.licensing.vocab import PARTY_ROLES, category_family
from redline.store.base import Store

FORMAT = "redline.denial-notification/1"


class DenialFileError(ValueError):
    pass


def name_key(name: str) -> str:
    from fingerprints import generate

    return generate(name) or name.casefold().strip()


def record_own_denial(store: Store, result: dict[str, Any], application: Any, authority: str) -> dict[str, Any]:
    policy = str((result.get("policy") or {}).get("name") or "")
    notice = {
        # One denial per authority, policy and application: a deny under one policy never replaces another's.
        "denial_id": f"{authority}:{policy}:{application.id}" if policy else f"{authority}:{application.id}",
        "application_id": application.id,
        "authority": authority,
        "policy": policy or None,
        "control_codes": sorted({i["control_code"] for i in result.get("items", []) if i.get("control_code")}),
        "decided_on": application.date.isoformat(),
        "destination": application.destination,
        "parties": [{"role": p.role, "name": p.name, "country": p.country, "type": p.type} for p in application.parties],
        "item_categories": sorted({i["category"] for i in result.get("items", []) if i.get("category")}),
        "reason": "; ".join(r["text"] for r in result["reasons"] if r.get("decision") == "deny"),
        "citations": sorted({c for r in result["reasons"] if r.get("decision") == "deny" for c in r["citations"]}),
    }
    _upsert(store, notice, origin="own", source_file=None)
    return notice


def export_denials(store: Store, application_id: str | None = None) -> dict[str, Any]:
    query = select(denials_table).where(denials_table.c.origin == "own").order_by(denials_table.c.id)
    if application_id:
        query = query.where(denials_table.c.application_id == application_id)
    with store.connect() as conn:
        rows = [_row(r) for r in conn.execute(query)]
    return {"format": FORMAT, "denials": rows}


def import_denials(store: Store, path: Path) -> list[dict[str, Any]]:
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise DenialFileError(f"{path}: not a readable JSON file ({exc})") from None
    notices = data.get("denials") if isinstance(data, dict) else data
    if not isinstance(notices, list) or not notices:
        raise DenialFileError(f"{path}: no denials (expected {{'format': '{FORMAT}', 'denials': [...]}})")
    checked = [_validate(n, f"{path}: denials[{i}]") for i, n in enumerate(notices)]
    with store.transaction() as conn:
        for notice in checked:
            _upsert_conn(conn, notice, origin="partner", source_file=str(path))
    return checked


def list_denials(store: Store, origin: str | None = None) -> list[dict[str, Any]]:
    query = select(denials_table).order_by(denials_table.c.id)
    if origin:
        query = query.where(denials_table.c.origin == origin)
    with store.connect() as conn:
        return [_row(r) for r in conn.execute(query)]


def matching_denials(store: Store, application: Any, categories: list[str], app_hit_ids: dict[str, set[str]],
                     screener: Any | None, compare: Any | None = None) -> list[dict[str, Any]]:
    """Partner denials that this application would undercut, each with why it matches: the same
    name key, the parties engine's name comparison ("Telecom Egypt S.A.E." is "Telecom Egypt"), or
    the same listed party by screening. `compare(left, right)` is `redline.parties.api.compare_names`."""
    partner = list_denials(store, origin="partner")
    if not partner:
        return []
    if compare is None:
        from redline.parties.api import name_comparer

        compare = name_comparer()
    families = {category_family(c) for c in categories}
    app_keys = {p.name: name_key(p.name) for p in application.parties}
    matches = []
    for notice in partner:
        shared_families = families & {category_family(c) for c in notice["item_categories"]}
        if not shared_families:
            continue
        for denied in notice["parties"]:
            denied_key = name_key(denied["name"])
            denied_hits: set[str] | None = None
            for party in application.parties:
                how = None
                if app_keys[party.name] == denied_key:
                    how = "same name"
                elif (compared := compare(party.name, denied["name"])).get("match"):
                    how = f"same name by the parties engine (score {compared.get('score')})"
                elif app_hit_ids.get(party.name) and screener is not None:
                    if denied_hits is None:
                        denied_hits = _hit_ids(screener, denied["name"])
                    if app_hit_ids[party.name] & denied_hits:
                        how = "same listed party by screening"
                if how:
                    matches.append({"notice": notice, "party": party.name, "denied_party": denied["name"],
                                    "how": how, "families": sorted(shared_families)})
    return matches


def _hit_ids(screener: Any, name: str) -> set[str]:
    response = screener(name, limit=5)
    return {r["id"] for r in response.get("results") or [] if r.get("match")}


def _validate(notice: Any, where: str) -> dict[str, Any]:
    if not isinstance(notice, dict):
        raise DenialFileError(f"{where}: a denial is a mapping")
    for key in ("authority", "decided_on", "reason"):
        if not notice.get(key) or not isinstance(notice[key], str):
            raise DenialFileError(f"{where}.{key}: is required")
    try:
        datetime.strptime(notice["decided_on"], "%Y-%m-%d")
    except ValueError:
        raise DenialFileError(f"{where}.decided_on: {notice['decided_on']!r} is not an ISO date") from None
    parties = notice.get("parties")
    if not isinstance(parties, list) or not parties or not all(isinstance(p, dict) and p.get("name") for p in parties):
        raise DenialFileError(f"{where}.parties: a non-empty list of parties with names is required")
    for i, p in enumerate(parties):
        if p.get("role") and p["role"] not in PARTY_ROLES:
            raise DenialFileError(f"{where}.parties[{i}].role: {p['role']!r} is not one of {', '.join(PARTY_ROLES)}")
    cats = notice.get("item_categories") or ([notice["item_category"]] if notice.get("item_category") else [])
    if not cats or not all(isinstance(c, str) for c in cats):
        raise DenialFileError(f"{where}.item_categories: at least one item category is required")
    dest = notice.get("destination")
    if dest is not None and not is_iso2(str(dest)):
        raise DenialFileError(f"{where}.destination: {dest!r} is not an ISO alpha-2 code")
    codes = notice.get("control_codes") or []
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise DenialFileError(f"{where}.control_codes: a list of control codes (text) is expected")
    if notice.get("policy") is not None and not isinstance(notice["policy"], str):
        raise DenialFileError(f"{where}.policy: must be text")
    return {
        "denial_id": notice.get("denial_id") or f"{notice['authority']}:{notice.get('application_id') or len(parties)}:{notice['decided_on']}",
        "application_id": notice.get("application_id"), "authority": notice["authority"],
        "decided_on": notice["decided_on"], "destination": dest, "parties": parties,
        "item_categories": list(cats), "reason": notice["reason"], "citations": list(notice.get("citations") or []),
        "control_codes": list(codes), "policy": notice.get("policy"),
    }


def _upsert(store: Store, notice: dict[str, Any], origin: str, source_file: str | None) -> None:
    with store.transaction() as conn:
        _upsert_conn(conn, notice, origin, source_file)


def _upsert_conn(conn: Any, notice: dict[str, Any], origin: str, source_file: str | None) -> None:
    conn.execute(denials_table.delete().where(denials_table.c.denial_id == notice["denial_id"]))
    conn.execute(denials_table.insert().values(
        denial_id=notice["denial_id"], origin=origin, authority=notice["authority"],
        application_id=notice.get("application_id"), decided_on=notice["decided_on"],
        # The items column holds {"categories", "control_codes", "policy"} (older rows: a list of categories).
        item_categories=orjson.dumps({"categories": notice["item_categories"],
                                      "control_codes": notice.get("control_codes") or [],
                                      "policy": notice.get("policy")}).decode(),
        parties=orjson.dumps(notice["parties"]).decode(), reason=notice["reason"],
        citations=orjson.dumps(notice.get("citations") or []).decode(), destination=notice.get("destination"),
        imported_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), source_file=source_file,
    ))


def _row(row: Any) -> dict[str, Any]:
    items = orjson.loads(row.item_categories)
    if isinstance(items, list):
        items = {"categories": items, "control_codes": [], "policy": None}
    return {
        "denial_id": row.denial_id, "origin": row.origin, "authority": row.authority,
        "application_id": row.application_id, "decided_on": row.decided_on, "destination": row.destination,
        "policy": items.get("policy"), "parties": orjson.loads(row.parties), "item_categories": items["categories"],
        "control_codes": items.get("control_codes") or [], "reason": row.reason, "citations": orjson.loads(row.citations),
    }


def store_partner_notice(conn: Any, notice: dict[str, Any], exchange: str) -> None:
    """A verified partner notice (redline.licensing.notices) kept as a partner denial too, so that
    assessments flag a later look-alike application (RF_PARTNER_DENIAL) as they do for `denial import`."""
    _upsert_conn(conn, {
        "denial_id": notice["notice_id"], "application_id": notice.get("application_id"), "authority": notice["authority"],
        "decided_on": notice["date"], "destination": None,
        "parties": [{"role": "end_user", "name": notice["party"]["name"], "country": notice["party"].get("country")}],
        "item_categories": list(notice["item_categories"]), "control_codes": list(notice["control_codes"]),
        "reason": notice["grounds"], "citations": [], "policy": None,
    }, origin="partner", source_file=exchange)

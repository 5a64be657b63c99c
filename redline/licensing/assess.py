"""Assess one application under one policy: classify items, gather evidence, run the rules as of
the application's date, decide approve / refer / deny with reasons, citations and evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from redline.licensing.application import Application, ApplicationError, Item
from redline.licensing.conditions import evaluate
from redline.licensing.countries import CountryData
from redline.licensing.listpolicy import LICENCE_POLICY_PROGRAMS, REVIEW_POLICIES, review_policy
from redline.licensing.policy import Policy, Rule
from redline.licensing.screening import (
    PartyScreening, Screener, owner_programs, programs, screen_parties, screening_evidence,
)
from redline.licensing.territories import country_name
from redline.licensing.vocab import DECISION_RANK, NO_LICENCE_REQUIRED, NOT_APPLICABLE, category_family
from redline.store.base import Store


@dataclass(frozen=True)
class ClassifiedItem:
    index: int
    item: Item
    category: str  # a policy category, or "unknown"
    note: str | None

    @property
    def classified(self) -> bool:
        return self.category != "unknown"

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "description": self.item.description, "control_code": self.item.control_code,
                "category": self.category, "classified": self.classified, "note": self.note}


def classify_items(application: Application, policy: Policy) -> list[ClassifiedItem]:
    problems: list[tuple[str, str]] = []
    out = []
    for index, item in enumerate(application.items):
        note = None
        by_code = policy.categories_for_code(item.control_code) if item.control_code else []
        if item.category:
            category = item.category
            if category not in policy.categories:
                if policy.unknown_category == "error":
                    problems.append((f"items[{index}].category", f"{category!r} is not a category of policy {policy.name}"))
                note = f"category {category!r} is not in policy {policy.name}'s vocabulary"
                category = "unknown"
            elif item.control_code and by_code and category not in by_code:
                note = f"control code {item.control_code} maps to {', '.join(by_code)}, not {category}; the stated category is used"
        elif len(by_code) == 1:
            category = by_code[0]
        elif len(by_code) > 1:
            category, note = "unknown", f"control code {item.control_code} maps to several categories ({', '.join(by_code)}); state the category"
        else:
            if policy.unknown_control_code == "error":
                problems.append((f"items[{index}].control_code",
                                 f"{item.control_code!r} is not mapped by policy {policy.name}; classify the item (give a category)"))
            category, note = "unknown", f"control code {item.control_code} is not mapped by policy {policy.name}"
        out.append(ClassifiedItem(index, item, category, note))
    if problems:
        raise ApplicationError(application.source or application.id, problems)
    return out


def check_red_flags(application: Application, policy: Policy) -> None:
    problems = []
    for index, flag in enumerate(application.red_flags):
        if flag not in policy.red_flags:
            import difflib

            close = difflib.get_close_matches(flag, list(policy.red_flags), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append((f"red_flags[{index}]", f"{flag!r} is not a red flag of policy {policy.name}{hint}"))
        elif policy.red_flags[flag].get("derived"):
            pass  # an analyst may assert a listing the loaded lists do not hold
    if problems:
        raise ApplicationError(application.source or application.id, problems)


def destination_risk(application: Application, policy: Policy, countries: CountryData) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    code = application.destination
    indicators = countries.indicators(code, application.date)
    groups = {g for g, spec in policy.country_groups.items() if code in spec["members"]}
    facts: dict[str, Any] = {k: (v.value if v else None) for k, v in indicators.items()}
    facts["destination_group"] = groups
    tier = "unknown"
    for name in policy.tier_order:
        if evaluate(policy.tiers[name], facts) is True:
            tier = name
            break
    evidence = [ind.to_evidence(code) for ind in indicators.values() if ind is not None]
    missing = sorted(k for k, v in indicators.items() if v is None)
    if missing:
        evidence.append({"kind": "destination_indicator_missing", "source": "REDLINE_DATA/countries", "snapshot": None,
                         "detail": {"country": code, "missing": missing,
                                    "note": "no value in the loaded data; treated as unknown, never as low risk"}})
    for group in sorted(groups):
        evidence.append({"kind": "country_group", "source": "; ".join(policy.cite_text(c) for c in policy.country_groups[group]["cite"]),
                         "snapshot": f"policy:{policy.name}@{policy.version}", "detail": {"country": code, "group": group}})
    summary = {"country": code, "name": country_name(code), "tier": tier,
               "indicators": {k: v for k, v in facts.items() if k != "destination_group"}, "groups": sorted(groups)}
    return tier, summary, evidence


def assess(application: Application, policy: Policy, *, countries: CountryData, screener: Screener,
           store: Store | None = None, screenings: list[PartyScreening] | None = None) -> dict[str, Any]:
    """The decision record for `application` under `policy` (deterministic for the same inputs)."""
    check_red_flags(application, policy)
    items = classify_items(application, policy)
    tier, destination, evidence = destination_risk(application, policy, countries)

    if screenings is None:
        screenings = screen_parties(application.parties, screener)
    direct = [r for s in screenings for r in s.direct]
    indirect = [r for s in screenings for r in s.indirect]
    evidence += screening_evidence(screenings)
    derived: set[str] = set()
    if direct:
        derived.add("RF_LISTED")
    if indirect:
        derived.add("RF_LISTED_INDIRECT")
    near = [r for s in screenings for r in s.near]
    if near:
        derived.add("RF_NEAR_MISS")

    if store is not None:
        from redline.licensing.denials import matching_denials

        hit_ids = {s.party.name: s.hit_ids for s in screenings}
        for match in matching_denials(store, application, [i.category for i in items], hit_ids, screener):
            derived.add("RF_PARTNER_DENIAL")
            notice = match["notice"]
            evidence.append({"kind": "partner_denial", "source": notice["authority"], "snapshot": notice["denial_id"],
                             "detail": {"party": match["party"], "denied_party": match["denied_party"], "how": match["how"],
                                        "decided_on": notice["decided_on"], "item_categories": notice["item_categories"],
                                        "control_codes": notice.get("control_codes") or [], "policy": notice.get("policy"),
                                        "families": match["families"], "reason": notice["reason"],
                                        "citations": notice["citations"]}})
    for flag in application.red_flags:
        evidence.append({"kind": "analyst_red_flag", "source": "; ".join(policy.cite_text(c) for c in policy.red_flags[flag]["cite"]),
                         "snapshot": f"policy:{policy.name}@{policy.version}", "detail": {"flag": flag, "text": policy.red_flags[flag]["text"]}})
    for item in items:
        if item.note:
            evidence.append({"kind": "item_classification", "source": f"policy {policy.name}", "snapshot": f"policy:{policy.name}@{policy.version}",
                             "detail": item.to_dict()})

    red_flags = set(application.red_flags) | derived
    base_facts: dict[str, Any] = {
        "destination": application.destination,
        "destination_group": set(destination["groups"]),
        "destination_risk": tier,
        "end_use": application.end_use,
        "party_types": {p.type for p in application.parties},
        "end_user_types": {p.type for p in application.parties if p.role == "end_user"},
        "red_flags": red_flags,
        "listed_programs": programs(direct),
        "affiliate_programs": owner_programs(indirect),
    }

    entries = entry_policies(direct)
    movement, scope_reason = regime_scope(application, policy, items)
    fired: list[tuple[Rule, list[int], list[str]]] = []
    dormant = []
    for rule in policy.rules if movement != NOT_APPLICABLE else ():
        if not rule.in_force(application.date):
            dormant.append({"rule": rule.id, "status": rule.status(application.date)})
            continue
        hit_items: list[int] = []
        hits: list[str] = []
        if rule.scope == "application":
            if evaluate(rule.when, base_facts, hits) is True:
                fired.append((rule, [], hits))
            continue
        if movement == "transfer":
            continue  # item rules govern exports; a transfer's items are decided by the transfer reason
        for item in items:
            facts = {**base_facts, **_item_facts(item, policy), "item.entity_list_policy": entry_policy(item, entries)}
            item_hits: list[str] = []
            if evaluate(rule.when, facts, item_hits) is True:
                hit_items.append(item.index)
                hits.extend(h for h in item_hits if h not in hits)
        if hit_items:
            fired.append((rule, hit_items, hits))

    decision = "approve"
    for rule, _, _ in fired:
        if DECISION_RANK[rule.decision] > DECISION_RANK[decision]:
            decision = rule.decision
    reasons: list[dict[str, Any]] = [{
        "rule": rule.id, "title": rule.title, "decision": rule.decision, "text": rule.text,
        "citations": [policy.cite_text(c) for c in rule.cite], "cite_keys": list(rule.cite),
        "items": hit_items, "facts": hits,
    } for rule, hit_items, hits in fired]
    for reason in reasons:
        if any(h.startswith("item.entity_list_policy=") for h in reason["facts"]):
            _quote_entry_policies(reason, entries)
    if scope_reason is not None:
        reasons.insert(0, scope_reason)
        if movement == NOT_APPLICABLE:
            decision = NOT_APPLICABLE
        elif DECISION_RANK.get(scope_reason["decision"], -1) > DECISION_RANK[decision]:
            decision = scope_reason["decision"]
        elif decision == "approve" and not fired:
            decision = scope_reason["decision"]
    if near and decision == "approve":
        # The policy has no rule for near misses: the engine's floor still keeps this from an approval.
        decision = "refer"
        reasons.append({"rule": "near_miss_floor", "title": "Near miss on a restricted-party list", "decision": "refer",
                        "text": "A party resembles a listed party (score above the review floor, below the match "
                                "threshold): confirm or rule out the match before approving.",
                        "citations": [], "cite_keys": [], "items": [], "facts": ["red_flags: RF_NEAR_MISS"]})
    elif not fired and scope_reason is None:
        reasons.append({"rule": None, "title": "No rule fired", "decision": "approve",
                        "text": f"No rule of policy {policy.name} applies to this application as of {application.date}; "
                                "controls outside this policy (national security, sanctions not loaded) are not assessed here.",
                        "citations": [], "cite_keys": [], "items": [], "facts": []})

    list_snapshots = _list_snapshots(screenings)
    result = {
        "id": application.id,
        "date": application.date.isoformat(),
        "decision": decision,
        "rules": [r.id for r, _, _ in fired],
        "reasons": reasons,
        "evidence": evidence,
        "destination_risk": tier,
        "destination": destination,
        "red_flags": sorted(red_flags),
        "items": [i.to_dict() for i in items],
        "parties": [{"role": s.party.role, "name": s.party.name, "country": s.party.country, "type": s.party.type,
                     "listed": bool(s.direct), "indirect": bool(s.indirect),
                     "near_miss": [{"hit": r.get("caption"), "score": r.get("score")} for r in s.near]} for s in screenings],
        "rules_not_in_force": dormant,
        "policy": {"name": policy.name, "version": policy.version, "title": policy.title},
        "snapshots": {"countries": [s.to_dict() for s in countries.snapshots.values()], "lists": list_snapshots},
    }
    result["explanation"] = explain(result)
    return result


def regime_scope(application: Application, policy: Policy, items: list[ClassifiedItem]) -> tuple[str, dict[str, Any] | None]:
    """Whether the policy's regime governs this movement: "export", "transfer" (inside an internal
    market, e.g. EU to EU), or not_applicable (an exporter outside the regime's jurisdiction); with
    the reason to show when it is not a plain export."""
    j = policy.jurisdiction
    exporter = str(application.exporter.get("country") or "").upper() or None
    if j is None:
        return "export", None
    cites = list(j.cite)
    if exporter is None:
        return "export", None
    if exporter not in j.exporters:
        return NOT_APPLICABLE, _reason("jurisdiction", "Exporter outside this regime", NOT_APPLICABLE,
                                       f"The exporter is established in {country_name(exporter) or exporter} ({exporter}), "
                                       f"outside the jurisdiction of {policy.name}: this policy does not apply. "
                                       "Assess the application under the exporter's own regime." + (f" {j.note}" if j.note else ""),
                                       policy, cites, [], [f"exporter.country: {exporter}"])
    market = j.internal_market
    if market is None or application.destination not in market.members:
        return "export", None
    controlled = market.controlled_for(exporter)
    cites = list(market.cite) + [c for m in market.national_measures if m["member_state"] == exporter for c in m["cite"]]
    facts = [f"exporter.country: {exporter}", f"destination: {application.destination}"]
    needs = [i.index for i in items if i.category in controlled]
    unknown = [i.index for i in items if not i.classified]
    if needs:
        return "transfer", _reason("intra_union_transfer", "Transfer of a controlled item inside the internal market", "refer",
                                   "A transfer inside the internal market, not an export: an authorisation is required for "
                                   "these items, which are on the transfer list (or a national measure of the exporter's state).",
                                   policy, cites, needs, facts)
    if unknown:
        return "transfer", _reason("intra_union_transfer", "Transfer of an unclassified item inside the internal market", "refer",
                                   "A transfer inside the internal market, not an export: classify the items to know whether "
                                   "they are on the transfer list.", policy, cites, unknown, facts)
    return "transfer", _reason("intra_union_transfer", "Transfer inside the internal market: no licence required",
                               NO_LICENCE_REQUIRED,
                               "A transfer inside the internal market, not an export, of items that are not on the transfer "
                               "list: no licence is required under this policy (sanctions and national measures listed in the "
                               "policy still apply).", policy, cites, [i.index for i in items], facts)


def _reason(rule: str, title: str, decision: str, text: str, policy: Policy, cites: list[str], items: list[int],
            facts: list[str]) -> dict[str, Any]:
    return {"rule": rule, "title": title, "decision": decision, "text": text,
            "citations": [policy.cite_text(c) for c in cites], "cite_keys": cites, "items": items, "facts": facts}


def _item_facts(item: ClassifiedItem, policy: Policy) -> dict[str, Any]:
    cat = policy.categories.get(item.category)
    if cat is None:
        # Unknown item: its properties are unknown (None), so rules neither clear nor condemn it silently.
        return {"item.category": "unknown", "item.family": "unknown", "item.classified": False,
                "item.listed": None, "item.cyber_surveillance": None, "item.cyber_surveillance_candidate": None,
                "item.crime_control": None, "item.service": None}
    return {"item.category": cat.name, "item.family": category_family(cat.name), "item.classified": True,
            "item.listed": cat.listed, "item.cyber_surveillance": cat.cyber_surveillance,
            "item.cyber_surveillance_candidate": cat.cyber_surveillance_candidate,
            "item.crime_control": cat.crime_control, "item.service": cat.service}


def entry_policies(direct: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The licence review policy each directly listed hit's Entity List entry states."""
    out = []
    for hit in direct:
        for lst in hit.get("lists") or []:
            text = lst.get("license_policy")
            if lst.get("program_id") in LICENCE_POLICY_PROGRAMS and text:
                entry = {"hit": str(hit.get("caption") or hit.get("id")), "program_id": lst["program_id"], "policy": text}
                if entry not in out:
                    out.append(entry)
    return out


def entry_policy(item: ClassifiedItem, entries: list[dict[str, str]]) -> str | None:
    """The strictest reading of the entries' policies for this item; None when no entry states one."""
    readings = [r for e in entries if (r := review_policy(e["policy"], item.item.control_code)) is not None]
    return min(readings, key=REVIEW_POLICIES.index) if readings else None


def _quote_entry_policies(reason: dict[str, Any], entries: list[dict[str, str]]) -> None:
    if not entries:
        return
    reason["entry_policies"] = entries
    quoted = "; ".join(f'{e["hit"]}: "{e["policy"]}"' for e in entries)
    reason["text"] = f"{reason['text']} The entry's licence review policy ({entries[0]['program_id']}): {quoted}"


def _list_snapshots(screenings: list[PartyScreening]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for s in screenings:
        for snap in s.snapshots:
            seen.setdefault(str(snap.get("id")), snap)
    return [seen[k] for k in sorted(seen)]


def explain(result: dict[str, Any]) -> str:
    """Plain language: what was decided, why, and on what evidence."""
    dest = result["destination"]
    lines = [
        f"{result['decision'].replace('_', ' ').upper()}: application {result['id']} under {result['policy']['name']} "
        f"{result['policy']['version']}, rules as of {result['date']}.",
        f"Destination {dest['name'] or dest['country']} ({dest['country']}) is rated {result['destination_risk']} risk"
        + (f" (indicators: {', '.join(f'{k}={v}' for k, v in dest['indicators'].items() if v is not None)})"
           if any(v is not None for v in dest["indicators"].values()) else " (no country data)") + ".",
    ]
    listed = [p["name"] for p in result["parties"] if p["listed"]]
    indirect = [p["name"] for p in result["parties"] if p["indirect"]]
    if listed:
        lines.append(f"Listed parties: {', '.join(listed)}.")
    if indirect:
        lines.append(f"Parties tied to a listed party: {', '.join(indirect)}.")
    for p in result["parties"]:
        for miss in p.get("near_miss") or []:
            lines.append(f"Near miss: {p['name']} resembles listed {miss['hit']} (score {miss['score']}); confirm or rule out.")
    for reason in result["reasons"]:
        if reason["rule"] is None:
            lines.append(reason["text"])
            continue
        items = f" (items {', '.join(str(i) for i in reason['items'])})" if reason["items"] else ""
        lines.append(f"- {reason['decision']}: {reason['rule']}{items}: {reason['text']} [{'; '.join(reason['cite_keys'])}]")
    for dormant in result["rules_not_in_force"]:
        lines.append(f"- not applied: {dormant['rule']} ({dormant['status']}).")
    return "\n".join(lines)

"""Licensing policies as data: YAML files of dated, cited rules, validated on load.

An error names the file, the rule (or section) and the field: `PolicyError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from redline.licensing.conditions import ConditionError, FactSpec, validate
from redline.licensing.schema import PolicyIn, YamlInputError, load_yaml, shape_problems
from redline.licensing.listpolicy import REVIEW_POLICIES
from redline.licensing.vocab import DECISIONS, END_USE_TYPES, PARTY_TYPES, RISK_TIERS

POLICY_DIR = Path(__file__).parent / "policies"

FACTS: dict[str, FactSpec] = {
    "item.category": FactSpec("str", "categories", "item"),
    "item.family": FactSpec("str", None, "item"),
    "item.classified": FactSpec("bool", None, "item"),
    "item.listed": FactSpec("bool", None, "item"),
    "item.cyber_surveillance": FactSpec("bool", None, "item"),
    "item.cyber_surveillance_candidate": FactSpec("bool", None, "item"),
    "item.crime_control": FactSpec("bool", None, "item"),
    "item.service": FactSpec("bool", None, "item"),
    # The listed parties' own licence review policy for this item (Entity List entries): deny/refer/approve.
    "item.entity_list_policy": FactSpec("str", "review_policies", "item"),
    "destination": FactSpec("str", "countries"),
    "destination_group": FactSpec("set", "country_groups"),
    "destination_risk": FactSpec("str", "tiers"),
    "end_use": FactSpec("str", "end_uses"),
    "party_types": FactSpec("set", "party_types"),
    "end_user_types": FactSpec("set", "party_types"),
    "red_flags": FactSpec("set", "red_flags"),
    "listed_programs": FactSpec("set", "list_codes"),
    "affiliate_programs": FactSpec("set", "list_codes"),
}

TIER_FACTS: dict[str, FactSpec] = {
    "fotn_status": FactSpec("str", "fh_status", "tier"),
    "fotn_total": FactSpec("num", None, "tier"),
    "fiw_status": FactSpec("str", "fh_status", "tier"),
    "fiw_total": FactSpec("num", None, "tier"),
    "vdem_libdem": FactSpec("num", None, "tier"),
    "vdem_polyarchy": FactSpec("num", None, "tier"),
    "aigs_total_tech": FactSpec("num", None, "tier"),
    "aigs_gov_sm_monitoring": FactSpec("num", None, "tier"),
    "aigs_facial_recognition": FactSpec("bool", None, "tier"),
    "destination_group": FactSpec("set", "country_groups", "tier"),
}

_CODE = re.compile(r"^[0-9][A-E][0-9]{3}(\.[a-z0-9]+)*(_[a-z_]+)?$")
_LIST_CODE = re.compile(r"^[A-Z]{2}-[A-Z0-9-]+$")


class PolicyError(ValueError):
    def __init__(self, file: str, where: str, field_path: str, reason: str) -> None:
        self.file, self.where, self.field, self.reason = file, where, field_path, reason
        super().__init__(f"{file}: {where}: field {field_path}: {reason}")

    def to_dict(self) -> dict[str, str]:
        return {"file": self.file, "where": self.where, "field": self.field, "reason": self.reason}


@dataclass(frozen=True)
class Suspension:
    start: date
    end: date | None
    cite: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    scope: str
    when: dict[str, Any]
    decision: str
    text: str
    cite: tuple[str, ...]
    effective: date
    expires: date | None
    suspended: tuple[Suspension, ...]

    def in_force(self, as_of: date) -> bool:
        if as_of < self.effective or (self.expires is not None and as_of > self.expires):
            return False
        return not any(s.start <= as_of and (s.end is None or as_of <= s.end) for s in self.suspended)

    def status(self, as_of: date) -> str:
        if as_of < self.effective:
            return f"not yet in force (effective {self.effective})"
        if self.expires is not None and as_of > self.expires:
            return f"expired {self.expires}"
        for s in self.suspended:
            if s.start <= as_of and (s.end is None or as_of <= s.end):
                return f"suspended {s.start} to {s.end or 'further notice'}"
        return "in force"


@dataclass(frozen=True)
class Category:
    name: str
    codes: tuple[str, ...]
    listed: bool
    cyber_surveillance: bool
    cyber_surveillance_candidate: bool
    crime_control: bool
    service: bool
    note: str | None


@dataclass(frozen=True)
class InternalMarket:
    """Destinations where a shipment from a member is a transfer, not an export (EU: Art. 11)."""
    members: frozenset[str]
    controlled_categories: frozenset[str]
    national_measures: tuple[dict[str, Any], ...]
    cite: tuple[str, ...]

    def controlled_for(self, exporter_country: str | None) -> set[str]:
        extra = {c for m in self.national_measures if m["member_state"] == exporter_country for c in m["categories"]}
        return set(self.controlled_categories) | extra


@dataclass(frozen=True)
class Jurisdiction:
    exporters: frozenset[str]
    cite: tuple[str, ...]
    note: str | None
    internal_market: InternalMarket | None


@dataclass(frozen=True)
class Policy:
    name: str
    title: str
    version: str
    path: str
    sources: dict[str, dict[str, Any]]
    categories: dict[str, Category]
    unknown_control_code: str
    unknown_category: str
    country_groups: dict[str, dict[str, Any]]
    red_flags: dict[str, dict[str, Any]]
    tiers: dict[str, dict[str, Any]]
    tier_order: tuple[str, ...]
    rules: tuple[Rule, ...]
    jurisdiction: Jurisdiction | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    def categories_for_code(self, code: str) -> list[str]:
        """Categories whose control codes cover `code` (exact, or `code` is a sub-paragraph)."""
        wanted = code.strip()
        found = []
        for cat in self.categories.values():
            for listed in cat.codes:
                if wanted == listed or wanted.startswith(listed + "."):
                    found.append(cat.name)
                    break
        return found

    def cite_text(self, cite: str) -> str:
        key, _, pinpoint = cite.partition(" ")
        title = self.sources[key]["title"]
        return f"{title}{', ' + pinpoint if pinpoint else ''}"


def available_policies() -> list[str]:
    return sorted(p.stem for p in POLICY_DIR.glob("*.yaml"))


def resolve_policy_path(name_or_path: str) -> Path:
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        return candidate
    path = POLICY_DIR / f"{name_or_path}.yaml"
    if not path.exists():
        import difflib

        close = difflib.get_close_matches(name_or_path, available_policies(), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise PolicyError(name_or_path, "(policy)", "name",
                          f"no policy named {name_or_path!r} (available: {', '.join(available_policies())}){hint}")
    return path


def load_policy(name_or_path: str) -> Policy:
    path = resolve_policy_path(name_or_path)
    try:
        data = load_yaml(path)
    except YamlInputError as exc:
        raise PolicyError(str(path), exc.where, "-", exc.reason) from None
    return parse_policy(data, str(path))


def parse_policy(data: Any, file: str) -> Policy:
    if not isinstance(data, dict):
        raise PolicyError(file, "(root)", "-", "a policy is a mapping")
    shape = shape_problems(PolicyIn, data)
    if shape:
        path, reason = shape[0]
        where, _, key = path.rpartition(".")
        more = f" (and {len(shape) - 1} more: {'; '.join(p for p, _ in shape[1:4])})" if len(shape) > 1 else ""
        raise PolicyError(file, where or "(policy)", key, reason + more)

    def need(section: str, key: str, obj: dict[str, Any], kind: type | tuple[type, ...], where: str | None = None) -> Any:
        value = obj.get(key)
        if value is None or not isinstance(value, kind) or value in ("", [], {}):
            raise PolicyError(file, where or section, key, f"is required ({_kind_name(kind)})")
        return value

    name = need("(policy)", "name", data, str)
    title = need("(policy)", "title", data, str)
    version = str(need("(policy)", "version", data, (str, int, float)))
    sources = need("(policy)", "sources", data, dict)
    for key, src in sources.items():
        if not isinstance(src, dict) or not src.get("title"):
            raise PolicyError(file, f"source {key}", "title", "every source needs a title")

    def check_cites(where: str, cites: Any, required: bool = True) -> tuple[str, ...]:
        if cites is None and not required:
            return ()
        if not isinstance(cites, list) or not cites:
            raise PolicyError(file, where, "cite", "at least one citation is required")
        for cite in cites:
            key = str(cite).split(" ", 1)[0]
            if key not in sources:
                raise PolicyError(file, where, "cite", f"{cite!r} cites {key!r}, which is not in sources ({', '.join(sources)})")
        return tuple(str(c) for c in cites)

    categories: dict[str, Category] = {}
    for cname, spec in need("(policy)", "categories", data, dict).items():
        where = f"category {cname}"
        if not isinstance(spec, dict):
            raise PolicyError(file, where, "-", "a category is a mapping")
        codes = spec.get("codes") or []
        for code in codes:
            if not isinstance(code, str) or not _CODE.match(code):
                raise PolicyError(file, where, "codes", f"{code!r} is not a control code (e.g. 5A001.j, 4D004)")
        flags = {k: spec.get(k, False) for k in ("listed", "cyber_surveillance", "cyber_surveillance_candidate", "crime_control", "service")}
        for key, flag in flags.items():
            if not isinstance(flag, bool):
                raise PolicyError(file, where, key, "must be true or false")
        check_cites(where, spec.get("cite"), required=bool(codes))
        categories[cname] = Category(cname, tuple(codes), note=spec.get("note"), **flags)

    unknown_code = data.get("unknown_control_code", "unknown")
    unknown_cat = data.get("unknown_category", "unknown")
    for key, value in (("unknown_control_code", unknown_code), ("unknown_category", unknown_cat)):
        if value not in ("unknown", "error"):
            raise PolicyError(file, "(policy)", key, f"{value!r} must be 'unknown' or 'error'")

    country_groups: dict[str, dict[str, Any]] = {}
    from redline.licensing.territories import is_iso2, yaml_country

    for gname, spec in (data.get("country_groups") or {}).items():
        where = f"country group {gname}"
        members = spec.get("members") if isinstance(spec, dict) else None
        if not isinstance(members, list):
            raise PolicyError(file, where, "members", "a list of ISO alpha-2 codes is required")
        members = [yaml_country(m) for m in members]
        for member in members:
            if not is_iso2(str(member)):
                raise PolicyError(file, where, "members", f"{member!r} is not an ISO 3166-1 alpha-2 code")
        check_cites(where, spec.get("cite"))
        country_groups[gname] = {**spec, "members": [m.upper() for m in members]}

    red_flags: dict[str, dict[str, Any]] = {}
    for fname, spec in (data.get("red_flags") or {}).items():
        where = f"red flag {fname}"
        if not isinstance(spec, dict) or not spec.get("text"):
            raise PolicyError(file, where, "text", "every red flag needs a text")
        check_cites(where, spec.get("cite"))
        red_flags[fname] = spec

    vocab: dict[str, set[str]] = {
        "categories": set(categories) | {"unknown"},
        "country_groups": set(country_groups),
        "tiers": set(RISK_TIERS),
        "end_uses": set(END_USE_TYPES),
        "party_types": set(PARTY_TYPES),
        "red_flags": set(red_flags),
        "fh_status": {"F", "PF", "NF"},
        "list_codes": _list_codes(),
        "review_policies": set(REVIEW_POLICIES),
    }

    risk = need("(policy)", "destination_risk", data, dict)
    tiers = need("destination_risk", "tiers", risk, dict)
    order = tuple(risk.get("order") or ("high", "elevated", "low"))
    for tier in order:
        if tier not in ("high", "elevated", "low") or tier not in tiers:
            raise PolicyError(file, "destination_risk", "order", f"{tier!r}: each of high, elevated, low needs a condition")
    for tier, cond in tiers.items():
        try:
            validate(cond, f"destination_risk.tiers.{tier}", TIER_FACTS, vocab)
        except ConditionError as exc:
            raise PolicyError(file, "destination_risk", exc.path, exc.reason) from None
    check_cites("destination_risk", risk.get("cite"))

    rules: list[Rule] = []
    seen: set[str] = set()
    for index, spec in enumerate(need("(policy)", "rules", data, list)):
        rid = spec.get("id") if isinstance(spec, dict) else None
        where = f"rule {rid or f'#{index}'}"
        if not rid or not isinstance(rid, str):
            raise PolicyError(file, where, "id", "is required")
        if rid in seen:
            raise PolicyError(file, where, "id", "is used twice")
        seen.add(rid)
        decision = spec.get("decision")
        if decision not in DECISIONS:
            raise PolicyError(file, where, "decision", f"{decision!r} must be one of {', '.join(DECISIONS)}")
        scope = spec.get("scope", "item")
        if scope not in ("item", "application"):
            raise PolicyError(file, where, "scope", f"{scope!r} must be item or application")
        facts = {k: v for k, v in FACTS.items() if scope == "item" or v.scope != "item"}
        if "when" not in spec:
            raise PolicyError(file, where, "when", "is required")
        try:
            validate(spec["when"], "when", facts, vocab)
        except ConditionError as exc:
            raise PolicyError(file, where, exc.path, exc.reason) from None
        if not spec.get("text"):
            raise PolicyError(file, where, "text", "is required: the reason given to the applicant")
        cites = check_cites(where, spec.get("cite"))
        effective = _date(file, where, "effective", spec.get("effective"), required=True)
        expires = _date(file, where, "expires", spec.get("expires"), required=False)
        if expires is not None and effective is not None and expires < effective:
            raise PolicyError(file, where, "expires", "is before effective")
        suspensions = []
        for sidx, sus in enumerate(spec.get("suspended") or []):
            swhere = f"suspended[{sidx}]"
            start = _date(file, where, f"{swhere}.from", (sus or {}).get("from"), required=True)
            end = _date(file, where, f"{swhere}.to", (sus or {}).get("to"), required=False)
            suspensions.append(Suspension(start, end, check_cites(f"{where} {swhere}", (sus or {}).get("cite"))))  # type: ignore[arg-type]
        rules.append(Rule(rid, str(spec.get("title") or rid), scope, spec["when"], decision, str(spec["text"]).strip(),
                          cites, effective, expires, tuple(suspensions)))  # type: ignore[arg-type]

    jurisdiction = _jurisdiction(file, data.get("jurisdiction"), check_cites, set(categories))
    return Policy(name=name, title=title, version=version, path=file, sources=sources, categories=categories,
                  unknown_control_code=unknown_code, unknown_category=unknown_cat, country_groups=country_groups,
                  red_flags=red_flags, tiers=tiers, tier_order=order, rules=tuple(rules), jurisdiction=jurisdiction,
                  raw=data)


def _countries(file: str, where: str, key: str, values: list[Any]) -> frozenset[str]:
    from redline.licensing.territories import is_iso2, yaml_country

    out = set()
    for value in values:
        code = yaml_country(value)
        if not is_iso2(str(code)):
            raise PolicyError(file, where, key, f"{code!r} is not an ISO 3166-1 alpha-2 code")
        out.add(str(code).upper())
    return frozenset(out)


def _jurisdiction(file: str, spec: dict[str, Any] | None, check_cites: Any, categories: set[str]) -> Jurisdiction | None:
    if spec is None:
        return None
    exporters = _countries(file, "jurisdiction", "exporters", spec["exporters"])
    market = None
    if spec.get("internal_market") is not None:
        im = spec["internal_market"]
        where = "jurisdiction.internal_market"
        for cat in im["controlled_categories"]:
            if cat not in categories:
                raise PolicyError(file, where, "controlled_categories", f"{cat!r} is not a category of this policy")
        measures = []
        for index, measure in enumerate(im.get("national_measures") or []):
            mwhere = f"{where}.national_measures[{index}]"
            (state,) = _countries(file, mwhere, "member_state", [measure["member_state"]])
            for cat in measure["categories"]:
                if cat not in categories:
                    raise PolicyError(file, mwhere, "categories", f"{cat!r} is not a category of this policy")
            measures.append({"member_state": state, "categories": list(measure["categories"]),
                             "cite": check_cites(mwhere, measure["cite"])})
        market = InternalMarket(_countries(file, where, "members", im["members"]), frozenset(im["controlled_categories"]),
                                tuple(measures), check_cites(where, im["cite"]))
    return Jurisdiction(exporters, check_cites("jurisdiction", spec["cite"]), spec.get("note"), market)


def _date(file: str, where: str, key: str, value: Any, required: bool) -> date | None:
    if value is None:
        if required:
            raise PolicyError(file, where, key, "is required (YYYY-MM-DD)")
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise PolicyError(file, where, key, f"{value!r} is not an ISO date (YYYY-MM-DD)") from None


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "text", dict: "mapping", list: "list", int: "number", float: "number"}
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))


def _list_codes() -> set[str]:
    from redline.parties.sources.common import LIST_CODES

    return set(LIST_CODES)


def describe(pol: Policy) -> dict[str, Any]:
    """A policy as data: sources, rules with their dates and citations, categories, tiers, groups, flags."""
    return {"name": pol.name, "title": pol.title, "version": pol.version, "file": pol.path, "sources": pol.sources,
            "rules": [{"id": r.id, "title": r.title, "decision": r.decision, "scope": r.scope, "effective": r.effective,
                       "expires": r.expires, "suspended": [{"from": s.start, "to": s.end, "cite": list(s.cite)} for s in r.suspended],
                       "when": r.when, "text": r.text, "cite": [pol.cite_text(c) for c in r.cite]} for r in pol.rules],
            "categories": {c.name: {"codes": list(c.codes), "listed": c.listed, "cyber_surveillance": c.cyber_surveillance,
                                    "cyber_surveillance_candidate": c.cyber_surveillance_candidate,
                                    "crime_control": c.crime_control, "service": c.service} for c in pol.categories.values()},
            "unknown_control_code": pol.unknown_control_code, "destination_risk": pol.tiers,
            "country_groups": pol.country_groups, "red_flags": pol.red_flags}

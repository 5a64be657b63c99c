"""A licence application: read from YAML, validated field by field before anything is assessed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from redline.licensing.schema import ApplicationIn, YamlInputError, load_yaml, shape_problems
from redline.licensing.territories import iso_error, is_iso2, yaml_country
from redline.licensing.vocab import END_USE_TYPES, PARTY_ROLES, PARTY_TYPES


class ApplicationError(ValueError):
    """An application that cannot be assessed: names the file, the field and the reason."""

    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        self.source = source
        self.problems = problems
        lines = "; ".join(f"{fld}: {reason}" for fld, reason in problems)
        super().__init__(f"{source}: invalid application: {lines}")

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "errors": [{"field": f, "reason": r} for f, r in self.problems]}


@dataclass(frozen=True)
class Party:
    role: str
    name: str
    country: str | None
    type: str


@dataclass(frozen=True)
class Item:
    description: str
    control_code: str | None
    category: str | None
    quantity: float | None = None
    value: float | None = None
    currency: str | None = None


@dataclass(frozen=True)
class Application:
    id: str
    date: date
    exporter: dict[str, Any]
    destination: str
    parties: tuple[Party, ...]
    items: tuple[Item, ...]
    end_use: str
    end_use_statement: str | None
    red_flags: tuple[str, ...]
    source: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


def load_application(path: Path) -> Application:
    try:
        data = load_yaml(path)
    except YamlInputError as exc:
        raise ApplicationError(str(path), [(exc.where, exc.reason)]) from None
    return parse_application(data, str(path))


def parse_application(data: Any, source: str = "<application>") -> Application:
    if data is None:
        raise ApplicationError(source, [("(file)", "is empty")])
    if not isinstance(data, dict):
        raise ApplicationError(source, [("(root)", "an application is a mapping of fields")])
    problems = shape_problems(ApplicationIn, data)
    if problems:
        raise ApplicationError(source, problems)

    def need(key: str) -> Any:
        if data.get(key) in (None, "", [], {}):
            problems.append((key, "is required"))
        return data.get(key)

    app_id = need("id")
    raw_date = need("date")
    when: date | None = None
    if isinstance(raw_date, date):
        when = raw_date
    elif isinstance(raw_date, str):
        try:
            when = date.fromisoformat(raw_date)
        except ValueError:
            problems.append(("date", f"{raw_date!r} is not an ISO date (YYYY-MM-DD)"))
    elif raw_date is not None:
        problems.append(("date", "must be an ISO date (YYYY-MM-DD)"))

    exporter = data.get("exporter") or {}
    if not isinstance(exporter, dict) or not exporter.get("name"):
        problems.append(("exporter.name", "is required"))
        exporter = exporter if isinstance(exporter, dict) else {}
    if "country" in exporter:
        exporter = {**exporter, "country": yaml_country(exporter["country"])}
    if exporter.get("country") is not None and not is_iso2(str(exporter["country"])):
        problems.append(("exporter.country", iso_error(exporter["country"])))

    destination = yaml_country(need("destination"))
    if destination is not None and not is_iso2(str(destination)):
        problems.append(("destination", iso_error(destination)))

    parties = _parties(data.get("parties"), problems)
    items = _items(data.get("items"), problems)

    end_use_raw = data.get("end_use") or {}
    if isinstance(end_use_raw, str):
        end_use_raw = {"type": end_use_raw}
    end_use = end_use_raw.get("type", "unknown") if isinstance(end_use_raw, dict) else None
    if end_use not in END_USE_TYPES:
        problems.append(("end_use.type", _choice_error(end_use, END_USE_TYPES)))

    flags = data.get("red_flags") or []
    if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
        problems.append(("red_flags", "must be a list of red-flag ids from the policy"))
        flags = []

    if problems:
        raise ApplicationError(source, problems)
    assert when is not None
    return Application(
        id=str(app_id), date=when, exporter=dict(exporter), destination=str(destination).upper(),
        parties=tuple(parties), items=tuple(items), end_use=str(end_use),
        end_use_statement=(end_use_raw or {}).get("statement"), red_flags=tuple(flags), source=source, raw=data,
    )


def _parties(value: Any, problems: list[tuple[str, str]]) -> list[Party]:
    if not isinstance(value, list) or not value:
        problems.append(("parties", "at least one party is required (an end user)"))
        return []
    out: list[Party] = []
    for index, raw in enumerate(value):
        where = f"parties[{index}]"
        if not isinstance(raw, dict):
            problems.append((where, "a party is a mapping with role, name, country, type"))
            continue
        role, name = raw.get("role"), raw.get("name")
        ptype = raw.get("type") or "unknown"
        country = yaml_country(raw.get("country"))
        if role not in PARTY_ROLES:
            problems.append((f"{where}.role", _choice_error(role, PARTY_ROLES)))
        if not isinstance(name, str) or not name.strip():
            problems.append((f"{where}.name", "is required"))
        if ptype not in PARTY_TYPES:
            problems.append((f"{where}.type", _choice_error(ptype, PARTY_TYPES)))
        if country is not None and not is_iso2(str(country)):
            problems.append((f"{where}.country", iso_error(country)))
        out.append(Party(str(role), str(name or "").strip(), str(country).upper() if country else None, str(ptype)))
    if out and not any(p.role == "end_user" for p in out):
        problems.append(("parties", "no party has role end_user; the end user must be named"))
    return out


def _items(value: Any, problems: list[tuple[str, str]]) -> list[Item]:
    if not isinstance(value, list) or not value:
        problems.append(("items", "at least one item is required"))
        return []
    out: list[Item] = []
    for index, raw in enumerate(value):
        where = f"items[{index}]"
        if not isinstance(raw, dict):
            problems.append((where, "an item is a mapping with description, control_code, category"))
            continue
        code, category = raw.get("control_code"), raw.get("category")
        if not raw.get("description"):
            problems.append((f"{where}.description", "is required"))
        if not code and not category:
            problems.append((where, "needs a category or a control_code"))
        for key in ("quantity", "value"):
            if raw.get(key) is not None and (not isinstance(raw[key], (int, float)) or raw[key] < 0):
                problems.append((f"{where}.{key}", "must be a number >= 0"))
        out.append(Item(
            description=str(raw.get("description") or ""), control_code=str(code).strip() if code else None,
            category=str(category).strip() if category else None, quantity=raw.get("quantity"),
            value=raw.get("value"), currency=raw.get("currency"),
        ))
    return out


def _choice_error(value: Any, choices: tuple[str, ...]) -> str:
    import difflib

    close = difflib.get_close_matches(str(value), choices, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"{value!r} is not one of {', '.join(choices)}{hint}"

"""ISO 3166-1 alpha-2 codes: validation with a suggestion, and name/alpha-3 lookups (via rigour)."""

from __future__ import annotations

import difflib
from functools import lru_cache


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """alpha-2 (upper) -> name, for current territories that have a two-letter code."""
    from rigour.territories import get_territories

    out: dict[str, str] = {}
    for territory in get_territories():
        if len(territory.code) == 2 and territory.code != "zz" and not territory.is_historical:
            out[territory.code.upper()] = territory.name
    return out


@lru_cache(maxsize=1)
def _alpha3() -> dict[str, str]:
    from rigour.territories import get_territories

    return {t.alpha3.upper(): t.code.upper() for t in get_territories()
            if t.alpha3 and len(t.code) == 2 and not t.is_historical}


def yaml_country(value: object) -> object:
    """YAML 1.1 reads an unquoted NO (Norway) as false: a country field is never a boolean."""
    return "NO" if value is False else value


def country_name(code: str) -> str | None:
    return _countries().get(code.upper())


def is_iso2(code: str) -> bool:
    return isinstance(code, str) and len(code) == 2 and code.upper() in _countries()


def iso2_for_alpha3(alpha3: str) -> str | None:
    return _alpha3().get((alpha3 or "").strip().upper())


@lru_cache(maxsize=2048)
def iso2_for_name(name: str) -> str | None:
    from rigour.territories import lookup_territory

    territory = lookup_territory(name.replace("/", " "), fuzzy=False) if name else None
    if territory is None and "/" in (name or ""):
        for part in name.split("/"):
            territory = lookup_territory(part.strip(), fuzzy=False)
            if territory:
                break
    if territory is None or len(territory.code) != 2 or territory.is_historical:
        return None
    return territory.code.upper()


def suggest_iso2(value: str) -> str | None:
    """The code the user most likely meant: UK -> GB, CHN -> CN, 'Germany' -> DE, 'CNN' -> CN."""
    text = (value or "").strip()
    if not text:
        return None
    upper = text.upper()
    aliases = {"UK": "GB", "EL": "GR"}  # EU shorthands that are not ISO 3166-1 codes
    if upper in aliases:
        return aliases[upper]
    if len(upper) == 3 and upper in _alpha3():
        return _alpha3()[upper]
    by_name = iso2_for_name(text)
    if by_name:
        return by_name
    close = difflib.get_close_matches(upper, list(_countries()) + list(_alpha3()), n=1, cutoff=0.5)
    if close:
        return close[0] if len(close[0]) == 2 else _alpha3()[close[0]]
    return None


def iso_error(value: object) -> str:
    """The reason `value` is not an ISO alpha-2 code, with a suggestion where one is close."""
    hint = suggest_iso2(str(value)) if value is not None else None
    name = country_name(hint) if hint else None
    where = f"; did you mean {hint!r} ({name})?" if hint and name and hint != str(value).strip().upper() else ""
    return f"{value!r} is not an ISO 3166-1 alpha-2 country code{where}"

"""Values typed by people, checked at the edge: names, dates, countries, counts.

Each parser returns the canonical form (ISO 8601 date prefix, ISO 3166 code) or raises
`InputError` naming the argument, so that a CLI can exit 2 and a batch can report the row.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

MAX_NAME = 500
DATE_ORDERS = ("dmy", "mdy", "ymd")
EARLIEST_YEAR = 1800

_SEPARATED = re.compile(r"^(\d{1,4})[./\-\s](\d{1,2})[./\-\s](\d{1,4})$")
_YEAR_MONTH = re.compile(r"^(\d{4})[./\-](\d{1,2})$")
_MONTH_NAMES = ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y", "%d-%b-%Y", "%d-%B-%Y", "%B %Y", "%b %Y")


class InputError(ValueError):
    """A value that cannot be read; `argument` names where it came from (`--country`, `birth_date`)."""

    def __init__(self, argument: str, message: str) -> None:
        super().__init__(f"{argument}: {message}")
        self.argument = argument


def parse_name(value: str | None, argument: str = "NAME") -> str:
    """A name with something to screen in it: not empty, not only punctuation or controls."""
    text = (value or "").strip()
    if not text:
        raise InputError(argument, "is empty")
    if len(text) > MAX_NAME:
        raise InputError(argument, f"is {len(text)} characters long; at most {MAX_NAME}")
    if not any(unicodedata.category(c)[0] in "LN" for c in text):
        raise InputError(argument, f"{text!r} has no letter or digit")
    return text


SCHEMAS = ("Company", "Person", "Organization", "Vessel", "LegalEntity", "Airplane")


def parse_schema(value: str | None, argument: str = "--schema") -> str | None:
    """One of the FollowTheMoney schemata a screening can be narrowed to, or None."""
    schema = (value or "").strip() or None
    if schema is not None and schema not in SCHEMAS:
        raise InputError(argument, f"{schema!r} is not one of {', '.join(SCHEMAS)}")
    return schema


def parse_country(value: str | None, argument: str = "--country") -> str | None:
    """A country name, ISO 3166 alpha-2 or alpha-3 code -> the lower-case code the lists use."""
    if value is None:
        return None
    if not value.strip():
        raise InputError(argument, "is empty")
    text = " ".join(value.split())
    code = _codes_and_english_names().get(text.casefold())
    if code is None:  # other languages and spellings: rigour's full table (seconds to load, once)
        from followthemoney import registry

        code = registry.country.clean(text)
    if code is None:
        raise InputError(argument, f"{value!r} is not a country name or ISO 3166 code (e.g. CN, CHN or China)")
    return code


@lru_cache(maxsize=1)
def _codes_and_english_names() -> dict[str, str]:
    from followthemoney import registry

    table = {name.casefold(): code for code, name in registry.country.names.items()}
    table.update((code, code) for code in registry.country.names)
    return table


def parse_date(value: str | None, argument: str = "--birth-date", order: str | None = None) -> str | None:
    """A date in a common form -> an ISO 8601 prefix (YYYY, YYYY-MM or YYYY-MM-DD).

    12/05/1958 could be 12 May or 5 December: such a date is refused unless `order`
    (dmy, mdy or ymd) says how to read it. Dotted dates (12.05.1958) are day first."""
    if value is None:
        return None
    if not value.strip():
        raise InputError(argument, "is empty")
    if order is not None and order not in DATE_ORDERS:
        raise InputError("--date-order", f"{order!r} is not one of {', '.join(DATE_ORDERS)}")
    text = " ".join(value.replace(",", " ").split())
    if re.fullmatch(r"\d{4}", text):
        return _checked(argument, value, int(text))
    if re.fullmatch(r"\d{8}", text):
        return _checked(argument, value, int(text[:4]), int(text[4:6]), int(text[6:]))
    if match := _YEAR_MONTH.match(text):
        return _checked(argument, value, int(match[1]), int(match[2]))
    if match := _SEPARATED.match(text):
        dotted = "." in text and len(match[1]) < 4
        return _numeric(argument, value, match[1], match[2], match[3], order or ("dmy" if dotted else None))
    for form in _MONTH_NAMES:
        try:
            parsed = datetime.strptime(text, form)
        except ValueError:
            continue
        day = parsed.day if "%d" in form else None
        return _checked(argument, value, parsed.year, parsed.month, day)
    raise InputError(argument, f"{value!r} is not a date: give YYYY, YYYY-MM-DD, DD.MM.YYYY or 5 May 1958")


def _numeric(argument: str, raw: str, a: str, b: str, c: str, order: str | None) -> str:
    if len(a) == 4:  # 1958-05-12, 1958/05/12
        return _checked(argument, raw, int(a), int(b), int(c))
    if len(c) != 4:
        raise InputError(argument, f"{raw!r}: write the year with four digits")
    first, second, year = int(a), int(b), int(c)
    if order == "dmy" or (order is None and first > 12 >= second):
        return _checked(argument, raw, year, second, first)
    if order == "mdy" or (order is None and second > 12 >= first):
        return _checked(argument, raw, year, first, second)
    if order is None and first == second:
        return _checked(argument, raw, year, first, second)
    if order is None:
        raise InputError(
            argument,
            f"{raw!r} could be day/month or month/day: write it as YYYY-MM-DD or say --date-order dmy (or mdy)",
        )
    raise InputError(argument, f"{raw!r} is not a {order} date")


def _checked(argument: str, raw: str, year: int, month: int | None = None, day: int | None = None) -> str:
    this_year = date.today().year
    if not EARLIEST_YEAR <= year <= this_year:
        raise InputError(argument, f"{raw!r}: year {year} is outside {EARLIEST_YEAR}–{this_year}")
    if month is None:
        return f"{year:04d}"
    try:
        date(year, month, day or 1)
    except ValueError:
        raise InputError(argument, f"{raw!r} is not a real date") from None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")

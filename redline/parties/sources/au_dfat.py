"""Australia DFAT Consolidated List (regulation8_consolidated.xlsx).

One spreadsheet row per name: a party's primary name has Reference "12"; its aliases and
original-script names follow as "12a", "12b", ... Rows are grouped on the numeric part.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from followthemoney import EntityProxy

from redline.parties.sources.base import ListFormatError, SourceInfo
from redline.parties.sources.common import add_sanction, clean_text, make_entity, native_id

SOURCE = "au_dfat"
PROGRAM_ID = "AU-DFAT"
URL = "https://www.dfat.gov.au/sites/default/files/regulation8_consolidated.xlsx"
HEADER = ("Reference", "Name of Individual or Entity", "Type", "Name Type", "Date of Birth", "Place of Birth", "Citizenship", "Address", "Additional Information", "Listing Information", "Committees", "Control Date")
NAME_PROPERTY = {"primary name": "name", "aka": "alias", "original script": "alias", "formerly known as": "previousName", "previously listed as": "previousName"}
_REFERENCE = re.compile(r"^(\d+)\s*([a-z]*\d*)$", re.IGNORECASE)  # "12", "12a", "34c1"
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_TEXT_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3})[a-z]*\.?,?\s+(\d{4})\b")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_PLACEHOLDERS = {"na", "n/a", "unknown"}


class AuDfatReader:
    info = SourceInfo(
        name=SOURCE,
        title="Australian Consolidated Sanctions List",
        publisher="Australian Department of Foreign Affairs and Trade",
        url=URL,
        licence="Commonwealth of Australia, published for public use (CC BY 4.0 on dfat.gov.au, as far as known).",
    )

    def detect(self, path: Path) -> bool:
        if not (path.is_file() and path.suffix.lower() == ".xlsx" and zipfile.is_zipfile(path)):
            return False
        try:
            header = next(_open_rows(path), (None, ()))[1]
        except (ListFormatError, StopIteration):
            return False
        return tuple(_cell(value) for value in header[:3]) == HEADER[:3]

    def read(self, path: Path) -> Iterator[EntityProxy]:
        parties: dict[str, EntityProxy] = {}
        sanctions: dict[str, EntityProxy] = {}
        rows = _open_rows(path)
        _row_number, header = next(rows, (1, ()))
        if tuple(_cell(value) for value in header[: len(HEADER)]) != HEADER:
            raise ListFormatError(path, "Sheet1 row 1", f"unexpected header {header[:len(HEADER)]!r}")
        for row_number, values in rows:
            row = dict(zip(HEADER, (_cell(value) if not isinstance(value, (datetime, date, int)) else value for value in values)))
            if not any(row.values()):
                continue
            reference = row["Reference"]
            match = _REFERENCE.match(str(reference).strip()) if reference is not None else None
            if match is None or not row["Name of Individual or Entity"]:
                raise ListFormatError(path, f"Sheet1 row {row_number}", f"row without a valid Reference and name: {reference!r}")
            party_id = match.group(1)
            entity = parties.get(party_id)
            if entity is None:
                schema = "Person" if (_text(row["Type"]) or "").lower() == "individual" else "Organization"
                entity = parties[party_id] = make_entity(schema, native_id(SOURCE, party_id))
                entity.add("topics", "sanction")
            _add_row(entity, row)
            if party_id not in sanctions:
                sanctions[party_id] = add_sanction(
                    entity,
                    SOURCE,
                    PROGRAM_ID,
                    program=_text(row["Committees"]),
                    listing_date=_first_date(row["Listing Information"]),
                    source_url=URL,
                    reason=row["Listing Information"] if isinstance(row["Listing Information"], str) else None,
                )
        for party_id, entity in parties.items():
            if not entity.has("name"):  # a party known only by aliases: promote the first
                entity.add("name", entity.pop("alias")[:1] or entity.pop("previousName")[:1])
        return iter([*parties.values(), *sanctions.values()])

    def data_date(self, path: Path) -> str | None:
        return None


def _add_row(entity: EntityProxy, row: dict[str, Any]) -> None:
    name_type = (_text(row["Name Type"]) or "aka").lower()
    entity.add(NAME_PROPERTY.get(name_type, "alias"), _text(row["Name of Individual or Entity"]))
    address = _text(row["Address"])
    if address and address.lower() not in _PLACEHOLDERS:
        entity.add("address", address)
    entity.add("notes", _text(row["Additional Information"]))
    is_person = entity.schema.is_a("Person")
    entity.add("nationality" if is_person else "country", _countries(_text(row["Citizenship"])))
    if is_person:
        entity.add("birthDate", _birth_dates(row["Date of Birth"]))
        place = _text(row["Place of Birth"])
        if place and place.lower() not in _PLACEHOLDERS:
            entity.add("birthPlace", place)


def _birth_dates(value: Any) -> list[str]:
    if isinstance(value, (datetime, date)):
        return [value.date().isoformat() if isinstance(value, datetime) else value.isoformat()]
    if isinstance(value, int):
        return [str(value)]
    if not value:
        return []
    found = [_iso(d, m, y) for d, m, y in _NUMERIC_DATE.findall(value)]
    found += [_iso(d, str(_MONTHS.get(m.lower()[:3], 0)), y) for d, m, y in _TEXT_DATE.findall(value)]
    found = [d for d in found if d]
    years = {d[:4] for d in found}
    found += [y for y in _YEAR.findall(value) if y not in years]
    return found


def _first_date(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if not isinstance(value, str):
        return None
    candidates: list[tuple[int, str]] = []
    for match in _TEXT_DATE.finditer(value):
        iso = _iso(match.group(1), str(_MONTHS.get(match.group(2).lower()[:3], 0)), match.group(3))
        if iso:
            candidates.append((match.start(), iso))
    for match in _NUMERIC_DATE.finditer(value):
        if iso := _iso(*match.groups()):
            candidates.append((match.start(), iso))
    if candidates:
        return min(candidates)[1]
    # Only the designating instrument is named ("... Amendment Instrument 2022"): keep its year.
    year = _YEAR.search(value)
    return year.group(1) if year else None


def _iso(day: str, month: str, year: str) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _countries(value: str | None) -> list[str]:
    if not value:
        return []
    parts = re.split(r"\s*(?:[a-z]\)|;|,| and )\s*", value)
    return [part for part in (clean_text(p) for p in parts) if part and part.lower() not in _PLACEHOLDERS]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else _cell(value)


def _cell(value: Any) -> str | None:
    return clean_text(str(value)) if value is not None else None


def _open_rows(path: Path) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(sheet row number, values) of the first sheet; a damaged workbook raises ListFormatError."""
    import openpyxl

    row_number = 0
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for row_number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
                yield row_number, values
        finally:
            workbook.close()
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError) as exc:
        if isinstance(exc, ListFormatError):
            raise
        where = f"Sheet1 row {row_number + 1}" if row_number else "xlsx container"
        raise ListFormatError(path, where, f"damaged or truncated workbook ({type(exc).__name__}: {exc})") from exc
    except Exception as exc:  # lxml/openpyxl raise their own parse errors for cut-off sheet XML
        where = f"Sheet1 row {row_number + 1}" if row_number else "xlsx container"
        raise ListFormatError(path, where, f"damaged or truncated workbook ({type(exc).__name__}: {exc})") from exc


READERS = (AuDfatReader(),)

"""The official UK Sanctions List CSV (FCDO, "UK-Sanctions-List.csv").

A first line "Report Date: …" precedes the header. The file has one row per name: rows that
share a "Unique ID" (e.g. RUS0001) are one designation, with its primary name, name variations,
aliases and non-Latin names. Person names come in parts (Name 1…5 given names, Name 6 the
family name or the entity's whole name). The party kind is in "Designation Type" (older
files: "Individual, Entity, Ship").
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from followthemoney import EntityProxy

from redline.parties.sources.base import ListFormatError, SourceInfo
from redline.parties.sources.common import (
    add_sanction,
    clean_text,
    looks_like_company,
    make_entity,
    native_id,
    parse_date,
    related_party,
    relation,
    split_names,
)

SOURCE = "uk_fcdo"
PROGRAM_ID = "UK-FCDO"
URL = "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv"
REQUIRED = ("Unique ID", "Name 6", "Name type")
KIND_COLUMNS = ("Designation Type", "Individual, Entity, Ship")
NAME_PARTS = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6")
ADDRESS_PARTS = tuple(f"Address Line {n}" for n in range(1, 7)) + ("Address Postal Code", "Address Country")
DATE_FORMATS = ("%d/%m/%Y", "%d-%b-%Y", "%d %B %Y", "%Y-%m-%d")

_REPORT_DATE = re.compile(r"^\W*Report Date:\s*(?P<date>[^,\"]+)", re.IGNORECASE)
_NUMBERED = re.compile(r"\(\d+\)\s*")
_PARTIAL_DOB = re.compile(r"^(?:dd|00)/(?:mm|00|(?P<month>\d{2}))/(?P<year>\d{4})$", re.IGNORECASE)
_SCHEMAS = {"individual": "Person", "entity": "LegalEntity", "ship": "Vessel"}


@dataclass
class _Designation:
    unique_id: str
    line: int
    rows: list[dict[str, str]] = field(default_factory=list)


class UkOfsiReader:
    info = SourceInfo(
        name=SOURCE,
        title="UK Sanctions List",
        publisher="UK Foreign, Commonwealth & Development Office",
        url=URL,
        licence="Crown copyright, Open Government Licence v3.0.",
    )

    def detect(self, path: Path) -> bool:
        header = _header(path)
        return header is not None and all(column in header for column in REQUIRED)

    def read(self, path: Path) -> Iterator[EntityProxy]:
        designations = _designations(path)
        entities: list[EntityProxy] = []
        for designation in designations.values():
            entities += _entities(path, designation)
        yield from entities

    def data_date(self, path: Path) -> str | None:
        first = _first_line(path)
        found = _REPORT_DATE.match(first or "")
        return parse_date(found.group("date").strip(), DATE_FORMATS) if found else None


def _first_line(path: Path) -> str | None:
    if not path.is_file():
        return None
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            return handle.readline()
    except (OSError, UnicodeDecodeError):
        return None


def _header(path: Path) -> list[str] | None:
    """The header row, after the "Report Date" line when there is one."""
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            head = handle.read(8192).splitlines()
    except (OSError, UnicodeDecodeError, IsADirectoryError):
        return None
    if head and _REPORT_DATE.match(head[0]):
        head = head[1:]
    if not head:
        return None
    try:
        return [column.strip() for column in next(csv.reader([head[0]]))]
    except (csv.Error, StopIteration):
        return None


def _designations(path: Path) -> dict[str, _Designation]:
    designations: dict[str, _Designation] = {}
    line = 1
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
            offset = 1
            if not _REPORT_DATE.match(first):
                handle.seek(0)
                offset = 0
            reader = csv.reader(handle, strict=True)
            header = [column.strip() for column in next(reader, [])]
            line = offset + 1
            missing = [column for column in REQUIRED if column not in header]
            if missing:
                raise ListFormatError(path, line, f"header lacks columns {missing}")
            if not any(column in header for column in KIND_COLUMNS):
                raise ListFormatError(path, line, f"header lacks a designation type column {list(KIND_COLUMNS)}")
            line = offset + reader.line_num + 1
            for row in reader:
                if row:
                    if len(row) != len(header):
                        raise ListFormatError(path, line, f"expected {len(header)} columns, found {len(row)} (truncated or malformed row)")
                    record = dict(zip(header, row))
                    unique_id = clean_text(record["Unique ID"])
                    if unique_id is None:
                        raise ListFormatError(path, line, "row without a Unique ID")
                    designation = designations.setdefault(unique_id, _Designation(unique_id, line))
                    designation.rows.append(record)
                line = offset + reader.line_num + 1
    except csv.Error as exc:
        raise ListFormatError(path, line, f"malformed CSV ({exc}); the file may be truncated") from exc
    except UnicodeDecodeError as exc:
        raise ListFormatError(path, line, f"not UTF-8 text ({exc.reason})") from exc
    return designations


def _values(rows: list[dict[str, str]], column: str) -> list[str]:
    """The distinct values of a column over a designation's rows, "(1) a (2) b" cells split."""
    seen: list[str] = []
    for row in rows:
        for part in _NUMBERED.split(row.get(column) or ""):
            cleaned = clean_text(part)
            if cleaned and cleaned not in seen:
                seen.append(cleaned)
    return seen


def _kind(rows: list[dict[str, str]]) -> str | None:
    for column in KIND_COLUMNS:
        for value in _values(rows, column):
            return value.lower()
    return None


def _full_name(row: dict[str, str]) -> str | None:
    return clean_text(" ".join(row.get(part) or "" for part in NAME_PARTS))


def _name_property(row: dict[str, str]) -> str:
    name_type = (row.get("Name type") or "").strip().lower()
    if name_type == "primary name":
        return "name"
    strength = (row.get("Alias strength") or "").lower()
    if "low" in strength or "weak" in strength:
        return "weakAlias"
    return "alias"


def _birth_date(value: str) -> str | None:
    partial = _PARTIAL_DOB.match(value)
    if partial:
        return f"{partial['year']}-{partial['month']}" if partial["month"] else partial["year"]
    return parse_date(value, DATE_FORMATS)


def _entities(path: Path, designation: _Designation) -> list[EntityProxy]:
    rows = designation.rows
    kind = _kind(rows)
    schema = _SCHEMAS.get(kind or "")
    if schema is None:
        raise ListFormatError(path, designation.line, f"{designation.unique_id}: unknown designation type {kind!r}")
    names = [(_name_property(row), name) for row in rows if (name := _full_name(row))]
    if not names:
        raise ListFormatError(path, designation.line, f"{designation.unique_id}: no name")
    if not any(prop == "name" for prop, _ in names):
        names[0] = ("name", names[0][1])
    if schema == "LegalEntity" and looks_like_company(next(name for prop, name in names if prop == "name")):
        schema = "Company"
    subject = make_entity(schema, native_id(SOURCE, designation.unique_id))
    for prop, name in names:
        subject.add(prop if prop != "name" or not subject.has("name") else "alias", name)
    subject.add("alias", _values(rows, "Name non-latin script"))
    subject.add("topics", "sanction")
    subject.add("notes", _values(rows, "Other Information"))
    subject.add("address", [address for row in rows if (address := _address(row))])
    subject.add("country", _values(rows, "Address Country"))
    _add_details(subject, rows)
    entities = [subject, _sanction(subject, rows, designation.unique_id)]
    for parent in _values(rows, "Parent company"):
        for parent_name in split_names(parent):
            owner = related_party(SOURCE, parent_name)
            entities += [owner, relation("Ownership", SOURCE, owner, subject, "parent company")]
    return entities


def _address(row: dict[str, str]) -> str | None:
    parts = [part for column in ADDRESS_PARTS if (part := clean_text(row.get(column)))]
    return ", ".join(parts) or None


def _add_details(subject: EntityProxy, rows: list[dict[str, str]]) -> None:
    if subject.schema.is_a("Person"):
        subject.add("title", _values(rows, "Title"))
        subject.add("birthDate", [date for value in _values(rows, "D.O.B") if (date := _birth_date(value))])
        subject.add("nationality", _values(rows, "Nationality(/ies)") or _values(rows, "Nationality"))
        subject.add("passportNumber", _values(rows, "Passport number"))
        subject.add("idNumber", _values(rows, "National Identifier number"))
        subject.add("position", _values(rows, "Position"))
        subject.add("gender", [value.lower() for value in _values(rows, "Gender")])
        subject.add("birthPlace", _values(rows, "Town of birth"))
        subject.add("birthCountry", _values(rows, "Country of birth"))
    elif subject.schema.is_a("Vessel"):
        subject.add("imoNumber", [imo if imo.upper().startswith("IMO") else f"IMO{imo}" for imo in _values(rows, "IMO number")])
        subject.add("flag", _values(rows, "Current believed flag of ship"))
        subject.add("type", _values(rows, "Type of ship"))
        subject.add("buildDate", _values(rows, "Year Built"))
    else:
        subject.add("registrationNumber", _values(rows, "Business registration number (s)"))
        subject.add("legalForm", _values(rows, "Type of entity"))
    if not subject.schema.is_a("Vessel"):
        subject.add("phone", _values(rows, "Phone number"), quiet=True)
        subject.add("email", _values(rows, "Email address"), quiet=True)
        subject.add("website", _values(rows, "Website"), quiet=True)


def _sanction(subject: EntityProxy, rows: list[dict[str, str]], unique_id: str) -> EntityProxy:
    regimes = _values(rows, "Regime Name") or _values(rows, "Regime")
    designated = sorted(date for value in _values(rows, "Date Designated") if (date := parse_date(value, DATE_FORMATS)))
    reasons = _values(rows, "UK Statement of Reasons")
    sanction = add_sanction(
        subject,
        SOURCE,
        PROGRAM_ID,
        program=regimes[0] if regimes else None,
        listing_date=designated[0] if designated else None,
        source_url=URL,
        reason=reasons[0] if reasons else None,
    )
    sanction.add("program", regimes[1:])
    sanction.add("authorityId", unique_id)
    sanction.add("unscId", _values(rows, "UN Reference Number"))
    sanction.add("provisions", [part for value in _values(rows, "Sanctions Imposed") for part in split_names(value, "|")])
    return sanction


READERS = (UkOfsiReader(),)

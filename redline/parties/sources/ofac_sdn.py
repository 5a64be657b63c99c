"""OFAC's legacy CSV set (sdn.csv + add.csv + alt.csv + sdn_comments.csv), no header, '-0-' for null.

The same layout serves the non-SDN consolidated list (cons_prim/cons_add/cons_alt/cons_comments,
see ofac_cons.py); `OfacCsvSet` names the four files of one set.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from followthemoney import EntityProxy

from redline.parties.sources.base import ListFormatError, SourceInfo
from redline.parties.sources.common import (
    add_sanction,
    clean_text,
    iter_csv_rows,
    looks_like_company,
    make_entity,
    name_key,
    native_id,
    parse_date,
    related_party,
    relation,
)

PRIMARY_WIDTH, ADDRESS_WIDTH, ALT_WIDTH, COMMENT_WIDTH = 12, 6, 5, 2
TYPE_SCHEMAS = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
ALT_PROPERTIES = {"aka": "alias", "fka": "previousName", "nka": "alias"}
DATE_FORMATS = ("%d %b %Y", "%b %Y", "%Y", "%d %B %Y", "%Y-%m-%d")

# "<Label> <value>" items of the remarks column -> property.
REMARK_PROPERTIES = {
    "Passport": "passportNumber",
    "National ID No.": "idNumber",
    "Cedula No.": "idNumber",
    "D.N.I.": "idNumber",
    "C.U.R.P.": "idNumber",
    "Identification Number": "idNumber",
    "Tax ID No.": "taxNumber",
    "V.A.T. Number": "vatCode",
    "Registration Number": "registrationNumber",
    "Registration ID": "registrationNumber",
    "Company Number": "registrationNumber",
    "Business Registration Number": "registrationNumber",
    "Commercial Registry Number": "registrationNumber",
    "Unified Social Credit Code (USCC)": "registrationNumber",
    "C.R. No.": "registrationNumber",
    "Legal Entity Number": "leiCode",
    "SWIFT/BIC": "swiftBic",
    "Website": "website",
    "Email Address": "email",
    "ISIN": "isinCode",
    "MMSI": "mmsi",
    "Gender": "gender",
    "nationality": "nationality",
    "citizen": "citizenship",
    "POB": "birthPlace",
    "Aircraft Tail Number": "registrationNumber",
    "Aircraft Model": "model",
    "Aircraft Manufacturer's Serial Number (MSN)": "serialNumber",
}
_REMARK_LABEL = re.compile(r"^(" + "|".join(re.escape(k) for k in sorted(REMARK_PROPERTIES, key=len, reverse=True)) + r")\s+(.+)$")
_QUOTED_NAME = re.compile(r"^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+'(.+)'$", re.IGNORECASE)
_IMO = re.compile(r"\bIMO\s+(\d{7})\b")
_COUNTRY_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")


@dataclass(frozen=True)
class OfacCsvSet:
    """File names of one OFAC CSV set."""

    primary: str
    address: str
    alt: str
    comments: str

    def locate(self, path: Path) -> dict[str, Path]:
        """The set's files present beside `path` (a folder, or one of the set's files)."""
        folder = path if path.is_dir() else path.parent
        present = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
        wanted = {"primary": self.primary, "address": self.address, "alt": self.alt, "comments": self.comments}
        return {role: present[name] for role, name in wanted.items() if name in present}


@dataclass
class Listed:
    """One primary row with what the other files of the set add to it."""

    line: int
    fields: list[str]
    remarks: str = ""
    addresses: list[list[str]] = field(default_factory=list)
    alts: list[list[str]] = field(default_factory=list)


def first_row_width(path: Path) -> int | None:
    """Column count of the first row, read from the first bytes; None when it is not OFAC-shaped."""
    import csv

    try:
        with path.open("rb") as handle:
            head = handle.read(4096).decode("utf-8", errors="replace")
        first = head.splitlines()[0]
        row = next(csv.reader([first]))
    except (OSError, IndexError, StopIteration, csv.Error):
        return None
    return len(row) if row and row[0].strip().isdigit() else None


def split_remarks(remarks: str) -> list[str]:
    return [part for part in (clean_text(p) for p in remarks.rstrip(". ").split(";")) if part]


class OfacCsvReader:
    """Reads one OFAC CSV set; `program_ids` maps the program column to the list codes of the listing."""

    def __init__(self, info: SourceInfo, files: OfacCsvSet, program_ids: Callable[[list[str]], list[str]], base_url: str) -> None:
        self.info = info
        self.files = files
        self.program_ids = program_ids
        self.base_url = base_url

    def detect(self, path: Path) -> bool:
        if path.is_dir():
            found = self.files.locate(path)
            return "primary" in found or {"address", "alt"} <= set(found)
        name = path.name.lower()
        widths = {self.files.primary: PRIMARY_WIDTH, self.files.address: ADDRESS_WIDTH, self.files.alt: ALT_WIDTH}
        if name not in widths or first_row_width(path) != widths[name]:
            return False
        # add/alt files are claimed only when orphaned, so that read() can refuse them clearly.
        return name == self.files.primary or self.files.primary not in {p.name.lower() for p in path.parent.iterdir()}

    def data_date(self, path: Path) -> str | None:
        return None  # the legacy CSVs state no date

    def read(self, path: Path) -> Iterator[EntityProxy]:
        found = self.files.locate(path)
        if "primary" not in found:
            raise ListFormatError(path, None, f"{self.files.address}/{self.files.alt} without {self.files.primary}: the ids cannot be joined")
        listed = self._load(found)
        by_name: dict[str, str] = {}
        for ent_num, item in listed.items():
            by_name.setdefault(name_key(item.fields[1]), self._entity_id(ent_num))
        related: dict[str, EntityProxy] = {}
        for ent_num, item in listed.items():
            yield from self._entities(ent_num, item, by_name, related)
        yield from related.values()

    def _entity_id(self, ent_num: str) -> str:
        return native_id(self.info.name, ent_num)

    def _load(self, found: dict[str, Path]) -> dict[str, Listed]:
        primary = found["primary"]
        listed: dict[str, Listed] = {}
        for line, fields in iter_csv_rows(primary, PRIMARY_WIDTH):
            ent_num = fields[0].strip()
            if not ent_num.isdigit():
                raise ListFormatError(primary, line, f"entity number {ent_num!r} is not a number")
            if ent_num in listed:
                raise ListFormatError(primary, line, f"entity number {ent_num} repeated")
            if clean_text(fields[1]) is None:
                raise ListFormatError(primary, line, "row without a name")
            listed[ent_num] = Listed(line, fields, remarks=clean_text(fields[11]) or "")
        if "comments" in found:
            for _line, (ent_num, text) in iter_csv_rows(found["comments"], COMMENT_WIDTH):
                if ent_num.strip() in listed and clean_text(text):
                    listed[ent_num.strip()].remarks += text.rstrip()  # the remark continues mid-word
        for role, width in (("address", ADDRESS_WIDTH), ("alt", ALT_WIDTH)):
            if role not in found:
                continue
            for _line, fields in iter_csv_rows(found[role], width):
                item = listed.get(fields[0].strip())
                if item is not None:  # rows of delisted entries linger in add/alt; they join nothing
                    (item.addresses if role == "address" else item.alts).append(fields)
        return listed

    def _entities(self, ent_num: str, item: Listed, by_name: dict[str, str], related: dict[str, EntityProxy]) -> Iterator[EntityProxy]:
        _, name, sdn_type, program, title, call_sign, vessel_type, tonnage, grt, flag, owner, _ = (clean_text(f) for f in item.fields)
        assert name is not None  # checked in _load
        schema = TYPE_SCHEMAS.get((sdn_type or "").lower()) or ("Company" if looks_like_company(name) else "Organization")
        entity = make_entity(schema, self._entity_id(ent_num))
        entity.add("name", name)
        entity.add("position" if schema == "Person" else "notes", title)
        for fields in item.alts:
            alt_type, alt_name = (clean_text(fields[2]) or "aka").lower(), clean_text(fields[3])
            entity.add(ALT_PROPERTIES.get(alt_type, "alias"), alt_name)
        for fields in item.addresses:
            parts = [clean_text(f) for f in fields[2:5]]
            entity.add("address", ", ".join(p for p in parts if p) or None)
            entity.add("country", parts[2], quiet=True, fuzzy=True)
        if schema == "Vessel":
            entity.add("callSign", call_sign)
            entity.add("type", vessel_type)
            entity.add("tonnage", tonnage, quiet=True)
            entity.add("grossRegisteredTonnage", grt, quiet=True)
            entity.add("flag", flag, quiet=True, fuzzy=True)
        links = self._apply_remarks(entity, item.remarks)
        entity.add("notes", clean_text(item.remarks))
        yield entity
        programs = [p.strip() for p in (program or "").strip("[] ").split("] [") if p.strip()]
        for program_id in dict.fromkeys(self.program_ids(programs)):
            yield add_sanction(entity, self.info.name, program_id, program="; ".join(programs) or None, source_url=self.base_url)
        for target in links:
            target_id = by_name.get(name_key(target))
            if target_id is None or target_id == entity.id:
                target_id = related.setdefault(name_key(target), related_party(self.info.name, target)).id
            yield relation("UnknownLink", self.info.name, entity, target_id, "Linked to")
        if owner and schema in ("Vessel", "Airplane"):
            party = related.setdefault(name_key(owner), related_party(self.info.name, owner))
            yield relation("Ownership", self.info.name, party, entity, "Owner")

    @staticmethod
    def _apply_remarks(entity: EntityProxy, remarks: str) -> list[str]:
        """Put the remarks' aliases, dates, places and identifiers on `entity`; return its 'Linked To' targets."""
        links: list[str] = []
        for part in split_remarks(remarks):
            if part.startswith("Linked To:"):
                links.append(part.split(":", 1)[1].strip().rstrip("."))
            elif match := _QUOTED_NAME.match(part):
                marker = match.group(1).lower()
                entity.add("previousName" if marker == "f.k.a." else "weakAlias", match.group(2))
            elif part.startswith(("DOB ", "alt. DOB ")):
                for value in re.split(r"\s+to\s+|;", part.split("DOB", 1)[1].replace("circa", "")):
                    entity.add("birthDate", parse_date(value, DATE_FORMATS), quiet=True)
            elif imo := _IMO.search(part):
                entity.add("imoNumber", imo.group(1), quiet=True)
            elif match := _REMARK_LABEL.match(part.removeprefix("alt. ")):
                prop = REMARK_PROPERTIES[match.group(1)]
                value = match.group(2)
                if prop in ("passportNumber", "idNumber", "taxNumber", "registrationNumber", "nationality", "citizenship", "vatCode"):
                    value = _COUNTRY_SUFFIX.sub("", value)
                entity.add(prop, value, quiet=True, fuzzy=True)
        return links


SDN_FILES = OfacCsvSet(primary="sdn.csv", address="add.csv", alt="alt.csv", comments="sdn_comments.csv")


def sdn_program_ids(programs: list[str]) -> list[str]:
    return ["US-OFAC-SDN"]


READERS = (
    OfacCsvReader(
        SourceInfo(
            name="us_ofac_sdn",
            title="OFAC Specially Designated Nationals (SDN) List",
            publisher="Office of Foreign Assets Control, US Department of the Treasury",
            url="https://www.treasury.gov/ofac/downloads/sdn.csv",
            licence="US Government work, public domain in the US.",
        ),
        SDN_FILES,
        sdn_program_ids,
        "https://www.treasury.gov/ofac/downloads/sdn.csv",
    ),
)

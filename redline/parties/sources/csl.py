"""trade.gov Consolidated Screening List (CSL), the CSV download: eleven US lists in one table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from followthemoney import EntityProxy

from redline.parties.sources.base import ListFormatError, SourceInfo
from redline.parties.sources.common import (
    US_PROGRAMMES,
    US_TYPE_SCHEMAS,
    add_sanction,
    clean_text,
    iter_csv_records,
    looks_like_company,
    make_entity,
    name_key,
    native_id,
    parse_date,
    related_party,
    relation,
    sniff_csv_header,
    today,
)

SOURCE = "us_csl"
URL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
REQUIRED = ("_id", "source", "type", "programs", "name", "addresses", "start_date", "end_date", "remarks", "alt_names", "ids")

# The code in parentheses inside the `source` column -> programId.
SOURCE_CODES = {code: programme for code, _list_name, programme in US_PROGRAMMES}


# `ids` column: "<country>, <value>, <type>" or "<value>, <type>"; type -> property.
ID_PROPERTIES = {
    "ISIN": "isinCode",
    "Vessel Registration Identification": "imoNumber",
    "MMSI": "mmsi",
    "SWIFT/BIC": "swiftBic",
    "Website": "website",
    "Email Address": "email",
    "Phone Number": "phone",
    "Tax ID No.": "taxNumber",
    "V.A.T. Number": "vatCode",
    "Legal Entity Number": "leiCode",
    "Unified Social Credit Code (USCC)": "registrationNumber",
    "Registration Number": "registrationNumber",
    "Registration ID": "registrationNumber",
    "Company Number": "registrationNumber",
    "Business Registration Number": "registrationNumber",
    "Commercial Registry Number": "registrationNumber",
    "C.R. No.": "registrationNumber",
    "Aircraft Tail Number": "registrationNumber",
    "Aircraft Manufacturer's Serial Number (MSN)": "serialNumber",
    "Aircraft Model": "model",
    "Aircraft Operator": "operator",
    "Passport": "passportNumber",
    "National ID No.": "idNumber",
    "Cedula No.": "idNumber",
    "D.N.I.": "idNumber",
    "C.U.R.P.": "idNumber",
    "Identification Number": "idNumber",
    "Gender": "gender",
    "Organization Established Date": "incorporationDate",
}
DATE_PROPERTIES = {"incorporationDate"}

WILDCARD_NOTE = "Name contains '?' where the source lost characters; treat '?' as a wildcard when matching."


@dataclass
class ParsedName:
    """A list's name cell, taken apart: the party's own name and what was glued to it."""

    name: str
    aliases: list[str] = field(default_factory=list)
    previous_names: list[str] = field(default_factory=list)
    weak_aliases: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (role, target name)


_AFFILIATED = re.compile(r"\.?\s+Affiliated Entity:\s*", re.IGNORECASE)
_SUBORDINATE = re.compile(r",?\s+and subordinate entity\s+", re.IGNORECASE)
_SUBORDINATE_OF = re.compile(r"\s*\(a subordinate (institute|entity) of ([^)]+)\)\s*$", re.IGNORECASE)
_INCLUDING = re.compile(r",\s+including\b", re.IGNORECASE)
_PAREN_AKA = re.compile(r"\s*[\(\[]\s*(a\.k\.a\.?|aka)[,:]?\s+([^\)\]]+)[\)\]]", re.IGNORECASE)
_PAREN_FKA = re.compile(r"\s*\(\s*(f\.k\.a\.?|formerly)[,:]?\s+([^\)]+)\)", re.IGNORECASE)
_INLINE_AKA = re.compile(r",?\s+a\.k\.a\.?,?\s+", re.IGNORECASE)
_INLINE_FKA = re.compile(r",?\s+(?:f\.k\.a\.?|formerly),?\s+", re.IGNORECASE)
_LEADING_FKA = re.compile(r"^(?:f\.k\.a\.?|formerly|ex-)[,:]?\s*", re.IGNORECASE)
_TRAILING_ACRONYM = re.compile(r"\s*\(([A-Za-z0-9][\w&.\-]{0,24})\)\s*$")
# A legal form ending the name, then a ", place, place" residue (an address glued to the name).
_RESIDUE = re.compile(
    r"^(?P<name>.*?\b(?:Ltd|Limited|LLC|Inc|Co\.,? Ltd)\.?(?:\s*\([^)]*\))?)\s*,\s*(?P<residue>[^()]*?)[\s,]*$",
    re.IGNORECASE,
)
_ORG_WORDS = re.compile(
    r"\b(institute|research|center|centre|lab|laboratory|company|corporation|factory|plant|bureau|academy|group|branch|office|university|school)\b",
    re.IGNORECASE,
)


def parse_listed_name(raw: str) -> ParsedName:
    """Split a CSL name cell into the party's name, aliases, glued-on address and relation targets."""
    text = clean_text(raw) or ""
    links: list[tuple[str, str]] = []
    notes: list[str] = []
    parts = _AFFILIATED.split(text, maxsplit=1)
    if len(parts) == 2 and parts[1].strip():
        parent, text = parts
        links.append(("Affiliated entity", _strip_acronym(parent)[0]))
    parts = _SUBORDINATE.split(text, maxsplit=1)
    if len(parts) == 2 and parts[1].strip():
        parent, text = parts
        links.append(("Subordinate entity of", _strip_acronym(parent)[0]))
    if match := _SUBORDINATE_OF.search(text):
        links.append((f"Subordinate {match.group(1).lower()} of", match.group(2).strip()))
        text = text[: match.start()]
    if match := _INCLUDING.search(text):
        notes.append(text[match.start() + 1 :].strip())
        text = text[: match.start()]
    parsed = ParsedName(name=text, links=links, notes=notes)
    for pattern, bucket in ((_PAREN_AKA, parsed.aliases), (_PAREN_FKA, parsed.previous_names)):
        for match in list(pattern.finditer(parsed.name)):
            bucket.extend(p for p in (clean_text(x) for x in match.group(2).split(";")) if p)
        parsed.name = pattern.sub(" ", parsed.name)
    parsed.name = clean_text(parsed.name) or ""
    for pattern, bucket in ((_INLINE_FKA, parsed.previous_names), (_INLINE_AKA, parsed.aliases)):
        head, *rest = pattern.split(parsed.name)
        if rest and head:
            parsed.name = head
            bucket.extend(_clean_name(r) for r in rest if _clean_name(r))
    if (match := _RESIDUE.match(parsed.name)) and _is_place_residue(match.group("residue")):
        parsed.name = match.group("name")
        parsed.addresses.append(match.group("residue"))
    parsed.name, acronym = _strip_acronym(parsed.name)
    if acronym:
        parsed.weak_aliases.append(acronym)
    parsed.name = _clean_name(parsed.name) or text
    return parsed


def _strip_acronym(name: str) -> tuple[str, str | None]:
    """'Huawei Technologies Co., Ltd. (Huawei)' -> ('Huawei Technologies Co., Ltd.', 'Huawei')."""
    name = name.strip().rstrip(",").strip()
    match = _TRAILING_ACRONYM.search(name)
    if match is None or not name[: match.start()].strip():
        return name, None
    return name[: match.start()].strip(), match.group(1)


def _is_place_residue(residue: str) -> bool:
    pieces = [p.strip() for p in residue.split(",") if p.strip()]
    return bool(pieces) and all(len(p.split()) <= 4 for p in pieces) and not _ORG_WORDS.search(residue)


def _clean_name(value: str) -> str | None:
    value = clean_text(value) or ""
    value = value.strip(" ,;")
    return value or None


def split_alt_names(raw: str | None) -> tuple[list[str], list[str]]:
    """(aliases, previous names) from an alt_names cell: ';'-separated, sometimes glued with ', and '."""
    aliases: list[str] = []
    previous: list[str] = []
    for piece in re.split(r";|,\s+and\s+(?=\S)", raw or ""):
        piece = re.sub(r"^\s*and\s+", "", piece)
        piece = _clean_name(piece)
        if piece is None:
            continue
        if _LEADING_FKA.match(piece) and not re.match(r"^ex-\d", piece, re.IGNORECASE):
            previous.extend(_split_marked(_LEADING_FKA.sub("", piece), aliases, previous))
            continue
        aliases.extend(_split_marked(piece, aliases, previous))
    return _unique(aliases), _unique(previous)


def _split_marked(piece: str, aliases: list[str], previous: list[str]) -> list[str]:
    """The head of a piece; its ', f.k.a., X' / 'a.k.a. Y' tails are filed into previous / aliases."""
    parsed = parse_listed_name(piece)
    aliases.extend(parsed.aliases + parsed.weak_aliases)
    previous.extend(parsed.previous_names)
    return [parsed.name]


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def program_id_for(source_value: str, path: Path, line: int) -> str:
    match = re.search(r"\(([^)]+)\)", source_value)
    code = match.group(1).strip() if match else None
    if code not in SOURCE_CODES:
        raise ListFormatError(path, line, f"unknown CSL source {source_value!r}")
    return SOURCE_CODES[code]


def schema_for(type_value: str, name: str) -> str:
    schema = US_TYPE_SCHEMAS.get(type_value.strip())
    if schema:
        return schema
    if looks_like_company(name):
        return "Company"
    return "Organization" if type_value.strip() == "Entity" else "LegalEntity"


def split_cell(value: str | None) -> list[str]:
    return [part for part in (clean_text(p) for p in (value or "").split(";")) if part]


def add_addresses(entity: EntityProxy, raw: str | None) -> None:
    for address in split_cell(raw):
        entity.add("address", address.strip(" ,"))
        country = address.rsplit(",", 1)[-1].strip()
        if re.fullmatch(r"[A-Z]{2}", country):
            entity.add("country", country, quiet=True)


def add_ids(entity: EntityProxy, raw: str | None) -> None:
    for part in split_cell(raw):
        fields = [f.strip() for f in part.split(",")]
        if len(fields) < 2:
            continue
        id_type, value = fields[-1], fields[-2]
        prop = ID_PROPERTIES.get(id_type)
        if prop is None or not entity.schema.get(prop):
            continue
        if prop == "imoNumber":
            value = re.sub(r"^IMO\s*", "", value)
        if prop in DATE_PROPERTIES:
            value = parse_date(value) or value
        entity.add(prop, value, quiet=True, fuzzy=True)


@dataclass
class Row:
    line: int
    cells: dict[str, str]
    program_id: str
    entity_id: str
    parsed: ParsedName


class CslReader:
    info = SourceInfo(
        name=SOURCE,
        title="US Consolidated Screening List",
        publisher="International Trade Administration, US Department of Commerce",
        url=URL,
        licence="US Government work, public domain in the US.",
    )

    def detect(self, path: Path) -> bool:
        header = sniff_csv_header(path)
        return header is not None and header[:2] == ["_id", "source"] and all(c in header for c in REQUIRED)

    def data_date(self, path: Path) -> str | None:
        # The CSV states no publication date; the latest listing date is the best the file offers.
        latest = None
        for _line, cells in iter_csv_records(path, expect=REQUIRED):
            start = parse_date(cells["start_date"])
            if start and start <= today() and (latest is None or start > latest):
                latest = start
        return latest

    def read(self, path: Path) -> Iterator[EntityProxy]:
        rows = list(self._rows(path))
        # a relation target is looked up on the row's own list first, then on any list
        by_name: dict[tuple[str | None, str], str] = {}
        for row in rows:
            by_name.setdefault((row.program_id, name_key(row.parsed.name)), row.entity_id)
            by_name.setdefault((None, name_key(row.parsed.name)), row.entity_id)
        related: dict[str, EntityProxy] = {}
        for row in rows:
            yield from self._entities(row, by_name, related)
        yield from related.values()

    def _rows(self, path: Path) -> Iterator[Row]:
        seen: set[str] = set()
        for line, cells in iter_csv_records(path, expect=REQUIRED):
            program_id = program_id_for(cells["source"], path, line)
            name = clean_text(cells["name"])
            if name is None:
                raise ListFormatError(path, line, "row without a name")
            native = clean_text(cells["_id"]) or clean_text(cells.get("entity_number"))
            if native is None:
                raise ListFormatError(path, line, "row without an _id")
            entity_id = native_id(SOURCE, native)
            if entity_id in seen:
                entity_id = native_id(SOURCE, f"{native}-{line}")
            seen.add(entity_id)
            yield Row(line, cells, program_id, entity_id, parse_listed_name(name))

    def _entities(self, row: Row, by_name: dict[tuple[str | None, str], str], related: dict[str, EntityProxy]) -> Iterator[EntityProxy]:
        cells, parsed = row.cells, row.parsed
        entity = make_entity(schema_for(cells["type"], parsed.name), row.entity_id)
        entity.add("name", parsed.name)
        aliases, previous = split_alt_names(cells["alt_names"])
        entity.add("alias", _unique(parsed.aliases + aliases))
        entity.add("previousName", _unique(parsed.previous_names + previous))
        entity.add("weakAlias", parsed.weak_aliases)
        if any("?" in n for n in [parsed.name, *aliases]):
            entity.add("notes", WILDCARD_NOTE)
        entity.add("notes", parsed.notes)
        entity.add("notes", clean_text(cells["remarks"]))
        for residue in parsed.addresses:
            entity.add("address", residue)
        add_addresses(entity, cells["addresses"])
        add_ids(entity, cells["ids"])
        self._add_person_and_vessel(entity, cells)
        yield entity
        sanction = add_sanction(
            entity,
            SOURCE,
            row.program_id,
            program=clean_text(cells["programs"]),
            listing_date=parse_date(cells["start_date"]),
            end_date=parse_date(cells["end_date"]),
            source_url=clean_text(cells.get("source_list_url")),
            reason=clean_text(cells.get("license_policy")) or clean_text(cells.get("federal_register_notice")),
        )
        # The entry's licence review policy ("Presumption of denial", "Case-by-case review for ...").
        sanction.add("provisions", clean_text(cells.get("license_policy")))
        yield sanction
        targets = list(parsed.links) + [("Linked to", t) for t in _linked_to(cells["remarks"])]
        for role, target in targets:
            key = name_key(target)
            target_id = by_name.get((row.program_id, key)) or by_name.get((None, key))
            if target_id is None or target_id == entity.id:
                party = related.setdefault(name_key(target), related_party(SOURCE, target))
                target_id = party.id
            yield relation("UnknownLink", SOURCE, entity, target_id, role)
        owner = clean_text(cells.get("vessel_owner"))
        if owner and entity.schema.name == "Vessel":
            party = related.setdefault(name_key(owner), related_party(SOURCE, owner))
            yield relation("Ownership", SOURCE, party, entity, "Vessel owner")

    @staticmethod
    def _add_person_and_vessel(entity: EntityProxy, cells: dict[str, str]) -> None:
        for value in split_cell(cells.get("dates_of_birth")):
            entity.add("birthDate", parse_date(value), quiet=True)
        entity.add("nationality", split_cell(cells.get("nationalities")), quiet=True)
        entity.add("citizenship", split_cell(cells.get("citizenships")), quiet=True)
        entity.add("birthPlace", split_cell(cells.get("places_of_birth")), quiet=True)
        title = clean_text(cells.get("title"))
        entity.add("position" if entity.schema.get("position") else "notes", title)
        if entity.schema.name == "Vessel":
            entity.add("callSign", clean_text(cells.get("call_sign")))
            entity.add("type", clean_text(cells.get("vessel_type")))
            entity.add("tonnage", clean_text(cells.get("gross_tonnage")), quiet=True)
            entity.add("grossRegisteredTonnage", clean_text(cells.get("gross_registered_tonnage")), quiet=True)
            entity.add("flag", clean_text(cells.get("vessel_flag")), quiet=True, fuzzy=True)


_LINKED_TO = re.compile(r"Linked To:\s*([^;]+?)\s*(?:\)\s*)?(?:;|$)")


def _linked_to(remarks: str | None) -> list[str]:
    """Targets of '(Linked To: X)' / 'Linked To: X; Linked To: Y' in a remarks cell."""
    targets = []
    for match in _LINKED_TO.finditer(remarks or ""):
        target = match.group(1).strip().rstrip(".")
        if target.count("(") < target.count(")"):
            target = target[: target.rfind(")")]
        if target:
            targets.append(target.strip())
    return targets


READERS = (CslReader(),)

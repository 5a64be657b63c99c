"""Canada's Consolidated Autonomous Sanctions List (sema-lmes.xml).

A flat <data-set> of <record>s, one per listed party: Country (the regulations, e.g.
"Russia"), LastName / GivenName for a person, EntityOrShip for an entity or a ship,
TitleOrShip, ShipIMONumber, DateOfBirthOrShipBuildDate, Schedule, Item, DateOfListing and
Aliases. Recent files use bilingual tags ("Country-Pays", "LastName-NomDeFamille") and
bilingual values ("Russia / Russie"); both spellings are read. The list has no record id:
a record is keyed by its regulations, schedule and item number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from followthemoney import EntityProxy
from lxml.etree import _Element

from redline.parties.sources.base import ListFormatError, SourceInfo
from redline.parties.sources.common import (
    add_sanction,
    clean_text,
    id_prefix,
    iter_xml_elements,
    looks_like_company,
    make_entity,
    parse_date,
    slug_id,
)

SOURCE = "ca_sema"
PROGRAM_ID = "CA-SEMA"
URL = (
    "https://www.international.gc.ca/world-monde/assets/office_docs/"
    "international_relations-relations_internationales/sanctions/sema-lmes.xml"
)
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d", "%d %B %Y", "%B %d, %Y")
_IMO = re.compile(r"(?:IMO\s*)?(\d{7})")
_ALIAS_SEPARATOR = re.compile(r";|, (?=\S)")


class CaSemaReader:
    info = SourceInfo(
        name=SOURCE,
        title="Canada Consolidated Autonomous Sanctions List (SEMA / JVCFOA)",
        publisher="Global Affairs Canada",
        url=URL,
        licence="Government of Canada; reproduction for non-commercial and commercial use allowed with attribution (Open Government Licence – Canada).",
    )

    def detect(self, path: Path) -> bool:
        if not path.is_file():
            return False
        try:
            with path.open("rb") as handle:
                head = handle.read(4096)
        except OSError:
            return False
        return b"<data-set" in head and b"<record" in head and (b"<Country" in head or b"<Item" in head)

    def read(self, path: Path) -> Iterator[EntityProxy]:
        entities: list[EntityProxy] = []
        used: set[str] = set()
        for element in iter_xml_elements(path, "record"):
            fields = _fields(element)
            subject = _subject(path, element, fields, used)
            used.add(str(subject.id))
            entities += [subject, _sanction(subject, fields)]
        yield from entities

    def data_date(self, path: Path) -> str | None:
        return None  # the file states no publication date


def _fields(element: _Element) -> dict[str, str]:
    """English field name -> cleaned text; "Country-Pays" and "Country" both become "Country"."""
    fields: dict[str, str] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = child.tag.rsplit("}", 1)[-1].split("-", 1)[0]
        value = clean_text(child.text)
        if value is not None:
            fields[name] = value
    return fields


def _english(value: str | None) -> str | None:
    """The English half of a bilingual value such as "Russia / Russie"."""
    if value is None:
        return None
    return clean_text(value.split(" / ", 1)[0])


def _subject(path: Path, element: _Element, fields: dict[str, str], used: set[str]) -> EntityProxy:
    given, last = fields.get("GivenName"), fields.get("LastName")
    entity_name = fields.get("EntityOrShip")
    imo = _IMO.fullmatch(fields.get("ShipIMONumber", ""))
    if given or last:
        schema, name = "Person", " ".join(part for part in (given, last) if part)
    elif entity_name and imo:
        schema, name = "Vessel", entity_name
    elif entity_name:
        schema, name = ("Company" if looks_like_company(entity_name) else "LegalEntity"), entity_name
    else:
        raise ListFormatError(path, element.sourceline, "record names no person, entity or ship")
    regime, schedule, item = _english(fields.get("Country")), fields.get("Schedule"), fields.get("Item")
    entity_id = slug_id(id_prefix(SOURCE), regime, schedule, item)
    if item is None or entity_id in used:
        entity_id = slug_id(id_prefix(SOURCE), regime, schedule, item, name)
    if entity_id in used:
        raise ListFormatError(path, element.sourceline, f"record repeats {regime} schedule {schedule} item {item}: {name}")
    subject = make_entity(schema, entity_id)
    subject.add("name", name)
    subject.add("topics", "sanction")
    if schema == "Person":
        subject.add("firstName", given)
        subject.add("lastName", last)
        subject.add("title", _title_or_ship(fields))
        subject.add("birthDate", parse_date(fields.get("DateOfBirthOrShipBuildDate"), DATE_FORMATS))
    elif schema == "Vessel":
        subject.add("imoNumber", f"IMO{imo.group(1)}" if imo else None)
        subject.add("type", _title_or_ship(fields))
        subject.add("buildDate", parse_date(fields.get("DateOfBirthOrShipBuildDate"), DATE_FORMATS))
    for alias in _ALIAS_SEPARATOR.split(fields.get("Aliases", "")):
        if (cleaned := clean_text(alias)) and cleaned != name:
            subject.add("alias", cleaned)
    return subject


def _title_or_ship(fields: dict[str, str]) -> str | None:
    return _english(fields.get("TitleOrShip") or fields.get("TitleOrShipType"))


def _sanction(subject: EntityProxy, fields: dict[str, str]) -> EntityProxy:
    regime = _english(fields.get("Country"))
    schedule = fields.get("Schedule")
    program = " — ".join(part for part in (f"Special Economic Measures ({regime})" if regime else None, schedule) if part)
    sanction = add_sanction(
        subject,
        SOURCE,
        PROGRAM_ID,
        program=program or None,
        listing_date=parse_date(fields.get("DateOfListing"), DATE_FORMATS),
        source_url=URL,
    )
    sanction.add("authorityId", fields.get("Item"))
    sanction.add("country", regime)
    return sanction


READERS = (CaSemaReader(),)

"""EU Financial Sanctions Files: the consolidated list XML ("xmlFullSanctionsList_1_1").

One <sanctionEntity logicalId=…> per listed party, in the namespace
http://eu.europa.ec/fpi/fsd/export, with <subjectType code="person|enterprise">, <nameAlias>,
<citizenship>, <birthdate>, <identification>, <address> and the <regulation>s that list it.
The root <export generationDate=…> states the file's date.
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
    iter_xml_elements,
    looks_like_company,
    make_entity,
    native_id,
    parse_date,
)

SOURCE = "eu_fsf"
PROGRAM_ID = "EU-FSF"
URL = "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw"
NAMESPACE = b"http://eu.europa.ec/fpi/fsd/export"

_GENERATION_DATE = re.compile(rb'generationDate="(\d{4}-\d{2}-\d{2})')
_UNKNOWN_COUNTRY = {"", "00"}


class EuFsfReader:
    info = SourceInfo(
        name=SOURCE,
        title="EU Financial Sanctions Files (consolidated list)",
        publisher="European Commission, DG FISMA (Financial Sanctions Database)",
        url=URL,
        licence="EU open data; reuse authorised with acknowledgement of the source (Commission Decision 2011/833/EU).",
    )

    def detect(self, path: Path) -> bool:
        head = _head(path)
        return head is not None and b"<export" in head and (NAMESPACE in head or b"<sanctionEntity" in head)

    def read(self, path: Path) -> Iterator[EntityProxy]:
        entities: list[EntityProxy] = []
        seen: set[str] = set()
        for element in iter_xml_elements(path, "sanctionEntity"):
            subject, sanction = _entity(path, element)
            entity_id = str(subject.id)
            if entity_id in seen:
                raise ListFormatError(path, element.sourceline, f"logicalId {element.get('logicalId')} appears twice")
            seen.add(entity_id)
            entities += [subject, sanction]
        if not entities and not self.detect(path):
            raise ListFormatError(path, None, "not an EU FSF export (no <export> root)")
        yield from entities

    def data_date(self, path: Path) -> str | None:
        head = _head(path) or b""
        found = _GENERATION_DATE.search(head)
        return found.group(1).decode() if found else None


def _head(path: Path, size: int = 4096) -> bytes | None:
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError:
        return None


def _children(element: _Element, tag: str) -> list[_Element]:
    return element.findall(f"{{*}}{tag}")


def _attr(element: _Element, name: str) -> str | None:
    return clean_text(element.get(name))


def _entity(path: Path, element: _Element) -> tuple[EntityProxy, EntityProxy]:
    logical_id = _attr(element, "logicalId")
    if logical_id is None:
        raise ListFormatError(path, element.sourceline, "sanctionEntity without logicalId")
    subject_type = next((_attr(node, "code") for node in _children(element, "subjectType")), None)
    names = [alias for alias in _children(element, "nameAlias") if _whole_name(alias)]
    if not names:
        raise ListFormatError(path, element.sourceline, f"sanctionEntity {logical_id} has no name")
    schema = _schema(subject_type, _whole_name(names[0]) or "")
    subject = make_entity(schema, native_id(SOURCE, logical_id))
    _add_names(subject, names)
    subject.add("topics", "sanction")
    subject.add("notes", [clean_text(node.text) for node in _children(element, "remark")])
    _add_citizenships(subject, element)
    _add_births(subject, element)
    _add_identifications(subject, element)
    _add_addresses(subject, element)
    return subject, _sanction(subject, element)


def _schema(subject_type: str | None, first_name: str) -> str:
    if subject_type == "person":
        return "Person"
    return "Company" if looks_like_company(first_name) else "LegalEntity"


def _whole_name(alias: _Element) -> str | None:
    whole = _attr(alias, "wholeName")
    if whole:
        return whole
    parts = [_attr(alias, key) for key in ("firstName", "middleName", "lastName")]
    return clean_text(" ".join(part for part in parts if part))


def _add_names(subject: EntityProxy, names: list[_Element]) -> None:
    for index, alias in enumerate(names):
        strong = (alias.get("strong") or "true").lower() != "false"
        prop = "name" if index == 0 else ("alias" if strong else "weakAlias")
        subject.add(prop, _whole_name(alias))
        if subject.schema.is_a("Person"):
            subject.add("title", _attr(alias, "title"))
            subject.add("position", _attr(alias, "function"))
            gender = {"M": "male", "F": "female"}.get(alias.get("gender") or "")
            subject.add("gender", gender)


def _country_code(node: _Element) -> str | None:
    code = (node.get("countryIso2Code") or "").strip()
    return None if code in _UNKNOWN_COUNTRY else code.lower()


def _add_citizenships(subject: EntityProxy, element: _Element) -> None:
    prop = "nationality" if subject.schema.is_a("Person") else "country"
    for node in _children(element, "citizenship"):
        subject.add(prop, _country_code(node))


def _add_births(subject: EntityProxy, element: _Element) -> None:
    if not subject.schema.is_a("Person"):
        return
    for node in _children(element, "birthdate"):
        subject.add("birthDate", parse_date(node.get("birthdate")) or clean_text(node.get("year")))
        place = ", ".join(part for key in ("city", "place", "region") if (part := _attr(node, key)))
        subject.add("birthPlace", place or None)
        subject.add("birthCountry", _country_code(node))


def _add_identifications(subject: EntityProxy, element: _Element) -> None:
    for node in _children(element, "identification"):
        number = _attr(node, "number") or _attr(node, "latinNumber")
        kind = (node.get("identificationTypeCode") or "").lower()
        if kind == "passport" and subject.schema.is_a("Person"):
            subject.add("passportNumber", number)
        elif kind in {"regnumber", "tin", "inn", "ogrn", "kpp"} and not subject.schema.is_a("Person"):
            subject.add("registrationNumber", number)
        else:
            subject.add("idNumber", number)


def _add_addresses(subject: EntityProxy, element: _Element) -> None:
    for node in _children(element, "address"):
        keys = ("street", "poBox", "zipCode", "city", "place", "region", "countryDescription")
        parts = [part for key in keys if (part := _attr(node, key)) and part.upper() != "UNKNOWN"]
        subject.add("address", ", ".join(parts) or None)
        subject.add("country", _country_code(node))


def _sanction(subject: EntityProxy, element: _Element) -> EntityProxy:
    regulations = _children(element, "regulation")
    programmes = [programme for node in regulations if (programme := _attr(node, "programme"))]
    published = sorted(date for node in regulations if (date := parse_date(node.get("publicationDate"))))
    listed = parse_date(element.get("designationDate")) or (published[0] if published else None)
    sanction = add_sanction(
        subject,
        SOURCE,
        PROGRAM_ID,
        program=programmes[0] if programmes else None,
        listing_date=listed,
        source_url=URL,
        reason=_attr(element, "designationDetails"),
    )
    sanction.add("program", programmes[1:])
    sanction.add("authorityId", _attr(element, "euReferenceNumber"))
    sanction.add("unscId", _attr(element, "unitedNationId"))
    return sanction


READERS = (EuFsfReader(),)

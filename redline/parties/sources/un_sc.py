"""UN Security Council Consolidated List, the XML published at scsanctions.un.org.

REFERENCE_NUMBER (e.g. "QDi.001") is the id: it survives re-publication, so two snapshots diff.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from followthemoney import EntityProxy
from lxml import etree

from redline.parties.sources.base import ListFormatError, SourceInfo
from redline.parties.sources.common import add_sanction, clean_text, make_entity, native_id

SOURCE = "un_sc"
PROGRAM_ID = "UN-SC"
URL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
# Alias QUALITY -> FtM property. UN marks weak aliases "Low"; entities use "a.k.a."/"f.k.a.".
ALIAS_PROPERTY = {"good": "alias", "a.k.a.": "alias", "low": "weakAlias", "f.k.a.": "previousName"}
PASSPORT_WORDS = ("passport", "passeport", "pasaporte")
MAX_BIRTH_RANGE_YEARS = 30


class UnScReader:
    info = SourceInfo(
        name=SOURCE,
        title="UN Security Council Consolidated List",
        publisher="United Nations Security Council",
        url=URL,
        licence="UN public information; free to reuse with attribution.",
    )

    def detect(self, path: Path) -> bool:
        head = _head(path)
        return b"<CONSOLIDATED_LIST" in head and b"sc-sanctions" in head

    def read(self, path: Path) -> Iterator[EntityProxy]:
        # Parse the whole file before yielding, so a truncated file yields nothing.
        entities: list[EntityProxy] = []
        try:
            for _event, element in etree.iterparse(str(path), events=("end",), tag=("INDIVIDUAL", "ENTITY")):
                entities.extend(_party(element, path))
                element.clear()
        except etree.XMLSyntaxError as exc:
            raise ListFormatError(path, exc.lineno, f"XML parse error: {exc.msg}; the file may be truncated") from exc
        return iter(entities)

    def data_date(self, path: Path) -> str | None:
        try:
            for _event, element in etree.iterparse(str(path), events=("start",), tag="CONSOLIDATED_LIST"):
                generated = element.get("dateGenerated")
                return generated[:10] if generated else None
        except etree.XMLSyntaxError:
            return None
        return None


def _party(element: etree._Element, path: Path) -> list[EntityProxy]:
    reference = _text(element, "REFERENCE_NUMBER") or _text(element, "DATAID")
    if reference is None:
        raise ListFormatError(path, element.sourceline, f"<{element.tag}> without REFERENCE_NUMBER or DATAID")
    is_person = element.tag == "INDIVIDUAL"
    entity = make_entity("Person" if is_person else "Organization", native_id(SOURCE, reference))
    entity.add("name", " ".join(part for tag in NAME_PARTS if (part := _text(element, tag))))
    entity.add("alias", _text(element, "NAME_ORIGINAL_SCRIPT"))
    entity.add("notes", _text(element, "COMMENTS1"))
    entity.add("topics", "sanction")
    for alias in element.iterfind("INDIVIDUAL_ALIAS" if is_person else "ENTITY_ALIAS"):
        name = _text(alias, "ALIAS_NAME")
        quality = (_text(alias, "QUALITY") or "good").lower()
        if name:
            entity.add(ALIAS_PROPERTY.get(quality, "alias"), name)
    for address in element.iterfind("INDIVIDUAL_ADDRESS" if is_person else "ENTITY_ADDRESS"):
        entity.add("address", _join(address, ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")))
        entity.add("country", _text(address, "COUNTRY"))
    if is_person:
        _add_person_details(entity, element)
    program = _text(element, "UN_LIST_TYPE")
    sanction = add_sanction(
        entity,
        SOURCE,
        PROGRAM_ID,
        program=f"UN Security Council {program} sanctions" if program else None,
        listing_date=_text(element, "LISTED_ON"),
        source_url=URL,
    )
    sanction.add("unscId", reference)
    sanction.add("modifiedAt", [_text(value, ".") for value in element.iterfind("LAST_DAY_UPDATED/VALUE")])
    return [entity, sanction]


def _add_person_details(entity: EntityProxy, element: etree._Element) -> None:
    entity.add("title", [_text(v, ".") for v in element.iterfind("TITLE/VALUE")])
    entity.add("position", [_text(v, ".") for v in element.iterfind("DESIGNATION/VALUE")])
    entity.add("nationality", [_text(v, ".") for v in element.iterfind("NATIONALITY/VALUE")])
    gender = (_text(element, "GENDER") or "").lower()
    entity.add("gender", gender if gender in {"male", "female"} else None)
    for birth in element.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
        entity.add("birthDate", _birth_dates(birth))
    for place in element.iterfind("INDIVIDUAL_PLACE_OF_BIRTH"):
        entity.add("birthPlace", _join(place, ("CITY", "STATE_PROVINCE", "COUNTRY")))
        entity.add("birthCountry", _text(place, "COUNTRY"))
    for document in element.iterfind("INDIVIDUAL_DOCUMENT"):
        number = _text(document, "NUMBER")
        if number is None:
            continue
        kind = (_text(document, "TYPE_OF_DOCUMENT") or "").lower()
        entity.add("passportNumber" if any(word in kind for word in PASSPORT_WORDS) else "idNumber", number)


def _birth_dates(birth: etree._Element) -> list[str]:
    """Exact dates, bare years, and every year of a FROM_YEAR..TO_YEAR range."""
    if date := _text(birth, "DATE"):
        return [date[:10]]
    if year := _text(birth, "YEAR"):
        return [year]
    start, end = _text(birth, "FROM_YEAR"), _text(birth, "TO_YEAR")
    if start and end and start.isdigit() and end.isdigit() and 0 <= int(end) - int(start) <= MAX_BIRTH_RANGE_YEARS:
        return [str(year) for year in range(int(start), int(end) + 1)]
    return [year for year in (start, end) if year]


def _text(element: etree._Element, path: str) -> str | None:
    found = element if path == "." else element.find(path)
    return clean_text(found.text) if found is not None else None


def _join(element: etree._Element, tags: tuple[str, ...]) -> str | None:
    parts = [part for tag in tags if (part := _text(element, tag))]
    return ", ".join(parts) or None


def _head(path: Path, size: int = 1024) -> bytes:
    if not path.is_file():
        return b""
    with path.open("rb") as handle:
        return handle.read(size)


READERS = (UnScReader(),)

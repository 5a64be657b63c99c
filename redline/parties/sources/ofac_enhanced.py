"""OFAC's ENHANCED_XML export (the non-SDN consolidated list here), as .XML or zipped; streamed with iterparse."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from followthemoney import EntityProxy
from lxml import etree

from redline.parties.sources.base import ListFormatError, SourceInfo
from redline.parties.sources.common import (
    US_PROGRAMMES,
    US_TYPE_SCHEMAS,
    add_sanction,
    clean_text,
    looks_like_company,
    make_entity,
    native_id,
    parse_date,
    related_party,
    relation,
)

SOURCE = "us_ofac_cons"  # the same list as the CSV set; ids agree with ofac_cons.py
READER_NAME = "us_ofac_cons_xml"
URL = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONS_ENHANCED.ZIP"
NS = "{https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML}"
MARKER = b"sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML"

LIST_CODES_BY_NAME = {name: programme for _code, name, programme in US_PROGRAMMES if name}
ALIAS_PROPERTIES = {"A.K.A.": "alias", "F.K.A.": "previousName", "N.K.A.": "alias"}
FEATURE_PROPERTIES = {
    "Birthdate": "birthDate",
    "Place of Birth": "birthPlace",
    "Nationality Country": "nationality",
    "Citizenship Country": "citizenship",
    "Nationality of Registration": "jurisdiction",
    "Gender": "gender",
    "ISIN": "isinCode",
    "Website": "website",
    "Email Address": "email",
    "SWIFT/BIC": "swiftBic",
    "BIK (RU)": "bikCode",
    "MMSI": "mmsi",
    "Vessel Registration Identification": "imoNumber",
    "Vessel Call Sign": "callSign",
    "Vessel Flag": "flag",
    "VESSEL TYPE": "type",
    "Vessel Tonnage": "tonnage",
    "Organization Established Date": "incorporationDate",
    "Equity Ticker": "ticker",
}
DOCUMENT_PROPERTIES = {
    "Passport": "passportNumber",
    "Tax ID No.": "taxNumber",
    "V.A.T. Number": "vatCode",
    "Legal Entity Number": "leiCode",
    "Registration Number": "registrationNumber",
    "Registration ID": "registrationNumber",
    "Unified Social Credit Code (USCC)": "registrationNumber",
    "C.R. No.": "registrationNumber",
    "Company Number": "registrationNumber",
    "Business Registration Number": "registrationNumber",
}
OWNERSHIP_ROLES = {"Owned or Controlled By"}


@dataclass
class PendingLink:
    subject_id: str
    target_native: str
    target_name: str
    role: str


def _text(element: etree._Element | None) -> str | None:
    return clean_text(element.text) if element is not None else None


def _find(element: etree._Element, path: str) -> etree._Element | None:
    return element.find("/".join(NS + p for p in path.split("/")))


def _findall(element: etree._Element, path: str) -> list[etree._Element]:
    return element.findall("/".join(NS + p for p in path.split("/")))


class OfacEnhancedReader:
    info = SourceInfo(
        name=READER_NAME,
        title="OFAC Consolidated (non-SDN) Sanctions List, ENHANCED_XML",
        publisher="Office of Foreign Assets Control, US Department of the Treasury",
        url=URL,
        licence="US Government work, public domain in the US.",
    )

    def detect(self, path: Path) -> bool:
        if not path.is_file():
            return False
        try:
            if zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    members = [n for n in archive.namelist() if n.lower().endswith(".xml")]
                    if len(members) != 1:
                        return False
                    with archive.open(members[0]) as handle:
                        return MARKER in handle.read(4096)
            with path.open("rb") as handle:
                return MARKER in handle.read(4096)
        except (OSError, zipfile.BadZipFile, zlib.error):
            return False

    def data_date(self, path: Path) -> str | None:
        with self._open(path) as handle:
            for _event, element in self._iterparse(path, handle, NS + "dataAsOf"):
                return parse_date((element.text or "")[:10])
        return None

    def read(self, path: Path) -> Iterator[EntityProxy]:
        countries: dict[str, str] = {}
        links: list[PendingLink] = []
        seen: set[str] = set()
        with self._open(path) as handle:
            for _event, element in self._iterparse(path, handle, (NS + "referenceValue", NS + "entity")):
                if element.tag == NS + "referenceValue":
                    iso = _text(_find(element, "isoCode"))
                    if iso:
                        countries[element.get("refId", "")] = iso
                else:
                    for entity in self._entity(element, countries, links):
                        seen.add(entity.id)
                        yield entity
                element.clear()
        related: dict[str, EntityProxy] = {}
        for link in links:
            target_id = native_id(SOURCE, link.target_native)
            if target_id not in seen:
                target_id = related.setdefault(link.target_name, related_party(SOURCE, link.target_name)).id
            if link.role in OWNERSHIP_ROLES:
                yield relation("Ownership", SOURCE, target_id, link.subject_id, link.role)
            else:
                yield relation("UnknownLink", SOURCE, link.subject_id, target_id, link.role)
        yield from related.values()

    @contextmanager
    def _open(self, path: Path) -> Iterator[IO[bytes]]:
        try:
            if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    members = [n for n in archive.namelist() if n.lower().endswith(".xml")]
                    if len(members) != 1:
                        raise ListFormatError(path, None, f"expected one XML file in the ZIP, found {len(members)}")
                    with archive.open(members[0]) as handle:
                        yield handle
            else:
                with path.open("rb") as handle:
                    yield handle
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ListFormatError(path, None, f"damaged or truncated ZIP ({exc})") from exc

    @staticmethod
    def _iterparse(path: Path, handle: IO[bytes], tags: str | tuple[str, ...]) -> Iterator[tuple[str, etree._Element]]:
        try:
            yield from etree.iterparse(handle, events=("end",), tag=tags, huge_tree=True)
        except etree.XMLSyntaxError as exc:
            raise ListFormatError(path, exc.lineno, f"XML parse error ({exc.msg}); the file may be truncated") from exc

    def _entity(self, element: etree._Element, countries: dict[str, str], links: list[PendingLink]) -> Iterator[EntityProxy]:
        native = element.get("id")
        entity_type = _text(_find(element, "generalInfo/entityType")) or ""
        names = _findall(element, "names/name")
        primary = next((n for n in names if _text(_find(n, "isPrimary")) == "true"), names[0] if names else None)
        primary_name = self._full_name(primary) if primary is not None else None
        if not native or not primary_name:
            raise ListFormatError("ENHANCED_XML", element.sourceline, "entity without an id or a primary name")
        schema = US_TYPE_SCHEMAS.get(entity_type) or ("Company" if looks_like_company(primary_name) else "Organization")
        entity = make_entity(schema, native_id(SOURCE, native))
        self._add_names(entity, names, primary)
        self._add_addresses(entity, element, countries)
        listing_dates = self._add_features(entity, element, countries)
        self._add_documents(entity, element)
        entity.add("notes", [_text(r) for r in _findall(element, "remarks")])
        yield entity
        programs = "; ".join(filter(None, (_text(p) for p in _findall(element, "sanctionsPrograms/sanctionsProgram")))) or None
        authority = "; ".join(filter(None, (_text(p) for p in _findall(element, "legalAuthorities/legalAuthority")))) or None
        lists = [(LIST_CODES_BY_NAME.get(_text(s) or ""), s.get("datePublished")) for s in _findall(element, "sanctionsLists/sanctionsList")]
        lists = [(code, date) for code, date in lists if code] or [("US-OFAC-CONS", None)]
        for code, published in lists:
            listing = listing_dates.get(code) or parse_date(published)
            yield add_sanction(entity, SOURCE, code, program=programs, listing_date=listing, source_url=URL, reason=authority)
        for rel in _findall(element, "relationships/relationship"):
            target = _find(rel, "relatedEntity")
            if target is not None and target.get("entityId"):
                links.append(PendingLink(entity.id, target.get("entityId"), _text(target) or target.get("entityId"), _text(_find(rel, "type")) or "Linked to"))

    @staticmethod
    def _full_name(name: etree._Element) -> str | None:
        translations = _findall(name, "translations/translation")
        chosen = next((t for t in translations if _text(_find(t, "isPrimary")) == "true"), translations[0] if translations else None)
        if chosen is None:
            return None
        parts = [_text(p) for p in _findall(chosen, "nameParts/namePart/value")]
        # the name parts keep the list's own case ("Hikvision"); formattedFullName is upper-cased for entities
        return _text(_find(chosen, "formattedFullName")) or " ".join(p for p in parts if p) or None

    def _add_names(self, entity: EntityProxy, names: list[etree._Element], primary: etree._Element | None) -> None:
        for name in names:
            alias_type = _text(_find(name, "aliasType"))
            low = _text(_find(name, "isLowQuality")) == "true"
            prop = "name" if name is primary else ("weakAlias" if low else ALIAS_PROPERTIES.get(alias_type or "", "alias"))
            for translation in _findall(name, "translations/translation"):
                full = _text(_find(translation, "formattedFullName"))
                entity.add(prop if _text(_find(translation, "isPrimary")) == "true" else "alias", full)
                if name is primary and entity.schema.name == "Person":
                    entity.add("firstName", _text(_find(translation, "formattedFirstName")))
                    entity.add("lastName", _text(_find(translation, "formattedLastName")))

    @staticmethod
    def _add_addresses(entity: EntityProxy, element: etree._Element, countries: dict[str, str]) -> None:
        for address in _findall(element, "addresses/address"):
            country = _find(address, "country")
            iso = countries.get(country.get("refId", "")) if country is not None else None
            parts = [_text(v) for v in _findall(address, "translations/translation/addressParts/addressPart/value")]
            text = ", ".join(p for p in [*parts, _text(country)] if p)
            entity.add("address", text or None)
            entity.add("country", iso, quiet=True)

    @staticmethod
    def _add_features(entity: EntityProxy, element: etree._Element, countries: dict[str, str]) -> dict[str, str]:
        """Feature values onto the entity; returns listing dates the features state, by list code."""
        listing_dates: dict[str, str] = {}
        for feature in _findall(element, "features/feature"):
            label = _text(_find(feature, "type")) or ""
            value = _text(_find(feature, "value"))
            ref = _text(_find(feature, "valueRefId"))
            date = _text(_find(feature, "valueDate/fromDateBegin"))
            if label == "Listing Date (CMIC)" and date:
                listing_dates["US-OFAC-NS-CMIC"] = date[:10]
            prop = FEATURE_PROPERTIES.get(label)
            if prop is None:
                entity.add("notes", f"{label} {value}" if value else None)
                continue
            if prop in ("nationality", "citizenship", "jurisdiction", "flag") and ref in countries:
                value = countries[ref]
            if prop in ("birthDate", "incorporationDate"):
                value = _year_or_date(feature, value)
            if prop == "imoNumber" and value:
                value = re.sub(r"^IMO\s*", "", value)
            entity.add(prop, value, quiet=True, fuzzy=True)
        return listing_dates

    @staticmethod
    def _add_documents(entity: EntityProxy, element: etree._Element) -> None:
        for document in _findall(element, "identityDocuments/identityDocument"):
            label = _text(_find(document, "type")) or ""
            prop = DOCUMENT_PROPERTIES.get(label, "idNumber")
            if not entity.schema.get(prop):
                prop = "idNumber" if entity.schema.get("idNumber") else "notes"
            entity.add(prop, _text(_find(document, "documentNumber")), quiet=True)


def _year_or_date(feature: etree._Element, value: str | None) -> str | None:
    begin = _text(_find(feature, "valueDate/fromDateBegin"))
    end = _text(_find(feature, "valueDate/toDateBegin"))
    if begin and end and begin[:10] == end[:10]:
        return begin[:10]
    if begin and end and begin[:4] == end[:4]:
        return begin[:4]
    return parse_date(value, ("%d %b %Y", "%b %Y", "%Y")) if value else None


READERS = (OfacEnhancedReader(),)

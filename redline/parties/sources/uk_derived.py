"""UK Sanctions List as re-shaped by a third party into five joined tables (covyr/uk-sanctions-list).

A folder holding subjects.csv and subject_{names,dobs,identifiers,countries}.csv; every side table
joins on `unique_id`. The raw FCDO file is the official source; these tables are its derivative.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from followthemoney import EntityProxy

from redline.parties.sources.base import ListFormatError, SourceInfo
from redline.parties.sources.common import (
    add_sanction,
    clean_text,
    iter_csv_records,
    make_entity,
    native_id,
    parse_date,
    sniff_csv_header,
)

SOURCE = "uk_fcdo_derived"
PROGRAM_ID = "UK-FCDO"
URL = "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv"
SUBJECT_COLUMNS = ("unique_id", "subject_type", "un_reference_number", "ofsi_group_id", "date_designated", "last_updated")
SCHEMA_BY_TYPE = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}
NAME_PROPERTY = {"primary": "name", "primary_variation": "alias", "alias": "alias", "non-latin": "alias"}
IDENTIFIER_PROPERTY = {"passport": "passportNumber", "national": "idNumber", "business_registration_numbers": "registrationNumber", "imo": "imoNumber"}
COUNTRY_PROPERTY = {"address": "country", "birth": "birthCountry", "nationality": "nationality"}


class UkDerivedReader:
    info = SourceInfo(
        name=SOURCE,
        title="UK Sanctions List (third-party derived tables)",
        publisher="UK Foreign, Commonwealth & Development Office; tables re-shaped by covyr/uk-sanctions-list",
        url=URL,
        licence="Underlying data Crown copyright under the Open Government Licence v3; these tables are a third party's transform of it (no licence stated: use for testing, attribute).",
    )

    def detect(self, path: Path) -> bool:
        subjects = _subjects_file(path)
        header = sniff_csv_header(subjects) if subjects else None
        return header is not None and tuple(header) == SUBJECT_COLUMNS and (subjects.parent / "subject_names.csv").is_file()

    def read(self, path: Path) -> Iterator[EntityProxy]:
        subjects_path = _subjects_file(path)
        if subjects_path is None:
            raise ListFormatError(path, None, "no subjects.csv in this folder")
        folder = subjects_path.parent
        entities: dict[str, EntityProxy] = {}
        sanctions: list[EntityProxy] = []
        for _line, row in iter_csv_records(subjects_path, expect=SUBJECT_COLUMNS):
            unique_id = row["unique_id"].strip()
            entity = make_entity(SCHEMA_BY_TYPE.get(row["subject_type"].strip(), "LegalEntity"), native_id(SOURCE, unique_id))
            entity.add("topics", "sanction")
            entities[unique_id] = entity
            sanction = add_sanction(entity, SOURCE, PROGRAM_ID, listing_date=parse_date(row["date_designated"]), source_url=URL)
            sanction.add("modifiedAt", parse_date(row["last_updated"]))
            sanction.add("unscId", clean_text(row["un_reference_number"]))
            sanction.add("authorityId", clean_text(row["ofsi_group_id"]))
            sanctions.append(sanction)
        for entity, row in _joined(folder / "subject_names.csv", entities, ("name_type", "full_name")):
            prop = NAME_PROPERTY.get(row["name_type"].strip(), "alias")
            if prop == "alias" and row.get("alias_strength", "").strip() == "low_quality_aka":
                prop = "weakAlias"
            _add(entity, prop, clean_text(row["full_name"]))
        for entity, row in _joined(folder / "subject_dobs.csv", entities, ("year", "month", "day")):
            _add(entity, "birthDate", _dob(row))
        for entity, row in _joined(folder / "subject_identifiers.csv", entities, ("raw_value", "identifier_type")):
            _add(entity, IDENTIFIER_PROPERTY.get(row["identifier_type"].strip(), "idNumber"), clean_text(row["raw_value"]))
        for entity, row in _joined(folder / "subject_countries.csv", entities, ("iso", "country_type")):
            _add(entity, COUNTRY_PROPERTY.get(row["country_type"].strip(), "country"), clean_text(row["iso"]))
        for unique_id, entity in entities.items():
            if not entity.has("name"):
                raise ListFormatError(subjects_path, None, f"subject {unique_id} has no primary name in subject_names.csv")
        return iter([*entities.values(), *sanctions])

    def data_date(self, path: Path) -> str | None:
        subjects = _subjects_file(path)
        if subjects is None:
            return None
        dates = [parse_date(row["last_updated"]) for _line, row in iter_csv_records(subjects, expect=SUBJECT_COLUMNS)]
        return max((d for d in dates if d), default=None)


def _subjects_file(path: Path) -> Path | None:
    path = Path(path)
    if path.is_dir():
        path = path / "subjects.csv"
    return path if path.name == "subjects.csv" and path.is_file() else None


def _joined(path: Path, entities: dict[str, EntityProxy], columns: tuple[str, ...]) -> Iterator[tuple[EntityProxy, dict[str, str]]]:
    """Rows of a side table with the entity they belong to; an orphan row is a format error."""
    if not path.is_file():
        return
    for line, row in iter_csv_records(path, expect=("unique_id", *columns)):
        entity = entities.get(row["unique_id"].strip())
        if entity is None:
            raise ListFormatError(path, line, f"row for subject {row['unique_id']!r}, which subjects.csv does not list")
        yield entity, row


def _add(entity: EntityProxy, prop: str, value: str | None) -> None:
    """Add where the schema has the property; else fall back to the generic one (a ship has no passport)."""
    if value is None:
        return
    if not entity.schema.get(prop):
        prop = {"birthCountry": "country", "nationality": "country", "passportNumber": "idNumber"}.get(prop, prop)
        if not entity.schema.get(prop):
            prop = "notes" if prop != "birthDate" else ""
    if prop:
        entity.add(prop, value)


def _dob(row: dict[str, str]) -> str | None:
    year, month, day = (row[key].strip() for key in ("year", "month", "day"))
    if not year.isdigit():
        return None
    if month.isdigit() and day.isdigit():
        return f"{year}-{int(month):02d}-{int(day):02d}"
    if month.isdigit():
        return f"{year}-{int(month):02d}"
    return year


READERS = (UkDerivedReader(),)

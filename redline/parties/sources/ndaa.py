"""NDAA FY2019 sections 889 and 1286 lists (OpenSanctions' special_leg source tables).

Both files share one layout; the `program` column says which section a file lists. Section 1286
is republished every year, so one institution appears once per report year: it becomes one
entity with one Sanction, listed from its earliest report year.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from followthemoney import EntityProxy

from redline.parties.sources.base import SourceInfo
from redline.parties.sources.common import (
    add_sanction,
    clean_text,
    id_prefix,
    iter_csv_records,
    make_entity,
    name_key,
    parse_date,
    slug_id,
    split_names,
    TranscribedCsvReader,
)

COLUMNS = ("schema", "name", "aliases", "topics", "program", "authority", "reason", "report-date", "start-date", "end-date", "country", "notes", "source_url")
SCHEMAS = {"Company", "Organization", "Person", "LegalEntity"}


@dataclass
class _Party:
    schema: str
    name: str
    aliases: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    starts: list[str] = field(default_factory=list)
    ends: list[str | None] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)


class NdaaReader(TranscribedCsvReader):
    columns = COLUMNS
    reads_first_row = True

    def __init__(self, source: str, program_id: str, section: str, url: str) -> None:
        self.source = source
        self.program_id = program_id
        self.section = section
        self.info = SourceInfo(
            name=source,
            title=f"NDAA FY2019 Section {section} list",
            publisher="US Congress / US Department of Defense (transcribed by OpenSanctions)",
            url=url,
            licence="US Government work, public domain; transcription from the OpenSanctions repository (MIT).",
        )

    def first_row(self, row: dict[str, str]) -> bool:
        return f"Section {self.section} " in row["program"]

    def entities(self, path: Path) -> Iterator[EntityProxy]:
        parties: dict[str, _Party] = {}
        for _line, row in iter_csv_records(path, expect=COLUMNS):
            name = clean_text(row["name"])
            if name is None:
                continue
            party = parties.setdefault(name_key(name), _Party(_schema(row["schema"]), name))
            party.aliases.extend(split_names(row["aliases"]))
            party.countries.extend(split_names(row["country"]))
            party.notes.extend(split_names(row["notes"]))
            start = parse_date(row["start-date"]) or parse_date(row["report-date"])
            if start:
                party.starts.append(start)
            party.ends.append(parse_date(row["end-date"]))
            if url := clean_text(row["source_url"]):
                party.urls.append(url)
        for key, party in parties.items():
            entity = make_entity(party.schema, slug_id(id_prefix(self.source), key))
            entity.add("name", party.name)
            entity.add("alias", [alias for alias in dict.fromkeys(party.aliases) if name_key(alias) != key])
            entity.add("country", party.countries)
            entity.add("notes", party.notes)
            entity.add("topics", "debarment")
            yield entity
            all_ended = party.ends and all(party.ends)
            yield add_sanction(
                entity,
                self.source,
                self.program_id,
                listing_date=min(party.starts) if party.starts else None,
                end_date=max(end for end in party.ends if end) if all_ended else None,
                source_url=party.urls[-1] if party.urls else None,
            )


def _schema(value: str) -> str:
    value = value.strip()
    return value if value in SCHEMAS else "LegalEntity"


READERS = (
    NdaaReader("us_ndaa_889", "US-NDAA-889", "889", "https://www.congress.gov/115/plaws/publ232/PLAW-115publ232.pdf"),
    NdaaReader("us_ndaa_1286", "US-NDAA-1286", "1286", "https://www.cto.mil/wp-content/uploads/2026/07/FY25-Section-1286-List.pdf"),
)

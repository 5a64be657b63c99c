"""BIS Military-Intelligence End User (MIEU) list, as the CSV table OpenSanctions transcribes it."""

from __future__ import annotations

from collections.abc import Iterator
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

SOURCE = "us_bis_mieu"
PROGRAM_ID = "US-BIS-MIEU"
COLUMNS = ("Type", "Name", "Alias", "Country", "Topics", "Program", "Date", "End date", "Source URL")
SCHEMAS = {"Organization", "Company", "Person", "LegalEntity"}


class BisMieuReader(TranscribedCsvReader):
    columns = COLUMNS
    reads_first_row = True
    info = SourceInfo(
        name=SOURCE,
        title="BIS Military-Intelligence End User List",
        publisher="Bureau of Industry and Security, US Department of Commerce (transcribed by OpenSanctions)",
        url="https://www.bis.gov/regulations/ear/part-744/supplement-no-8-part-744",
        licence="US Government work, public domain; transcription from the OpenSanctions repository (MIT).",
    )

    def first_row(self, row: dict[str, str]) -> bool:
        return row.get("Program", "").strip() == PROGRAM_ID

    def entities(self, path: Path) -> Iterator[EntityProxy]:
        for _line, row in iter_csv_records(path, expect=("Name", "Type")):
            name = clean_text(row["Name"])
            if name is None:
                continue
            schema = row["Type"].strip() if row["Type"].strip() in SCHEMAS else "Organization"
            entity = make_entity(schema, slug_id(id_prefix(SOURCE), name_key(name)))
            entity.add("name", name)
            entity.add("alias", split_names(row.get("Alias")))
            entity.add("country", clean_text(row.get("Country")))
            entity.add("topics", "export.control")
            yield entity
            yield add_sanction(
                entity,
                SOURCE,
                PROGRAM_ID,
                listing_date=parse_date(row.get("Date")),
                end_date=parse_date(row.get("End date")),
                source_url=clean_text(row.get("Source URL")),
            )


READERS = (BisMieuReader(),)

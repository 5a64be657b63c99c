"""PRC counter-sanctions and export-control targets (OpenSanctions' cn/sanctions table).

Each party carries its English name and, usually, its Chinese name; both become `name` so a
query in either script finds it. One party listed by several bodies or on several dates is one
entity with one Sanction per listing.
"""

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

SOURCE = "cn_mfa"
PROGRAM_ID = "CN-MFA"
REQUIRED = ("Type", "Name", "Alias", "Chinese name", "Country", "Body", "List", "Date", "End date", "Source URL")
SCHEMAS = {"Organization", "Company", "Person", "LegalEntity"}
DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d")


class CnMfaReader(TranscribedCsvReader):
    columns = REQUIRED
    exact_header = False
    info = SourceInfo(
        name=SOURCE,
        title="PRC counter-sanctions and export-control lists",
        publisher="PRC Ministry of Foreign Affairs, Ministry of Commerce, Taiwan Affairs Office (transcribed by OpenSanctions)",
        url="https://www.fmprc.gov.cn/",
        licence="Official announcements; transcription from the OpenSanctions repository (MIT).",
    )

    def entities(self, path: Path) -> Iterator[EntityProxy]:
        entities: dict[str, EntityProxy] = {}
        sanctions: list[EntityProxy] = []
        for line, row in iter_csv_records(path, expect=REQUIRED):
            name = clean_text(row["Name"])
            chinese = clean_text(row["Chinese name"])
            if name is None and chinese is None:
                continue
            key = name_key(name or chinese or "")
            entity = entities.get(key)
            if entity is None:
                schema = row["Type"].strip() if row["Type"].strip() in SCHEMAS else "LegalEntity"
                entity = entities[key] = make_entity(schema, slug_id(id_prefix(SOURCE), key))
            entity.add("name", [name, chinese])
            entity.add("alias", split_names(row["Alias"]))
            entity.add("country", clean_text(row["Country"]))
            entity.add("wikidataId", clean_text(row.get("QID")))
            entity.add("address", clean_text(row.get("Address")))
            summary = [clean_text(row.get("Summary")), clean_text(row.get("Chinese summary"))]
            entity.add("position" if entity.schema.is_a("Person") else "notes", summary)
            listing_date = parse_date(row["Date"], DATE_FORMATS)
            body = clean_text(row["Body"])
            program = clean_text(row["List"]) or body
            sanction = add_sanction(
                entity,
                SOURCE,
                PROGRAM_ID,
                program=program,
                listing_date=listing_date,
                end_date=parse_date(row["End date"], DATE_FORMATS),
                source_url=clean_text(row["Source URL"]),
                key=f"{name_key(body or '').replace(' ', '-')}-{listing_date or line}",
            )
            if body:
                sanction.set("authority", body)
            sanctions.append(sanction)
        yield from entities.values()
        yield from {sanction.id: sanction for sanction in sanctions}.values()


READERS = (CnMfaReader(),)

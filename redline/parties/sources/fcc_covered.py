"""FCC Covered List (47 CFR 1.50002): equipment and services deemed a national-security risk.

The table names producers only inside free text ("Telecommunications equipment produced by
Huawei Technologies Company, including ..."); `covered_producers` pulls them out. Rows that
cover a whole class of foreign products (drones, routers, inverters) name no party and yield
no entity.
"""

from __future__ import annotations

import re
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
    TranscribedCsvReader,
)

SOURCE = "us_fcc_covered"
PROGRAM_ID = "US-FCC-COVERED"
URL = "https://www.fcc.gov/supplychain/coveredlist"
COLUMNS = ("covered_equipment_or_services", "date_of_inclusion_on_covered_list")

_PRODUCER = re.compile(
    r"\b(?:produced|provided|supplied)(?:, directly or indirectly,)? by (?P<name>.+?)"
    r",? (?:including|to the extent|or any of its|subject to)\b"
)
_SUBSIDIARY = re.compile(r"\s+and its (?:wholly-owned |wholly owned )?subsidiary\s+")
_FIRST_DATE = re.compile(r"[A-Z][a-z]+ \d{1,2}, \d{4}")


def covered_producers(text: str) -> list[tuple[str, str | None]]:
    """(producer, parent) pairs named in one covered-list entry; parent is set for a named subsidiary."""
    match = _PRODUCER.search(text)
    if match is None:
        return []
    name = match.group("name").strip()
    if name.startswith("such entit") or " foreign country" in name:
        return []
    parts = _SUBSIDIARY.split(name, maxsplit=1)
    if len(parts) == 2:
        parent, subsidiary = parts[0].strip(), parts[1].strip()
        return [(parent, None), (subsidiary, parent)]
    return [(name, None)]


class FccCoveredReader(TranscribedCsvReader):
    columns = COLUMNS
    info = SourceInfo(
        name=SOURCE,
        title="FCC Covered List",
        publisher="US Federal Communications Commission (table transcribed by OpenSanctions)",
        url=URL,
        licence="US Government work, public domain; transcription from the OpenSanctions repository (MIT).",
    )

    def entities(self, path: Path) -> Iterator[EntityProxy]:
        seen: set[str] = set()
        for _line, row in iter_csv_records(path, expect=COLUMNS):
            text = clean_text(row["covered_equipment_or_services"]) or ""
            date_text = _FIRST_DATE.search(row["date_of_inclusion_on_covered_list"])
            listing_date = parse_date(date_text.group(0)) if date_text else None
            for name, parent in covered_producers(text):
                entity = make_entity("Company", _company_id(name))
                entity.add("name", name)
                entity.add("topics", "sanction")
                if entity.id not in seen:
                    seen.add(entity.id)
                    yield entity
                yield add_sanction(entity, SOURCE, PROGRAM_ID, listing_date=listing_date, source_url=URL, reason=text, key=listing_date or "")
                if parent is not None:
                    ownership = make_entity("Ownership", f"{entity.id}-owned-by-{_company_id(parent)}")
                    ownership.add("owner", _company_id(parent))
                    ownership.add("asset", entity.id)
                    ownership.add("percentage", "100" if "wholly" in text else None)
                    yield ownership


def _company_id(name: str) -> str:
    return slug_id(id_prefix(SOURCE), name_key(name))


READERS = (FccCoveredReader(),)

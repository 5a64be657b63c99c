"""BIS Denied Persons List, the tab-separated dpl.txt (quoted fields, header row)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from followthemoney import EntityProxy

from redline.parties.sources.base import ListFormatError, SourceInfo
from redline.parties.sources.common import (
    add_sanction,
    clean_text,
    id_prefix,
    iter_csv_rows,
    looks_like_company,
    make_entity,
    name_key,
    parse_date,
    slug_id,
    today,
)

SOURCE = "us_bis_dpl"
URL = "https://www.bis.doc.gov/dpl/dpl.txt"
COLUMNS = ("Name", "Street_Address", "City", "State", "Country", "Postal_Code", "Effective_Date",
           "Expiration_Date", "Standard_Order", "Last_Update", "Action", "FR_Citation")
HEADER_BYTES = "\t".join(f'"{c}"' for c in COLUMNS).encode()
DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d")


class BisDplReader:
    info = SourceInfo(
        name=SOURCE,
        title="BIS Denied Persons List",
        publisher="Bureau of Industry and Security, US Department of Commerce",
        url=URL,
        licence="US Government work, public domain in the US.",
    )

    def detect(self, path: Path) -> bool:
        if not path.is_file():
            return False
        with path.open("rb") as handle:
            head = handle.read(len(HEADER_BYTES) + 8).lstrip(b"\xef\xbb\xbf")
        return head.replace(b'"', b"").startswith(HEADER_BYTES.replace(b'"', b""))

    def data_date(self, path: Path) -> str | None:
        # No publication date in the file: the latest Last_Update is when it was last changed.
        dates = [parse_date(fields[9], DATE_FORMATS) for _line, fields in iter_csv_rows(path, len(COLUMNS), "\t", skip=1)]
        return max((d for d in dates if d and d <= today()), default=None)  # one row says 3017

    def read(self, path: Path) -> Iterator[EntityProxy]:
        seen: set[str] = set()
        entities: list[EntityProxy] = []
        for line, fields in iter_csv_rows(path, len(COLUMNS), "\t", skip=1):
            row = dict(zip(COLUMNS, (clean_text(f) for f in fields)))
            name = row["Name"]
            if name is None:
                raise ListFormatError(path, line, "row without a name")
            address = ", ".join(p for p in (row["Street_Address"], row["City"], row["State"], row["Postal_Code"], row["Country"]) if p)
            entity_id = slug_id(id_prefix(SOURCE), name_key(name), name_key(address), row["Effective_Date"])
            if entity_id in seen:
                entity_id = slug_id(id_prefix(SOURCE), name_key(name), name_key(address), row["Effective_Date"], line)
            seen.add(entity_id)
            entity = make_entity("Company" if looks_like_company(name) else "LegalEntity", entity_id)
            entity.add("name", name)
            entity.add("address", address or None)
            entity.add("country", row["Country"], quiet=True)
            entities.append(entity)
            entities.append(
                add_sanction(
                    entity,
                    SOURCE,
                    "US-BIS-DPL",
                    listing_date=parse_date(row["Effective_Date"], DATE_FORMATS),
                    end_date=parse_date(row["Expiration_Date"], DATE_FORMATS),
                    source_url=URL,
                    reason=row["FR_Citation"],
                )
            )
        yield from entities


READERS = (BisDplReader(),)

"""DoD Section 1260H list of Chinese military companies (OpenSanctions' hand transcription).

One row per company per annual edition. A company in several editions is one entity with one
Sanction: listed from its earliest start date, ended only when every edition's row has ended.
`Parent Name` becomes an Ownership edge; when the parent is itself a listed company the edge
points at that company's entity, otherwise at a name-only LegalEntity.
"""

from __future__ import annotations

import re
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

SOURCE = "us_dod_1260h"
PROGRAM_ID = "US-DOD-1260H"
URL = "https://media.defense.gov/2026/Jun/08/2003945537/-1/-1/1/ENTITIES-IDENTIFIED-AS-CHINESE-MILITARY-COMPANIES-OPERATING-IN-THE-UNITED-STATES-IN-ACCORDANCE-WITH-SECTION-1260H.PDF"
REQUIRED = ("Name", "Clean Name", "Alias", "Previous Name", "Parent Name", "Note", "Start date", "End date")
# "Knownsec,Beijing Kownsec": a comma with no space separates aliases; "Co., Ltd." keeps its space.
_ALIAS_SEPARATOR = re.compile(r";|,(?=\S)")


@dataclass
class _Company:
    name: str
    names: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    previous: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    starts: list[str] = field(default_factory=list)
    ends: list[str | None] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)


class Dod1260hReader(TranscribedCsvReader):
    columns = REQUIRED
    exact_header = False
    info = SourceInfo(
        name=SOURCE,
        title="DoD Section 1260H Chinese Military Companies",
        publisher="US Department of Defense (transcribed by OpenSanctions)",
        url=URL,
        licence="US Government work, public domain; transcription from the OpenSanctions repository (MIT).",
    )

    def entities(self, path: Path) -> Iterator[EntityProxy]:
        companies = _group_rows(path)
        # A parent is found by its clean name first, then by another row's full name or alias.
        ids_by_key = {key: slug_id(id_prefix(SOURCE), key) for key in companies}
        for key, company in companies.items():
            for name in [*company.names, *company.aliases]:
                ids_by_key.setdefault(name_key(name), ids_by_key[key])
        related: dict[str, EntityProxy] = {}
        for key, company in companies.items():
            entity = make_entity("Company", slug_id(id_prefix(SOURCE), key))
            entity.add("name", company.name)
            entity.add("alias", [n for n in dict.fromkeys(company.names + company.aliases) if name_key(n) != key])
            entity.add("previousName", company.previous)
            entity.add("notes", list(dict.fromkeys(company.notes)))
            entity.add("country", "cn")
            entity.add("topics", "sanction")
            yield entity
            all_ended = bool(company.ends) and all(company.ends)
            yield add_sanction(
                entity,
                SOURCE,
                PROGRAM_ID,
                listing_date=min(company.starts) if company.starts else None,
                end_date=max(end for end in company.ends if end) if all_ended else None,
                source_url=company.urls[-1] if company.urls else URL,
            )
            owners_done: set[str] = set()
            for parent in company.parents:
                parent_key = name_key(parent)
                owner_id = ids_by_key.get(parent_key)
                if owner_id is None:
                    owner_id = slug_id(id_prefix(SOURCE), "related", parent_key)
                    if parent_key not in related:
                        owner = related[parent_key] = make_entity("LegalEntity", owner_id)
                        owner.add("name", parent)
                        yield owner
                if owner_id == entity.id or owner_id in owners_done:
                    continue
                owners_done.add(owner_id)
                ownership = make_entity("Ownership", slug_id(id_prefix(SOURCE), "ownership", owner_id, entity.id))
                ownership.add("owner", owner_id)
                ownership.add("asset", entity.id)
                ownership.add("role", "parent company")
                yield ownership

    def data_date(self, path: Path) -> str | None:
        starts = [parse_date(row["Start date"]) for _line, row in iter_csv_records(path, expect=REQUIRED)]
        return max((start for start in starts if start), default=None)


def _group_rows(path: Path) -> dict[str, _Company]:
    companies: dict[str, _Company] = {}
    for _line, row in iter_csv_records(path, expect=REQUIRED):
        name = clean_text(row["Clean Name"]) or clean_text(row["Name"])
        if name is None:
            continue
        company = companies.setdefault(name_key(name), _Company(name))
        if raw := clean_text(row["Name"]):
            company.names.append(raw.rstrip("*").strip())
        company.aliases.extend(a for part in _ALIAS_SEPARATOR.split(row["Alias"]) if (a := clean_text(part)))
        company.previous.extend(split_names(row["Previous Name"]))
        company.parents.extend(split_names(row["Parent Name"]))
        company.notes.extend(split_names(row["Note"], separators="\n"))
        if start := parse_date(row["Start date"]):
            company.starts.append(start)
        company.ends.append(parse_date(row["End date"]))
        if url := clean_text(row.get("Source Url")):
            company.urls.append(url)
    return companies


READERS = (Dod1260hReader(),)

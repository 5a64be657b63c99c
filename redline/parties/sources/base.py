"""The contract of a list reader.

A reader turns one list file (or folder, for multi-file formats such as OFAC's CSV set) into
FollowTheMoney entities:

- one subject entity per listed party: Person, Company, Organization, Vessel, LegalEntity
  (or Airplane), with `name`, `alias`, `weakAlias`, `previousName`, `country`, `birthDate`,
  identifiers (`imoNumber`, `isinCode`, `registrationNumber`, `idNumber`, ...), `address`, `notes`;
- one Sanction entity per listing, with `entity` (the subject id), `authority` (who lists it),
  `program` (human name of the list or programme), `programId` (a stable list code from
  LIST_CODES, e.g. "US-BIS-EL"), `listingDate`/`startDate`, `endDate`, `sourceUrl`, `reason`;
- relationship entities where the list states them: Ownership (owner -> asset, with
  `percentage` when known) for parents, UnknownLink (subject -> object, `role`) for
  "Affiliated Entity:" and "Linked To:".

Entity ids are `<source>-<stable native id or slug>`, unique in the file, and stable across
snapshots of the same source, so that two snapshots can be diffed.

A reader never yields half a file: any malformed input raises ListFormatError naming the file
and the line (or XML element / spreadsheet row) at fault.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from followthemoney import EntityProxy


class ListFormatError(ValueError):
    """A list file that cannot be read completely. Always names the file and where."""

    def __init__(self, path: Path | str, line: int | str | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class SourceInfo:
    name: str  # short key, e.g. "us_csl"
    title: str  # e.g. "US Consolidated Screening List"
    publisher: str  # e.g. "International Trade Administration, US Department of Commerce"
    url: str | None  # the official download URL, when there is one
    licence: str  # the terms, in a sentence


class Reader(Protocol):
    info: SourceInfo

    def detect(self, path: Path) -> bool:
        """True when `path` (a file or folder) is in this reader's format. Cheap: reads headers only."""
        ...

    def read(self, path: Path) -> Iterator[EntityProxy]:
        """Every entity in the file; raises ListFormatError on malformed or truncated input."""
        ...

    def data_date(self, path: Path) -> str | None:
        """The publication date the file itself states, when it states one (ISO 8601).

        None when it states none: the import then dates the data from the file's name or its
        content (`snapshots.data_date_of`), never from the day it was imported."""
        ...

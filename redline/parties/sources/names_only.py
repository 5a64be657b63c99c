"""A names-only list compiled from the US CSL and Japan METI's End User List (Cat-sushi/fmatch).

One quoted name a line, no header, no ids, no attribution per name: every name becomes a
LegalEntity listed under one programme that names no authority. The compilation mixes the two
lists without saying which name came from which, so no row is any jurisdiction's listing: its
programme id carries no country prefix and its Sanction no authority. A CJK form in parentheses ("Air Koryo
(高麗航空)") becomes an alias; "X. Affiliated Entity: Y" names Y, linked to X.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from followthemoney import EntityProxy

from redline.parties.sources.base import ListFormatError, SourceInfo
from redline.parties.sources.common import clean_text, id_prefix, make_entity, name_key, slug_id

SOURCE = "names_csl_meti"
PROGRAM_ID = "NAMES-ONLY-CSL-METI"  # no jurisdiction prefix: of mixed, unknown origin
PROGRAM = "CSL + METI names list (unattributed)"
_QUOTED_LINE = re.compile(r'^"(?:[^"]|"")*"$')
_CJK = r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
_CJK_PARENTHESES = re.compile(r"\s*[(（]([^()（）]*" + _CJK + r"[^()（）]*)[)）]\s*$")
_AFFILIATE = re.compile(r"\.?\s*Affiliated Entity:\s*", re.IGNORECASE)
_SAMPLE_LINES = 20


class NamesOnlyReader:
    info = SourceInfo(
        name=SOURCE,
        title="CSL + METI End User List names (names only)",
        publisher="Compiled by Cat-sushi/fmatch from the US Consolidated Screening List and Japan METI's End User List",
        url=None,
        licence="Names from US Government and METI public lists; the compilation's repository is AGPL-3.0 (code).",
    )

    def detect(self, path: Path) -> bool:
        if not path.is_file() or path.suffix.lower() not in {".csv", ".txt"}:
            return False
        try:
            with path.open("r", encoding="utf-8-sig", newline="") as handle:
                lines = [handle.readline().rstrip("\r\n") for _ in range(_SAMPLE_LINES)]
        except (OSError, UnicodeDecodeError):
            return False
        return len(lines) == _SAMPLE_LINES and all(_QUOTED_LINE.match(line) for line in lines)

    def read(self, path: Path) -> Iterator[EntityProxy]:
        entities: dict[str, EntityProxy] = {}
        extra: list[EntityProxy] = []
        line = 0
        try:
            with path.open("r", encoding="utf-8-sig", newline="") as handle:
                reader = csv.reader(handle, strict=True)
                for row in reader:
                    line = reader.line_num
                    if not row:
                        continue
                    if len(row) != 1:
                        raise ListFormatError(path, line, f"expected one quoted name, found {len(row)} fields")
                    extra.extend(self._entry(row[0], entities))
        except csv.Error as exc:
            raise ListFormatError(path, line + 1, f"malformed line ({exc}); the file may be truncated") from exc
        except UnicodeDecodeError as exc:
            raise ListFormatError(path, line + 1, f"not UTF-8 text ({exc.reason})") from exc
        sanctions = [_sanction(entity) for entity in entities.values()]
        return iter([*entities.values(), *sanctions, *extra])

    def data_date(self, path: Path) -> str | None:
        return None

    def _entry(self, raw: str, entities: dict[str, EntityProxy]) -> list[EntityProxy]:
        text = clean_text(raw)
        if text is None:
            return []
        parts = _AFFILIATE.split(text, maxsplit=1)
        name = parts[-1]
        names = [clean_text(n.lstrip("・")) for n in name.split(";")]
        names = [n for n in names if n]
        if not names:
            return []
        primary, aliases = names[0], names[1:]
        if cjk := _CJK_PARENTHESES.search(primary):
            aliases.append(cjk.group(1).strip())
            primary = primary[: cjk.start()].strip() or cjk.group(1).strip()
        entity = self._entity(primary, entities)
        entity.add("alias", [a for a in aliases if a != primary])
        if len(parts) < 2:
            return []
        parent = self._entity(clean_text(parts[0].rstrip(".")) or parts[0], entities)
        link = make_entity("UnknownLink", slug_id(id_prefix(SOURCE), "link", parent.id, entity.id))
        link.add("subject", entity.id)
        link.add("object", parent.id)
        link.add("role", "Affiliated Entity")
        return [link]

    def _entity(self, name: str, entities: dict[str, EntityProxy]) -> EntityProxy:
        key = name_key(name) or name
        entity = entities.get(key)
        if entity is None:
            entity = entities[key] = make_entity("LegalEntity", slug_id(id_prefix(SOURCE), key))
            entity.add("name", name)
        return entity


def _sanction(subject: EntityProxy) -> EntityProxy:
    """The row's one listing: the programme, and no authority (the list does not say whose it is)."""
    sanction = make_entity("Sanction", f"{subject.id}-sanction-{PROGRAM_ID}".lower())
    sanction.add("entity", subject.id)
    sanction.add("programId", PROGRAM_ID)
    sanction.add("program", PROGRAM)
    return sanction


READERS = (NamesOnlyReader(),)

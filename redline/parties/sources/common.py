"""Helpers every list reader shares: entity construction, sanctions, names, dates.

Readers may add small shared helpers at the end of this module.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from followthemoney import EntityProxy, model

# programId -> (authority, human title). Readers use these codes in Sanction.programId.
LIST_CODES: dict[str, tuple[str, str]] = {
    "US-OFAC-SDN": ("US Treasury OFAC", "Specially Designated Nationals (SDN) List"),
    "US-OFAC-CONS": ("US Treasury OFAC", "Consolidated (non-SDN) Sanctions List"),
    "US-OFAC-NS-CMIC": ("US Treasury OFAC", "Non-SDN Chinese Military-Industrial Complex Companies List (NS-CMIC)"),
    "US-OFAC-SSI": ("US Treasury OFAC", "Sectoral Sanctions Identifications List (SSI)"),
    "US-OFAC-FSE": ("US Treasury OFAC", "Foreign Sanctions Evaders List (FSE)"),
    "US-OFAC-PLC": ("US Treasury OFAC", "Palestinian Legislative Council List (PLC)"),
    "US-OFAC-CAPTA": ("US Treasury OFAC", "Correspondent Account or Payable-Through Account Sanctions (CAPTA)"),
    "US-OFAC-MBS": ("US Treasury OFAC", "Non-SDN Menu-Based Sanctions List (MBS)"),
    "US-BIS-EL": ("US Commerce BIS", "Entity List"),
    "US-BIS-DPL": ("US Commerce BIS", "Denied Persons List"),
    "US-BIS-UVL": ("US Commerce BIS", "Unverified List"),
    "US-BIS-MEU": ("US Commerce BIS", "Military End User List"),
    "US-BIS-MIEU": ("US Commerce BIS", "Military-Intelligence End User List"),
    "US-DDTC-DEBARRED": ("US State DDTC", "ITAR Debarred List"),
    "US-STATE-ISN": ("US State ISN", "Nonproliferation Sanctions"),
    "US-DOD-1260H": ("US Department of Defense", "Section 1260H Chinese Military Companies"),
    "US-FCC-COVERED": ("US Federal Communications Commission", "Covered List"),
    "US-NDAA-889": ("US Congress", "NDAA FY2019 Section 889"),
    "US-NDAA-1286": ("US Congress", "NDAA FY2019 Section 1286"),
    "UN-SC": ("United Nations Security Council", "UN Security Council Consolidated List"),
    "UK-FCDO": ("UK Foreign, Commonwealth & Development Office", "UK Sanctions List"),
    "AU-DFAT": ("Australia DFAT", "Consolidated List"),
    "EU-FSF": ("European Union", "EU Financial Sanctions (consolidated)"),
    "CA-SEMA": ("Global Affairs Canada", "Special Economic Measures Act sanctions"),
    "CN-MFA": ("PRC Ministry of Foreign Affairs", "Counter-sanctions"),
    "JP-METI-EUL": ("Japan METI", "End User List"),
}


def make_entity(schema: str, entity_id: str) -> EntityProxy:
    entity = model.make_entity(schema)
    entity.id = entity_id
    return entity


def slug_id(source: str, *parts: object) -> str:
    """A stable id from the parts that identify a row when the list gives no id of its own."""
    digest = hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]
    return f"{source}-{digest}"


def add_sanction(
    subject: EntityProxy,
    source: str,
    program_id: str,
    program: str | None = None,
    listing_date: str | None = None,
    end_date: str | None = None,
    source_url: str | None = None,
    reason: str | None = None,
    key: str = "",
) -> EntityProxy:
    """The Sanction entity for one listing of `subject` (yield it alongside the subject)."""
    authority, title = LIST_CODES[program_id]
    sanction = make_entity("Sanction", f"{subject.id}-sanction-{program_id}{'-' + key if key else ''}".lower())
    sanction.add("entity", subject.id)
    sanction.add("authority", authority)
    sanction.add("programId", program_id)
    sanction.add("program", program or title)
    sanction.add("listingDate", listing_date)
    sanction.add("endDate", end_date)
    sanction.add("sourceUrl", source_url)
    sanction.add("reason", reason)
    return sanction


_SPACES = re.compile(r"\s+")


def clean_text(value: str | None) -> str | None:
    """Collapse whitespace; None for empty and placeholder values such as OFAC's '-0-'."""
    if value is None:
        return None
    value = _SPACES.sub(" ", value).strip()
    if value in {"", "-0-", "-", "N/A", "n/a", "None"}:
        return None
    return value


def parse_date(value: str | None, formats: tuple[str, ...] = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y", "%B %d, %Y")) -> str | None:
    """An ISO date (or year / year-month prefix) from the common formats lists use; None if absent."""
    value = clean_text(value)
    if value is None:
        return None
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        return value
    for fmt in formats:
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def today() -> str:
    return date.today().isoformat()


# --- CSV helpers for readers of simple tables (appended by the non-US readers) ---


class TextEncodingError(ValueError):
    """A file that is not text in an encoding Redline reads; the message names what it is."""


_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: its little-endian BOM begins with UTF-16's.
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32 (little-endian, with BOM)"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32 (big-endian, with BOM)"),
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8 (with BOM)"),
    (b"\xff\xfe", "utf-16", "UTF-16 (little-endian, with BOM)"),
    (b"\xfe\xff", "utf-16", "UTF-16 (big-endian, with BOM)"),
)
SAMPLE_BYTES = 1 << 20  # the encoding is decided on the first MiB; a later bad byte is refused with its line
SUPPORTED_ENCODINGS = "UTF-8, UTF-16 or UTF-32 with a BOM, GB18030, Windows-1252"


def detect_text_encoding(path: object) -> tuple[str, str]:
    """(Python codec, human name) of a text file: a BOM decides, else UTF-8, GB18030 or cp1252 from the
    bytes. Raises TextEncodingError naming what the file is when it is empty, binary, or text in
    another encoding."""

    path = Path(str(path))
    stat = path.stat()
    with path.open("rb") as handle:
        ends = handle.read(4096)
        if stat.st_size > 8192:
            handle.seek(stat.st_size - 4096)
        ends += handle.read(4096)
    # Every reader's detect() asks; the key tells a file rewritten within one clock tick apart.
    found = _cached_encoding(str(path), stat.st_size, stat.st_mtime_ns, hashlib.sha1(ends).hexdigest())
    if isinstance(found, TextEncodingError):
        raise TextEncodingError(str(found))
    return found


@lru_cache(maxsize=256)
def _cached_encoding(path: str, size: int, _mtime_ns: int, _ends: str) -> tuple[str, str] | TextEncodingError:
    try:
        return _detect_text_encoding(path, size)
    except TextEncodingError as exc:
        return exc


def _detect_text_encoding(path: str, size: int) -> tuple[str, str]:
    if size == 0:
        raise TextEncodingError("empty file (0 bytes)")
    with open(path, "rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    for bom, codec, name in _BOMS:
        if sample.startswith(bom):
            try:
                codecs.getincrementaldecoder(codec)("strict").decode(sample, final=len(sample) == size)
            except UnicodeDecodeError as exc:
                raise TextEncodingError(f"starts with a {name} byte-order mark but is not valid {name.split(' ')[0]} ({exc.reason})") from exc
            return codec, name
    if len(sample) >= 4 and sample[1::2].count(0) > 0.9 * (len(sample) // 2) and sample[0::2].count(0) < 0.1 * (len(sample) // 2):
        raise TextEncodingError("UTF-16 (little-endian) text without a byte-order mark; save it as UTF-8 or with a BOM")
    if len(sample) >= 4 and sample[0::2].count(0) > 0.9 * (len(sample) // 2) and sample[1::2].count(0) < 0.1 * (len(sample) // 2):
        raise TextEncodingError("UTF-16 (big-endian) text without a byte-order mark; save it as UTF-8 or with a BOM")
    if b"\x00" in sample or _control_share(sample) > 0.05:
        raise TextEncodingError("binary data, not a text file")
    try:
        # Incremental, not final: a character split by the end of the sample is not an error.
        codecs.getincrementaldecoder("utf-8")("strict").decode(sample, final=len(sample) == size)
        return "utf-8", "UTF-8"
    except UnicodeDecodeError:
        if _mostly_utf8(sample):
            return "utf-8", "UTF-8"  # UTF-8 with a stray bad byte: the reader refuses it at its line
    if _looks_gb18030(sample, final=len(sample) == size):
        return "gb18030", "GB18030"
    try:
        text = codecs.getincrementaldecoder("cp1252")("strict").decode(sample, final=True)
    except UnicodeDecodeError:
        text = None
    if text is not None and _latin_share(text) > 0.8 and _accent_share(text) <= 0.5:
        return "cp1252", "Windows-1252"
    raise TextEncodingError(f"text in an encoding Redline does not read (not {SUPPORTED_ENCODINGS}); convert it to UTF-8")


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


_HIGH_BYTES = bytes(range(0x80, 0x100))


def _mostly_utf8(sample: bytes) -> bool:
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    in_sequences = sum(len(match) for match in _UTF8_SEQUENCE.findall(sample))
    return high > 0 and in_sequences >= 0.9 * high


_CONTROL_BYTES = bytes(byte for byte in range(32) if byte not in (9, 10, 12, 13, 26))


def _control_share(sample: bytes) -> float:
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls / max(len(sample), 1)


def _looks_gb18030(sample: bytes, final: bool) -> bool:
    """GB18030 when the bytes decode and the high bytes come in pairs from GB2312's CJK block.

    Western text in cp1252 also decodes as GB18030 (an accented letter followed by an ASCII
    letter is a valid GBK pair), but there the second byte is ASCII; in Chinese text both bytes
    of nearly every pair are 0xA1 or above."""
    try:
        text = codecs.getincrementaldecoder("gb18030")("strict").decode(sample, final=final)
    except UnicodeDecodeError:
        return False
    wide = [char for char in text if ord(char) > 0x7F]
    if not wide:
        return False
    high_pairs = sum(1 for char in wide if _gb_high_pair(char))
    cjk = sum(1 for char in wide if "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef")
    return high_pairs >= 0.9 * len(wide) and cjk >= 0.5 * len(wide)


def _gb_high_pair(char: str) -> bool:
    try:
        encoded = char.encode("gb18030")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and encoded[0] >= 0xA1 and encoded[1] >= 0xA1


def _latin_share(text: str) -> float:
    """Of the non-ASCII characters, the share that are Latin letters or common punctuation."""
    wide = [char for char in text if ord(char) > 0x7F]
    if not wide:
        return 1.0
    latin = sum(1 for char in wide if "\u00c0" <= char <= "\u024f" or char in "\u2018\u2019\u201c\u201d\u2013\u2014\u00a0\u00b0\u00ba\u00aa\u00a7\u20ac\u00a3\u00b4\u00b7\u2026")
    return latin / len(wide)


def _accent_share(text: str) -> float:
    """In words that hold a non-ASCII letter, the share of such letters: a few in Western text
    (Société, Müller), nearly all when another 8-bit encoding (KOI8-R Cyrillic) is read as cp1252."""
    words = [word for word in re.findall(r"\w+", text) if not word.isascii()]
    letters = sum(len(word) for word in words)
    return sum(1 for word in words for char in word if ord(char) > 0x7F) / letters if letters else 0.0


def first_decode_error(path: object, codec: str) -> tuple[int, str] | None:
    """(line, reason) of the first byte sequence that is not valid in `codec`, or None."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    line = 1
    with open(str(path), "rb") as handle:
        while chunk := handle.read(1 << 16):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                good = decoder.decode(chunk[: exc.start]) if codec in ("utf-8", "utf-8-sig", "gb18030", "cp1252") else ""
                return line + good.count("\n"), f"not valid {_encoding_name(codec)} ({exc.reason})"
            line += text.count("\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return line, f"ends inside a {_encoding_name(codec)} character ({exc.reason}); the file may be truncated"
    return None


def open_text(path: object):
    """The file opened for reading as text in its detected encoding (csv-ready: newline='')."""

    path = Path(str(path))
    codec, _name = detect_text_encoding(path)
    return path.open("r", encoding=codec, newline="")


def sniff_csv_header(path: object, max_bytes: int = 65536) -> list[str] | None:
    """The header row of a CSV file, from its first line; None if it is not a readable CSV."""
    import csv

    path = Path(str(path))
    if not path.is_file():
        return None
    try:
        codec, _name = detect_text_encoding(path)
        with path.open("rb") as handle:
            head = handle.read(max_bytes)
        # Incremental: a character cut by the end of the prefix does not make the file unreadable.
        text = codecs.getincrementaldecoder(codec)("replace").decode(head, final=False)
        first_line = text.splitlines()[0]
        return [column.strip() for column in next(csv.reader([first_line]))]
    except (OSError, TextEncodingError, UnicodeDecodeError, IndexError, StopIteration, csv.Error):
        return None


def iter_csv_records(path: object, expect: tuple[str, ...] = ()):
    """Yield (line number, row dict) for each record; raise ListFormatError on a truncated or malformed file.

    Catches an unterminated quote, a row whose column count differs from the header, bad UTF-8,
    and a header lacking any of the `expect` columns.
    """
    import csv

    from redline.parties.sources.base import ListFormatError

    path = Path(str(path))
    line = 1
    codec = _codec_or_refuse(path)
    try:
        with path.open("r", encoding=codec, newline="") as handle:
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            if header is None:
                raise ListFormatError(path, 1, "empty file, no header")
            header = [column.strip() for column in header]
            missing = [column for column in expect if column not in header]
            if missing:
                raise ListFormatError(path, 1, f"header lacks columns {missing}")
            line = reader.line_num + 1
            for row in reader:
                if row and len(row) != len(header):
                    raise ListFormatError(path, line, f"expected {len(header)} columns, found {len(row)} (truncated or malformed row)")
                if row:
                    yield line, dict(zip(header, row))
                line = reader.line_num + 1
    except csv.Error as exc:
        raise ListFormatError(path, line, f"malformed CSV ({exc}); the file may be truncated") from exc
    except UnicodeDecodeError as exc:
        raise ListFormatError(path, line, f"not valid {_encoding_name(codec)} text ({exc.reason})") from exc


def _codec_or_refuse(path: object) -> str:
    from redline.parties.sources.base import ListFormatError

    try:
        return detect_text_encoding(path)[0]
    except TextEncodingError as exc:
        raise ListFormatError(str(path), None, str(exc)) from exc


def _encoding_name(codec: str) -> str:
    return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32", "gb18030": "GB18030", "cp1252": "Windows-1252"}.get(codec, codec)


def split_names(value: str | None, separators: str = ";") -> list[str]:
    """The non-empty, cleaned parts of a list cell holding several names."""
    if not value:
        return []
    parts = re.split("[" + re.escape(separators) + "]", value)
    return [cleaned for part in parts if (cleaned := clean_text(part))]


def name_key(name: str) -> str:
    """A loose key to match one name spelled with different punctuation or case ("Co., Ltd" == "Co. Ltd.")."""
    return " ".join(re.sub(r"[^\w]+", " ", name.casefold()).split())


def id_prefix(source: str) -> str:
    """The entity-id prefix for a source. FtM rejects '_' in entity references, so 'un_sc' -> 'un-sc'."""
    return source.replace("_", "-")


def native_id(source: str, native: str) -> str:
    """`<source>-<native id>`, with characters FtM refuses in ids replaced by '-'."""
    cleaned = re.sub(r"[^0-9a-zA-Z.\-]+", "-", native.strip()).strip("-.")
    return f"{id_prefix(source)}-{cleaned}"


# --- helpers for the US readers: headerless CSV rows, legal forms, relation targets ---


def iter_csv_rows(path: object, width: int, delimiter: str = ",", skip: int = 0):
    """Yield (line number, fields) of a CSV with `width` columns and no usable header.

    Raises ListFormatError on an unterminated quote, a row of another width, or bad UTF-8.
    A lone DOS end-of-file mark (Ctrl-Z, as OFAC files end) is skipped; `skip` drops leading rows.
    """
    import csv

    from redline.parties.sources.base import ListFormatError

    path = Path(str(path))
    line = 1
    codec = _codec_or_refuse(path)
    try:
        with path.open("r", encoding=codec, newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter, strict=True)
            for index, row in enumerate(reader):
                if index >= skip and row and row != ["\x1a"]:
                    if len(row) != width:
                        raise ListFormatError(path, line, f"expected {width} columns, found {len(row)} (truncated or malformed row)")
                    yield line, row
                line = reader.line_num + 1
    except csv.Error as exc:
        raise ListFormatError(path, line, f"malformed CSV ({exc}); the file may be truncated") from exc
    except UnicodeDecodeError as exc:
        raise ListFormatError(path, line, f"not valid {_encoding_name(codec)} text ({exc.reason})") from exc
    if _last_char(path, codec) not in ("", "\n", "\r", "\x1a"):
        raise ListFormatError(path, max(line - 1, 1), "file ends in the middle of a row (truncated)")


def _last_char(path: object, codec: str) -> str:
    """The last character of a text file in `codec` (UTF-16/32 read with the endianness of their BOM)."""

    path = Path(str(path))
    width = {"utf-16": 2, "utf-32": 4}.get(codec, 1)
    with path.open("rb") as handle:
        bom = handle.read(width)
        size = path.stat().st_size
        if size <= width and width > 1:
            return ""
        handle.seek(max(size - width, 0))
        tail = handle.read(width)
    if width == 1:
        return tail.decode("latin-1")
    little = bom in (b"\xff\xfe", b"\xff\xfe\x00\x00")
    return tail.decode(f"{codec}-{'le' if little else 'be'}", errors="replace")


_LEGAL_FORM = re.compile(
    r"\b(co|ltd|limited|llc|l\.l\.c|inc|incorporated|corp|corporation|company|gmbh|ag|plc|llp|jsc|pjsc|ojsc|cjsc|ooo|oao|zao"
    r"|s\.?a|s\.?a\.?s|s\.?r\.?l|sarl|b\.?v|n\.?v|pte|sdn\.? bhd|bhd|fze|fzco|fz-llc|dmcc|s\.?a\.? de c\.?v|kft|oy|spa|s\.?p\.?a)\b\.?",
    re.IGNORECASE,
)


def looks_like_company(name: str) -> bool:
    """True when the name carries a common legal form (Co., Ltd., LLC, GmbH, JSC, S.A., ...)."""
    return _LEGAL_FORM.search(name) is not None


def related_party(source: str, name: str) -> EntityProxy:
    """A LegalEntity for a relation target the list only names; its id comes from the name so the graph can resolve it."""
    entity = make_entity("LegalEntity", slug_id(id_prefix(source), "related", name_key(name)))
    entity.add("name", name)
    return entity


def relation(schema: str, source: str, left: EntityProxy | str, right: EntityProxy | str, role: str) -> EntityProxy:
    """UnknownLink(subject=left, object=right) or Ownership(owner=left, asset=right) with a stable id."""
    left_id = left if isinstance(left, str) else left.id
    right_id = right if isinstance(right, str) else right.id
    link = make_entity(schema, slug_id(id_prefix(source), schema, left_id, right_id, role))
    ends = ("owner", "asset") if schema == "Ownership" else ("subject", "object")
    link.add(ends[0], left_id)
    link.add(ends[1], right_id)
    link.add("role", role)
    return link


# --- XML helper for the EU and Canada readers ---


def iter_xml_elements(path: object, tag: str):
    """Yield each `tag` element (any namespace) of an XML file; raise ListFormatError on malformed XML.

    External entities, DTDs and network access are off. Each element is cleared after the
    caller is done with it, so a large file streams. A truncated file ends in a syntax error.
    """

    from lxml import etree

    from redline.parties.sources.base import ListFormatError

    path = Path(str(path))
    events = etree.iterparse(
        str(path), events=("end",), tag=f"{{*}}{tag}", resolve_entities=False, no_network=True, load_dtd=False
    )
    try:
        for _event, element in events:
            yield element
            element.clear(keep_tail=True)
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise ListFormatError(path, exc.lineno, f"malformed XML ({exc.msg}); the file may be truncated") from exc


# The US programmes two formats name: the code the Consolidated Screening List puts in its `source`
# column, the list name OFAC's enhanced XML gives (None: not an OFAC list), and the programme id both
# readers record.
US_PROGRAMMES: tuple[tuple[str, str | None, str], ...] = (
    ("EL", None, "US-BIS-EL"),
    ("SDN", "SDN List", "US-OFAC-SDN"),
    ("DPL", None, "US-BIS-DPL"),
    ("UVL", None, "US-BIS-UVL"),
    ("MEU", None, "US-BIS-MEU"),
    ("ISN", None, "US-STATE-ISN"),
    ("DTC", None, "US-DDTC-DEBARRED"),
    ("SSI", "Sectoral Sanctions Identifications List", "US-OFAC-SSI"),
    ("FSE", "FSE List", "US-OFAC-FSE"),
    ("PLC", "Non-SDN Palestinian Legislative Council List", "US-OFAC-PLC"),
    ("CAP", "CAPTA List", "US-OFAC-CAPTA"),
    ("NS-MBS List", None, "US-OFAC-MBS"),
    ("MBS", "Non-SDN Menu-Based Sanctions List", "US-OFAC-MBS"),
    ("CMIC", "Non-SDN CMIC List", "US-OFAC-NS-CMIC"),
)
# The US lists' entity types -> FollowTheMoney schemas (anything else is an organisation or company).
US_TYPE_SCHEMAS = {"Individual": "Person", "Vessel": "Vessel", "Aircraft": "Airplane"}

class TranscribedCsvReader:
    """A list as a CSV table of the OpenSanctions repository (bis_mieu, cn_mfa, dod_1260h, ndaa,
    fcc_covered): recognised by its header (`columns`, exactly or as a subset) and, where one layout
    serves several lists, by the first row (`first_row`); read whole before anything is yielded, so
    that a truncated file yields nothing. A subclass gives `info`, `columns` and `entities`."""

    columns: tuple[str, ...] = ()
    exact_header = True  # the header is `columns`, in order; else it holds them among others
    reads_first_row = False  # whether first_row decides (a malformed or empty file is then not this list's)

    def detect(self, path: Path) -> bool:
        header = sniff_csv_header(path)
        if header is None:
            return False
        if tuple(header) != self.columns if self.exact_header else not all(c in header for c in self.columns):
            return False
        if not self.reads_first_row:
            return True
        try:
            for _line, row in iter_csv_records(path):
                return self.first_row(row)
        except ValueError:
            return False
        return False

    def first_row(self, row: dict[str, str]) -> bool:
        """Whether the file's first row is this list's (for layouts several lists share)."""
        return True

    def read(self, path: Path) -> Iterator[EntityProxy]:
        return iter(list(self.entities(path)))

    def entities(self, path: Path) -> Iterator[EntityProxy]:
        raise NotImplementedError

    def data_date(self, path: Path) -> str | None:
        return None

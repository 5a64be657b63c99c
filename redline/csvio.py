"""CSV in and out, safely.

In: the encoding is detected (a BOM, else UTF-8, else cp1252) or the file is refused with its
line; a quote left open is refused at the line where it opened instead of swallowing the rows
after it. Out: every cell a spreadsheet would evaluate as a formula is neutralised (OWASP's
CSV-injection rule), so a listed name such as `=HYPERLINK(…)` cannot run in the reader's Excel.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets;
# the full-width forms are folded to them by some spreadsheets.
FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")
# Spreadsheets skip these before deciding whether a cell is a formula.
SKIPPED_LEAD = " \"'\u00a0\u3000"
PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d+)*|\d*\.\d+)([eE][+-]?\d+)?")

# A quoted field running over more physical lines than this is taken for a quote left open.
MAX_ROW_LINES = 20
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BLOCK = 1 << 20
NUL = b"\x00"


class CsvInputError(ValueError):
    """A CSV file that cannot be read as it stands; the message names the file and line."""


def neutralise(value: Any) -> Any:
    """Prefix a cell that a spreadsheet would evaluate with an apostrophe; numbers pass."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] in FORMULA_STARTS or value.lstrip(SKIPPED_LEAD)[:1] in FORMULA_STARTS:
        if PLAIN_NUMBER.fullmatch(value):
            return value
        return "'" + value
    return value


class SafeWriter:
    """`csv.writer` whose cells are neutralised."""

    def __init__(self, handle: TextIO, **kwargs: Any) -> None:
        self._writer = csv.writer(handle, **kwargs)
        self.dialect = self._writer.dialect

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):
    """`csv.DictWriter` whose cells are neutralised (the header too)."""

    def writeheader(self) -> Any:
        return self.writer.writerow([neutralise(f) for f in self.fieldnames])

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return self.writer.writerow([neutralise(v) for v in self._dict_to_list(rowdict)])

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)


def writer(handle: TextIO, **kwargs: Any) -> SafeWriter:
    return SafeWriter(handle, **kwargs)


def dict_writer(handle: TextIO, fieldnames: Sequence[str], **kwargs: Any) -> SafeDictWriter:
    return SafeDictWriter(handle, fieldnames, **kwargs)


def detect_encoding(path: Path) -> str:
    """The encoding of a text file: from its BOM, else UTF-8, else cp1252; refused otherwise."""
    with path.open("rb") as handle:
        head = handle.read(4)
        for bom, name in _BOMS:
            if head.startswith(bom):
                return name
        handle.seek(0)
        first = handle.read(_BLOCK)
        if NUL in first:
            return _utf16_without_bom(path, first)
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        offset = 0
        while block := handle.read(_BLOCK):
            if NUL in block:
                raise _binary(path, offset + block.index(NUL))
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                return _cp1252_or_refuse(path, offset + exc.start)
            offset += len(block)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return _cp1252_or_refuse(path, offset - 1)
    return "utf-8"


def _utf16_without_bom(path: Path, sample: bytes) -> str:
    even, odd = sample[0::2], sample[1::2]
    if odd and odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even and even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    raise _binary(path, sample.index(NUL))


def _binary(path: Path, offset: int) -> CsvInputError:
    return CsvInputError(f"{path}:{_line_at(path, offset)}: binary data (a NUL byte), not CSV text")


def _cp1252_or_refuse(path: Path, utf8_error_at: int) -> str:
    decoder = codecs.getincrementaldecoder("cp1252")()
    offset = 0
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                raise CsvInputError(
                    f"{path}:{_line_at(path, utf8_error_at)}: not UTF-8 (byte {block[exc.start]:#04x} at line "
                    f"{_line_at(path, offset + exc.start)} is not cp1252 either); save the file as UTF-8"
                ) from None
            offset += len(block)
    return "cp1252"


def _line_at(path: Path, offset: int) -> int:
    with path.open("rb") as handle:
        return handle.read(offset).count(b"\n") + 1


def read_rows(path: Path, encoding: str | None = None) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and the rows of a CSV file, each row with the line it starts on.

    Rows are read strictly: a quote left open (a field running to the end of the file, or over
    more than MAX_ROW_LINES lines), a stray quote after a quoted field, a row longer than the
    header, a NUL byte or a decoding error raise CsvInputError naming the line."""
    encoding = encoding or detect_encoding(path)
    handle = path.open(newline="", encoding=encoding)
    reader = csv.reader(handle, strict=True)
    try:
        header = next(reader, None)
    except (csv.Error, UnicodeDecodeError) as exc:
        handle.close()
        raise CsvInputError(f"{path}:1: {exc}") from None
    if not header or not any(h.strip() for h in header):
        handle.close()
        raise CsvInputError(f"{path}:1: no header row")
    header = [h.strip() for h in header]
    width = len(header)

    def rows() -> Iterator[tuple[int, list[str]]]:
        start = reader.line_num + 1
        with handle:
            try:
                for row in reader:
                    if reader.line_num - start >= MAX_ROW_LINES:
                        raise CsvInputError(_open_quote(path, start, reader.line_num))
                    if len(row) > width:
                        raise CsvInputError(f"{path}:{start}: {len(row)} values for {width} header columns")
                    if row:
                        yield start, row
                    start = reader.line_num + 1
            except csv.Error as exc:
                if "end of data" in str(exc):
                    raise CsvInputError(f"{path}:{start}: a quote opened on line {start} is not closed before the end of the file") from None
                if reader.line_num > start:
                    raise CsvInputError(_open_quote(path, start, reader.line_num) + f" ({exc})") from None
                raise CsvInputError(f"{path}:{start}: {exc}") from None
            except UnicodeDecodeError as exc:
                raise CsvInputError(f"{path}:{start}: not {encoding}: {exc.reason}") from None

    return header, rows()


def _open_quote(path: Path, start: int, end: int) -> str:
    return f"{path}:{start}: a quoted field opened on line {start} runs on to line {end}; a quote is not closed"


def is_parquet(path: Path) -> bool:
    return path.suffix.lower() in (".parquet", ".pq")


def read_parquet(path: Path, batch_size: int = 2048) -> tuple[list[str], int, Iterator[tuple[int, dict[str, Any]]]]:
    """The columns, row count and rows (numbered from 1, as dicts) of a Parquet file, read batch by
    batch with pyarrow; a file or a batch pyarrow cannot read raises CsvInputError naming it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise CsvInputError(f"{path}: not a readable Parquet file: {exc}") from None

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        number = 0
        try:
            for batch in parquet.iter_batches(batch_size=batch_size):
                for values in batch.to_pylist():
                    number += 1
                    yield number, values
        except pa.ArrowException as exc:
            raise CsvInputError(f"{path}: row {number + 1}: {exc}") from None

    return list(parquet.schema_arrow.names), parquet.metadata.num_rows, rows()

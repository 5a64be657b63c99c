"""Hash lists as members exchange them (CSV with a header, JSON, or plain lines of `HASH` or
`TYPE HASH`), read into bank records, or refused whole with the file and line named
(`ImportFormatError`). Moved out of redline.media.banks, which stores what this reads."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from redline.media.banks import BankError, ImportFormatError, SignalRecord, normalise_guess
from redline.media.labels import LabelError, normalise_labels
from redline.media.signals import SignalError, signal_type

MAX_IMPORT_BYTES = 512 * 1024 * 1024
TYPE_COLUMNS = ("signal_type", "type", "hash_type", "indicator_type")
VALUE_COLUMNS = ("signal_value", "signal", "hash", "value", "indicator", "raw_indicator", "hash_value")
LIST_SEPARATORS = re.compile(r"[;|]")


def read_hash_file(path: Path | str, *, default_type: str | None = None) -> list[SignalRecord]:
    """Parse a hash list (CSV with a header, JSON, or plain lines) into records, or raise ImportFormatError."""
    path = Path(path)
    if not path.is_file():
        raise BankError(f"{path}: no such file")
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise BankError(f"{path}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MiB")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(_line_of(path.read_bytes(), exc.start), "not UTF-8 text", str(path)) from None
    return parse_hash_text(text, source=str(path), default_type=default_type,
                           json_hint=path.suffix.lower() == ".json")


def _line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def parse_hash_text(text: str, *, source: str = "", default_type: str | None = None, json_hint: bool = False) -> list[SignalRecord]:
    stripped = text.lstrip()
    if json_hint or stripped.startswith(("[", "{")):
        return _parse_json(text, source, default_type)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
    header = [c.strip().lower() for c in next(csv.reader([first]))] if first else []
    if any(c in VALUE_COLUMNS for c in header):
        return _parse_csv(text, source, default_type)
    return _parse_lines(lines, source, default_type)


def _record(number: int, source: str, kind: str | None, value: str, **extra: Any) -> SignalRecord:
    if not value or not value.strip():
        raise ImportFormatError(number, "empty hash value", source)
    try:
        kind_name, canonical = normalise_guess(kind, value) if kind or len(value.strip()) in (32, 64) else (None, None)
    except SignalError as exc:
        raise ImportFormatError(number, str(exc), source) from None
    if kind_name is None or canonical is None:
        raise ImportFormatError(number, f"cannot tell the signal type of {value.strip()[:80]!r}", source)
    labels = extra.pop("labels", None) or []
    try:
        labels = normalise_labels(labels)
    except LabelError as exc:
        raise ImportFormatError(number, str(exc), source) from None
    enabled = extra.pop("enabled", True)
    if isinstance(enabled, str):
        low = enabled.strip().lower()
        if low not in ("", "1", "0", "true", "false", "yes", "no"):
            raise ImportFormatError(number, f"enabled must be true or false, got {enabled!r}", source)
        enabled = low not in ("0", "false", "no")
    return SignalRecord(kind_name, canonical, labels=labels, enabled=bool(enabled), **extra)


def _parse_csv(text: str, source: str, default_type: str | None) -> list[SignalRecord]:
    records: list[SignalRecord] = []
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    for row in reader:
        number = reader.line_num
        if not row or all(not c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [c.strip().lower() for c in row]
            continue
        if len(row) != len(header):
            raise ImportFormatError(number, f"expected {len(header)} fields, found {len(row)}", source)
        cells = dict(zip(header, (c.strip() for c in row)))
        kind = next((cells[c] for c in TYPE_COLUMNS if cells.get(c)), None) or default_type
        value = next((cells[c] for c in VALUE_COLUMNS if c in cells), "")
        labels = [p for p in LIST_SEPARATORS.split(cells.get("labels", "") or cells.get("tags", "")) if p.strip()]
        records.append(
            _record(number, source, kind, value, content_id=cells.get("content_id") or None, labels=labels,
                    contributor=cells.get("contributor") or None, added_on=_date(number, source, cells.get("added_on")),
                    enabled=cells.get("enabled", "true"))
        )
    return records


def _parse_lines(lines: list[str], source: str, default_type: str | None) -> list[SignalRecord]:
    """Plain lists: one hash a line (`needles.txt`), or `TYPE VALUE` (python-threatexchange style)."""
    records: list[SignalRecord] = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        parts = text.split()
        if len(parts) == 1:
            records.append(_record(number, source, default_type, parts[0]))
        elif len(parts) == 2:
            try:
                kind = signal_type(parts[0]).name
            except SignalError as exc:
                raise ImportFormatError(number, str(exc), source) from None
            records.append(_record(number, source, kind, parts[1]))
        else:
            raise ImportFormatError(number, f"expected a hash or 'TYPE HASH', got {text[:80]!r}", source)
    return records


def _parse_json(text: str, source: str, default_type: str | None) -> list[SignalRecord]:
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise ImportFormatError(getattr(exc, "lineno", 1) or 1, f"invalid JSON ({exc.msg})", source) from None
    if isinstance(data, dict) and "signals" in data:
        data = data["signals"]
    items: list[tuple[str | None, Any]] = []
    if isinstance(data, dict):  # {"pdq": ["hex", …], "md5": […]}
        for kind, values in data.items():
            if not isinstance(values, list):
                raise ImportFormatError(1, f"{kind!r} must map to a list of hashes", source)
            items.extend((kind, v) for v in values)
    elif isinstance(data, list):
        items.extend((None, v) for v in data)
    else:
        raise ImportFormatError(1, "expected a list of signals or an object of lists", source)
    records: list[SignalRecord] = []
    for number, (kind, item) in enumerate(items, start=1):
        if isinstance(item, str):
            records.append(_record(number, f"{source} record", kind or default_type, item))
            continue
        if not isinstance(item, dict):
            raise ImportFormatError(number, "a signal must be a string or an object", f"{source} record")
        lowered = {str(k).lower(): v for k, v in item.items()}
        item_kind = next((lowered[c] for c in TYPE_COLUMNS if lowered.get(c)), None) or kind or default_type
        value = next((lowered[c] for c in VALUE_COLUMNS if c in lowered), "")
        labels = lowered.get("labels") or lowered.get("tags") or []
        if isinstance(labels, str):
            labels = [p for p in LIST_SEPARATORS.split(labels) if p.strip()]
        if not isinstance(value, str) or not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            raise ImportFormatError(number, "signal_value must be a string and labels a list of strings", f"{source} record")
        records.append(
            _record(number, f"{source} record", item_kind if isinstance(item_kind, str) else None, value,
                    content_id=_opt_str(lowered.get("content_id")), labels=labels,
                    contributor=_opt_str(lowered.get("contributor")),
                    added_on=_date(number, f"{source} record", _opt_str(lowered.get("added_on"))),
                    enabled=lowered.get("enabled", True))
        )
    return records


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _date(number: int, source: str, value: str | None) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise ImportFormatError(number, f"added_on is not a date (YYYY-MM-DD): {value!r}", source) from None

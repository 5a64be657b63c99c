"""The shape of licensing YAML (applications and policies), checked before any meaning is read.

Unknown fields are refused with the closest known name (`redflags`: did you mean `red_flags`?);
extensions are accepted only under an `x_` prefix. Every value has a type: a mapping or a list where
text is expected is refused. Nesting is bounded before the YAML is composed, so a hostile file
cannot exhaust the stack. Errors are `(field path, reason)` pairs; the callers add the file name.
"""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, PlainValidator, ValidationError, model_validator
from pydantic_core import PydanticCustomError

MAX_DEPTH = 64  # the deepest policy condition is about 8 levels; 64 leaves room and bounds the stack
MAX_BYTES = 5_000_000  # an application or a policy is a few kB


class YamlInputError(ValueError):
    """A YAML file that cannot be read, parsed, or is nested too deeply (with the line where known)."""

    def __init__(self, where: str, reason: str) -> None:
        self.where, self.reason = where, reason
        super().__init__(f"{where}: {reason}")


def load_yaml(path: Path) -> Any:
    """The YAML document in `path`, refused when too large or nested deeper than MAX_DEPTH."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise YamlInputError("(file)", f"{size:,} bytes; a licensing file is at most {MAX_BYTES:,} bytes")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise YamlInputError("(file)", f"cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise YamlInputError("(file)", f"not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    return parse_yaml(text)


def parse_yaml(text: str) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        _check_depth(text, loader)
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlInputError(where, f"not valid YAML: {problem}") from None


def _check_depth(text: str, loader: Any) -> None:
    # The event stream is produced without recursion; composing the document recurses per level.
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlInputError(f"line {event.start_mark.line + 1}",
                                     f"nested more than {MAX_DEPTH} levels deep; refused")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


# --- value types: one clear message per field ------------------------------------------------

def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


def _wrong(expected: str, value: Any) -> PydanticCustomError:
    return PydanticCustomError("wrong_type", "must be {expected}, not {got}", {"expected": expected, "got": _kind(value)})


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _wrong("text", value)
    return value


def _ident(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _wrong("text or a number", value)
    return str(value)


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _wrong("a number", value)
    return value


def _version(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _wrong("text or a number", value)
    return str(value)


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _wrong("true or false", value)
    return value


def _country(value: Any) -> Any:
    # YAML 1.1 reads an unquoted NO (Norway) as false; territories.yaml_country maps it back.
    if not isinstance(value, (str, bool)):
        raise _wrong("an ISO 3166-1 alpha-2 code", value)
    return value


def _date(value: Any) -> Any:
    if not isinstance(value, (str, date)) or isinstance(value, bool):
        raise _wrong("an ISO date (YYYY-MM-DD)", value)
    return value


def _text_list(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise _wrong("a list of text", value)
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise PydanticCustomError("wrong_type", "item {index} must be text, not {got}", {"index": index, "got": _kind(item)})
    return value


def _mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _wrong("a mapping", value)
    return value


def _condition(value: Any) -> Any:
    # A rule's condition is checked fact by fact by conditions.validate; here only its container.
    if not isinstance(value, (dict, list)):
        raise _wrong("a condition (a mapping)", value)
    return value


Text = Annotated[str, PlainValidator(_text)]
Ident = Annotated[str, PlainValidator(_ident)]
Number = Annotated[float, PlainValidator(_number)]
Flag = Annotated[bool, PlainValidator(_flag)]
Country = Annotated[Any, PlainValidator(_country)]
DateValue = Annotated[Any, PlainValidator(_date)]
TextList = Annotated[list[str], PlainValidator(_text_list)]
Mapping = Annotated[dict[str, Any], PlainValidator(_mapping)]
Condition = Annotated[Any, PlainValidator(_condition)]


class Strict(BaseModel):
    """A mapping whose fields are all known: others are refused, with the closest name suggested
    (see `shape_problems`); `x_` fields are extensions, accepted and ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @classmethod
    def coerce(cls, data: Any) -> Any:
        return data

    @model_validator(mode="before")
    @classmethod
    def _mapping_without_extensions(cls, data: Any) -> Any:
        data = cls.coerce(data)
        if not isinstance(data, dict):
            raise _wrong("a mapping of fields", data)
        return {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith("x_"))}

    @classmethod
    def field_names(cls) -> list[str]:
        return sorted(info.alias or name for name, info in cls.model_fields.items())


# --- applications ----------------------------------------------------------------------------

class ExporterIn(Strict):
    name: Text | None = None
    country: Country | None = None


class PartyIn(Strict):
    role: Text | None = None
    name: Text | None = None
    country: Country | None = None
    type: Text | None = None


class ItemIn(Strict):
    description: Text | None = None
    control_code: Text | None = None
    category: Text | None = None
    quantity: Number | None = None
    value: Number | None = None
    currency: Text | None = None


class EndUseIn(Strict):
    type: Text | None = None
    statement: Text | None = None

    @classmethod
    def coerce(cls, data: Any) -> Any:
        return {"type": data} if isinstance(data, str) else data


class ApplicationIn(Strict):
    id: Ident | None = None
    date: DateValue | None = None
    exporter: ExporterIn | None = None
    destination: Country | None = None
    parties: list[PartyIn] | None = None
    items: list[ItemIn] | None = None
    end_use: EndUseIn | None = None
    red_flags: TextList | None = None
    expect: Mapping | None = None  # expected outcomes per policy, read by tests; never by the assessment


# --- policies --------------------------------------------------------------------------------

class SourceIn(Strict):
    title: Text
    url: Text | None = None
    binding: Flag | None = None
    in_force: DateValue | None = None
    published: DateValue | None = None


class CategoryIn(Strict):
    codes: TextList | None = None
    listed: Flag | None = None
    cyber_surveillance: Flag | None = None
    cyber_surveillance_candidate: Flag | None = None
    crime_control: Flag | None = None
    service: Flag | None = None
    note: Text | None = None
    cite: TextList | None = None


class CountryGroupIn(Strict):
    members: list[Country]
    cite: TextList | None = None
    note: Text | None = None


class RedFlagIn(Strict):
    text: Text
    derived: Flag | None = None
    cite: TextList | None = None


class RiskIn(Strict):
    cite: TextList | None = None
    order: TextList | None = None
    tiers: dict[str, Condition]


class SuspensionIn(Strict):
    from_: DateValue | None = Field(None, alias="from")
    to: DateValue | None = None
    cite: TextList | None = None


class RuleIn(Strict):
    id: Ident | None = None
    title: Text | None = None
    scope: Text | None = None
    when: Condition | None = None
    decision: Text | None = None
    text: Text | None = None
    cite: TextList | None = None
    effective: DateValue | None = None
    expires: DateValue | None = None
    suspended: list[SuspensionIn] | None = None


class NationalMeasureIn(Strict):
    member_state: Country
    categories: TextList
    cite: TextList


class InternalMarketIn(Strict):
    members: list[Country]
    controlled_categories: TextList
    national_measures: list[NationalMeasureIn] | None = None
    cite: TextList


class JurisdictionIn(Strict):
    exporters: list[Country]
    note: Text | None = None
    cite: TextList
    internal_market: InternalMarketIn | None = None


class PolicyIn(Strict):
    name: Text | None = None
    title: Text | None = None
    version: Annotated[str, PlainValidator(_version)] | None = None
    published: DateValue | None = None
    unknown_control_code: Text | None = None
    unknown_category: Text | None = None
    sources: dict[str, SourceIn] | None = None
    categories: dict[str, CategoryIn] | None = None
    country_groups: dict[str, CountryGroupIn] | None = None
    red_flags: dict[str, RedFlagIn] | None = None
    destination_risk: RiskIn | None = None
    rules: list[RuleIn] | None = None
    jurisdiction: JurisdictionIn | None = None


def shape_problems(model: type[Strict], data: Any) -> list[tuple[str, str]]:
    """Every shape problem of `data` as (field path, reason); empty when the shape is right."""
    try:
        model.model_validate(data)
    except ValidationError as exc:
        out: list[tuple[str, str]] = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            reason = str(error["msg"])
            if error["type"] == "extra_forbidden":
                known = _model_at(model, loc[:-1])
                names = known.field_names() if known else []
                close = difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}?" if close else f"known fields: {', '.join(names)}"
                reason = f"unknown field ({hint}); extensions go under an x_ prefix"
            elif error["type"] == "missing":
                reason = "is required"
            if (_path(loc), reason) not in out:
                out.append((_path(loc), reason))
        return out
    return []


def _model_at(model: type[Strict], loc: tuple[Any, ...]) -> type[Strict] | None:
    """The model that validates the mapping at `loc` (list indexes and mapping keys pass through)."""
    current: type[Strict] | None = model
    for part in loc:
        if current is None:
            return None
        fields = {info.alias or name: info for name, info in current.model_fields.items()}
        if isinstance(part, str) and part in fields:
            current = _inner_model(fields[part].annotation)
    return current


def _inner_model(annotation: Any) -> type[Strict] | None:
    if isinstance(annotation, type) and issubclass(annotation, Strict):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _path(loc: tuple[Union[int, str], ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts) or "(root)"

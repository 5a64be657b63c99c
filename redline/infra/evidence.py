"""Recorded observations (the evidence format): read one, a list, or a JSON-lines journal, each record
checked against the schema below before anything is attributed.

An observation is `{"domain", "input"?, "status"?, "observed_at"?, "dns"?, "tls"?, "http"?, "html"?,
"errors"?}`; `dns` holds lists of record values (`A` IPv4 addresses, `AAAA` IPv6 addresses, `CNAME`,
`NS`, `MX`, `TXT` text). A record of the wrong type or with an address that is not one is refused,
named by its line (JSON lines) or its position and domain; nothing of the file is scanned then.
Fields the schema does not name are kept as they are (other tools add their own).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated, Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.functional_validators import AfterValidator

MAX_ERRORS = 20  # problems listed before the rest are counted


class EvidenceError(ValueError):
    pass


def _ipv4(value: str) -> str:
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv4 address") from None
    return value


def _ipv6(value: str) -> str:
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv6 address") from None
    return value


IPv4 = Annotated[str, AfterValidator(_ipv4)]
IPv6 = Annotated[str, AfterValidator(_ipv6)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class Dns(_Record):
    A: list[IPv4] = Field(default_factory=list)
    AAAA: list[IPv6] = Field(default_factory=list)
    CNAME: list[str] = Field(default_factory=list)
    NS: list[str] = Field(default_factory=list)
    MX: list[str] = Field(default_factory=list)
    TXT: list[str] = Field(default_factory=list)


class Tls(_Record):
    issuer: str | None = None
    subject: str | None = None
    san: list[str] | None = None
    not_before: str | None = None
    not_after: str | None = None
    serial: str | None = None


class Http(_Record):
    status: int | None = None
    headers: dict[str, str] | None = None
    final_url: str | None = None
    location: str | None = None
    tls_verified: bool | None = None
    bytes: int | None = None
    truncated: bool | None = None


class Observation(_Record):
    domain: str
    input: str | None = None
    status: str | None = None
    observed_at: str | None = None
    dns: Dns | None = None
    tls: Tls | None = None
    http: Http | None = None
    html: str | None = None
    errors: dict[str, str] | None = None


def validate_observation(item: Any) -> list[str]:
    """The schema problems of one record, each as 'field: reason' (empty when it conforms)."""
    if not isinstance(item, dict):
        return [f"(record): an observation is a JSON object, not {type(item).__name__}"]
    try:
        Observation.model_validate(item)
    except ValidationError as exc:
        out = []
        for error in exc.errors(include_url=False, include_input=False):
            field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"]).lstrip(".")
            reason = "is required" if error["type"] == "missing" else str(error["msg"]).removeprefix("Value error, ")
            out.append(f"{field or '(record)'}: {reason}")
        return out
    return []


def select_observations(observations: list[dict[str, Any]], domains: list[str]) -> list[dict[str, Any]]:
    """The recorded observations of `domains` (by domain or as given), and for each domain the evidence
    does not hold, an observation saying so (status `not_in_evidence`), so that no domain asked for is
    silently dropped."""
    wanted = set(domains)
    chosen = [o for o in observations if o.get("domain") in wanted or o.get("input") in wanted]
    missing = wanted - {o.get("domain") for o in chosen} - {o.get("input") for o in chosen}
    return chosen + [{"domain": m, "status": "not_in_evidence"} for m in sorted(missing)]


def read_observations(path: Path) -> list[dict[str, Any]]:
    """Observations from a .json file (one object or a list) or a .jsonl journal (one a line)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EvidenceError(f"cannot read {path}: {exc.strerror}") from exc
    text = raw.strip()
    if not text:
        return []
    records: list[tuple[str, Any]] = []
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        for n, line in enumerate(raw.splitlines(), 1):
            if line.strip():
                try:
                    records.append((f"{path}:{n}", orjson.loads(line)))
                except orjson.JSONDecodeError as exc:
                    raise EvidenceError(f"{path}:{n}: not JSON ({exc})") from None
    else:
        items = data if isinstance(data, list) else [data]
        records = [(f"{path}: record {n}", item) for n, item in enumerate(items, 1)]
    problems: list[str] = []
    for where, item in records:
        found = validate_observation(item)
        if found:
            domain = item.get("domain") if isinstance(item, dict) else None
            named = f"{where} ({domain})" if isinstance(domain, str) else where
            problems.extend(f"{named}: {p}" for p in found)
    if problems:
        shown = problems[:MAX_ERRORS]
        more = f"\n… and {len(problems) - MAX_ERRORS} more" if len(problems) > MAX_ERRORS else ""
        raise EvidenceError("evidence refused (nothing scanned):\n" + "\n".join(shown) + more)
    return [item for _, item in records]


def read_results(path: Path) -> list[dict[str, Any]]:
    """Scan results written by `infra scan -o` (a JSON list of objects, or one object), each record
    checked for the fields the report and the 2020 check read."""
    try:
        data = orjson.loads(path.read_bytes())
    except OSError as exc:
        raise EvidenceError(f"cannot read {path}: {exc.strerror}") from None
    except orjson.JSONDecodeError as exc:
        raise EvidenceError(f"{path}: not JSON ({exc})") from None
    records = data if isinstance(data, list) else [data]
    for n, record in enumerate(records, 1):
        if not isinstance(record, dict) or not isinstance(record.get("domain"), str):
            raise EvidenceError(f"{path}: result {n} is not a scan result (an object with a \"domain\")")
        providers = record.get("providers", [])
        if not isinstance(providers, list) or not all(isinstance(p, dict) for p in providers):
            raise EvidenceError(f"{path}: result {n} ({record['domain']}): providers must be a list of objects")
        parties = record.get("listed_parties", [])
        if not isinstance(parties, list) or not all(isinstance(p, dict) for p in parties):
            raise EvidenceError(f"{path}: result {n} ({record['domain']}): listed_parties must be a list of objects")
    return records

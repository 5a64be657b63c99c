"""yente's request and response shapes over Redline's parties API.

yente (OpenSanctions) matches FollowTheMoney-shaped examples: `{"schema": "Company", "properties":
{"name": [...], "country": [...]}}`. This module turns such an example into calls to
`redline.parties.api.screen` and Redline's hits into yente's scored entities. It translates; the
scores, thresholds and explanations are the parties engine's."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from followthemoney import model
from sqlalchemy import Connection

from redline.context import Context
from redline.inputs import InputError, parse_country, parse_date
from redline.parties.screening import Query, Screener, hit_to_dict
from redline.review.core import record_screening

ALGORITHM = "redline"
ALIASES = {"redline": ALGORITHM, "best": ALGORITHM, "default": ALGORITHM}
ALGORITHM_DOC = {
    "name": ALGORITHM,
    "description": "Redline's name matcher: legal forms in every script, abbreviations, sector words, "
                   "transliteration and word classes; schema, country, birth year and identifiers qualify "
                   "the name score (see README, 'How matching works').",
    "features": {"name": {"description": "name similarity after analysis, qualified by schema, country, "
                                         "birth year and identifiers", "coefficient": 1.0, "url": None}},
}
SCREENING_SCHEMAS = ("Person", "Vessel", "Company", "Organization", "LegalEntity")
COUNTRY_PROPS = ("country", "nationality", "jurisdiction", "citizenship", "mainCountry", "flag")
ID_PROPS = ("idNumber", "registrationNumber", "taxNumber", "imoNumber", "leiCode", "innCode", "ogrnCode",
            "swiftBic", "vatCode", "passportNumber", "mmsi", "uniqueEntityId", "okpoCode", "permId")
MAX_NAMES = 5


SNAPSHOT_FIELDS = ("id", "label", "source", "sha256", "retrieved_at", "data_date")


class ExampleError(ValueError):
    def __init__(self, field_name: str, problem: str) -> None:
        self.field = field_name
        super().__init__(f"{field_name}: {problem}")


@dataclass
class Example:
    """One FtM example reduced to what the screener uses."""

    schema: str
    names: list[str]
    screening_schema: str | None
    country: str | None = None
    birth_date: str | None = None
    identifiers: list[str] = field(default_factory=list)


def _values(properties: dict[str, Any], prop: str) -> list[str]:
    value = properties.get(prop)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in items if isinstance(v, str | int | float) and str(v).strip()]


def parse_example(where: str, schema_name: str, properties: dict[str, Any]) -> Example:
    schema = model.get(schema_name)
    if schema is None:
        raise ExampleError(f"{where}.schema", f"unknown FollowTheMoney schema {schema_name!r}")
    if not schema.matchable:
        raise ExampleError(f"{where}.schema", f"schema {schema_name!r} cannot be matched")
    names = list(dict.fromkeys(_values(properties, "name") + _values(properties, "alias")))[:MAX_NAMES]
    if not names:
        raise ExampleError(f"{where}.properties.name", "at least one name is needed")
    screening = next((s for s in SCREENING_SCHEMAS if schema.is_a(model.get(s))), None)
    countries = [(p, c) for p in COUNTRY_PROPS for c in _values(properties, p)]
    births = [("birthDate", b) for b in _values(properties, "birthDate")] or [
        ("incorporationDate", b) for b in _values(properties, "incorporationDate")]
    ids = [i for p in ID_PROPS for i in _values(properties, p)]
    try:  # the same readings as the CLI's: a country name or code -> ISO 3166, a date -> ISO 8601
        country = parse_country(countries[0][1], f"{where}.properties.{countries[0][0]}") if countries else None
        birth = (parse_date(births[0][1], f"{where}.properties.{births[0][0]}")
                 if births and schema.is_a(model.get("Person")) else None)
    except InputError as exc:
        raise ExampleError(exc.argument, str(exc).split(": ", 1)[1]) from None
    return Example(schema.name, names, screening, country, birth, ids)


def screen_example(screener: Screener, example: Example, *, dataset: str | None, limit: int, threshold: float,
                   cutoff: float, exclude: set[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Redline hits for one example, best first (every name screened, one hit per party), and the
    screenings themselves, unrecorded: the caller records them (`record`) before it answers.

    `screener` is the one the server holds (see `redline.api.app.Readiness`): a request never loads
    one, nor asks the store whether the lists changed. Each screening is what `parties.api.screen`
    returns for the same name, with record=False."""
    wanted = limit if dataset is None and not exclude else limit * 4 + len(exclude)
    best: dict[str, dict[str, Any]] = {}
    screenings = []
    snapshots = [{k: s[k] for k in SNAPSHOT_FIELDS} for s in screener.snapshots]
    for name in example.names:
        query = Query(name=name, schema=example.screening_schema, country=example.country,
                      birth_date=example.birth_date, identifiers=example.identifiers)
        results = [hit_to_dict(h) for h in screener.screen(query, limit=wanted, threshold=threshold)]
        screenings.append({"query": query.to_dict(), "results": results, "snapshots": snapshots})
        for hit in results:
            if hit["id"] in exclude or hit["score"] < cutoff:
                continue
            if dataset is not None and dataset not in {l["source"] for l in hit["lists"]} | {
                    l["source"] for v in hit["via"] for l in v.get("lists", [])}:
                continue
            if hit["id"] not in best or hit["score"] > best[hit["id"]]["score"]:
                best[hit["id"]] = hit
    return sorted(best.values(), key=lambda h: (-h["score"], h["id"]))[:limit], screenings


def record(conn: Connection, ctx: Context, screenings: list[dict[str, Any]]) -> list[int]:
    """Write each screening as `parties.screen` records it in-process (its ledger entry as `ctx`'s
    actor, and the review items its hits raise) in the caller's transaction; the entries' seqs."""
    return [record_screening(conn, ctx.ledger, kind="parties.screen", actor=ctx.actor, org=ctx.org,
                             query=s["query"], hits=s["results"], snapshots=[snap["label"] for snap in s["snapshots"]])[0]
            for s in screenings]


class Entities:
    """Listed parties by id, as FtM-shaped entities: those of one screener (built beside it)."""

    def __init__(self, clusters: Iterable[dict[str, Any]] = ()) -> None:
        self._by_id = {c["id"]: c for c in clusters}
        self._responses: dict[str, dict[str, Any]] = {}  # entity_response of each, made on first use

    def get(self, entity_id: str) -> dict[str, Any] | None:
        return self._by_id.get(entity_id)

    def response(self, entity_id: str) -> dict[str, Any] | None:
        """`entity_response` of a listed party, made once: the lists held do not change under it
        (new lists come as a new Entities). Shared between answers: read it, never change it."""
        found = self._responses.get(entity_id)
        if found is None:
            cluster = self._by_id.get(entity_id)
            if cluster is None:
                return None
            found = self._responses[entity_id] = entity_response(cluster)
        return found

    def all(self) -> list[dict[str, Any]]:
        return list(self._by_id.values())


def entity_response(cluster: dict[str, Any]) -> dict[str, Any]:
    lists = cluster.get("lists", [])
    names = cluster.get("names") or [cluster["caption"]]
    properties: dict[str, list[Any]] = {"name": names[:1], "alias": names[1:]}
    if cluster.get("countries"):
        properties["country"] = list(cluster["countries"])
    programs = sorted({l["program_id"] for l in lists if l.get("program_id")})
    if programs:
        properties["programId"] = programs
    properties["topics"] = ["sanction"] if lists else []
    return {
        "id": cluster["id"],
        "caption": cluster["caption"],
        "schema": cluster["schema"],
        "properties": {k: v for k, v in properties.items() if v},
        "datasets": sorted({l["source"] for l in lists}),
        "referents": [],
        "target": bool(lists),
        "first_seen": None,
        "last_seen": None,
        "last_change": None,
        "lists": lists,
    }


def scored_response(hit: dict[str, Any], entities: Entities) -> dict[str, Any]:
    base = entities.response(hit["id"]) or entity_response(
        {"id": hit["id"], "caption": hit["caption"], "schema": hit["schema"], "names": [hit["caption"]],
         "lists": hit["lists"]})
    return {
        **base,
        "score": hit["score"],
        "match": hit["match"],
        "features": {"name": hit["score"]},
        "explanations": {"name": {"score": hit["score"], "detail": hit["explanation"]}},
        "matched_name": hit.get("matched_name"),
        "via": hit["via"],
    }


def example_dict(schema: str, properties: dict[str, Any], key_id: str | None) -> dict[str, Any]:
    return {"id": key_id, "schema": schema,
            "properties": {k: (v if isinstance(v, list) else [v]) for k, v in properties.items()}}

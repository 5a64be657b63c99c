"""Every party of an application screened with the parties engine; hits become evidence.

The screener is injectable (any callable with the `redline.parties.api.screen` signature) so the
policy and decision logic can be tested without lists loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from redline.licensing.application import Party
from redline.parties.score import REVIEW_FLOOR


class Screener(Protocol):
    def __call__(self, name: str, *, schema: str | None = None, country: str | None = None, limit: int = 5) -> dict[str, Any]: ...


class ScreeningUnavailable(RuntimeError):
    pass


def default_screener() -> Screener:
    """The real parties engine; ScreeningUnavailable when it is missing or has no lists loaded."""
    try:
        from redline.parties import api
    except ImportError as exc:
        raise ScreeningUnavailable(f"the parties engine is not available ({exc})") from None

    def screen(name: str, *, schema: str | None = None, country: str | None = None, limit: int = 5) -> dict[str, Any]:
        try:
            return api.screen(name, schema=schema, country=country, limit=limit)
        except api.NoListsLoaded as exc:
            raise ScreeningUnavailable(
                f"no restricted-party lists are loaded ({exc}); run `redline parties import PATH`") from None

    return screen


@dataclass
class PartyScreening:
    party: Party
    direct: list[dict[str, Any]] = field(default_factory=list)  # matched results without `via`
    indirect: list[dict[str, Any]] = field(default_factory=list)  # matched results reached via owners/affiliates
    near: list[dict[str, Any]] = field(default_factory=list)  # below the match threshold, above REVIEW_FLOOR
    snapshots: list[dict[str, Any]] = field(default_factory=list)

    @property
    def hit_ids(self) -> set[str]:
        return {r["id"] for r in self.direct + self.indirect}


def screen_parties(parties: tuple[Party, ...], screener: Screener | Callable[..., dict[str, Any]]) -> list[PartyScreening]:
    out = []
    for party in parties:
        # No schema or country filter: a government body may be listed as an Organization or a
        # Company, and a listed firm's address may differ from the application's country.
        response = screener(party.name, limit=5)
        screening = PartyScreening(party, snapshots=list(response.get("snapshots") or []))
        for result in response.get("results") or []:
            if not result.get("match"):
                if _score(result) > REVIEW_FLOOR and (result.get("lists") or result.get("via")):
                    screening.near.append(result)
                continue
            # A hit with listings of its own is a direct hit; ownership or affiliation ties to
            # listed parties ("subsidiary of", "affiliated with") make it (also) an indirect hit.
            # "linked to" (a listed person linked to a listed body) is no ownership tie.
            if result.get("lists"):
                screening.direct.append(result)
            if any(v.get("relation") in TIES for v in result.get("via") or []):
                screening.indirect.append(result)
        if screening.near and party.country:
            screening.near = _near_in_country(screening.near, party, screener)
        out.append(screening)
    return out


def _near_in_country(near: list[dict[str, Any]], party: Party, screener: Screener | Callable[..., dict[str, Any]]) -> list[dict[str, Any]]:
    """The near misses that stay above the floor when the engine also weighs the party's country
    (a national police force is not a near miss for another country's police)."""
    again = screener(party.name, country=party.country, limit=10)
    kept = {r.get("id") for r in again.get("results") or [] if _score(r) > REVIEW_FLOOR}
    return [r for r in near if r.get("id") in kept]


def _score(result: dict[str, Any]) -> float:
    try:
        return float(result.get("score") or 0.0)
    except (TypeError, ValueError):
        return 0.0


TIES = ("subsidiary of", "affiliated with")
OWNERSHIP = ("subsidiary of",)


def programs(results: list[dict[str, Any]]) -> set[str]:
    """Programme ids a set of hits is listed on directly."""
    return {lst["program_id"] for r in results for lst in r.get("lists") or [] if lst.get("program_id")}


def owner_programs(results: list[dict[str, Any]]) -> set[str]:
    """Programme ids of the listed owners of a set of hits (for 50-percent / affiliates rules)."""
    return {lst["program_id"] for r in results for v in r.get("via") or [] if v.get("relation") in OWNERSHIP
            for lst in v.get("lists") or [] if lst.get("program_id")}


def screening_evidence(screenings: list[PartyScreening]) -> list[dict[str, Any]]:
    evidence = []
    for s in screenings:
        for r in s.near:
            lists = r.get("lists") or [lst for v in r.get("via") or [] for lst in (v.get("lists") or [])]
            evidence.append({
                "kind": "near_miss_party",
                "source": "; ".join(sorted({f"{x.get('authority') or ''} {x.get('program') or x.get('program_id')}".strip() for x in lists})),
                "snapshot": sorted({str(x.get("snapshot")) for x in lists if x.get("snapshot") is not None}),
                "detail": {"party": s.party.name, "role": s.party.role, "hit_id": r.get("id"), "hit": r.get("caption"),
                           "score": r.get("score"), "review_floor": REVIEW_FLOOR, "lists": lists,
                           "note": "below the match threshold: confirm or rule out before approving",
                           "explanation": r.get("explanation")},
            })
        for kind, results in (("listed_party", s.direct), ("indirect_listed_party", s.indirect)):
            for r in results:
                via = [v for v in r.get("via") or [] if kind == "listed_party" or v.get("relation") in TIES]
                lists = r.get("lists") or []
                cited = lists if kind == "listed_party" else [lst for v in via for lst in (v.get("lists") or [])]
                evidence.append({
                    "kind": kind,
                    "source": "; ".join(sorted({f"{x.get('authority') or ''} {x.get('program') or x.get('program_id')}".strip() for x in cited})),
                    "snapshot": sorted({str(x.get("snapshot")) for x in cited if x.get("snapshot") is not None}),
                    "detail": {
                        "party": s.party.name, "role": s.party.role, "hit_id": r.get("id"), "hit": r.get("caption"),
                        "score": r.get("score"), "lists": lists,
                        "via": [{"relation": v.get("relation"), "id": v.get("id"), "caption": v.get("caption"),
                                 "lists": v.get("lists") or []} for v in via],
                        "explanation": r.get("explanation"),
                    },
                })
    return evidence


def listed_ids(response: dict[str, Any]) -> list[str]:
    """The listed parties a screening matched (its own listings, not only ties)."""
    return sorted({r["id"] for r in response.get("results") or [] if r.get("match") and r.get("lists")})


class RecordingScreener:
    """A screener that remembers, per name, the listed parties it matched (queries without a country
    filter), so that the caller can keep them without screening the names again."""

    def __init__(self, inner: Screener | Callable[..., dict[str, Any]]) -> None:
        self.inner = inner
        self.matched: dict[str, list[str]] = {}

    def __call__(self, name: str, *, schema: str | None = None, country: str | None = None, limit: int = 5) -> dict[str, Any]:
        response = self.inner(name, schema=schema, country=country, limit=limit)
        if country is None:
            self.matched[name] = listed_ids(response)
        return response

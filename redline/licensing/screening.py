"""Every party of an application screened with the parties engine; hits become evidence.

The screener is injectable (any callable with the `redline.parties.api.screen` signature) so the
policy and decision logic can be tested without lists loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from redline.licensing.application import Party


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
                continue
            # A hit with listings of its own is a direct hit; ownership or affiliation ties to
            # listed parties ("subsidiary of", "affiliated with") make it (also) an indirect hit.
            # "linked to" (a listed person linked to a listed body) is no ownership tie.
            if result.get("lists"):
                screening.direct.append(result)
            if any(v.get("relation") in TIES for v in result.get("via") or []):
                screening.indirect.append(result)
        out.append(screening)
    return out


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

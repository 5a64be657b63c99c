"""Listed parties for screening tests: a subject and the Sanction that lists it, as the list readers emit them."""

from __future__ import annotations

from redline.parties.graph import SourceEntity, build_parties
from redline.parties.screening import Screener


def listed(eid: str, schema: str, source: str = "us_ofac_sdn", program_id: str = "US-OFAC-SDN",
           authority: str = "US Treasury OFAC", **props: list[str]) -> list[SourceEntity]:
    subject = {"id": eid, "schema": schema, "properties": props}
    sanction = {"id": f"{eid}-s", "schema": "Sanction", "properties": {"entity": [eid], "programId": [program_id], "authority": [authority], "program": ["p"]}}
    return [SourceEntity(subject, source, "t"), SourceEntity(sanction, source, "t")]


def screener_of(*entities: list[SourceEntity]) -> Screener:
    """A screener over these listed parties only (no snapshots)."""
    return Screener(build_parties([e for pair in entities for e in pair]), snapshots=[])

"""Shared test helpers for the licensing tests: a fake screener with the parties-engine contract."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
APPLICATIONS = HERE / "applications"
BAD = HERE / "bad_applications"


def listing(program_id: str, program: str, listed_on: str | None = None, license_policy: str | None = None) -> dict[str, Any]:
    return {"source": "test", "program": program, "program_id": program_id, "authority": "test",
            "listed_on": listed_on, "snapshot": "test-snapshot-1", "license_policy": license_policy}


# Entity List entries' licence review policies, as the CSL 2022-04 states them.
NSO_POLICY = "Presumption of denial."
XINJIANG_PSB_POLICY = ("Case-by-case review for ECCNs 1A004.c, 1A004.d, 1A995, 1A999.a, 1D003, 2A983, 2D983, and 2E983, "
                       "and for EAR99 items described in the Note to ECCN 1A995; case-by-case review for items necessary to "
                       "detect, identify and treat infectious disease; and presumption of denial for all other items subject to the EAR.")


# What the real lists say about the parties in the fixtures (see the fixtures' comments).
LISTED: dict[str, dict[str, Any]] = {
    "xinjiang public security bureau": {"id": "p-xpsb", "caption": "XINJIANG PUBLIC SECURITY BUREAU",
                                        "lists": [listing("US-OFAC-SDN", "GLOMAG", "2020-07-09")], "via": []},
    "nso group": {"id": "p-nso", "caption": "NSO Group", "lists": [listing("US-BIS-EL", "86 FR 60760", "2021-11-04", NSO_POLICY)], "via": []},
    "aksu district public security bureau": {
        "id": "p-apsb", "caption": "Aksu District Public Security Bureau",
        "lists": [listing("US-BIS-EL", "84 FR 54002", "2019-10-09", XINJIANG_PSB_POLICY)], "via": []},
    "positive technologies": {"id": "p-pt", "caption": "Positive Technologies",
                              "lists": [listing("US-BIS-EL", "86 FR 60760", "2021-11-04"), listing("US-OFAC-SDN", "CYBER2", "2021-04-15")],
                              "via": []},
    "chengdu dahua wisdom information technology co., ltd.": {
        "id": "p-cdw", "caption": "Chengdu Dahua Wisdom Information Technology Co., Ltd.",
        "lists": [listing("US-DOD-1260H", "Section 1260H", "2025-01-07")],
        "via": [{"relation": "subsidiary of", "id": "p-dahua", "caption": "Dahua Technology", "percentage": None, "rule": None,
                 "lists": [listing("US-BIS-EL", "84 FR 54002", "2019-10-09")]}]},
    # A spelling the engine scores below its match threshold: a near miss, never an approval.
    "kashgar regional public security bureau": {
        "id": "p-kpsb", "caption": "Kashgar Prefecture Public Security Bureau", "score": 0.74, "match": False,
        "lists": [listing("US-BIS-EL", "84 FR 54002", "2019-10-09")], "via": []},
}


class FakeScreener:
    def __init__(self, listed: dict[str, dict[str, Any]] | None = None) -> None:
        self.listed = LISTED if listed is None else listed
        self.calls: list[str] = []

    def __call__(self, name: str, *, schema: str | None = None, country: str | None = None, limit: int = 5) -> dict[str, Any]:
        self.calls.append(name)
        hit = self.listed.get(name.casefold())
        results = [{"schema": "Company", "score": 1.0, "match": True, "explanation": "test", **hit}] if hit else []
        return {"query": {"name": name}, "results": results,
                "snapshots": [{"id": "test-snapshot-1", "source": "test", "sha256": "0" * 64,
                               "retrieved_at": "2026-11-01T00:00:00+00:00", "data_date": "2026-11-01"}]}


def expectations(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text())["expect"]


def fixture_files() -> list[Path]:
    return sorted(APPLICATIONS.glob("*.yaml"))

"""Shared test helpers for the licensing tests: a fake screener with the parties-engine contract."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
APPLICATIONS = HERE / "applications"
BAD = HERE / "bad_applications"


def listing(program_id: str, program: str, listed_on: str | None = None) -> dict[str, Any]:
    return {"source": "test", "program": program, "program_id": program_id, "authority": "test",
            "listed_on": listed_on, "snapshot": "test-snapshot-1"}


# What the real lists say about the parties in the fixtures (see the fixtures' comments).
LISTED: dict[str, dict[str, Any]] = {
    "xinjiang public security bureau": {"id": "p-xpsb", "caption": "XINJIANG PUBLIC SECURITY BUREAU",
                                        "lists": [listing("US-OFAC-SDN", "GLOMAG", "2020-07-09")], "via": []},
    "nso group": {"id": "p-nso", "caption": "NSO Group", "lists": [listing("US-BIS-EL", "86 FR 60760", "2021-11-04")], "via": []},
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

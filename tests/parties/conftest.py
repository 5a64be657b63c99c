from __future__ import annotations

from pathlib import Path

import pytest

from redline.parties.graph import SourceEntity, build_parties
from redline.parties.screening import Screener
from redline.parties.sources.registry import discover

# A subset of the real lists that holds every required example, read straight from REDLINE_DATA.
SUBSET = (
    "us_csl/2022-04/consolidated.csv",
    "us_dod_1260h",
    "us_misc_opensanctions_repo",
    "ofac_sdn/2021-07-07/bis_dpl.txt",
    "ofac_non_sdn/2025-12-19",
)


@pytest.fixture(scope="session")
def screener(data_dir: Path) -> Screener:
    entities = []
    for rel in SUBSET:
        for reader, path in discover(data_dir / "lists" / rel):
            for entity in reader.read(path):
                entities.append(SourceEntity(entity.to_dict(), reader.info.name, f"{reader.info.name}@test"))
    return Screener(build_parties(entities), snapshots=[])

"""Owner linking with the real parties engine over the real 2022 Consolidated Screening List."""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.infra.owners import OwnerLinker
from redline.infra.scan import scan_observations

api = pytest.importorskip("redline.parties.api", reason="the parties engine (redline.parties.api) is not built yet")


def test_hikvision_site_served_by_cloudfront_is_linked_to_the_entity_list(ref, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    linker = OwnerLinker()
    assert linker.screen("Hangzhou Hikvision Digital Technology Co., Ltd.")["status"] == "no_lists_loaded"

    api.import_paths([data_dir / "lists" / "us_csl" / "2022-04" / "consolidated.csv"])
    observation = {
        "domain": "www.hikvision.com",
        "dns": {"A": ["13.32.1.5"], "CNAME": ["d1.cloudfront.net"], "MX": [], "NS": []},
        "html": '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">',
    }
    owners = {"www.hikvision.com": "Hangzhou Hikvision Digital Technology Co., Ltd."}
    [result] = scan_observations([observation], ref, owners=owners, linker=OwnerLinker())
    assert result["owner_screening"] == "listed"
    [party] = [p for p in result["listed_parties"] if "HIKVISION" in p["caption"].upper()]
    programs = {item["program"] for item in party["lists"]}
    assert "Entity List" in programs
    serves = [s for s in result["statements"] if s.startswith("Amazon CloudFront serves www.hikvision.com")]
    assert serves and "Entity List" in serves[0] and "snapshot us_csl@" in serves[0]
    embeds = [s for s in result["statements"] if s.startswith("Google Fonts")]
    assert embeds and "only embedded" in embeds[0]

    [clean] = scan_observations([{**observation, "domain": "www.example.org"}], ref,
                                owners={"www.example.org": "Nordic Bakery Cooperative"}, linker=OwnerLinker())
    assert clean["owner_screening"] == "not_listed" and clean["listed_parties"] == []

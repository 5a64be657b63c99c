"""Clusters over the real lists: pairs that must never merge stay apart, true merges hold, and
`redline parties clusters --audit` says why each merge was made."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.cli import app
from redline.parties.graph import SUBJECT_SCHEMATA, Party, SourceEntity, build_parties, cluster_audit
from redline.parties.screening import Screener
from redline.parties.sources.registry import discover

PAIRS = Path(__file__).parent / "data" / "must_never_merge.csv"
LISTS = (
    "uk_sanctions_list", "au_dfat", "ofac_sdn/2024-05-03", "names_only_csl_meti_2022-12", "us_csl/2022-04/consolidated.csv",
    "us_dod_1260h", "us_misc_opensanctions_repo", "ofac_non_sdn/2025-12-19", "ofac_non_sdn/2025-01-14_enhanced_xml",
)
HIKVISION = ("hangzhou hikvision digital technology co., ltd.", "hangzhou hikvision digital technology company")
_WORDS = re.compile(r"\w+")
_COMMON = {"of", "and", "the", "co", "ltd", "limited", "company", "corporation"}


def _pairs() -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _words(text: str) -> set[str]:
    return set(_WORDS.findall(text.casefold())) - _COMMON


@pytest.fixture(scope="module")
def parties(data_dir: Path) -> list[Party]:
    """Every entity of the real lists that shares a word with a name below, so that chains
    through third names ("Xinjiang Corps") are built as they are over the whole lists."""
    wanted = set().union(*(_words(p["left"]) | _words(p["right"]) for p in _pairs()), *(_words(n) for n in HIKVISION))
    subjects, sanctions = [], []
    for rel in LISTS:
        for reader, path in discover(data_dir / "lists" / rel):
            for entity in reader.read(path):
                item = SourceEntity(entity.to_dict(), reader.info.name, f"{reader.info.name}@test")
                if entity.schema.name == "Sanction":
                    sanctions.append(item)
                elif entity.schema.name in SUBJECT_SCHEMATA and any(_words(n) & wanted for p in ("name", "alias") for n in entity.get(p, quiet=True)):
                    subjects.append(item)
    kept = {s.data["id"] for s in subjects}
    return build_parties(subjects + [s for s in sanctions if set(s.values("entity")) & kept])


def _holding(parties: list[Party], name: str) -> dict[str, int]:
    """entity id -> index of its party, for every entity whose primary name is `name`."""
    out = {}
    for index, party in enumerate(parties):
        for eid, caption in zip(party.entity_ids, party.captions):
            if caption.casefold() == name.casefold():
                out[eid] = index
    return out


@pytest.mark.parametrize("pair", _pairs(), ids=lambda p: f"{p['left']} / {p['right']}")
def test_must_never_merge(parties: list[Party], pair: dict[str, str]) -> None:
    left, right = _holding(parties, pair["left"]), _holding(parties, pair["right"])
    assert left and right, f"the lists no longer hold {pair}: update {PAIRS.name}"
    shared = set(left.values()) & set(right.values())
    assert not shared, f"{pair['left']} merged with {pair['right']} ({pair['why']}): " + json.dumps(
        [m.to_dict() for i in shared for m in parties[i].merges], indent=1)


def test_hikvision_is_one_party_across_its_lists_and_formats(parties: list[Party]) -> None:
    holders = {i for name in HIKVISION for i in _holding(parties, name).values()}
    assert len(holders) == 1
    party = parties[holders.pop()]
    assert {"US-BIS-EL", "US-OFAC-NS-CMIC", "US-DOD-1260H", "US-NDAA-889", "US-FCC-COVERED"} <= {l.program_id for l in party.listings}
    evidence = {(m.evidence, frozenset((m.left, m.right))) for m in party.merges}
    assert ("same_id", frozenset({"us-ofac-cons-30946"})) in evidence  # OFAC's CSV and XML, one id
    assert ("record_id", frozenset({"us-ofac-cons-30946", "us-csl-30946"})) in evidence  # the CSL repeats OFAC's row
    assert len([l for l in party.listings if l.program_id == "US-OFAC-NS-CMIC" and l.source.startswith("us_ofac")]) == 1


def test_the_audit_lists_each_cluster_with_the_evidence_of_every_merge(parties: list[Party]) -> None:
    audit = cluster_audit(parties, contains="hikvision digital")
    assert audit and all(len(c["entities"]) >= 2 for c in audit)
    hikvision = audit[0]
    ids = {e["id"] for e in hikvision["entities"]}
    assert {m["evidence"] for m in hikvision["merges"]} >= {"same_id", "record_id", "whole_name"}
    assert all({m["left"], m["right"]} <= ids and m["key"] and m["why"] for m in hikvision["merges"])


def test_clusters_command(parties: list[Party], monkeypatch: pytest.MonkeyPatch) -> None:
    from redline.parties import api

    runner = CliRunner()
    missing = runner.invoke(app, ["parties", "clusters", "--audit", "--json"])
    assert missing.exit_code == 1 and "no lists are loaded" in missing.output
    monkeypatch.setattr(api, "get_screener", lambda: Screener(parties, []))
    result = runner.invoke(app, ["parties", "clusters", "--audit", "--json", "--contains", "Revolutionary Guard Corps"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    libya = [c for c in payload["clusters"] if {e["name"] for e in c["entities"]} == {"Revolutionary Guard Corps", "REVOLUTIONARY GUARD CORPS"}]
    assert libya and [m["evidence"] for m in libya[0]["merges"]] == ["whole_name"]
    assert payload["evidence_counts"]["whole_name"] >= 1
    text = runner.invoke(app, ["parties", "clusters", "--audit", "--contains", "hikvision digital"])
    assert text.exit_code == 0 and "record_id: OFAC uid | 30946" in text.output

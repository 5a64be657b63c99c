"""The names-only "CSL + METI" list: no authority, no jurisdiction, and no match where the query
gives facts that a bare name cannot confirm."""

from __future__ import annotations

from listed_parties import listed, screener_of

from redline.licensing.alignment import alignment_report
from redline.parties.screening import BARE_NAME_CAP, MATCH_THRESHOLD, Query, Screener


def _screener() -> Screener:
    return screener_of(
        listed("sdn-1", "Person", "us_ofac_sdn", "US-OFAC-SDN", "US Treasury OFAC", name=["CHEMEZOV, Sergei"], birthDate=["1952-08-20"]),
        listed("bare-1", "LegalEntity", "names_csl_meti", "JP-METI-EUL", "Japan METI", name=["CHEMEZOV, Sergei"]),
        listed("bare-2", "LegalEntity", "names_csl_meti", "JP-METI-EUL", "Japan METI", name=["IVANOV, Pyotr Nikolaevich"]),
    )


def test_a_bare_row_that_repeats_a_detailed_record_is_cleared_with_it() -> None:
    hits = _screener().screen(Query("Sergei Chemezov", birth_date="1985"))
    assert hits and hits[0].party.entity_ids == ["sdn-1", "bare-1"]
    assert not hits[0].match and "birth year 1985 differs" in " ".join(hits[0].adjustments)


def test_a_bare_row_alone_is_for_review_when_the_query_gives_facts() -> None:
    screener = _screener()
    plain = screener.screen(Query("Pyotr Nikolaevich Ivanov"))
    assert plain[0].match and plain[0].party.bare
    for query in (Query("Pyotr Nikolaevich Ivanov", birth_date="1985"), Query("Pyotr Nikolaevich Ivanov", schema="Company"),
                  Query("Pyotr Nikolaevich Ivanov", country="RU")):
        hit = screener.screen(query)[0]
        assert hit.party.bare and not hit.match and hit.score == BARE_NAME_CAP < MATCH_THRESHOLD
        assert any("names-only list cannot confirm" in a for a in hit.adjustments)


def test_the_names_only_list_is_no_jurisdictions_listing() -> None:
    screener = _screener()
    bare = next(p for p in screener.parties if p.bare)
    assert {(l.program_id, l.authority) for l in bare.listings} == {("NAMES-ONLY-CSL-METI", "")}
    hit = screener.screen(Query("Pyotr Nikolaevich Ivanov"))[0]
    assert "Japan" not in str([l.to_dict() for l in hit.party.listings])
    clusters = [
        {"id": "nso", "caption": "NSO Group", "lists": [
            {"program_id": "US-BIS-EL", "program": "Entity List", "authority": "US Commerce BIS", "listed_on": "2021-11-04"},
            {"program_id": "JP-METI-EUL", "program": "CSL + METI names list (unattributed)", "authority": "", "listed_on": None}]},
        {"id": "x", "caption": "A Bank", "lists": [{"program_id": "UK-FCDO", "program": "Russia", "authority": "UK FCDO", "listed_on": None}]},
    ]
    report = alignment_report(clusters)
    assert report["jurisdictions_loaded"] == ["UK", "US"]
    assert report["parties"][0]["listed_by"] == ["US"] and report["parties"][0]["not_listed_by"] == ["UK"]

"""Between hits of one score, the party whose legal form the query writes ranks first: two firms may carry one name."""

from __future__ import annotations

from listed_parties import listed, screener_of

from redline.parties.screening import Query


def test_the_firm_of_the_querys_legal_form_ranks_first_between_two_of_one_name() -> None:
    screener = screener_of(  # one list's two rows: two parties
        listed("korvion-sl", "LegalEntity", name=["KORVION INTERNACIONAL TRADE, S.L."]),
        listed("korvion-gmbh", "Company", name=["KORVION GMBH INTERNATIONAL TRADE"]),
    )
    for query, first in (("KORVION GMBH INTRNTNL TRADE", "korvion-gmbh"), ("Korvion Intl Trade, S.L.", "korvion-sl")):
        hits = screener.screen(Query(name=query), limit=2)
        assert hits[0].score == hits[1].score and hits[0].party.id == first, [(h.party.id, h.score) for h in hits]

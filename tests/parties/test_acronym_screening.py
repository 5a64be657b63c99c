"""Screening finds a listed organisation by the query's acronym, although the list gives no acronym: the name
index keys organisations' initials (index._initials). Not the other way: a query's words that spell a listed
acronym are mostly another firm's."""

from __future__ import annotations

from listed_parties import listed, screener_of

from redline.parties.screening import Query


def _screener():  # type: ignore[no-untyped-def]
    return screener_of(
        listed("kosco", "Company", name=["Kerman Omid Steel Company"]),
        listed("nstc", "Company", name=["NSTC"]),
        listed("other", "Company", name=["Kerman Steel Trading Company"]),
    )


def test_an_acronym_finds_the_listed_name_it_spells() -> None:
    hits = _screener().screen(Query(name="KOSCO"), limit=3)
    assert hits and hits[0].party.id == "kosco" and hits[0].match, hits


def test_a_name_spelling_a_listed_acronym_is_no_match() -> None:
    hits = _screener().screen(Query(name="Northern Star Trading Corporation"), limit=3)
    assert not any(h.match for h in hits if h.party.id == "nstc"), hits

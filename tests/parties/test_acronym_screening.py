"""Screening finds a listed organisation by the query's acronym, although the list gives no acronym: the name
index keys organisations' initials (index._initials). Not the other way: a query's words that spell a listed
acronym are mostly another firm's."""

from __future__ import annotations

import os
import subprocess
import sys

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


def test_an_acronym_with_a_legal_form_scores_the_same_in_every_process() -> None:
    """The legal forms that may stand in an acronym are tried in one fixed order, not a set's, whose order follows the
    process's hash seed ('NICO' / 'NATIONAL IRANIAN OIL COMPANY' scored 0.85 or 0.75)."""
    script = ("from redline.parties.names import analyse\nfrom redline.parties.score import compare\n"
              "print(compare(analyse('NICO'), analyse('NATIONAL IRANIAN OIL COMPANY')).explain())")
    said = {subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": str(seed)}, capture_output=True,
                           text=True, check=True).stdout for seed in range(6)}
    assert len(said) == 1 and "'nico' ~ 'national iranian oil' (acronym" in said.pop()

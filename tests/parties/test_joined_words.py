"""Words written joined that lists write apart, and a y between vowels (session 42): the Arabic article typed joined
finds the listed name ('ALQAIDA', 'AL-QAIDA'), a Korean given name joined finds its syllables ('Jongun'), and 'Ayid' is
as long as 'Ayed' for the vowel readings though its fold is 'aid'."""

from __future__ import annotations

import pytest

from redline.parties.api import compare_names
from redline.parties.index import NameEntry, NameIndex
from redline.parties.names import analyse
from redline.parties.score import token_similarity
from redline.parties.screening import Query
from tests.parties.listed_parties import listed, screener_of


def test_a_y_between_vowels_counts_towards_the_vowel_readings() -> None:
    ayed, ayid = (analyse(word, person=True).tokens[0] for word in ("Ayed", "Ayid"))
    assert "vowels read one way" in token_similarity(ayed, ayid)[1]
    assert compare_names("ABU AYED", "ABU AYID", "Person")["match"]
    assert compare_names("Muhsin Fadhil Ayed al Fadhli", "Muhsin Fadhil 'Ayyid al Fadhli", "Person")["match"]


@pytest.mark.parametrize(("left", "right"), [("Bell", "Biel"), ("Chul", "Chol"), ("Said", "Saad")])
def test_short_words_the_fold_shortens_otherwise_are_not_read_loosely(left: str, right: str) -> None:
    """A doubled letter or a digraph the fold writes once is no y between vowels: 'bell' (folded 'bel') is no 'biel'."""
    a, b = (analyse(word, person=True).tokens[0] for word in (left, right))
    assert "read one way" not in token_similarity(a, b)[1]


def test_a_theophoric_name_split_in_two_is_one_name_found() -> None:
    """'abdullah' met as 'abd llah' is one name, not two: 'AMIR ABDULLAH' is no 'ABU ABDULLLAH' (counting a compound's
    words as names found, tried in session 42, matched them at 0.66)."""
    assert not compare_names("AMIR ABDULLAH", "ABU ABDULLLAH", "Person")["match"]


def test_a_word_with_the_article_typed_joined_finds_the_listed_word() -> None:
    names = ["AL-QAIDA", "AL-SHABAAB", *(f"QAIDA {word} TRADING" for word in ("NORTH", "SOUTH", "EAST", "WEST", "DELTA", "ALPHA"))]
    index = NameIndex([NameEntry(analyse(name), n) for n, name in enumerate(names)])
    assert index.candidates(analyse("ALQAIDA"), 3)[0] == 0
    assert index.candidates(analyse("ALSHABAAB"), 3)[0] == 1
    assert not index.candidates(analyse("ALQAIDAX"), 3) or 0 not in index.candidates(analyse("ALQAIDAX"), 3)[:1]


def test_screening_the_article_typed_joined_matches_the_listed_organisation() -> None:
    screener = screener_of(
        listed("q", "Organization", name=["AL-QAIDA"]),
        listed("s", "Organization", name=["AL-SHABAAB"]),
        listed("r", "Company", name=["ROSA FLOWERS LLC"]),
    )
    for query, eid in (("ALQAIDA", "q"), ("ALSHABAAB", "s")):
        hits = screener.screen(Query(name=query))
        assert hits and hits[0].match and hits[0].party.entity_ids == [eid], (query, hits)
    assert not any(hit.match for hit in screener.screen(Query(name="ALROSA")))


def test_a_korean_given_name_joined_finds_its_syllables() -> None:
    """'Jongun' finds 'KIM Jong Un' through parts of two letters; a listed word is not split so ('abdulah' stays whole)."""
    names = ["KIM, Jong Un", "ABDULAH AL KORVANI", "ABDUL AH KORVAN", *(f"KIM, Jong {s}" for s in ("Chol", "Nam", "Sik", "Hyok"))]
    index = NameIndex([NameEntry(analyse(name, person=True), n) for n, name in enumerate(names)])
    assert {"jong", "un"} <= set(dict(index.neighbours(analyse("Jongun", person=True).tokens[0])))
    assert index.candidates(analyse("KIM, Jongun", person=True), 1) == [0]
    assert "ah" not in dict(index.neighbours(analyse("abdulah", person=True).tokens[0]))


def test_sector_words_typed_joined_weigh_as_the_words_apart() -> None:
    """'EXPORTIMPORT' is no word of the vocabulary; met as the listed 'EXPORT-IMPORT' it weighs as those sector words,
    from either side, so that screening scores it as the pair comparison does."""
    screener = screener_of(listed("e-1", "Company", name=["KORVANIAN EXPORT-IMPORT BANK"]))
    hits = screener.screen(Query("KORVANIAN EXPORTIMPORT BANK"))
    assert hits and hits[0].match and hits[0].score > 0.9, hits


def test_words_joined_against_a_word_of_an_alphabet_keep_its_l_and_r_apart() -> None:
    """Two Latin words joined meet a word read from a script on its consonants as one word of it does: Cyrillic writes l
    and r apart, so 'Калашников' (k-l-sh-n-k) is no 'Core Zing' (k-r-z-n-g), whose consonant classes it has; a Hebrew
    name whose joined Latin parts lose a vowel ('Nawazuddin' read nawaz + din) still meets it. Each word joined adds to
    the key: 'Tvito Daniel' has the key of 'Daniel' alone (t-n-r), and is no 'Данильева'."""
    assert compare_names("Калашников", "Core Zing")["score"] < 0.5
    assert not compare_names("Данильева", "TVITO, Daniel", "Person")["match"]
    assert not compare_names("Мутовина", "MADA'IN NOVIN TRADERS")["match"]
    assert not compare_names("Концерн Калашников", "Corezing International Group Company, Core Zing")["match"]
    assert compare_names("Nawazuddin Siddiqui", "נוואזואדין סידיקוי", "Person")["match"]

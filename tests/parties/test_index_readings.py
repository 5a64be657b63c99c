"""The name index finds a Latin spelling through the loose readings the scorer pairs it by
(index._readings), not only one edit away: a name the scorer would match must reach it as a candidate."""

from __future__ import annotations

import pytest

from redline.parties.index import NameEntry, NameIndex
from redline.parties.names import analyse

LISTED = ["Abu Muhammad al-Jawlani", "Mohammad Deif", "Ali Murshid Karimi", "Golden Nile Trading"]


@pytest.fixture(scope="module")
def index() -> NameIndex:
    return NameIndex([NameEntry(analyse(name, person=n < 3), n) for n, name in enumerate(LISTED)])


@pytest.mark.parametrize(("query", "listed"), [
    ("Golani", 0),  # consonants read one way: jim as g, aw as o
    ("Dayf", 1),  # the diphthong read one way
    ("Morshed", 2),  # Persian e / o for Arabic i / u
])
def test_a_spelling_two_edits_away_finds_its_name(index: NameIndex, query: str, listed: int) -> None:
    word = analyse(query, person=True).tokens[0]
    assert any(other in {t.text for t in index.entries[listed].name.tokens} for other, _ in index.neighbours(word))
    assert listed in index.candidates(analyse(f"Ahmad {query}", person=True), 10)


def test_an_unrelated_word_finds_nothing_through_the_readings(index: NameIndex) -> None:
    word = analyse("Gulnara", person=True).tokens[0]
    assert not index.neighbours(word)


def test_a_word_written_without_its_vowels_finds_the_word() -> None:
    """'unvrsty' finds 'university', as the scorer pairs them (score._disemvowelled), among names that share a
    commoner word with the query; a word with its vowels is not read so."""
    listed = ["Korvan International University", *(f"Korvan {name}" for name in ("Ali", "Omar", "Reza", "Hasan", "Tarek", "Samir"))]
    index = NameIndex([NameEntry(analyse(name, person=n > 0), n) for n, name in enumerate(listed)])
    unvrsty = analyse("UNVRSTY").tokens[0]
    assert "university" in dict(index.neighbours(unvrsty))
    assert index.candidates(analyse("KORVAN INTL. UNVRSTY"), 3)[0] == 0
    assert "university" not in dict(index.neighbours(analyse("UNIVERSE").tokens[0]))


def test_one_word_finds_the_name_that_writes_it_as_two_with_a_sector_word() -> None:
    """'korvanneft' typed as one word finds 'Korvan Neft', whose second word the name reads as a sector word
    (petroleum), as 'korvanvision' finds 'Korvan Vision'."""
    listed = ["PJSC KORVAN NEFT", "KORVAN VISION", *(f"KORVANNEFT {word} LLC" for word in ("Nord", "Trade", "Service", "Shelf"))]
    index = NameIndex([NameEntry(analyse(name), n) for n, name in enumerate(listed)])
    assert 0 in index.candidates(analyse("KORVANNEFT"), 3)
    assert 1 in index.candidates(analyse("KORVANVISION"), 3)


def test_a_name_meeting_a_query_word_through_several_of_its_words_counts_it_once() -> None:
    """A loose query word meets a listed name once, by its best word: 'Хиквижн' (read 'khikvizhn', key 'ksn') meets each
    word of 'Kwan Chun Chan' by a loose key, and summed three times over those names left HIKVISION under the relative
    floor, never scored."""
    listed = ["HIKVISION", "Kwan Chun Chan", "Chun Kuan Chen", "Kan Chen Chun", "Kevin Chen"]
    index = NameIndex([NameEntry(analyse(name, person=n > 0), n) for n, name in enumerate(listed)])
    assert 0 in index.candidates(analyse("Хиквижн"), 10)

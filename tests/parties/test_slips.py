"""A typist's slip: vocabulary words read through one (redline/parties/slips.py, names.analyse) and a lone distinctive
word written with two letters swapped or one doubled (score rule lone_approximate)."""

from __future__ import annotations

import pytest

from redline.parties.api import compare_names
from redline.parties.names import GENERIC, STOP, analyse
from redline.parties.slips import SlipReader, swapped_or_doubled

READER = SlipReader({"company": "company", "factories": "factories", "factory": "factory", "limited": "limited",
                     "kompaniya": "company", "komitet": "committee"}, frozenset({"marine"}))


@pytest.mark.parametrize("typed, read", [
    ("copmany", "company"),  # two letters swapped
    ("limted", "limited"),  # one left out
    ("compaany", "company"),  # one typed twice
    ("facotries", "factories"),
    ("kompaniay", "kompaniya"),
    ("factorie", "factories"),  # a plural's s left out
])
def test_a_word_one_slip_from_a_vocabulary_word_is_read_as_it(typed: str, read: str) -> None:
    assert READER.read(typed) == read


@pytest.mark.parametrize("typed", [
    "compeny",  # a letter changed makes other words as often as slips ('shopping' / 'shipping')
    "vompany",  # nor the first letter
    "kommitte",  # two slips
    "company",  # a word the vocabulary holds is itself
    "marines",  # ... and a known word's neighbours are not read to a vocabulary word it is no slip of
    "compa",  # too short to tell
    "limiteda",  # a last letter left out or added is another word's ending ('Khatib' / 'khatiba'), but a plural's s
])
def test_no_reading_where_the_word_is_no_single_slip_of_one_word(typed: str) -> None:
    assert READER.read(typed) == ""


def test_a_word_one_slip_from_two_words_read_differently_is_not_read() -> None:
    assert SlipReader({"korvaxen": "korvaxen", "korvoxen": "korvoxen"}, frozenset()).read("korvxen") == ""
    assert SlipReader({"korvaxen": "korvaxen", "korvoxen": "korvaxen"}, frozenset()).read("korvxen") == "korvaxen"  # one reading


def test_a_vowel_for_a_vowel_is_a_slip_of_a_legal_forms_word_at_any_length_and_only_those_are_read_alone() -> None:
    reader = SlipReader({"company": "company", "factory": "factory"}, frozenset(), forms=frozenset({"company"}), vowel_slips=frozenset({"company"}))
    assert reader.read("compeny") == "company" and reader.read("fectory") == ""
    assert reader.read("copmany", forms_only=True) == "company" and reader.read("facotry", forms_only=True) == ""


def test_swapped_or_doubled_letters_and_no_other_slip() -> None:
    assert swapped_or_doubled("korvaxen", "korvxaen") and swapped_or_doubled("korvaxen", "korvaxxen")
    assert swapped_or_doubled("jabbar", "jabar")
    assert not swapped_or_doubled("eagles", "eaglets") and not swapped_or_doubled("korvaxen", "korvaen")
    assert not swapped_or_doubled("korvaxen", "korvaxan") and not swapped_or_doubled("korvaxen", "korvaxen")


def test_misspelt_legal_forms_and_sector_words_are_read_in_organisations_names() -> None:
    soroh = analyse("Soroh Copmany")
    assert [t.text for t in soroh.tokens] == ["soroh"] and soroh.legal_forms == ("company",)
    assert any("'copmany' read as 'company'" in note for note in soroh.normalised)
    assert [t.kind for t in analyse("Parchin Chemical Facotries").tokens][1:] == [GENERIC, GENERIC]
    ooo = analyse("OBSHCHESTVO S OGRANICHENNOY OTVETSTEVNNOSTYU KORVASERVIS")
    assert [t.text for t in ooo.tokens] == ["korvaservis"] and ooo.legal_forms


@pytest.mark.parametrize("name, form", [
    ("Aktsiunerne Tovarystvo Korvabank", "at"),  # Ukrainian, a vowel for a vowel
    ("TOVARYSTVO Z OBMEZHENOYU VIDPOVIDALNISTYU KORVABANK".replace("VIDPOVIDAL", "VIDPOVIADL"), "tov"),
    ("Korvabank Sociedad Anonmia", "sa"),
    ("Korvabank Drustvo sa Ogranicenom Odgovornsocu", "doo"),
    ("KORVA SHIPYARD COMPENY", "company"),
])
def test_a_slip_in_a_word_of_a_legal_form_rigour_reads_whole_leaves_the_form_whole(name: str, form: str) -> None:
    analysed = analyse(name)
    assert analysed.legal_forms == (form,) and "korva" in "".join(t.text for t in analysed.tokens), analysed


def test_a_legal_forms_slip_is_read_in_a_name_of_sector_words() -> None:
    # All sector words once read, the name's other slips are not read ('Incorporated Electonics Systems'); its form's are.
    assert compare_names("K FINANS", "OBSHCHESTVO S OGRANICHENNOI OTVETSTVNNOSTYU 'K-FINANS'")["match"]
    assert [t.text for t in analyse("Incorporated Electonics Systems").tokens] == ["electonics", "systems"]


def test_words_rigour_reads_as_a_legal_form_places_and_pinyin_are_not_read_as_slips() -> None:
    # The Ukrainian joint-stock company, not a slip of the Russian 'aktsionernoe'
    assert analyse("Aktsionerne Tovarystvo Korvabank").legal_forms == ("at",)
    assert "ivanov" in {t.text for t in analyse("Ivanov Trading").tokens}  # not the city Ivanovo
    assert "khatib" in {t.text for t in analyse("Branch 251 Al-Khatib").tokens}  # a name, not khatiba (battalion)
    assert "hangyuan" in {t.text for t in analyse("Korva Hangyuan").tokens}  # not hangyun (shipping)
    assert "otkrytie" in {t.text for t in analyse("Otkrytie Korva").tokens}  # a name, one vowel from 'otkrytoe' (open)
    assert "islami" in {t.source for t in analyse("Korva Islami Group", person=True).tokens}  # persons' names: never


def test_a_misspelt_legal_form_no_longer_keeps_the_names_apart() -> None:
    result = compare_names("Korvaxen Consulting", "Korvaxen Copmany")
    assert result["match"], result


def test_a_lone_distinctive_word_with_a_slip_matches_and_a_short_one_with_a_letter_more_stays_for_review() -> None:
    assert compare_names("Korvaxen Industrial Company", "Korvxaen Co.")["match"]  # two swapped
    assert compare_names("Korvaxen Industrial Company", "Korvaen Co.")["match"]  # one left out, seven letters left
    added = compare_names("Korvan Industrial Company", "Korvian Co.")  # six letters and one more: 'Eagles' / 'Eaglets'
    assert not added["match"] and "agrees only approximately" in added["explanation"]

    # one sound in another transliteration (names.fold: ou as u) is the same word, as a slip is; under six letters an
    # approximation
    long = compare_names("Moukorvoun Industrial Company", "Mukorvun Co.")  # twice: no slip
    assert long["match"] and "agrees only approximately" not in long["explanation"]
    assert "agrees only approximately" in compare_names("Korvu Industrial Company", "Korvou Co.")["explanation"]


@pytest.mark.parametrize("written", ["Mulah Korvani", "Moullah Korvani", "Haj Korvani", "Abou Korvani"])
def test_a_title_or_abu_spelt_another_way_is_no_name_of_the_person(written: str) -> None:
    assert [t.text for t in analyse(written, person=True).tokens if t.kind != STOP] == ["korvani"]


def test_a_doubled_vowel_keeps_a_given_name_a_name() -> None:
    assert "sayeed" in {t.text for t in analyse("Sayeed Korvani", person=True).tokens if t.kind != STOP}  # Saeed, not Sayed


def test_a_vowel_for_a_vowel_is_a_slip_only_in_a_long_word() -> None:
    reader = SlipReader({"organisation": "organisation", "shipping": "shipping"}, frozenset())
    assert reader.read("organisetion") == "organisation"
    assert reader.read("shopping") == ""  # 'shopping' is not shipping
    assert swapped_or_doubled("rahmatullah", "rehmatullah") and not swapped_or_doubled("korvaxen", "korvaxan")


@pytest.mark.parametrize("french_or_russian, english", [("Djamel KORVANI", "Jamel KORVANI"), ("Dzhabrail KORVANOV", "Jabrail KORVANOV")])
def test_dj_and_dzh_are_j(french_or_russian: str, english: str) -> None:
    assert compare_names(french_or_russian, english, "Person")["match"]


def test_a_name_left_with_no_word_of_its_own_keeps_its_slip_as_written() -> None:
    # A listed firm's misspelt word is what names it: read as 'electronics', the name would be all sector words.
    electonics = analyse("Incorporated Electonics Systems")
    assert "electonics" in {t.text for t in electonics.tokens} and not electonics.normalised
    assert analyse("Shiraz Electonic Industries").normalised  # a place names it: the slip is read


@pytest.mark.parametrize("listed, typed", [
    ("Bachir SALEH", "Bahsir SALEH"),  # Bachir read bashir, and bashir typed with two letters swapped
    ("DJAMEL MOUSTFA", "Mostafa Djamel"),  # moustfa read mustfa, a letter left out of mustafa
    ("KUZIN, Aleksandr Yuryevich", "KUZIN, Aleaxnder"),
])
def test_a_slip_on_top_of_another_spelling_of_the_name_still_meets_it(listed: str, typed: str) -> None:
    assert compare_names(listed, typed, "Person")["match"]


def test_a_slip_on_top_of_a_reading_needs_a_long_word() -> None:
    assert not compare_names("KORVAN, Amir", "KORVAN, Amr", "Person")["match"]  # short names one letter apart are two


def test_words_written_joined_with_two_letters_swapped_are_still_the_words() -> None:
    assert compare_names("YAHYA ZADEH, Hamidreza", "YAHYZAADEH, Hamidreza", "Person")["match"]
    assert compare_names("MEHDI, Ali Ghadeer", "MEHDI, Aligahdeer", "Person")["match"]

"""Korean personal names in Latin letters are read one way too (redline.parties.korean_latin): the
romanisations the lists mix (McCune-Reischauer with and without its marks, Revised Romanisation, the
families' spellings) meet, other names are left alone, and a name left different in the one spelling
is a different name."""

from __future__ import annotations

import pytest

from redline.parties.api import compare_names
from redline.parties.korean_latin import one_way, spelling


@pytest.mark.parametrize(("a", "b"), [
    ("Pyong-chol", "Byeong-cheol"), ("Byung-chul", "Pyŏng-ch'ŏl"), ("Park", "Pak"), ("Choi", "Choe"), ("Oh", "O"),
    ("Jong", "Chong"), ("Jeong", "Jung"), ("Kuk", "Guk"), ("U'n-so'ng", "Eun-song"), ("Lee", "Ri"), ("Yoon", "Yun"),
])
def test_romanisations_of_one_word_read_alike(a: str, b: str) -> None:
    assert spelling(a) == spelling(b)


@pytest.mark.parametrize(("a", "b"), [("Chol", "Chun"), ("Pong", "Song"), ("Kim", "Kum"), ("Ho", "Hwa")])
def test_other_syllables_stay_apart(a: str, b: str) -> None:
    assert spelling(a) != spelling(b)


@pytest.mark.parametrize("name", [
    "sergey chemezov", "mohammed ali", "wang wei",  # a word that is no Korean syllable
    "ali hasan", "hong kong",  # Korean syllables, but no Korean family name
])
def test_other_names_are_left_as_written(name: str) -> None:
    assert one_way(name) == (name, [])


@pytest.mark.parametrize(("query", "listed"), [
    ("Pak Pong Ju", "PARK, Bong-ju"), ("Ri Pyong Chol", "Ri Byung-chul"), ("Kim Jong Un", "Kim Jeong-eun"),
    ("O Kuk Ryol", "Oh Guk-ryeol"), ("RI, U'n-so'ng", "RI, Eun Song"),
])
def test_pairs_in_two_romanisations_match(query: str, listed: str) -> None:
    found = compare_names(query, listed, "Person")
    assert found["match"] and "Korean romanisations read one way" in found["explanation"]


def test_a_name_read_one_way_does_not_pair_two_given_names_as_one() -> None:
    # 'Chol' and 'Chun' read 'chor' and 'chon', close enough for rule one_name_two_ways on names as
    # written; in the one spelling a name left on each side is another name.
    assert not compare_names("Kim Yong Chol", "Kim Yong Chun", "Person")["match"]


def test_woo_is_u() -> None:
    assert compare_names("CHO IL U", "Cho Il Woo", schema="Person")["score"] == 1.0


def test_a_korean_name_with_a_syllable_the_other_lacks_is_for_review() -> None:
    short = compare_names("Kim Seung Gyu", "Kim Kyu", schema="Person")  # (hyphened: rule syllable_order_cap, below)
    assert short["score"] < 0.65 and "a Korean name with a syllable the other lacks" in short["explanation"]
    assert compare_names("Kim Jong-un", "KIM, Jong Un", schema="Person")["score"] == 1.0


def test_a_korean_syllable_met_only_approximately_is_for_review() -> None:
    near = compare_names("Lee Jong-Ho", "RI CHANG HO", schema="Person")
    assert near["score"] < 0.65 and "met only approximately" in near["explanation"]
    assert compare_names("Ri Jong Ho", "Lee Jong-ho", schema="Person")["score"] >= 0.65  # two romanisations of one name
    # ... whichever of the listed person's names is met: as written, jong / chang is no name spelt two ways (rule
    # one_name_two_ways) but two syllables, which the Korean reading compares.
    as_written = compare_names("Lee Jong-Ho", "LEE CHANG HO", schema="Person")
    assert as_written["score"] < 0.65 and "met only approximately" in as_written["explanation"]


@pytest.mark.parametrize(("query", "listed"), [
    ("Kim Il-soon", "KIM, Su Il"),  # the given name's syllables in the other order
    ("Kim Kwang-kyu", "Kim Kyu"),  # a syllable missing, in a name not read as Korean
    ("Kim Yong-gwang", "Kim Kwang-myong"),
    ("Lu Su", "Su Lu-chi"),  # the listed name's hyphened given name (Chinese)
])
def test_a_hyphened_given_name_met_out_of_order_or_in_part_is_for_review(query: str, listed: str) -> None:
    found = compare_names(query, listed, schema="Person")
    assert found["score"] < 0.65 and "two syllables met out of order" in found["explanation"]


@pytest.mark.parametrize(("query", "listed"), [
    ("Kim Jong-un", "KIM, Jong Un"),
    ("HONG, Sung-Mu", "Sun Mu Hong"),
    ("Jo Yong-Won", "Cho Yongwon"),  # written as one word
    ("AL-DIB, Ahmed", "DIB, Ahmed"),  # an article, not a syllable of a given name
    ("Kim Ok-bin", "KIM, Ok Bin"),
])
def test_a_hyphened_given_name_met_whole_and_in_order_matches(query: str, listed: str) -> None:
    assert compare_names(query, listed, schema="Person")["match"]

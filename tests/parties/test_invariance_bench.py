"""benchmarks/parties_invariance.py: its rewrites keep the name and change only what they say, and a flip is counted
on the side it falls."""

from __future__ import annotations

from benchmarks.pair_scoring import Pair
from benchmarks.parties_invariance import PERSON, REWRITES, flips

REWRITE = {rewrite.name: rewrite for rewrite in REWRITES}


def test_each_rewrite_writes_the_name_as_it_says() -> None:
    assert REWRITE["spaces"].apply("Korva Trading") == "  Korva   Trading "
    assert REWRITE["legal_spelt"].apply("Korva Co., Ltd.") == "Korva Company Limited"
    assert REWRITE["abbreviated"].apply("Korva International Trading Company") == "Korva Intl Trading Co."
    assert REWRITE["dotted"].apply("KV Semiconductor") == "K.V. Semiconductor"
    assert REWRITE["dotted"].apply("KV SEMICONDUCTOR") == "KV SEMICONDUCTOR"  # capitals everywhere: no acronym to tell
    assert REWRITE["muhammad_short"].apply("KORVANI, Mohammed Ali") == "KORVANI, Mohd Ali"
    assert REWRITE["article_joined"].apply("Abu Walid al-Korvani") == "Abu Walid alKorvani"
    assert REWRITE["given_first"].apply("KORVANI, Ali") == "Ali KORVANI"
    assert REWRITE["persian_letters"].apply("الجهاد الاسلامي") == "الجهاد الاسلامی"
    assert REWRITE["muhammad_short"].only == PERSON


def test_a_slip_falls_in_the_middle_of_the_longest_latin_word() -> None:
    assert REWRITE["typo_dropped"].apply("Korvaxen Trading") == "Korvxen Trading"
    assert REWRITE["typo_swapped"].apply("Korvaxen Trading") == "Koravxen Trading"
    assert REWRITE["typo_doubled"].apply("Korvaxen Trading") == "Korvaaxen Trading"
    assert REWRITE["typo_vowel"].apply("Korvaxen Trading") == "Korvexen Trading"
    assert REWRITE["typo_dropped"].apply("Korva Ltd") == "Korva Ltd"  # no word of six letters: unchanged, not counted


def test_transliteration_rewrites_write_one_sound_another_way() -> None:
    assert REWRITE["doubled_single"].apply("KORVANI, Hassan") == "KORVANI, Hasan"
    assert REWRITE["ou_u"].apply("Yusuf KORVANI") == "Yousouf KORVANI" and REWRITE["ou_u"].apply("YUSUF") == "YOUSOUF"
    assert REWRITE["y_ending"].apply("Dmitriy Sergey") == "Dmitry Sergei"
    assert REWRITE["icao"].apply("Yuriy Yakovlev") == "Iuriy Iakovlev"
    assert REWRITE["ks_x"].apply("Aleksandr") == "Alexandr" and REWRITE["kh_h"].apply("Mikhail KHAN") == "Mihail HAN"


def test_a_legal_form_at_the_end_is_left_out_or_written_as_another() -> None:
    assert REWRITE["legal_dropped"].apply("Korva Trading Co., Ltd.") == "Korva Trading"
    assert REWRITE["legal_dropped"].apply("OOO Korva") == "OOO Korva"  # a form before the name stays
    assert REWRITE["legal_changed"].apply("KORVA TRADING LLC") == "KORVA TRADING LTD"
    assert REWRITE["legal_changed"].apply("Korva GmbH") == "Korva Ltd"


def test_a_patronymic_is_left_out_and_a_surname_of_its_ending_kept() -> None:
    assert REWRITE["patronymic_dropped"].apply("Sergey Viktorovich KORVANOV") == "Sergey KORVANOV"
    assert REWRITE["patronymic_dropped"].apply("KORVANOV, Olga Igorevna") == "KORVANOV, Olga"
    assert REWRITE["patronymic_dropped"].apply("Valentina Korvanevich") == "Valentina Korvanevich"  # a Belarusian surname
    assert REWRITE["surname_first"].apply("Sergey KORVANOV") == "KORVANOV Sergey"
    assert REWRITE["surname_first"].apply("SERGEY KORVANOV") == "SERGEY KORVANOV"  # capitals everywhere: no surname to tell


def test_a_flip_is_lost_for_a_positive_and_gained_for_a_negative() -> None:
    pairs = [Pair("company_variants", "tune", 1, "Korva Trading", "KORVA TRADING", None),
             Pair("must_not_match", "tune", 0, "Korva Trading", "Vorka Trading", None)]

    def case_blind(a: str, b: str, schema: str | None) -> float:
        return float(a.lower() == b.lower() or (a.islower() != b.islower() and b.islower()))  # a lower-case name always matches

    result = flips(pairs, {"redline": (case_blind, 0.5)})
    assert result["lower"]["redline"]["lost"] == 0 and result["lower"]["redline"]["gained"] == 1  # type: ignore[index]
    assert result["lower"]["pairs"] == 2 and result["lower"]["positives"] == 1

"""Chinese personal names written in Wade–Giles are read as pinyin too (redline.parties.wade_giles):
the syllable table follows the system's rules, a name is read only when it shows Wade–Giles, Korean
and other names are left as written, and screening and pair comparison find the pinyin spelling."""

from __future__ import annotations

import pytest

from listed_parties import listed, screener_of

from redline.parties.api import compare_names
from redline.parties.screening import Query
from redline.parties.wade_giles import as_pinyin, plain, wade_giles


@pytest.mark.parametrize(("pinyin", "written"), [
    ("xiao", "hsiao"), ("qing", "ch'ing"), ("jiang", "chiang"), ("zhi", "chih"), ("ri", "jih"), ("zi", "tzu"),
    ("si", "ssu"), ("ci", "tz'u"), ("guo", "kuo"), ("duo", "to"), ("ge", "ko"), ("de", "te"), ("yue", "yueh"),
    ("xiong", "hsiung"), ("zhong", "chung"), ("tian", "t'ien"), ("er", "erh"), ("gui", "kuei"), ("you", "yu"),
])
def test_pinyin_syllables_in_wade_giles(pinyin: str, written: str) -> None:
    assert wade_giles(pinyin) == written


@pytest.mark.parametrize(("name", "read"), [
    ("hsu chih-yung", "xu zhiyong"),
    ("mao tse-tung", "mao zedong"),
    ("liu hsiao-po", "liu xiaobo"),
    ("chou chiang", "zhou jiang"),
    ("ssu-ma chien", "sima jian"),
    ("teng hsiao-p'ing", "deng xiaoping"),  # the aspirate's apostrophe read
    ("teng hsiao-ping", "deng xiaobing"),  # without it, the unaspirated syllable: one letter off
    ("li ta-chao", "li dazhao"),  # pinyin syllables written apart: pinyin joins a given name's
])
def test_a_name_showing_wade_giles_is_read_as_pinyin(name: str, read: str) -> None:
    text, notes = as_pinyin(name)
    assert text == read and notes


@pytest.mark.parametrize("name", [
    "xu zhiyong", "chen quanguo",  # pinyin
    "cho min-ho", "kim jong-un", "jung min-ho",  # Korean, though 'cho' and 'min-ho' are Wade-Giles syllables
    "hsu ahmad", "ho chi minh", "tsai ing-wen",  # a word that is no Chinese syllable
])
def test_other_names_are_left_as_written(name: str) -> None:
    assert as_pinyin(name) == (name, [])


def test_pair_comparison_meets_the_pinyin_spelling() -> None:
    found = compare_names("Xu Zhiyong", "HSU, Chih-yung", "Person")
    assert found["match"] and "Wade-Giles read as pinyin" in found["explanation"]
    assert not compare_names("Xu Zhiyong", "HSU, Chih-ming", "Person")["match"]
    assert not compare_names("Xu Zhiyong", "Hsu Chih-yung", "Company")["match"]  # organisations are not read so


def test_screening_finds_a_listed_wade_giles_name_from_its_pinyin_and_back() -> None:
    screener = screener_of(listed("p-1", "Person", name=["HSU, Chih-yung"]), listed("p-2", "Person", name=["ZHOU Qiang"]))
    hits = screener.screen(Query("Xu Zhiyong", schema="Person"))
    assert hits and hits[0].match and hits[0].party.entity_ids == ["p-1"]
    hits = screener.screen(Query("Chou Chiang"))
    assert hits and hits[0].match and hits[0].party.entity_ids == ["p-2"]


def test_an_aspirate_whose_apostrophe_is_dropped_is_either() -> None:
    """Taiwan's passports drop the apostrophe: 'Chiu Chui-cheng' is ch'iu ch'ui-cheng, 邱垂正 qiu chuizheng; the reading
    takes the unaspirated jiu and zhuizheng, so words left are compared as Wade–Giles writes them without it."""
    assert plain("qichang") == plain("jizhang") == "chichang"
    assert plain("ahmad") == ""
    found = compare_names("Chiu Chui-cheng", "邱垂正", "Person")
    assert found["match"] and "Wade–Giles spelling" in found["explanation"], found
    assert compare_names("Tsai Chi-chang", "Cai Qichang", "Person")["match"]
    assert not compare_names("Tsai Chi-chang", "Cai Qiming", "Person")["match"]


def test_a_given_name_of_pinyin_syllables_written_apart_is_wade_giles() -> None:
    assert compare_names("Wang Ting-yu", "王定宇", "Person")["match"]  # Wang Dingyu
    assert not compare_names("Wang Ting-yu", "王定国", "Person")["match"]
    assert as_pinyin("park ji-sung") == ("park ji-sung", [])  # Korean: park is no Chinese syllable

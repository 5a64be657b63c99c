"""An organisation's name written in Chinese word by word from its English name is read in translation
(redline.parties.han_translation, CC-CEDICT glosses): a word is read as a gloss only when the gloss is
in the other name, a single character never, an affix as nothing; persons are never translated; a
Chinese query finds the listed Latin name through its glosses."""

from __future__ import annotations

import pytest

from listed_parties import listed, screener_of

from redline.parties.api import compare_names
from redline.parties.han_translation import LatinWords, base, translate
from redline.parties.names import translated
from redline.parties.screening import Query


@pytest.mark.parametrize(("latin", "chinese"), [
    ("Human Rights Watch", "人权观察"),
    ("Rhombus Power Inc.", "菱形力量公司"),
    ("Compliance Testing LLC", "美国合规性测试公司"),  # 性 '-ity' read as nothing, 测试 'test' as 'testing'
    ("Prospect Foundation", "遠景基金會"),  # traditional characters
])
def test_a_name_translated_word_by_word_matches(latin: str, chinese: str) -> None:
    found = compare_names(latin, chinese)
    assert found["match"], found
    assert "read in translation" in found["explanation"]


@pytest.mark.parametrize(("latin", "chinese"), [
    ("Power Holdings Inc.", "菱形力量公司"),  # 'power' read, 菱形 (rhombus) left: another firm
    ("B-Work S.A.S.", "中国航天科工集团"),  # 工 'work' is one character: not translated
    ("Human Resources Watch", "人权观察"),
])
def test_a_partial_translation_is_no_match(latin: str, chinese: str) -> None:
    assert not compare_names(latin, chinese)["match"]


def test_a_gloss_is_read_only_when_the_other_name_has_all_its_words() -> None:
    latin = {base(w): w for w in ("human", "rights", "monitor")}
    text, read = translate("人权观察", LatinWords.of(latin), lambda word: False)
    assert read == ["人权 human rights"]
    assert "观察" in text


def test_a_persons_name_is_not_translated() -> None:
    assert not compare_names("Watch Human", "人权观察", schema="Person")["match"]


def test_no_reading_without_chinese_or_latin() -> None:
    assert translated("Human Rights Watch", "人权观察") is None  # the Latin name is not the one read
    assert translated("人权观察", "ヒューマン・ライツ・ウォッチ") is None  # no Latin word to read it against


def test_a_chinese_query_finds_the_listed_latin_name() -> None:
    screener = screener_of(
        listed("hrw", "Organization", name=["Human Rights Watch"]),
        listed("rights", "Organization", name=["Rights Watch Holdings"]),
    )
    hits = screener.screen(Query(name="人权观察"), limit=3)
    assert hits[0].party.id == "hrw" and hits[0].match
    assert all(not h.match for h in hits[1:])
    assert not any(h.match for h in screener.screen(Query(name="人权观察", schema="Person"), limit=3))


def test_a_word_read_in_translation_finds_the_words_derived_from_it() -> None:
    screener = screener_of(
        listed("front", "Organization", name=["Revolutionary Front"]),
        listed("bank", "Organization", name=["Revolution Bank"]),  # the lists hold the root word too
    )
    hits = {h.party.id: h for h in screener.screen(Query(name="革命"), limit=3)}  # 'revolution'
    assert "革命 revolutionary" in hits["front"].comparison.explain()
    assert "革命 revolution" in hits["bank"].comparison.explain()


def test_each_name_of_a_string_that_carries_several_is_read() -> None:
    assert compare_names("Human Rights Watch", "人权观察 a.k.a. HRW")["score"] == 1.0


def test_a_gloss_s_sector_word_may_be_missing_beside_a_word_that_is_there() -> None:
    assert compare_names("OKI电路技术株式会社", "OKI Circuit Technology Co., Ltd.")["match"]  # 电路 'electric circuit'
    assert "电路" not in compare_names("电路技术公司", "Electric Technology Company")["explanation"]  # 'electric' alone is no reading


def test_aerospace_solutions_and_the_united_states_read_in_han_text() -> None:
    """航空宇宙 (Japanese) and 航空航天 (Chinese) are aerospace, not aviation and a word left; 解决方案 solutions;
    美国 the United States, one place as USA is."""
    from redline.parties.names import analyse

    assert [t.text for t in analyse("科尔瓦航空宇宙系统公司").tokens if t.kind == "generic"] == ["aerospace", "systems"]
    assert [t.text for t in analyse("中国航空航天公司").tokens if t.kind == "generic"] == ["aerospace"]
    assert "solutions" in [t.text for t in analyse("富士通网络解决方案株式会社").tokens]
    assert [t.text for t in analyse("United States Rare Earth Inc").tokens][:1] == ["usa"] == [t.text for t in analyse("USA Rare Earth").tokens][:1]
    assert [t.text for t in analyse("Korvani Aeronautics").tokens] == ["korvani", "aviation"]

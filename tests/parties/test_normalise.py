from __future__ import annotations

import pytest

from redline.parties.api import compare_names
from redline.parties.normalise import normalise


@pytest.mark.parametrize(
    "hostile, read",
    [
        ("HIKVISION \u202eDTL OC LATIGID\u202c", "HIKVISION DIGITAL CO LTD"),  # a right-to-left override
        ("\u202eLTD CO\u202c HIKVISION", "OC DTL HIKVISION"),  # Latin under an override reads reversed
        ("Hik\u200bvi\u2060sion\ufeff", "Hikvision"),  # zero-width space, word joiner, BOM
        ("Dahua\ufe0f Tech\U000e0041nology", "Dahua Technology"),  # variation selector, tag character
        ("\u200eNSO\u200f Group\u2066\u2069", "NSO Group"),  # direction marks and an empty isolate
        ("ＨＩＫＶＩＳＩＯＮ", "HIKVISION"),  # fullwidth
        ("HIKVISI\u041eN", "HIKVISION"),  # Cyrillic capital O in a Latin word
        ("\u0397uawei \u03a4echnologies", "Huawei Technologies"),  # Greek capitals in Latin words
        ("d\u0430hua", "dahua"),  # Cyrillic small a
    ],
)
def test_hostile_text_is_read_as_displayed(hostile: str, read: str) -> None:
    result = normalise(hostile)
    assert result.text == read
    assert result.changes


@pytest.mark.parametrize(
    "text",
    ["Сергей Лавров", "Αθηνά Παπαδοπούλου", "华为技术有限公司", "Société Générale", "Plain ASCII Ltd", "Газпром нефть"],
)
def test_ordinary_names_in_any_script_are_left_alone(text: str) -> None:
    assert normalise(text).text == text
    assert not normalise(text).changes


def test_a_persian_zero_width_non_joiner_stays_inside_its_word() -> None:
    # خامنه‌ای: the ZWNJ is part of the Persian spelling; between Latin letters it only hides.
    assert "\u200c" in normalise("علی خامنه\u200cای").text
    assert normalise("Hik\u200cvision").text == "Hikvision"


def test_normalisation_is_idempotent() -> None:
    for text in ("HIKVISION \u202eDTL OC LATIGID\u202c", "HIKVISI\u041eN \ufe0f", "ＮＳＯ"):
        once = normalise(text).text
        assert normalise(once).text == once and not normalise(once).changes


def test_a_hidden_or_disguised_name_matches_and_says_it_was_normalised() -> None:
    result = compare_names("HIKVISION \u202eDTL OC LATIGID\u202c", "Hangzhou Hikvision Digital Technology Co., Ltd.")
    assert result["match"], result
    assert "normalised before matching" in result["explanation"]
    assert "direction override" in result["explanation"]
    disguised = compare_names("NS\u041e Gr\u043eup Techn\u043el\u043egies", "NSO Group Technologies Ltd")
    assert disguised["match"] and "look-alike" in disguised["explanation"]


@pytest.mark.parametrize(
    "pasted, read",
    [
        ("  OBSHCHESTVO   S  OGRANICHENNOI OTVETSTVENNOSTYU\tASBEST ", "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU ASBEST"),
        ("LIU,\u00a0Emily", "LIU, Emily"),  # a no-break space, as a web page gives it
        ("Ri\u3000Pyong\u2009Chol", "Ri Pyong Chol"),  # ideographic and thin spaces
    ],
)
def test_spaces_of_any_kind_are_one_space_between_words(pasted: str, read: str) -> None:
    assert normalise(pasted).text == read
    assert not normalise(pasted).changes  # spacing alone is no change worth a note


@pytest.mark.parametrize(
    "left, right, schema",
    [
        # A legal form of several words, written with runs of spaces, is still the legal form.
        ("OOO TORGOVY DOM ASBEST", "  OBSHCHESTVO   S   OGRANICHENNOI   OTVETSTVENNOSTYU   TD   ASBEST ", None),
        # 'Surname,<no-break space>Given' is still read surname first.
        ("LIU, Emily", "LAU,\u00a0Emily", "Person"),
        ("RI, U'n-so'ng", "RI, \u200bEun \u200bSong", "Person"),
        # A fullwidth bracket holds an alias, as a plain one does.
        ("China Construction Technology Co., Ltd.", "Ｃｈｉｎａ Ｃｏｎｓｔｒｕｃｔｉｏｎ Ｔｅｃｈｎｏｌｏｇｙ Ｃｏ．， Ｌｔｄ． （ＣＣＴＣ）", None),
    ],
)
def test_a_pair_reads_each_name_as_the_screener_reads_a_query(left: str, right: str, schema: str | None) -> None:
    result = compare_names(left, right, schema)
    assert result["match"], result

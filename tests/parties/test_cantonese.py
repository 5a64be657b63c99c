"""Hong Kong family names read as pinyin (redline/parties/cantonese.py)."""

from __future__ import annotations

import pytest

from redline.parties.api import compare_names
from redline.parties.cantonese import as_pinyin


@pytest.mark.parametrize(("name", "read"), [
    ("lau, emily", "liu, emily"),  # the word before the comma is the family name
    ("lam cheng yuet-ngor", "lin cheng yuet-ngor"),  # the first word; Cheng, a pinyin syllable too, left
    ("emily lau", "emily liu"),  # the last word
])
def test_a_hong_kong_family_name_is_read_as_pinyin(name: str, read: str) -> None:
    assert as_pinyin(name)[0] == read


@pytest.mark.parametrize("name", ["wong, emily", "lee ka-chiu", "emily, lau", "lau", "劉慧卿"])
def test_other_names_are_left_as_written(name: str) -> None:
    assert as_pinyin(name) == (name, [])  # Wong is Wang or Huang, Lee an English name; Lau after the comma is a given name


def test_a_hong_kong_spelling_meets_the_pinyin_one_and_not_another_person() -> None:
    assert compare_names("LAU, Emily", "LIU, Emily", "Person")["match"]
    assert "a Hong Kong family name read as pinyin: lau -> liu" in compare_names("LIU, Emily", "LAU, Emily", "Person")["explanation"]
    assert not compare_names("LAU, Emily", "LIN, Emily", "Person")["match"]

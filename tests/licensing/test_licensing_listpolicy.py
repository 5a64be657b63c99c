"""Reading an Entity List entry's licence review policy (texts as the CSL 2022-04 states them)."""

from __future__ import annotations

import pytest
from helpers_licensing import NSO_POLICY, XINJIANG_PSB_POLICY

from redline.licensing.listpolicy import review_policy


@pytest.mark.parametrize("text, code, expected", [
    (NSO_POLICY, "4D004", "deny"),
    (NSO_POLICY, None, "deny"),
    (XINJIANG_PSB_POLICY, "1A004.c", "refer"),          # named ECCN: case by case
    (XINJIANG_PSB_POLICY, "1A004.c.1", "refer"),        # a sub-paragraph of a named ECCN
    (XINJIANG_PSB_POLICY, "1A004.a", "deny"),           # a sibling paragraph is not named
    (XINJIANG_PSB_POLICY, "5A001.f", "deny"),           # "all other items"
    (XINJIANG_PSB_POLICY, None, "deny"),
    ("Case-by-case for all items listed on the CCL. Presumption of approval for EAR99 items", "3A981", "refer"),
    ("Case-by-case for all items listed on the CCL. Presumption of approval for EAR99 items", "EAR99", "approve"),
    ("Policy of denial; Case-by-case basis for U.S. Government supported space programs.", None, "deny"),
    ("See §744.3(d) of this part", "5A001.j", "refer"),
    ("Case-by-Case review for licenses for the safety of civil aviation of aircraft.", None, "refer"),
    ("", "5A001.f", None),
    (None, "5A001.f", None),
])
def test_review_policy_reading(text: str | None, code: str | None, expected: str | None) -> None:
    assert review_policy(text, code) == expected

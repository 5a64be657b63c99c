"""The match threshold and the caps and conflicts set from it (score.RULES, screening's factors).

Each conflict is a factor through which a name matches only from a fixed score (Rule.needed), and
each cap sits a fixed distance below the threshold (Rule.below): moving MATCH_THRESHOLD moves them
with it, so what a conflict decides (a son with another patronymic, another city's bureau) does
not change with the threshold. Tests pin decisions and their relation to the threshold, not floats.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from redline.parties import score
from redline.parties.api import compare_names
from redline.parties.screening import BARE_NAME_CAP, BIRTH_YEAR_AGREES, MATCH_THRESHOLD, WEAK_ALIAS_CAP, Query, Screener

THRESHOLDS = (0.55, 0.65, MATCH_THRESHOLD, 0.8)


def decision(value: float, threshold: float) -> str:
    """match; review (below the threshold, above what generic words alone can reach); none."""
    if value >= threshold:
        return "match"
    return "review" if value > score.RULES["generic_only_cap"].at(threshold) else "none"


@pytest.fixture
def at_threshold(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    def move(threshold: float) -> None:
        for name, value in score.values_at(threshold).items():
            monkeypatch.setitem(score.VALUES, name, value)

    return move


# (query, listed, schema, rule that fires, decision at any threshold)
CONFLICTS = [
    ("Чемезов Сергей Викторович", "Sergey Sergeevich CHEMEZOV", "Person", "patronymics differ", "review"),
    ("Ivanova Anna Sergeevna", "Anna Petrovna IVANOVA", "Person", "patronymics differ", "review"),
    ("Kashgar Municipal Public Security Bureau", "Urumqi Municipal Public Security Bureau", None, "", "none"),
    ("Tehran Provincial Police", "Isfahan Provincial Police", None, "places differ", "none"),
    ("Korvane Electronics", "Korvane Technology", None, "sector words differ", "review"),
    ("Mazen GmbH", "Mawen Engineering", None, "agrees only approximately", "review"),
    ("Koravex", "Koravexian Holdings", None, "agrees only approximately", "review"),
    ("Ocean Star 7 Shipping", "Ocean Star 8 Shipping", None, "numbers differ", "none"),
]


@pytest.mark.parametrize("threshold", THRESHOLDS)
@pytest.mark.parametrize("query, listed, schema, says, expected", CONFLICTS)
def test_a_conflict_decides_the_same_at_any_threshold(
    at_threshold: Callable[[float], None], threshold: float, query: str, listed: str, schema: str | None, says: str, expected: str
) -> None:
    at_threshold(threshold)
    found = compare_names(query, listed, schema)
    assert decision(found["score"], threshold) == expected, (threshold, found)
    assert says in found["explanation"]


@pytest.mark.parametrize("threshold", THRESHOLDS)
def test_a_name_of_sector_words_is_capped_a_review_band_below_the_threshold(at_threshold: Callable[[float], None], threshold: float) -> None:
    at_threshold(threshold)
    found = compare_names("Digital Technology Co Ltd", "LLC Digital Technologies")
    assert found["score"] == pytest.approx(threshold - score.REVIEW_BAND, abs=1e-4)
    assert decision(found["score"], threshold) == "review"


@pytest.mark.parametrize("threshold", THRESHOLDS)
def test_names_that_agree_still_match_at_any_threshold(at_threshold: Callable[[float], None], threshold: float) -> None:
    at_threshold(threshold)
    assert decision(compare_names("Sergey Viktorovich CHEMEZOV", "Чемезов Сергей Викторович", "Person")["score"], threshold) == "match"
    assert decision(compare_names("Korvane Electronics Trading", "Korvane Electronics Ltd")["score"], threshold) == "match"


def test_caps_sit_below_the_threshold_by_the_review_band() -> None:
    assert BARE_NAME_CAP == WEAK_ALIAS_CAP == pytest.approx(MATCH_THRESHOLD - score.REVIEW_BAND)
    # a birth year that agrees lifts a capped weak alias into a match
    assert WEAK_ALIAS_CAP + BIRTH_YEAR_AGREES >= MATCH_THRESHOLD


def test_another_birth_year_puts_an_exact_name_below_the_threshold_for_review(screener: Screener) -> None:
    person = next(p for p in screener.parties if p.is_person and p.birth_years and p.listed and not p.bare)
    year = int(sorted(person.birth_years)[0])
    hit = next(h for h in screener.screen(Query(name=person.names[0], schema="Person", birth_date=str(year + 30)), limit=5) if h.party is person)
    assert not hit.match and decision(hit.score, MATCH_THRESHOLD) == "review", hit.adjustments
    assert any("birth year" in a for a in hit.adjustments)

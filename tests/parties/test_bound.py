"""redline.parties.bound: the bound never undercuts compare, and the search by bound answers as the plain loop."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from redline.parties import bound
from redline.parties import screening as scr
from redline.parties.names import analyse
from redline.parties.screening import Query, Screener, hit_to_dict

CASES = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "parties_category_cases.csv"
# Names chosen to reach every rule the bound relaxes: compounds both ways, acronyms both ways, a
# person's name spelt two ways, more_words with a parent tail, a public body's place, repeated
# words, numbers, initials, sector and place conflicts.
PAIRS = [
    ("Hik Vision Digital Technology", "Hikvision Digital Technology Co Ltd"),
    ("Hikvision", "Hik Vision"),
    ("IRGC", "Islamic Revolutionary Guard Corps"),
    ("Islamic Revolutionary Guard Corps", "IRGC"),
    ("Sung-Mu Hong", "Sun Mu Hong"),
    ("Artem Kuznetsov", "Artyom Sergeevich Kuznetsov"),
    ("Department of Financial Investigations", "Department of Financial Investigations of the State Control Committee of the Republic of Belarus"),
    ("Urumqi Public Security Bureau", "Xinjiang Urumqi Municipal Public Security Bureau"),
    ("Kashgar Regional Public Security Bureau", "Kashgar Prefecture Public Security Bureau"),
    ("HUSSEIN, Hussein", "Hussein Kamel"),
    ("Ocean Star 7", "Ocean Star 8"),
    ("V. Putin", "Vladimir Vladimirovich Putin"),
    ("Acme Electronics", "Acme Technology"),
    ("Zia ur Rahman", "Ziaurrahman"),
    ("Credit Ural Bank", "Popular Credit Bank"),
    ("Digital Technologies", "Digital Technologies"),
]


@contextmanager
def search(enabled: bool, prune: bool = True) -> Iterator[None]:
    saved = bound.ENABLED, bound.PRUNE
    bound.ENABLED, bound.PRUNE = enabled, prune
    try:
        yield
    finally:
        bound.ENABLED, bound.PRUNE = saved


def names(limit: int) -> list[str]:
    with CASES.open(encoding="utf-8", newline="") as fh:
        found = [name for row in csv.DictReader(fh) for name in (row["a"], row["b"])]
    return list(dict.fromkeys(n for n in found if n.strip()))[:limit]


@pytest.mark.parametrize("a,b", PAIRS)
def test_bound_is_never_below_compare(a: str, b: str) -> None:
    for qp in (False, True):
        for cp in (False, True):
            for x, y in ((a, b), (b, a)):
                query, listed = analyse(x, person=qp), analyse(y, person=cp)
                memo: dict = {}
                top = bound.score_bound(query, listed, memo)
                assert scr.compare(query, listed, memo).score <= top, (x, y, qp, cp)
                assert scr.compare(query, listed).score <= top


def test_bound_separates_unrelated_names() -> None:
    """A bound that is always 1.0 would pass the test above and prune nothing."""
    query, listed = analyse("SenseTime Group Ltd"), analyse("Jihad Group")
    assert bound.score_bound(query, listed, {}) < 0.5
    assert bound.score_bound(analyse("Rosoboronexport"), analyse("Sberbank"), {}) <= bound.SLACK


def test_bound_over_screened_candidates(screener: Screener) -> None:
    """Every candidate the index gives for real names: the bound is at least compare's score."""
    checked = 0
    for name in names(60):
        for analysed in screener._analyse_query(name, None).values():
            memo: dict = {}
            for n in screener.index.candidates(analysed, scr.CANDIDATES):
                listed = screener.index.entries[n].name
                top = bound.score_bound(analysed, listed, memo)
                assert scr.compare(analysed, listed, memo).score <= top, (name, listed.original)
                checked += 1
    assert checked > 500


@pytest.mark.parametrize("prune", [False, True])
def test_search_answers_as_the_plain_loop(screener: Screener, prune: bool) -> None:
    queries = [Query(n) for n in names(40)] + [
        Query("Kalashnikov Concern", schema="Company", country="RU"),
        Query("Sergey Chemezov", birth_date="1952-08-20"),
        Query("Sergey Chemezov", schema="Person", birth_date="1985"),
        Query("Ocean Star", identifiers=["IMO 9176187"]),
    ]
    for query in queries:
        for limit in (1, 5, 20):
            with search(False):
                plain = [hit_to_dict(h) | {"raw": h.score} for h in screener.screen(query, limit=limit)]
            with search(True, prune):
                found = [hit_to_dict(h) | {"raw": h.score} for h in screener.screen(query, limit=limit)]
            assert [h["id"] for h in found] == [h["id"] for h in plain], (query, limit)
            for x, y in zip(found, plain):
                assert abs(x.pop("raw") - y.pop("raw")) <= 1e-9
                assert x == y, (query, limit)

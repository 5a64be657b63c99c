"""benchmarks/parties_script_alerts.py: a name in another script is paired with its Latin form once, and its alert is
unconfirmed when the Latin form does not match the same party."""

from __future__ import annotations

from benchmarks.pair_scoring import Pair
from benchmarks.parties_script_alerts import alerts, script_names
from tests.parties.listed_parties import listed, screener_of


def test_script_names_take_each_name_in_another_script_once_from_the_half() -> None:
    pairs = [
        Pair("russian", "tune", 1, "Сергей Чемезов", "Sergey Chemezov", "Person"),
        Pair("russian", "tune", 1, "Sergei Chemezov", "Сергей Чемезов", "Person"),  # the same name again
        Pair("russian", "tune", 0, "Сергей Иванов", "Sergey Chemezov", "Person"),  # a negative
        Pair("russian", "test", 1, "Иван Петров", "Ivan Petrov", "Person"),  # the other half
        Pair("ukrainian_russian", "tune", 1, "Олег", "Олег", "Person"),  # no Latin side
    ]
    assert script_names(pairs, "tune", 10) == [("russian", "Сергей Чемезов", "Sergey Chemezov", "Person")]


def test_an_alert_the_latin_name_does_not_raise_is_unconfirmed() -> None:
    screener = screener_of(
        listed("chemezov", "Person", name=["Sergey Viktorovich CHEMEZOV"]),
        listed("cachiros", "Organization", name=["CACHIROS"]),
    )
    names = [("russian", "Сергей Чемезов", "Sergey Chemezov", "Person"), ("russian", "Иван Петров", "Ivan Petrov", "Person")]
    row = alerts(screener, names, examples=5)["russian"]
    assert row["names"] == 2 and row["alerts"] == 1 and row["unconfirmed"] == 0 and row["latin_alerts"] == 1
    assert row["names_unconfirmed"] == 0 and row["examples"] == []

"""benchmarks/parties_transliteration.py: its negatives are other people's names, never a variant of the name, and each
query scheme writes the name its way."""

from __future__ import annotations

from benchmarks.parties_transliteration import _gender_of_family, _nearest, _written


def test_a_negative_name_is_three_letters_apart_and_begins_otherwise() -> None:
    # Прокоп is a short form, Прокопей a spelling of Прокопий: neither is another person's name
    assert _nearest("Прокопий", ["Прокоп", "Прокопей", "Порфирий", "Антон", "Прокопович"]) == "Порфирий"
    assert _nearest("Иван", ["Иванн", "Иваан"]) is None


def test_each_scheme_writes_the_name_its_way_family_name_first_as_lists_do() -> None:
    assert _written("MVD_310_FR", "Евгений", "Викторович", "Пригожин", True) == "PRIGOJINE, Evguenii Viktorovitch"
    assert _written("SCIENTIFIC", "Вячеслав", "Петрович", "Щербаков", False) == "Vjačeslav Petrovič Ščerbakov"


def test_a_family_names_gender_is_read_from_its_ending() -> None:
    assert [_gender_of_family(w) for w in ("Петрова", "Петров", "Шевченко", "Наконечна", "Наконечный")] == ["f", "m", "", "f", "m"]


def test_a_query_may_leave_the_patronymic_out() -> None:
    assert _written("MVD_310_FR", "Евгений", "", "Пригожин", False) == "Evguenii Prigojine"

"""A query of one name found among a listed person's several names is shown for review in screening, never
as a match: many people carry a given name or a family name. A listed one-word name still matches it, save a name many
listed parties carry; and a listed name of one such name, found in a longer query, is for review too."""

from __future__ import annotations

from listed_parties import listed, screener_of

from redline.parties.screening import Query


def _screener():  # type: ignore[no-untyped-def]
    return screener_of(
        listed("hassan", "Person", name=["Suheil HASSAN"]),
        listed("karol", "Person", name=["Aliaksandr Vladimirovich Karol"]),
        listed("abu-suheil", "Person", name=["Abu Suheil"]),
        listed("karol-org", "Company", name=["Karol Holding"]),
    )


def test_one_name_of_a_persons_several_is_for_review() -> None:
    hits = {h.party.id: h for h in _screener().screen(Query(name="Suheil"), limit=5)}
    assert not hits["hassan"].match and hits["hassan"].score > 0.5
    assert any("one name of a person's several" in note for note in hits["hassan"].adjustments)
    assert hits["abu-suheil"].match  # listed as that one name (the kunya's abu is no name)


def test_a_full_name_and_an_organisation_s_one_word_are_not_capped() -> None:
    screener = _screener()
    assert screener.screen(Query(name="Aliaksandr Karol"), limit=1)[0].match
    top = {h.party.id: h for h in screener.screen(Query(name="Karol"), limit=5)}
    assert top["karol-org"].match and not top["karol"].match


def test_a_listed_name_of_one_common_name_within_a_longer_query_is_for_review() -> None:
    johns = [listed(f"john-{i}", "Person", name=[f"John {surname}"]) for i, surname in enumerate(("Tan", "Chan", "Okoro", "Silva", "Berg", "Mills"))]
    screener = screener_of(
        listed("margoshvili", "Person", name=["Murad Iraklievich MARGOSHVILI"], alias=["John"]),
        listed("mudacumura", "Person", name=["Sylvestre MUDACUMURA"], alias=["Mudacumura"]),
        *johns,
    )
    hit = next(h for h in screener.screen(Query(name="John X"), limit=10) if h.party.id == "margoshvili")
    assert not hit.match and hit.score > 0.5
    assert any("one name of a person's several" in note for note in hit.adjustments)
    # a listed name of one rare name is not capped within a longer query
    top = screener.screen(Query(name="Mudacumura X"), limit=1)[0]
    assert top.party.id == "mudacumura" and top.match and not top.adjustments

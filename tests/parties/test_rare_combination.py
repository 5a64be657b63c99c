"""Rule rare_combination: a listed name made only of sector words is matched when its words are carried
together by few listed parties, and stays capped when they are many, when there are only two of them,
or when a distinctive word is left on either side."""

from __future__ import annotations

from redline.parties.names import analyse
from redline.parties.score import MATCH_THRESHOLD, RULES, VALUES, Rarity, compare, rarity_factor

NAME = "Academy of Military Medical Sciences"


def _table(carriers: int) -> Rarity:
    """400 listed parties; `carriers` of them carry every sector word of NAME, the rest one of them each."""
    words = ("academy", "military", "medical", "science")
    parties = [{*words, f"w{i}"} if i < carriers else {words[i % 4], f"w{i}"} for i in range(400)]
    return Rarity.of(parties, [p & set(words) for p in parties])


def _compare(query: str, listed: str, rarity: Rarity | None):  # type: ignore[no-untyped-def]
    return compare(analyse(query), analyse(listed), rarity=rarity)


def test_the_table_counts_parties_carrying_words_together() -> None:
    table = _table(3)
    assert table.carried_together(["academy"]) == 3 + 99  # and every fourth of the other 397
    assert table.carried_together(["academy", "medical"]) == 3
    assert table.carried_together(["academy", "military", "medical", "science"]) == 3
    assert table.carried_together(["academy", "nowhere"]) == 0


def test_a_rare_combination_of_sector_words_matches_spelt_exactly_or_misspelt() -> None:
    table = _table(3)
    for query in (NAME, "Academy of Military Mediacl Sciences"):
        result = _compare(query, NAME, table)
        assert result.score >= MATCH_THRESHOLD, (query, result.explain())
        assert RULES["rare_combination"].says in result.explain()
        assert "carried together by 3 of 400 listed parties" in result.explain()
    assert _compare(NAME, NAME, None).score < MATCH_THRESHOLD  # without the lists' table: capped as before


def test_a_common_combination_stays_capped() -> None:
    many = next(n for n in range(1, 400) if rarity_factor(n) < VALUES["rare_combination"])
    assert _compare(NAME, NAME, _table(many)).score < MATCH_THRESHOLD
    assert _compare(NAME, NAME, _table(many - 1)).score >= MATCH_THRESHOLD


def test_a_combination_met_through_another_english_word_keeps_the_cap() -> None:
    """'Commercial' is read as the sector word 'trading', as 'trade' is; a name of sector words only is those words as
    written ('Engineering and Commercial Services' is not 'Engineering and Trade Services'), while one word's spellings,
    and forms are that word ('Centre' / 'Center', 'Technology' / 'Technologies')."""
    words = ("engineering", "trading", "services")
    table = Rarity.of([set(words)], [set(words)])
    listed = "Engineering and Trade Services"
    assert _compare("Engineering and Trade Services", listed, table).score >= MATCH_THRESHOLD
    found = _compare("Engineering and Commercial Services", listed, table)
    assert found.score < MATCH_THRESHOLD and RULES["rare_combination"].says not in found.explain(), found.explain()
    words = ("research", "center", "technology")
    table = Rarity.of([set(words)], [set(words)])
    spelt = _compare("Technology Research Centre", "Technologies Research Center", table)
    assert spelt.score >= MATCH_THRESHOLD and RULES["rare_combination"].says in spelt.explain(), spelt.explain()


def test_two_sector_words_or_a_word_left_keep_the_cap() -> None:
    table = Rarity.of([{"digital", "technology"}, {"digital"}], [{"digital", "technology"}, {"digital"}])
    assert _compare("Digital Technologies", "Digital Technologies", table).score < MATCH_THRESHOLD
    table = _table(1)
    assert _compare("Zorvex Academy of Military Medical Sciences", NAME, table).score < MATCH_THRESHOLD
    assert RULES["rare_combination"].says not in _compare("Zorvex Academy of Military Medical Sciences", NAME, table).explain()
    # a sector word left on one side is another body: the PLA's Academy of Military Sciences
    table = Rarity.of([{"academy", "military", "medical", "science"}, {"academy", "military", "science"}],
                      [{"academy", "military", "medical", "science"}, {"academy", "military", "science"}])
    assert _compare(NAME, "Academy of Military Sciences", table).score < MATCH_THRESHOLD
    # a unit word of a public body left is no other body ('Syrian Air Force Intelligence' / '... Agency')
    table = Rarity.of([{"airlines", "forces", "intelligent"}], [{"airlines", "forces", "intelligent"}])
    assert _compare("Syrian Air Force Intelligence", "Air Force Intelligence Agency", table).score >= MATCH_THRESHOLD
    # nor a unit word that is a name's word ('Directorate'): the body named with its country, or with its unit
    assert _compare("Syrian Air Force Intelligence", "Air Force Intelligence Directorate", table).score >= MATCH_THRESHOLD
    assert _compare("Korvan Air Force Intelligence", "Air Force Intelligence Directorate", table).score < MATCH_THRESHOLD


def test_two_sector_words_one_spelt_in_another_language_match_when_few_carry_them_so() -> None:
    """Rule rare_spelling: 'BANK TEJARAT' (Persian tejarat, trading) is one bank's name, though 'Trading Bank' is
    thousands'; not when many listed parties carry the words so spelt, nor an English word's abbreviation ('invest')."""
    parties = [{"bank", "trading", "=tejarat"}, {"bank", "trading"}, *({"trading", "=tejarat", f"w{i}"} for i in range(40))]
    table = Rarity.of(parties, [p - {f"w{i}" for i in range(40)} for p in parties])
    result = _compare("BANK TEJARAT", "Tejarat Bank PJS", table)
    assert result.score >= MATCH_THRESHOLD and RULES["rare_spelling"].says in result.explain(), result.explain()
    assert _compare("Trading Bank", "Trading Bank PJS", table).score < MATCH_THRESHOLD
    many = [{"bank", "trading", "=tejarat", f"w{i}"} for i in range(400)]
    assert _compare("BANK TEJARAT", "Tejarat Bank PJS", Rarity.of(many, many)).score < MATCH_THRESHOLD
    invest = [{"media", "investment", "=invest"}]
    assert _compare("MEDIA-INVEST OOO", "LLC MEDIA-INVEST", Rarity.of(invest, invest)).score < MATCH_THRESHOLD


def test_the_screener_counts_sector_words_as_spelt() -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from listed_parties import listed, screener_of

    from redline.parties.screening import Query

    screener = screener_of(listed("tejarat", "Organization", name=["BANK TEJARAT"]), listed("trading", "Organization", name=["TRADING BANK OF KORVANIA"]))
    assert screener.rarity.carried_together(["bank", "=tejarat"]) == 1
    hits = screener.screen(Query(name="Tejarat Bank"), limit=3)
    assert hits[0].party.id == "tejarat" and hits[0].match, hits

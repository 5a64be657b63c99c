"""Rule word_rarity: a word weighs by how many listed parties carry it (score.Rarity, RARITY).

Synthetic lists: the table is counted from each party's words, a shared rare word with common
extra words scores higher than without the table, a shared common word with a rare extra word
lower, names that share only common words are not lifted, the conflicts still decide, and the
explanation names each weighed word with its count.
"""

from __future__ import annotations

from dataclasses import replace

from redline.parties import score
from redline.parties.api import compare_names
from redline.parties.names import TRANSLATION, analyse
from redline.parties.score import MATCH_THRESHOLD, Rarity, compare, rarity_factor

COMMON = ("brontal", "trading", "mohammad", "ali")  # "brontal": a distinctive word every party carries


def _table() -> Rarity:
    """400 listed parties: every one carries the common words, one carries 'zorvex' and one 'quillan'."""
    parties = [set(COMMON) | {f"w{i}"} for i in range(400)]
    parties[0].add("zorvex")
    parties[1].add("quillan")
    return Rarity.of(parties)


def _score(query: str, listed: str, rarity: Rarity | None, person: bool = False) -> float:
    return compare(analyse(query, person=person), analyse(listed, person=person), rarity=rarity).score


def _matches_by(rule: str, query: str, listed: str, rarity: Rarity | None, person: bool = False) -> bool:
    """Whether `query` matches `listed` with `rule` said in the explanation."""
    found = compare(analyse(query, person=person), analyse(listed, person=person), rarity=rarity)
    return found.score >= MATCH_THRESHOLD and any(score.RULES[rule].says in p for p in found.penalties)


def test_the_table_counts_parties_and_its_factors_are_bounded() -> None:
    table = _table()
    assert table.parties == 400
    assert table.df["zorvex"] == 1 and table.df["brontal"] == 400
    assert Rarity.of([["a", "a", "b"], ["a"]]).df == {"a": 2, "b": 1}  # a word once a party
    rare, common = score.RARITY["rare"], score.RARITY["common"]
    assert table.factors["zorvex"] == rare == table.unknown
    assert table.factors["brontal"] == common
    steps = [rarity_factor(df) for df in (1, 3, 10, 30, 100, 1000, 100000)]
    assert steps == sorted(steps, reverse=True) and all(common <= f <= rare for f in steps)


def test_a_shared_rare_word_makes_common_extra_words_cheap() -> None:
    table = _table()
    before = _score("Zorvex", "Zorvex Brontal", None)
    after = _score("Zorvex", "Zorvex Brontal", table)
    assert after > before


def test_a_shared_common_word_makes_a_rare_extra_word_dear() -> None:
    table = _table()
    before = _score("Ali", "Ali Quillan", None, person=True)
    after = _score("Ali", "Ali Quillan", table, person=True)
    assert after < before


def test_names_sharing_only_common_words_are_not_lifted() -> None:
    # Without the floor, a common word shared and a common word extra scored higher than without the table.
    table = _table()
    assert _score("Ali", "Mohammad Ali", table, person=True) <= _score("Ali", "Mohammad Ali", None, person=True) + 1e-9


def test_conflicts_still_decide() -> None:
    table = _table()
    for query, listed, rule in (
        ("Zorvex Quillan Trading", "Zorvex Kestrant Trading", "each name keeps words of its own"),
        ("Zorvex 7 Trading", "Zorvex 8 Trading", "numbers differ"),
    ):
        found = compare(analyse(query), analyse(listed), rarity=table)
        assert found.score < MATCH_THRESHOLD
        assert any(p.startswith(rule) for p in found.penalties)


def test_the_explanation_names_each_weighed_word_and_its_count() -> None:
    found = compare(analyse("Zorvex"), analyse("Zorvex Brontal"), rarity=_table())
    text = found.explain()
    assert score.RULES["word_rarity"].says in text
    assert "'zorvex' is carried by 1 of 400 listed parties (weighs 1.50)" in text.lower()
    assert "'brontal' is carried by 400 of 400 listed parties" in text.lower()
    assert "listed parties" not in compare(analyse("Zorvex"), analyse("Zorvex Brontal")).explain()


def test_compare_names_without_lists_scores_as_before() -> None:
    # The test's own REDLINE_HOME holds no list: no table, every word weighs by its kind.
    for left, right, schema in (("Zorvex", "Zorvex Brontal", None), ("Ali", "Ali Quillan", "Person")):
        person = schema == "Person"
        plain = max(_score(left, right, None, person), _score(right, left, None, person))
        result = compare_names(left, right, schema)
        assert result["score"] == round(plain, 4)
        assert "listed parties" not in result["explanation"]


def test_the_screener_counts_its_listed_parties(screener) -> None:  # type: ignore[no-untyped-def]
    table = screener.rarity
    assert table.parties == sum(1 for p in screener.parties if p.listed)
    assert max(table.df.values()) < table.parties
    assert all(n >= 1 for n in table.df.values())


def test_a_name_whole_in_another_by_one_rare_word_matches() -> None:
    """Rule lone_word_whole: 'TEMPBANK' / 'MAB TEMPBANK OAO' - the bare name and the name with a word
    more - match when the word they share is rare; not when it is common, nor when both keep a word."""
    table = _table()
    assert _matches_by("lone_word_whole", "ZORVEX", "QUILLAN ZORVEX OAO", table)
    assert _score("BRONTAL", "QUILLAN BRONTAL OAO", table) < MATCH_THRESHOLD  # every party carries it
    assert _score("ZORVEX KELMARO", "QUILLAN ZORVEX OAO", table) < MATCH_THRESHOLD  # each keeps a word
    assert _score("ZORVEX", "QUILLAN ZORVEX OAO", None) < MATCH_THRESHOLD  # no lists: rarity unknown


def test_a_rare_word_shared_outweighs_the_words_each_name_keeps() -> None:
    """Rule rare_word_shared: one firm's names that differ by a sector or descriptive word ('PARCHIN
    CHEMICAL INDUSTRIES' / 'PARCHIN CHEMICAL FACTORIES') match when the word they share is rare; two firms
    that share a common word and keep words of their own stay apart, and people are never lifted by it."""
    table = _table()
    assert _matches_by("rare_word_shared", "ZORVEX CHEMICAL INDUSTRIES", "ZORVEX CHEMICAL FACTORIES", table)
    assert _score("ZORVEX QUILLAN TRADING", "ZORVEX QUILLAN KELMARO", table) >= MATCH_THRESHOLD
    assert _score("BRONTAL CHEMICAL INDUSTRIES", "BRONTAL CHEMICAL FACTORIES", table) < MATCH_THRESHOLD
    assert _score("BRONTAL MOHAMMAD TRADING", "BRONTAL MOHAMMAD KELMARO", table) < MATCH_THRESHOLD
    assert _score("ZORVEX CHEMICAL INDUSTRIES", "ZORVEX CHEMICAL FACTORIES", None) < MATCH_THRESHOLD  # no lists
    person = compare(analyse("Kelmaro Zorvex", person=True), analyse("Pardonel Zorvex", person=True), rarity=table)
    assert person.score < MATCH_THRESHOLD and not any(score.RULES["rare_word_shared"].says in p for p in person.penalties)


def test_a_rare_name_alone_is_found_in_the_full_name() -> None:
    """Rule rare_name_whole: a person's one-name alias ('Mudacumura' / 'SYLVESTRE MUDACUMURA') matches the
    full name when few listed parties carry it; a common name alone does not ('ABU ABDULLAH' / 'AMIR
    ABDULLAH'), nor a rare one against a name with three more."""
    table = _table()
    assert _matches_by("rare_name_whole", "ZORVEX", "Kelmaro Pardonel ZORVEX", table, person=True)
    assert _score("BRONTAL", "Kelmaro Pardonel BRONTAL", table, person=True) < MATCH_THRESHOLD
    assert _score("ZORVEX", "Kelmaro Pardonel Vostanu ZORVEX", table, person=True) < MATCH_THRESHOLD
    assert _score("Quillan ZORVEX", "Kelmaro ZORVEX", table, person=True) < MATCH_THRESHOLD  # each keeps a name


def test_a_rare_family_name_written_alone_by_sound_is_found_in_the_full_name() -> None:
    """Rule rare_name_whole for a name written by sound in one run ('奎兰' kuilan, as China's lists give a foreign
    person's family name alone) whose consonants are a Latin name's that few listed parties carry; not against a
    name with two more, nor with a character of its own beside it."""
    table = _table()
    assert _matches_by("rare_name_whole", "奎兰", "Pardonel Quillan", table, person=True)
    assert _score("奎兰", "Kelmaro Pardonel Quillan", table, person=True) < MATCH_THRESHOLD
    assert _score("奎兰 布", "Pardonel Quillan", table, person=True) < MATCH_THRESHOLD
    assert _score("奎兰", "Pardonel Quillan", None, person=True) < MATCH_THRESHOLD  # no lists: no rarity


def test_a_firms_rare_name_written_by_sound_is_no_approximate_agreement() -> None:
    """Rule lone_approximate spares a firm's one distinctive word written by sound ('科尔瓦德罗恩' ke er wa de luo en)
    whose consonant keys are those of a Latin word few listed parties carry; a common one still agrees approximately."""
    table = _table()
    assert _score("科尔瓦德罗恩公司", "Korvadrone Holdings Inc.", table) >= MATCH_THRESHOLD
    assert _score("科尔瓦德罗恩公司", "Korvadrone Holdings Inc.", None) < MATCH_THRESHOLD
    assert _score("布朗塔尔公司", "Brontal Holdings Inc.", table) < MATCH_THRESHOLD


def test_a_rare_kunya_alone_is_found_in_the_full_name() -> None:
    """Rule rare_name_whole by a kunya: 'Abu Korvo' names a person more narrowly than 'korvo', which 18 parties carry;
    the table counts kunyas as the screener does (score.kunyas), and a kunya many carry stays apart."""
    parties = [set(COMMON) | {f"w{i}"} for i in range(400)]
    parties[0] |= {"korvo", "kelmari"} | score.kunyas(analyse("Abu Korvo al-Kelmari", person=True).tokens)
    for party in parties[1:18]:
        party |= {"korvo", "abu mohammad"}
    table = Rarity.of(parties)
    assert table.df["abu korvo"] == 1 and table.df["korvo"] == 18
    assert _matches_by("rare_name_whole", "Abu Korvo", "Abu Korvo al-Kelmari", table, person=True)
    assert _score("Korvo", "Korvo al-Kelmari", table, person=True) < MATCH_THRESHOLD  # the name alone: 18 parties'
    assert _score("Abu Mohammad", "Abu Mohammad al-Kelmari", table, person=True) < MATCH_THRESHOLD


def test_a_rare_kunya_written_in_another_transliteration_is_found_in_the_full_name() -> None:
    """'Abu Korvaheem' is 'Abu Korvahim' as another transliteration writes it (names.fold), as 'Ibraheem' is Ibrahim:
    the kunya is rare though 18 parties carry the name."""
    parties = [set(COMMON) | {f"w{i}"} for i in range(400)]
    parties[0] |= {"korvahim", "kelmari"} | score.kunyas(analyse("Abu Korvahim al-Kelmari", person=True).tokens)
    for party in parties[1:18]:
        party.add("korvahim")
    table = Rarity.of(parties)
    assert _matches_by("rare_name_whole", "Abu Korvaheem", "Abu Korvahim al-Kelmari", table, person=True)
    assert not _matches_by("rare_name_whole", "Abu Korvahem", "Abu Korvahim al-Kelmari", table, person=True)  # a vowel for a vowel


def test_a_rare_word_alone_is_found_in_the_longer_name() -> None:
    """Rule rare_word_whole: an organisation's bare name ('ITEF' / 'Kurchatovskiy Institute ITEF') is found
    in the longer one, whose further words then cost as rule more_words'; not by a common word, nor by a
    Chinese name read in translation."""
    table = _table()
    assert _matches_by("rare_word_whole", "ZORVEX OOO", "KELMARO INSTITUTE ZORVEX", table)
    assert _score("ZORVEX", "ZORVEX BRONTAL KELMARO", table) >= MATCH_THRESHOLD
    assert _score("BRONTAL OOO", "KELMARO INSTITUTE BRONTAL", table) < MATCH_THRESHOLD
    query, listed = analyse("ZORVEX OOO"), analyse("KELMARO INSTITUTE ZORVEX")
    bare = compare(query, listed, rarity=table)
    assert score._more_words(query, listed, bare, table) == "rare_word_whole"
    assert score._more_words(query, replace(listed, reading=TRANSLATION), bare, table) == ""


def test_the_rare_whole_rules_need_the_query_to_be_the_bare_name() -> None:
    """A query with words of its own around a listed one-word name is another party's name (a substring trap:
    'Clearwell Monitoring Corporation' is not 'OOO MONITORING'); the bare name against the longer listed one
    is the rule's case. compare_names, symmetric, keeps the better direction."""
    table = _table()
    assert compare(analyse("ZORVEX OOO"), analyse("KELMARO INSTITUTE ZORVEX"), rarity=table).score >= MATCH_THRESHOLD
    assert compare(analyse("KELMARO INSTITUTE ZORVEX"), analyse("ZORVEX OOO"), rarity=table).score < MATCH_THRESHOLD
    alias = analyse("ZORVEX", person=True), analyse("Kelmaro Pardonel ZORVEX", person=True)
    assert compare(*alias, rarity=table).score >= MATCH_THRESHOLD
    assert compare(*reversed(alias), rarity=table).score < MATCH_THRESHOLD

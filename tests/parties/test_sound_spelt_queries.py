"""A query that is one name spelt by sound (a foreign name in Chinese characters), met only on its consonant
classes, is shown for review in screening, never as a match: among the lists' names many sound alike.
A pair comparison keeps the key's score, and a name listed as written still matches."""

from __future__ import annotations

from listed_parties import listed, screener_of

from redline.parties.api import compare_names
from redline.parties.screening import Query


def _screener():  # type: ignore[no-untyped-def]
    return screener_of(
        listed("khalid", "Person", name=["Khalid"]),
        listed("cogolati", "Person", name=["科格拉蒂"]),
    )


def test_one_word_spelt_by_sound_met_on_its_consonants_is_for_review() -> None:
    hits = {h.party.id: h for h in _screener().screen(Query(name="科格拉蒂"), limit=5)}
    assert hits["cogolati"].match  # the name as listed
    khalid = hits["khalid"]  # 'kegeladi' and 'khalid' share the consonant classes k-l-d
    assert not khalid.match and khalid.score > 0.5
    assert any("spelt by sound" in note for note in khalid.adjustments)


def test_a_pair_comparison_keeps_the_keys_score() -> None:
    assert compare_names("Khalid", "科格拉蒂")["match"]


def test_a_latin_query_is_not_capped() -> None:
    hits = _screener().screen(Query(name="Khalid"), limit=5)
    assert hits[0].party.id == "khalid" and hits[0].match


def test_one_word_of_cyrillic_or_an_abjad_met_on_its_consonants_is_for_review() -> None:
    screener = screener_of(
        listed("cachiros", "Organization", name=["CACHIROS"]),
        listed("kalashnikov", "Company", name=["KALASHNIKOV"]),
        listed("anaia", "Person", name=["ANAIA"]),
    )
    cachiros = {h.party.id: h for h in screener.screen(Query(name="кросс"), limit=5)}["cachiros"]  # k-r-s, both
    assert not cachiros.match and cachiros.score > 0.5
    assert any("read from another script" in note for note in cachiros.adjustments)
    anaia = {h.party.id: h for h in screener.screen(Query(name="في"), limit=5)}.get("anaia")
    assert anaia is None or not anaia.match
    hits = screener.screen(Query(name="Калашников"), limit=5)  # read letter by letter: no key, a match
    assert hits[0].party.id == "kalashnikov" and hits[0].match


def test_a_name_in_hangul_met_only_on_consonants_is_for_review() -> None:
    """Every name of a query in Hangul (or Burmese, or Hebrew) met only on consonant keys: 'Harold Ramis' in Hangul has the keys of
    'HUERTA RAMOS, Manuel' (h-r-t, r-m-s). A Korean name read by its romanisation still matches."""
    screener = screener_of(
        listed("huerta", "Person", name=["HUERTA RAMOS, Manuel"]),
        listed("kim", "Person", name=["KIM JONG UN"]),
    )
    huerta = {h.party.id: h for h in screener.screen(Query(name="해럴드 래미스"), limit=5)}.get("huerta")
    assert huerta is not None and not huerta.match and huerta.score > 0.5
    assert any("Hangul, Burmese or Hebrew" in note for note in huerta.adjustments)
    hits = screener.screen(Query(name="김정은"), limit=5)
    assert hits[0].party.id == "kim" and hits[0].match
    dibe = {h.party.id: h for h in screener_of(listed("dibe", "Person", name=["Ahmed DIBE"])).screen(Query(name="אחמד טיבי"), limit=5)}.get("dibe")
    assert dibe is not None and not dibe.match  # Hebrew: 'Ahmad Teebi' has the keys of 'Ahmed Dibe' (a-h-m-t, t-b)



def test_a_name_in_burmese_met_on_one_syllable_beside_consonants_is_for_review() -> None:
    """'Hokkaido' in Burmese, ho kaing do, meets 'RI CHANG HO' on one syllable as written and one on its consonants
    (k-ng): for review. A Myanmar name met syllable by syllable still matches, one syllable heard among them or not."""
    screener = screener_of(
        listed("ri", "Person", name=["RI CHANG HO"]),
        listed("zaw", "Person", name=["Zaw Min Tun"]),
        listed("min", "Person", name=["Min Aung Hlaing"]),
    )
    ri = {h.party.id: h for h in screener.screen(Query(name="ဟိုကိုင်းဒိုး"), limit=5)}.get("ri")
    assert ri is not None and not ri.match and ri.score > 0.5
    assert any("written in Burmese" in note for note in ri.adjustments)
    for query, party in (("ဇော်မင်းထွန်း", "zaw"), ("မင်းအောင်လှိုင်", "min")):  # Zaw Min Tun: htun ~ tun on consonants
        hits = screener.screen(Query(name=query), limit=5)
        assert hits[0].party.id == party and hits[0].match


def test_syllables_joined_and_met_on_consonants_are_a_key_not_a_compound() -> None:
    """Syllables spelt by sound joined and met on the consonant classes of one Latin word are a key's match (SOUND_COMPOUND,
    paired as 'sound key'), as one word so met is, and the screening caps see them: 'Maryland' in Burmese, me yi lan,
    has the classes of 'Merlin' (m-r-n), and matched 'Lionel Dumont' (a.k.a. Merlin) as a compound at 0.81."""
    from redline.parties.names import WORD, Token
    from redline.parties.scripts import BURMESE
    from redline.parties.score import SOUND_COMPOUND, _compound_similarity

    parts = [Token(text, WORD, 1.0, text, True, True, spelt=BURMESE) for text in ("me", "yi", "lan")]
    assert _compound_similarity("meyilan", parts, Token("merlin", WORD, 1.0, "merlin", False), True) == SOUND_COMPOUND

"""Everyday firms' names against listed ships, people and armed groups (benchmarks/parties_everyday.py found each class)."""

from __future__ import annotations

from listed_parties import listed, screener_of

from redline.parties.api import compare_names
from redline.parties.screening import Query


def _screener():  # type: ignore[no-untyped-def]
    return screener_of(
        listed("v-1", "Vessel", name=["HORIZON"], imoNumber=["IMO 9123456"]),
        listed("p-1", "Person", name=["Jason Dean Smith"]),
        listed("o-1", "Company", name=["Horizon Trading Company"]),
    )


def _top(screener, name: str, schema: str | None = None):  # type: ignore[no-untyped-def]
    return {h.party.id: h for h in screener.screen(Query(name=name, schema=schema), limit=10)}


def test_a_firm_s_legal_form_or_sector_word_is_not_a_ship_s_name() -> None:
    screener = _screener()
    for name in ("Horizon Srl", "Horizon Media, Inc.", "Horizon Shipping"):
        hit = _top(screener, name).get("v-1")
        assert hit is None or not hit.match, name
    assert "a Vessel, while the query names an organisation (srl)" in _top(screener, "Horizon Srl")["v-1"].adjustments
    assert _top(screener, "HORIZON")["v-1"].match  # the ship's name alone still finds it
    assert _top(screener, "Horizon Srl", schema="Vessel").get("v-1") is not None


def test_a_firm_s_legal_form_is_not_a_person_s_name() -> None:
    screener = _screener()
    for name in ("Jason Dean Smith Ltd", "Smith Jason Dean GmbH"):
        hit = _top(screener, name)["p-1"]
        assert not hit.match and "a Person, while the query names an organisation" in hit.adjustments[-1], name
    assert _top(screener, "Jason Dean Smith")["p-1"].match
    assert not _top(screener, "Jason Dean Smith Ltd", schema="Company")["p-1"].match


def test_a_stop_word_abbreviates_nothing() -> None:
    explained = compare_names("Unity Technologies ApS", "THE UNITY OF ISLAMIC YOUTH")["explanation"]
    assert "'the'" not in explained


def test_one_everyday_word_shared_is_for_review_unless_the_country_is_the_party_s() -> None:
    screener = screener_of(
        listed("o-1", "Organization", name=["METAL SPRINT"], country=["ru"]),
        listed("o-2", "Company", name=["ORANGE"]),
    )
    assert "sprint" in screener.rarity.everyday
    for country in (None, "us"):
        hit = screener.screen(Query(name="Sprint", country=country))[0]
        assert not hit.match and "'sprint', is an everyday word" in hit.adjustments[-1], country
    assert screener.screen(Query(name="Sprint", country="ru"))[0].match  # the country given is the party's
    assert screener.screen(Query(name="Metal Sprint"))[0].match  # the whole name, not one word of it
    assert screener.screen(Query(name="Orange"))[0].match  # the listed name is the everyday word alone


def test_a_name_keeps_its_own_closing_bracket() -> None:
    from redline.parties.names import query_names

    assert query_names("China Telecom (Group)") == ("China Telecom (Group)",)
    assert query_names("(Acme)") == ("Acme",)


def test_between_hits_of_one_score_the_sector_words_written_alike_rank_first() -> None:
    screener = screener_of(
        listed("o-1", "Company", name=["CHINA COMMUNICATIONS GROUP CO. LTD"], country=["cn"]),
        listed("o-1b", "Company", name=["CHINA COMMUNICATIONS GROUP"], country=["cn"]),
        listed("o-2", "Company", name=["CHINA TELECOM GROUP CO., LTD."], country=["cn"]),
    )
    hits = screener.screen(Query(name="China Telecom (Group)", country="cn"))
    assert hits[0].party.id == "o-2" and hits[0].score == hits[1].score
    assert hits[0].query_name == "China Telecom (Group)"


def test_two_latin_spellings_abbreviate_as_written() -> None:
    explained = compare_names("CMS Information Technology", "INFORMATION TELECOMMUNICATION TECHNOLOGIES JOINT STOCK COMPANY")
    assert explained["score"] < 0.65 and "'cms' ~ 'telecommunication'" not in explained["explanation"]
    assert compare_names("Velmor Indl Machinery Ltd", "Velmor Industrial Machinery Ltd")["explanation"].count("abbreviation") == 1  # 'indl' abbreviates 'industrial' as written


def test_one_common_name_against_a_listed_one_name_is_for_review() -> None:
    many = [listed(f"p-{n}", "Person", name=[f"Mansur {given}"]) for n, given in enumerate(("Ali", "Omar", "Yusuf", "Karim", "Hadi", "Nabil"))]
    screener = screener_of(listed("p-k", "Person", name=["Salim Mustafa Al-Mansur", "ABU MANSUR"]), *many)
    assert screener.rarity.df["mansur"] > 5
    hit = {h.party.id: h for h in screener.screen(Query(name="Sheikh Mansur", schema="Person"), limit=10)}["p-k"]
    assert not hit.match and "one name of a person's several" in hit.adjustments[-1]
    rare = screener_of(listed("p-r", "Person", name=["Sylvestre MUDACUMURA", "MUDACUMURA"]))
    assert rare.screen(Query(name="Mudacumura", schema="Person"))[0].match  # a name few listed parties carry stays a match


def test_a_network_is_a_firm_s_sector_not_its_form() -> None:
    """'Networks' names what a telecom firm runs, not the form of an organisation that 'holding' or 'group' is: the two
    are not one word ('New Media Networks Limited' / 'NEW MEDIA HOLDING' was 0.97)."""
    screener = screener_of(listed("o-1", "Company", name=["LIMITED LIABILITY COMPANY NEW MEDIA HOLDING"], country=["ru"]))
    assert not screener.screen(Query(name="New Media Networks Limited"))[0].match
    assert "form of an organisation" not in compare_names("Korva Networks", "Korva Holding")["explanation"]


def test_three_letters_alone_are_for_review_unless_the_country_is_the_party_s() -> None:
    screener = screener_of(listed("o-1", "Company", name=["Specialized Depository Korvanum"], country=["ru"]))
    hit = screener.screen(Query(name="SDK INC"))[0]
    assert not hit.match and "only the three letters 'SDK'" in hit.adjustments[-1]
    assert not screener.screen(Query(name="SDK INC", country="us"))[0].match
    assert screener.screen(Query(name="SDK INC", country="ru"))[0].match  # the country given is the party's
    assert compare_names("SDK INC", "Specialized Depository Korvanum")["match"]  # the pair score is the lists' alias's


def test_three_letters_inside_a_longer_listed_name_are_for_review_unless_the_country_is_the_party_s() -> None:
    screener = screener_of(
        listed("o-1", "Company", name=["EMK KORVANUM LIMITED"], country=["ru"]),
        listed("o-2", "Company", name=["VTK BANK PJSC"], country=["ru"]),
    )
    hit = screener.screen(Query(name="EMK"))[0]
    assert hit.party.id == "o-1" and not hit.match and "only the three letters 'EMK'" in hit.adjustments[-1]
    assert screener.screen(Query(name="EMK", country="ru"))[0].match  # the country given is the party's
    assert screener.screen(Query(name="VTK Bank"))[0].match  # three letters that are the whole listed name's word


def test_the_post_is_a_sector_not_a_name() -> None:
    """A postal service is a sector, as telecommunications is: 'IRAN POST Company' is not 'Post Bank of Iran' (an everyday
    firm matched it at 0.97 while 'post' was a distinctive word), and the bank is still found by its own names."""
    assert not compare_names("IRAN POST Company", "Post Bank of Iran")["match"]
    assert compare_names("Iran Post Bank", "Post Bank of Iran")["match"]
    assert compare_names("Bank-e Post Iran", "Post Bank of Iran")["score"] >= compare_names("IRAN POST Company", "Post Bank of Iran")["score"]

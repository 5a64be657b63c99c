from __future__ import annotations

from redline.parties.graph import SourceEntity, build_parties


def _entity(eid: str, schema: str, **props: list[str]) -> dict:
    return {"id": eid, "schema": schema, "properties": props}


def test_one_id_in_two_formats_keeps_every_name_and_one_listing() -> None:
    csv_row = _entity("ofac-1", "Company", name=["SENSETIME GROUP LIMITED"])
    xml_row = _entity("ofac-1", "Company", name=["SENSETIME GROUP LIMITED"], alias=["商湯集團有限公司"])
    sanction = _entity("ofac-1-s", "Sanction", entity=["ofac-1"], program=["NS-CMIC"], programId=["US-OFAC-NS-CMIC"], authority=["OFAC"])
    parties = build_parties(
        [
            SourceEntity(xml_row, "us_ofac_cons_xml", "b"),
            SourceEntity(sanction, "us_ofac_cons_xml", "b"),
            SourceEntity(csv_row, "us_ofac_cons", "a"),
            SourceEntity(sanction, "us_ofac_cons", "a"),
        ]
    )
    assert len(parties) == 1
    assert "商湯集團有限公司" in parties[0].names
    assert len(parties[0].listings) == 1


def test_transliteration_variants_of_one_person_join_when_birth_dates_agree() -> None:
    au = _entity("au-1", "Person", name=["Yuriy Mikhailovich GOTSANYUK"], birthDate=["1966-06-16"])
    sdn = _entity("sdn-1", "Person", name=["GOTSANYUK, Yuri Mikhailovich"], birthDate=["1966-06-16"])
    other = _entity("uk-1", "Person", name=["Yuri Mikhailovich GOTSANYUK"], birthDate=["1971-02-03"])
    parties = build_parties([SourceEntity(au, "au_dfat", "a"), SourceEntity(sdn, "us_ofac_sdn", "b"), SourceEntity(other, "uk_fcdo", "c")])
    assert sorted(len(p.entity_ids) for p in parties) == [1, 2]


def test_arabic_and_persian_romanisations_of_one_person_join_when_birth_years_agree() -> None:
    uk = _entity("uk-1", "Person", name=["Rami MAKHLOUF"], birthDate=["1969"])
    sdn = _entity("sdn-1", "Person", name=["MAKHLUF, Rami"], birthDate=["1969-07-10"])
    other = _entity("au-1", "Person", name=["Rami MAKHLOUF"], birthDate=["1981"])
    parties = build_parties([SourceEntity(uk, "uk_fcdo", "a"), SourceEntity(sdn, "us_ofac_sdn", "b"), SourceEntity(other, "au_dfat", "c")])
    assert sorted(sorted(p.entity_ids) for p in parties) == [["au-1"], ["sdn-1", "uk-1"]]


def _listed(eid: str, schema: str, source: str, program_id: str, **props: list[str]) -> list[SourceEntity]:
    entity = _entity(eid, schema, **props)
    sanction = _entity(f"{eid}-s", "Sanction", entity=[eid], programId=[program_id], authority=["test"])
    return [SourceEntity(entity, source, f"{source}@t"), SourceEntity(sanction, source, f"{source}@t")]


def _bare(eid: str, name: str, **props: list[str]) -> list[SourceEntity]:
    return _listed(eid, "LegalEntity", "names_csl_meti", "JP-METI-EUL", name=[name], **props)


def _cluster_of(parties: list, eid: str):
    return next(p for p in parties if eid in p.entity_ids)


def test_a_shared_remainder_after_place_or_qualifier_words_merges_nothing() -> None:
    parties = build_parties([
        *_listed("sdn-xpcc", "Organization", "us_ofac_sdn", "US-OFAC-SDN", name=["Xinjiang Production and Construction Corps"], alias=["Xinjiang Corps"]),
        *_bare("bare-xc", "Xinjiang Corps"),
        *_listed("uk-ac", "Organization", "uk_fcdo", "UK-FCDO", name=["Africa Corps"], alias=["Expeditionary Corps"]),
        *_listed("au-irgc", "Organization", "au_dfat", "AU-DFAT", name=["Islamic Revolutionary Guard Corps"]),
        *_listed("au-lby", "Organization", "au_dfat", "AU-DFAT", name=["Revolutionary Guard Corps"]),
        *_listed("uk-lby", "Organization", "uk_fcdo", "UK-FCDO", name=["Revolutionary Guard Corps"]),
    ])
    assert _cluster_of(parties, "uk-ac").entity_ids == ["uk-ac"]
    assert sorted(_cluster_of(parties, "bare-xc").entity_ids) == ["bare-xc", "sdn-xpcc"]
    assert _cluster_of(parties, "au-irgc").entity_ids == ["au-irgc"]
    libya = _cluster_of(parties, "uk-lby")
    assert sorted(libya.entity_ids) == ["au-lby", "uk-lby"]
    assert [(m.evidence, m.key) for m in libya.merges] == [("whole_name", "corps guard revolutionary")]


def test_sector_words_alone_need_the_same_country() -> None:
    parties = build_parties([
        *_listed("a", "Organization", "us_ofac_sdn", "US-OFAC-SDN", name=["Ministry of Defence"], country=["sy"]),
        *_listed("b", "Organization", "uk_fcdo", "UK-FCDO", name=["Ministry of Defence"], country=["ru"]),
        *_listed("c", "Organization", "au_dfat", "AU-DFAT", name=["Ministry of Defence"]),
        *_listed("d", "Organization", "eu_fsf", "EU-FSF", name=["Ministry of Defence"], country=["sy"]),
    ])
    assert sorted(len(p.entity_ids) for p in parties) == [1, 1, 2]
    assert [m.evidence for m in _cluster_of(parties, "a").merges] == ["whole_name_country"]


def test_identifiers_and_record_ids_merge_and_say_so() -> None:
    parties = build_parties([
        *_listed("uk-v", "Vessel", "uk_fcdo", "UK-FCDO", name=["OCEAN STAR"], imoNumber=["IMO 9123456"]),
        *_listed("sdn-v", "Vessel", "us_ofac_sdn", "US-OFAC-SDN", name=["SEA PEARL"], imoNumber=["9123456"]),
        *_listed("us-ofac-sdn-4242", "Company", "us_ofac_sdn", "US-OFAC-SDN", name=["ALPHA TRADING"]),
        *_listed("us-csl-4242", "Company", "us_csl", "US-OFAC-SDN", name=["ALFA TRADING CO"]),
        *_listed("reg-1", "Company", "uk_fcdo", "UK-FCDO", name=["Beta One"], registrationNumber=["12"]),
        *_listed("reg-2", "Company", "au_dfat", "AU-DFAT", name=["Gamma Two"], registrationNumber=["12"]),
    ])
    vessel = _cluster_of(parties, "uk-v")
    assert sorted(vessel.entity_ids) == ["sdn-v", "uk-v"] and vessel.merges[0].evidence == "identifier"
    assert _cluster_of(parties, "us-csl-4242").merges[0].to_dict()["key"] == "OFAC uid | 4242"
    assert _cluster_of(parties, "reg-1").entity_ids == ["reg-1"]  # "12" is too short to be anyone's


def test_people_merge_on_full_name_with_birth_date_and_never_across_dates() -> None:
    parties = build_parties([
        *_listed("sdn-f", "Person", "us_ofac_sdn", "US-OFAC-SDN", name=["CHEMEZOV, Sergey Viktorovich"], birthDate=["1952-08-20"]),
        *_listed("au-f", "Person", "au_dfat", "AU-DFAT", name=["Sergey Viktorovich CHEMEZOV"], birthDate=["1952-08-20"]),
        *_listed("uk-f", "Person", "uk_fcdo", "UK-FCDO", name=["Sergey Viktorovich Chemezov"]),
        *_listed("au-s", "Person", "au_dfat", "AU-DFAT", name=["Sergey Sergeevich CHEMEZOV"], birthDate=["2002-05-07"]),
        *_listed("uk-s", "Person", "uk_fcdo", "UK-FCDO", name=["Sergey Sergeevich Chemezov"], birthDate=["2002"]),
        *_listed("eu-x", "Person", "eu_fsf", "EU-FSF", name=["Sergey Sergeevich Chemezov"], birthDate=["2002-01-01"]),
        *_listed("uk-m", "Person", "uk_fcdo", "UK-FCDO", name=["Mohammed Jabir"]),
        *_listed("au-m", "Person", "au_dfat", "AU-DFAT", name=["Mohammed JABIR"]),
    ])
    father = _cluster_of(parties, "sdn-f")
    assert sorted(father.entity_ids) == ["au-f", "sdn-f", "uk-f"]
    assert {m.evidence for m in father.merges} == {"name_birth_date", "full_name"}
    son = _cluster_of(parties, "au-s")
    assert sorted(son.entity_ids) == ["au-s", "uk-s"]  # 2002-01-01 is another person born in 2002
    assert _cluster_of(parties, "eu-x").entity_ids == ["eu-x"]
    assert _cluster_of(parties, "uk-m").entity_ids == ["uk-m"]  # two parts and no birth date: not enough


def test_a_bare_name_joins_the_one_party_that_carries_it_and_names_no_authority() -> None:
    parties = build_parties([
        *_listed("el-1", "Company", "us_csl", "US-BIS-EL", name=["Dart Aviation"], country=["ir"]),
        *_listed("el-2", "Company", "us_csl", "US-BIS-EL", name=["Dart Aviation"], country=["fr"]),
        *_bare("bare-dart", "Dart Aviation"),
        *_listed("sdn-n", "Company", "us_ofac_sdn", "US-OFAC-SDN", name=["NSO Group Technologies"], alias=["NSO Group"]),
        *_bare("bare-nso", "NSO GROUP"),
        *_bare("bare-nso-2", "NSO Group Technologies Ltd"),
        *_bare("bare-alone", "Q Cyber Technologies"),
    ])
    assert _cluster_of(parties, "bare-dart").entity_ids == ["bare-dart"]  # two Entity List rows carry it
    nso = _cluster_of(parties, "bare-nso")
    assert nso.entity_ids == ["sdn-n", "bare-nso", "bare-nso-2"] and not nso.bare
    assert {(m.evidence, m.left, m.right) for m in nso.merges} == {("bare_name", "sdn-n", "bare-nso"), ("bare_name", "sdn-n", "bare-nso-2")}
    assert [l.program_id for l in nso.listings] == ["US-OFAC-SDN", "NAMES-ONLY-CSL-METI"]  # two rows, one listing
    alone = _cluster_of(parties, "bare-alone")
    assert alone.bare
    # read under the reader's terms even from a store that holds the old "Japan METI" rows
    assert [(l.program_id, l.authority) for l in alone.listings] == [("NAMES-ONLY-CSL-METI", "")]


def test_every_cluster_of_the_real_subset_has_a_spanning_trail_of_evidence(screener) -> None:
    for party in screener.parties:
        ids = set(party.entity_ids)
        if len(ids) < 2:
            continue
        linked = {party.entity_ids[0]}
        for merge in party.merges:
            assert {merge.left, merge.right} <= ids
        grew = True
        while grew:
            grew = False
            for merge in party.merges:
                if (merge.left in linked) != (merge.right in linked):
                    linked |= {merge.left, merge.right}
                    grew = True
        assert linked == ids, party.caption


def test_a_place_before_a_rare_name_merges_in_the_same_country_only() -> None:
    parties = build_parties([
        *_listed("dod-d", "Company", "us_dod_1260h", "US-DOD-1260H", name=["Zhejiang Dahua Technology Co., Ltd."], country=["cn"]),
        *_listed("el-d", "Company", "us_csl", "US-BIS-EL", name=["Dahua Technology"], country=["cn"]),
        *_listed("dod-m", "Company", "us_dod_1260h", "US-DOD-1260H", name=["Beijing Megvii Technology Co., Ltd."], country=["cn"]),
        *_listed("el-m", "Company", "us_csl", "US-BIS-EL", name=["Megvii Technology"]),
    ])
    dahua = _cluster_of(parties, "el-d")
    assert sorted(dahua.entity_ids) == ["dod-d", "el-d"]
    assert [(m.evidence, m.key) for m in dahua.merges] == [("place_prefix", "dahua technology zhejiang -> dahua technology")]
    assert _cluster_of(parties, "el-m").entity_ids == ["el-m"]  # no country on one side: the place proves nothing


def test_organisations_spelt_two_ways_join_and_two_ships_of_one_name_do_not() -> None:
    parties = build_parties([
        *_listed("sdn-r", "Company", "us_ofac_sdn", "US-OFAC-SDN", name=["ROSOBORONEKSPORT OAO"]),
        *_listed("uk-r", "Company", "uk_fcdo", "UK-FCDO", name=["Rosoboronexport"]),
        *_listed("sdn-v", "Vessel", "us_ofac_sdn", "US-OFAC-SDN", name=["SOURIA"], imoNumber=["IMO 9274331"]),
        *_listed("uk-v", "Vessel", "uk_fcdo", "UK-FCDO", name=["SURYA"], imoNumber=["IMO9388742"]),
        *_listed("sdn-t", "Vessel", "us_ofac_sdn", "US-OFAC-SDN", name=["TANGO"], imoNumber=["IMO 1010703"]),
        *_listed("uk-t", "Vessel", "uk_fcdo", "UK-FCDO", name=["TANGO"], imoNumber=["9292058"]),
    ])
    assert sorted(_cluster_of(parties, "sdn-r").entity_ids) == ["sdn-r", "uk-r"]
    assert _cluster_of(parties, "sdn-v").entity_ids == ["sdn-v"]  # souria and surya fold alike: the IMO numbers differ
    assert _cluster_of(parties, "sdn-t").entity_ids == ["sdn-t"]  # one name, two ships


def test_a_ship_or_an_aircraft_is_never_a_firm_of_its_name() -> None:
    # one source lists a party once: each entity here comes from another list, as 'ORION' the firm (OFAC) and the
    # tanker (UK) did
    parties = build_parties([
        *_listed("sdn-o", "Company", "us_ofac_sdn", "US-OFAC-SDN", name=["KORVION"]),
        *_listed("au-o", "Organization", "au_dfat", "AU-DFAT", name=["KORVION LLC"]),
        *_listed("uk-v", "Vessel", "uk_fcdo", "UK-FCDO", name=["KORVION"]),
        *_listed("un-a", "Airplane", "un_sc", "UN-SC", name=["KORVION"]),
        *_listed("dpl-p", "LegalEntity", "us_bis_dpl", "US-BIS-DPL", name=["EASTERN KORVION"]),
    ])
    assert sorted(_cluster_of(parties, "sdn-o").entity_ids) == ["au-o", "sdn-o"]  # two firms of one name join
    assert _cluster_of(parties, "uk-v").entity_ids == ["uk-v"]
    assert _cluster_of(parties, "un-a").entity_ids == ["un-a"]
    assert "uk-v" not in _cluster_of(parties, "dpl-p").entity_ids  # nor behind a place word


def test_two_firms_of_one_name_and_different_legal_forms_each_join_their_own_rows() -> None:
    # Two lists give both firms, in this order; the name alone would pair the first row read with any other list's
    # (PETROM GMBH INTERNATIONAL TRADE and PETROM INTERNACIONAL TRADE, S.L. on the Denied Persons List and the CSL).
    parties = build_parties([
        *_listed("dpl-s", "LegalEntity", "us_bis_dpl", "US-BIS-DPL", name=["KORVION INTERNACIONAL TRADE, S.L."]),
        *_listed("dpl-g", "Company", "us_bis_dpl", "US-BIS-DPL", name=["KORVION GMBH INTERNATIONAL TRADE"]),
        *_listed("csl-g", "Company", "us_csl", "US-CSL", name=["KORVION GMBH INTERNATIONAL TRADE"]),
        *_listed("csl-s", "LegalEntity", "us_csl", "US-CSL", name=["KORVION INTERNACIONAL TRADE, S.L."]),
    ])
    assert sorted(_cluster_of(parties, "dpl-s").entity_ids) == ["csl-s", "dpl-s"]
    assert sorted(_cluster_of(parties, "dpl-g").entity_ids) == ["csl-g", "dpl-g"]
    assert _cluster_of(parties, "dpl-g").merges[0].evidence == "whole_name_form"


def test_a_bare_name_with_its_legal_form_joins_the_one_party_of_that_name_and_form() -> None:
    parties = build_parties([
        *_listed("dpl-s", "LegalEntity", "us_bis_dpl", "US-BIS-DPL", name=["KORVION INTERNACIONAL TRADE, S.L."]),
        *_listed("dpl-g", "Company", "us_bis_dpl", "US-BIS-DPL", name=["KORVION GMBH INTERNATIONAL TRADE"]),
        *_bare("meti-g", "KORVION GMBH INTERNATIONAL TRADE"),
        *_bare("meti-x", "KORVION INTERNATIONAL TRADE"),  # the name alone is two parties': left for review
    ])
    assert sorted(_cluster_of(parties, "dpl-g").entity_ids) == ["dpl-g", "meti-g"]
    assert _cluster_of(parties, "meti-x").entity_ids == ["meti-x"]


def test_one_name_spelt_two_ways_with_one_full_birth_date_is_one_person() -> None:
    parties = build_parties([
        *_listed("sdn-d", "Person", "us_ofac_sdn", "US-OFAC-SDN", name=["BABAEI, Davood"], birthDate=["1962-03-21"]),
        *_listed("uk-d", "Person", "uk_fcdo", "UK-FCDO", name=["Davoud Babaii"], birthDate=["1962-03-21"]),
        *_listed("au-d", "Person", "au_dfat", "AU-DFAT", name=["Davoud BABAEI"], birthDate=["1962-03-22"]),
        *_listed("eu-d", "Person", "eu_fsf", "EU-FSF", name=["Dawood RAHIMI"], birthDate=["1962-03-21"]),
    ])
    person = _cluster_of(parties, "sdn-d")
    assert sorted(person.entity_ids) == ["sdn-d", "uk-d"]
    assert person.merges[0].evidence == "spelt_name_birth_date" and person.merges[0].key == "BABAEI, Davood ~ Davoud Babaii | 1962-03-21"
    assert _cluster_of(parties, "au-d").entity_ids == ["au-d"]  # another day
    assert _cluster_of(parties, "eu-d").entity_ids == ["eu-d"]  # the same day, another name


def test_a_name_and_the_same_name_with_its_short_name_are_one_party() -> None:
    parties = build_parties([
        *_listed("un-l", "Organization", "un_sc", "UN-SC", name=["Liberation Tigers of Tamil Eelam (LTTE)"]),
        *_listed("sdn-l", "Organization", "us_ofac_sdn", "US-OFAC-SDN", name=["LIBERATION TIGERS OF TAMIL EELAM"]),
        *_listed("uk-s", "Organization", "uk_fcdo", "UK-FCDO", name=["Second Academy of Natural Sciences (SANS)"]),
        *_listed("un-s", "Organization", "un_sc", "UN-SC", name=["Second Academy of Natural Science Foreign Affairs Bureau (SANS FAB)"]),
    ])
    assert sorted(_cluster_of(parties, "un-l").entity_ids) == ["sdn-l", "un-l"]
    assert _cluster_of(parties, "uk-s").entity_ids == ["uk-s"]  # a short name is no merge key: SANS is not SANS FAB


def test_a_shared_passport_number_joins_two_lists_records_whatever_birth_years_they_give() -> None:
    """Lists disagree on birth dates (the UK's derived tables give 'Jaber Al-Jalahmah' 1972, the UN and OFAC 1959): a
    passport or national id number outranks them (session 42); two rows of one list still stay apart."""
    parties = build_parties([
        *_listed("sdn-1", "Person", "us_ofac_sdn", "US-OFAC-SDN", name=["AL-KORVANI, Jaber Abdallah"], birthDate=["1959-09-24"], passportNumber=["101423404"]),
        *_listed("uk-1", "Person", "uk_fcdo_derived", "UK", name=["Jaber Abdallah AL-KORVANI"], birthDate=["1972-01-01"], passportNumber=["101423404"]),
        *_listed("uk-2", "Person", "uk_fcdo_derived", "UK", name=["Jaber AL-KORVANI"], birthDate=["1980"], passportNumber=["101423404"]),
    ])
    assert sorted(sorted(p.entity_ids) for p in parties) in ([["sdn-1", "uk-1"], ["uk-2"]], [["sdn-1", "uk-2"], ["uk-1"]])
    assert any(m.evidence == "identifier" for p in parties for m in p.merges)


def _un_listed(eid: str, source: str, name: str, reference: str) -> list[SourceEntity]:
    entity = _entity(eid, "Person", name=[name])
    sanction = _entity(f"{eid}-s", "Sanction", entity=[eid], programId=[source], authority=["test"], unscId=[reference])
    return [SourceEntity(entity, source, f"{source}@t"), SourceEntity(sanction, source, f"{source}@t")]


def test_a_un_reference_joins_the_record_that_cites_it_when_their_names_share_a_word() -> None:
    parties = build_parties([
        *_un_listed("un-sc-CDi.930", "un_sc", "BOSCO KORVANDA", "CDi.930"),
        *_un_listed("uk-DRC0925", "uk_fcdo_derived", "Bosco NTAKORVANDA, Korvanda", "CDi.930"),
        *_un_listed("un-sc-HTi.909", "un_sc", "KEMPES SANKORV", "HTi.909"),
        *_un_listed("uk-HAI0912", "uk_fcdo_derived", "Dimitri Herkorv", "HTi.909"),  # a reference cited wrong
    ])
    assert sorted(sorted(p.entity_ids) for p in parties) == [["uk-DRC0925", "un-sc-CDi.930"], ["uk-HAI0912"], ["un-sc-HTi.909"]]
    assert _cluster_of(parties, "uk-DRC0925").merges[0].key == "UN reference | CDI.930"

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

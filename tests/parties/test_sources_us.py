"""US list readers against the real snapshots in REDLINE_DATA: counts, known traps, damaged input."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from followthemoney import EntityProxy

from redline.parties.sources import bis_dpl, csl, ofac_cons, ofac_enhanced, ofac_sdn
from redline.parties.sources.base import ListFormatError
from redline.parties.sources.common import name_key

CSL = "lists/us_csl/2022-04/consolidated.csv"
SDN_SET = "lists/ofac_sdn/2021-07-07"
SDN_2024 = "lists/ofac_sdn/2024-05-03/sdn.csv"
SDN_ORPHANS = "lists/ofac_sdn/2025-01-06_add_alt_only"
CONS_SET = "lists/ofac_non_sdn/2025-12-19"
ENHANCED = "lists/ofac_non_sdn/2025-01-14_enhanced_xml/CONS_ENHANCED.ZIP"
DPL = "lists/ofac_sdn/2021-07-07/bis_dpl.txt"

SUBJECTS = {"Person", "Company", "Organization", "LegalEntity", "Vessel", "Airplane"}


def _path(data_dir: Path, relative: str) -> Path:
    path = Path(data_dir) / relative
    if not path.exists():
        pytest.skip(f"{relative} not in REDLINE_DATA")
    return path


_CACHE: dict[tuple[str, str], list[EntityProxy]] = {}


def _read(reader, path: Path) -> list[EntityProxy]:
    key = (reader.info.name, str(path))
    if key not in _CACHE:
        _CACHE[key] = list(reader.read(path))
    return _CACHE[key]


def _subjects(entities: list[EntityProxy]) -> list[EntityProxy]:
    return [e for e in entities if e.schema.name in SUBJECTS]


def _named(entities: list[EntityProxy], name: str) -> list[EntityProxy]:
    return [e for e in _subjects(entities) if name in e.get("name")]


def _sanctions_of(entities: list[EntityProxy], entity_id: str) -> list[EntityProxy]:
    return [e for e in entities if e.schema.name == "Sanction" and entity_id in e.get("entity")]


@pytest.fixture
def csl_entities(data_dir) -> list[EntityProxy]:
    return _read(csl.READERS[0], _path(data_dir, CSL))


# --- CSL -----------------------------------------------------------------------------------


def test_csl_one_sanction_per_row_and_program_ids(csl_entities):
    sanctions = Counter(e.first("programId") for e in csl_entities if e.schema.name == "Sanction")
    assert sum(sanctions.values()) == 14160
    assert sanctions["US-BIS-EL"] == 2001
    assert sanctions["US-OFAC-SDN"] == 10026
    assert sanctions["US-OFAC-NS-CMIC"] == 68
    assert len(_subjects(csl_entities)) >= 14160
    ids = [e.id for e in csl_entities]
    assert len(ids) == len(set(ids))


def test_csl_hikvision_entity_list_row(csl_entities):
    rows = _named(csl_entities, "Hangzhou Hikvision Digital Technology Co., Ltd.")
    assert len(rows) == 1
    hik = rows[0]
    assert hik.schema.name == "Company"
    assert "Hikvision" in hik.get("alias")
    assert "cn" in hik.get("country")
    assert any("Qianmo Road" in a for a in hik.get("address"))
    (sanction,) = _sanctions_of(csl_entities, hik.id)
    assert sanction.first("programId") == "US-BIS-EL"
    assert sanction.first("listingDate") == "2019-10-09"
    cmic = _named(csl_entities, "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.")
    assert len(cmic) == 1 and cmic[0].id != hik.id
    assert "CNE100000PM8" in cmic[0].get("isinCode")


def test_csl_affiliated_entity_text_split_into_a_link(csl_entities):
    (longshine,) = _named(csl_entities, "Beijing Huawei Longshine Information Technology Co., Ltd.")
    assert not any("Affiliated" in n for n in longshine.get("name") + longshine.get("alias"))
    links = [e for e in csl_entities if e.schema.name == "UnknownLink" and longshine.id in e.get("subject")]
    assert [link.first("role") for link in links] == ["Affiliated entity"]
    target = next(e for e in csl_entities if e.id == links[0].first("object"))
    assert name_key(target.first("name")) == name_key("Huawei Technologies Co., Ltd.")
    (target_sanction,) = _sanctions_of(csl_entities, target.id)
    assert target_sanction.first("programId") == "US-BIS-EL"  # resolved on its own list first


def test_csl_huawei_rows_stay_distinct(csl_entities):
    el_ids = {e.first("entity") for e in csl_entities if e.schema.name == "Sanction" and e.first("programId") == "US-BIS-EL"}
    huawei = [e for e in _subjects(csl_entities) if e.id in el_ids and "huawei" in " ".join(e.get("name")).lower()]
    assert len(huawei) >= 130
    assert len({e.id for e in huawei}) == len(huawei)
    assert not any("Affiliated Entity" in n for e in huawei for n in e.get("name"))


def test_csl_embedded_address_split_from_name(csl_entities):
    (chengdu,) = _named(csl_entities, "Chengdu Huawei Technologies Co., Ltd.")
    assert "Chengdu, Sichuan" in chengdu.get("address")
    # an institute after the legal form is part of the name, not an address
    assert _named(csl_entities, "Huawei Technologies Co., Ltd., Beijing Research Institute")


def test_csl_aliases_glued_with_and(csl_entities):
    (sensetime,) = _named(csl_entities, "Beijing Sensetime Technology Development Co., Ltd.")
    assert set(sensetime.get("alias")) == {"Beijing Shangtang Technology Development Co., Ltd.", "Sense Time"}


def test_csl_question_mark_kept_and_flagged(csl_entities):
    (xian,) = _named(csl_entities, "Xi?an Huawei Technologies Co., Ltd.")
    assert csl.WILDCARD_NOTE in xian.get("notes")
    clean = _named(csl_entities, "NSO Group")
    assert clean and csl.WILDCARD_NOTE not in clean[0].get("notes")


def test_csl_dahua_megvii_nso(csl_entities):
    assert _named(csl_entities, "Dahua Technology")
    assert _named(csl_entities, "Megvii Technology")
    (nso,) = _named(csl_entities, "NSO Group")
    assert "il" in nso.get("country")


def test_csl_name_parsing_rules():
    parsed = csl.parse_listed_name("Chitron Electronics Company Ltd., a.k.a. Chi-Chung Electronics Company Ltd. (Chitron-Shenzhen)")
    assert parsed.name == "Chitron Electronics Company Ltd."
    assert parsed.aliases
    parsed = csl.parse_listed_name("Gazprom Promgaz, AO (f.k.a. Otkrytoe Aktsionernoe Obshchestvo Gazprom Promgaz)")
    assert parsed.name == "Gazprom Promgaz, AO"
    assert parsed.previous_names == ["Otkrytoe Aktsionernoe Obshchestvo Gazprom Promgaz"]
    aliases, previous = csl.split_alt_names("Gazprom Neft OAO; JSC Gazprom Neft; f.k.a. Sibirskaya Neftyanaya Kompaniya OAO")
    assert aliases == ["Gazprom Neft OAO", "JSC Gazprom Neft"]
    assert previous == ["Sibirskaya Neftyanaya Kompaniya OAO"]


def test_csl_persons_and_vessels(csl_entities):
    person = next(e for e in csl_entities if e.id == "us-csl-26095")
    assert person.schema.name == "Person"
    assert {"1967", "1966", "1968"} <= set(person.get("birthDate"))
    assert "iq" in person.get("nationality")
    vessel = next(e for e in csl_entities if e.id == "us-csl-25277")
    assert vessel.schema.name == "Vessel"
    assert vessel.get("imoNumber") == ["IMO8984484"]
    links = [e for e in csl_entities if e.schema.name == "UnknownLink" and vessel.id in e.get("subject")]
    assert links and links[0].first("role") == "Linked to"


def test_csl_unknown_source_is_refused(tmp_path, data_dir):
    lines = _path(data_dir, CSL).read_text(encoding="utf-8").splitlines(keepends=True)
    bad = tmp_path / "consolidated.csv"
    bad.write_text(lines[0] + lines[1].replace("Denied Persons List (DPL)", "Some New List (XYZ)") + lines[2], encoding="utf-8")
    with pytest.raises(ListFormatError, match=r"consolidated\.csv:2: unknown CSL source"):
        list(csl.READERS[0].read(bad))


def test_csl_wrong_column_count_refused(tmp_path, data_dir):
    lines = _path(data_dir, CSL).read_text(encoding="utf-8").splitlines(keepends=True)
    bad = tmp_path / "consolidated.csv"
    bad.write_text(lines[0] + lines[1] + lines[2].rstrip("\n") + ",extra\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match=r":3: expected 29 columns"):
        list(csl.READERS[0].read(bad))


def test_csl_truncated_file_refused(tmp_path, data_dir):
    data = _path(data_dir, CSL).read_bytes()
    cut = data.index(b"Beijing Sensetime")  # inside a quoted, multi-comma row
    bad = tmp_path / "consolidated.csv"
    bad.write_bytes(data[: cut + 200])
    with pytest.raises(ListFormatError) as error:
        list(csl.READERS[0].read(bad))
    assert "consolidated.csv" in str(error.value) and isinstance(error.value.line, int) and error.value.line > 1


# --- OFAC SDN / consolidated CSV sets -------------------------------------------------------


def test_sdn_set_counts_and_joins(data_dir):
    entities = _read(ofac_sdn.READERS[0], _path(data_dir, SDN_SET))
    assert len(_subjects(entities)) >= 8976
    assert sum(e.schema.name == "Sanction" for e in entities) == 8976
    bnc = next(e for e in entities if e.id == "us-ofac-sdn-306")
    assert "NATIONAL BANK OF CUBA" in bnc.get("alias")  # from alt.csv
    assert "BNC" in bnc.get("weakAlias")  # from the remarks
    assert {"ch", "es", "jp", "pa"} <= set(bnc.get("country"))  # from add.csv


def test_sdn_bare_file_vessel_and_links(data_dir):
    entities = _read(ofac_sdn.READERS[0], _path(data_dir, SDN_2024))
    assert sum(e.schema.name == "Sanction" for e in entities) == 14965
    ebano = next(e for e in entities if e.id == "us-ofac-sdn-4243")
    assert ebano.schema.name == "Vessel"
    assert ebano.get("imoNumber") == ["IMO7406784"]
    assert set(ebano.get("previousName")) == {"ANA I", "SAND SWAN"}
    assert ebano.get("flag") == ["pa"]
    ids = {e.id for e in entities}
    links = [e for e in entities if e.schema.name == "UnknownLink"]
    assert len(links) > 5000
    assert all(link.first("object") in ids for link in links)


def test_sdn_orphan_add_alt_refused(data_dir):
    folder = _path(data_dir, SDN_ORPHANS)
    reader = ofac_sdn.READERS[0]
    assert reader.detect(folder)
    with pytest.raises(ListFormatError, match="without sdn.csv"):
        list(reader.read(folder))


def test_sdn_wrong_column_count_refused(tmp_path, data_dir):
    lines = _path(data_dir, SDN_2024).read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "sdn.csv").write_text("".join(lines[:3]) + '999,"X",-0- ,"CUBA"\r\n' + "".join(lines[3:6]), encoding="utf-8")
    with pytest.raises(ListFormatError, match=r"sdn\.csv:4: expected 12 columns"):
        list(ofac_sdn.READERS[0].read(tmp_path / "sdn.csv"))


@pytest.mark.parametrize("name", ["sdn.csv", "alt.csv", "add.csv"])
def test_sdn_truncated_files_refused(tmp_path, data_dir, name):
    source = _path(data_dir, SDN_SET)
    for item in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"):
        shutil.copy(source / item, tmp_path / item)
    data = (source / name).read_bytes()
    cut = data.index(b',"', len(data) // 2) + 5  # inside a quoted field
    (tmp_path / name).write_bytes(data[:cut])
    with pytest.raises(ListFormatError) as error:
        list(ofac_sdn.READERS[0].read(tmp_path))
    assert name in str(error.value) and isinstance(error.value.line, int)


def test_cons_set_chinese_companies(data_dir):
    entities = _read(ofac_cons.READERS[0], _path(data_dir, CONS_SET))
    hik = next(e for e in entities if e.id == "us-ofac-cons-30946")
    assert "HIKVISION" in hik.get("alias")
    assert "CNE100000PM8" in hik.get("isinCode")
    assert [s.first("programId") for s in _sanctions_of(entities, hik.id)] == ["US-OFAC-NS-CMIC"]
    for name in ("HUAWEI TECHNOLOGIES CO., LTD.", "SENSETIME GROUP LIMITED", "MEGVII TECHNOLOGY LIMITED"):
        assert len(_named(entities, name)) == 1
    programs = Counter(e.first("programId") for e in entities if e.schema.name == "Sanction")
    assert programs["US-OFAC-NS-CMIC"] == 68 and programs["US-OFAC-PLC"] > 50 and programs["US-OFAC-SSI"] > 200


def test_ofac_detect_is_precise(data_dir):
    sdn, cons = ofac_sdn.READERS[0], ofac_cons.READERS[0]
    assert sdn.detect(_path(data_dir, SDN_2024))
    assert not sdn.detect(_path(data_dir, CSL))
    assert not sdn.detect(_path(data_dir, CONS_SET) / "cons_prim.csv")
    assert not sdn.detect(_path(data_dir, SDN_SET) / "add.csv")  # part of a complete set, read with sdn.csv
    assert cons.detect(_path(data_dir, CONS_SET)) and not cons.detect(_path(data_dir, SDN_2024))


# --- OFAC ENHANCED_XML ---------------------------------------------------------------------


def test_enhanced_zip(data_dir):
    reader = ofac_enhanced.READERS[0]
    path = _path(data_dir, ENHANCED)
    assert reader.detect(path)
    assert reader.data_date(path) == "2025-01-10"
    entities = _read(reader, path)
    assert 400 <= len(_subjects(entities)) <= 500
    hik = next(e for e in entities if e.id == "us-ofac-cons-30946")
    assert {"HIKVISION", "HANGZHOU HIKVISION DIGITAL TECHNOLOGY"} <= set(hik.get("alias"))
    assert "CNE100000PM8" in hik.get("isinCode")
    (sanction,) = _sanctions_of(entities, hik.id)
    assert sanction.first("programId") == "US-OFAC-NS-CMIC" and sanction.first("listingDate") == "2021-06-03"
    ids = {e.id for e in entities}
    owned = [e for e in entities if e.schema.name == "Ownership"]
    assert owned and all(o.first("owner") in ids and o.first("asset") in ids for o in owned)


def test_enhanced_unzipped_and_truncated(tmp_path, data_dir):
    import zipfile

    with zipfile.ZipFile(_path(data_dir, ENHANCED)) as archive:
        xml = archive.read(archive.namelist()[0])
    full = tmp_path / "CONS_ENHANCED.XML"
    full.write_bytes(xml)
    reader = ofac_enhanced.READERS[0]
    assert reader.detect(full)
    assert len(list(reader.read(full))) == len(_read(reader, _path(data_dir, ENHANCED)))
    cut = tmp_path / "cut.xml"
    cut.write_bytes(xml[: len(xml) // 2])
    with pytest.raises(ListFormatError) as error:
        list(reader.read(cut))
    assert "cut.xml" in str(error.value) and isinstance(error.value.line, int)
    damaged = tmp_path / "CONS_ENHANCED.ZIP"
    damaged.write_bytes(_path(data_dir, ENHANCED).read_bytes()[:100_000])
    with pytest.raises(ListFormatError, match="CONS_ENHANCED.ZIP"):
        list(reader.read(damaged))


# --- BIS Denied Persons List ---------------------------------------------------------------


def test_dpl_reads_and_keeps_dahua_electronics_apart(data_dir):
    entities = _read(bis_dpl.READERS[0], _path(data_dir, DPL))
    assert 550 <= len(_subjects(entities)) <= 600
    (dahua,) = [e for e in _subjects(entities) if "dahua" in e.first("name").lower()]
    assert dahua.first("name") == "DAHUA ELECTRONICS CORPORATION"
    assert any("FLUSHING" in a for a in dahua.get("address"))
    (sanction,) = _sanctions_of(entities, dahua.id)
    assert sanction.first("programId") == "US-BIS-DPL" and sanction.first("listingDate") == "2017-09-28"


def test_dpl_truncated_refused(tmp_path, data_dir):
    data = _path(data_dir, DPL).read_bytes()
    bad = tmp_path / "dpl.txt"
    bad.write_bytes(data[: data.index(b"\t", len(data) // 2) + 3])
    with pytest.raises(ListFormatError) as error:
        list(bis_dpl.READERS[0].read(bad))
    assert "dpl.txt" in str(error.value) and isinstance(error.value.line, int)


def test_detectors_claim_only_their_own_files(data_dir):
    files = [CSL, SDN_2024, DPL, ENHANCED, "lists/un_sc/2026-02-27/UN_consolidated.xml"]
    readers = [csl.READERS[0], ofac_sdn.READERS[0], bis_dpl.READERS[0], ofac_enhanced.READERS[0], None]
    for relative, owner in zip(files, readers):
        path = Path(data_dir) / relative
        if not path.exists():
            continue
        for reader in (csl.READERS[0], ofac_sdn.READERS[0], ofac_cons.READERS[0], bis_dpl.READERS[0], ofac_enhanced.READERS[0]):
            assert reader.detect(path) == (reader is owner), (relative, reader.info.name)

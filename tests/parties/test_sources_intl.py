"""The non-US list readers (and the smaller US tables) against the real snapshots in REDLINE_DATA."""

from __future__ import annotations

import importlib
import io
import pkgutil
import shutil
from collections import Counter
from pathlib import Path

import pytest
from followthemoney import EntityProxy

import redline.parties.sources as sources_package
from redline.parties.sources import au_dfat, bis_mieu, cn_mfa, dod_1260h, fcc_covered, ftm_json, names_only, ndaa, uk_derived, un_sc
from redline.parties.sources.base import ListFormatError

UN_OLD = "lists/un_sc/2024-11-30/UN_consolidated.xml"
UN_NEW = "lists/un_sc/2026-02-27/UN_consolidated.xml"
UK = "lists/uk_sanctions_list/2026-04_derived"
AU = "lists/au_dfat/2024-12/regulation8_consolidated.xlsx"
DOD = "lists/us_dod_1260h/dod_chinese_military_companies_1260h.csv"
MISC = "lists/us_misc_opensanctions_repo"
FCC = f"{MISC}/fcc_covered_list_table.csv"
CN = f"{MISC}/cn_mfa_countersanctions.csv"
NAMES = "lists/names_only_csl_meti_2022-12/list.csv"

_cache: dict[tuple[str, str], list[EntityProxy]] = {}


def read_all(reader, path: Path) -> list[EntityProxy]:
    key = (reader.info.name, str(path))
    if key not in _cache:
        _cache[key] = list(reader.read(path))
    return _cache[key]


def schemas(entities: list[EntityProxy]) -> Counter:
    return Counter(entity.schema.name for entity in entities)


def by_id(entities: list[EntityProxy]) -> dict[str, EntityProxy]:
    return {entity.id: entity for entity in entities}


def find(entities: list[EntityProxy], fragment: str, schema: str | None = None) -> EntityProxy:
    for entity in entities:
        if (schema is None or entity.schema.name == schema) and any(fragment in name for name in entity.get("name", quiet=True)):
            return entity
    raise AssertionError(f"no entity named like {fragment!r}")


def assert_well_formed(entities: list[EntityProxy], program_id: str) -> None:
    ids = [entity.id for entity in entities]
    assert len(ids) == len(set(ids)), "duplicate entity ids"
    known = set(ids)
    sanctions = [entity for entity in entities if entity.schema.name == "Sanction"]
    assert sanctions
    for sanction in sanctions:
        assert sanction.get("entity")[0] in known, f"{sanction.id} points at nothing"
        assert sanction.get("programId") == [program_id]
    for entity in entities:
        if entity.schema.is_a("Thing") and not entity.schema.name == "Sanction":
            assert entity.get("name", quiet=True), f"{entity.id} has no name"


# --- counts and content ---------------------------------------------------------------------------


def test_un_snapshots(data_dir: Path) -> None:
    reader = un_sc.READERS[0]
    old, new = read_all(reader, data_dir / UN_OLD), read_all(reader, data_dir / UN_NEW)
    assert reader.data_date(data_dir / UN_NEW) == "2026-02-27"
    assert reader.data_date(data_dir / UN_OLD) == "2024-11-30"
    for entities, low, high in ((old, 800, 1000), (new, 950, 1100)):
        assert_well_formed(entities, "UN-SC")
        counts = schemas(entities)
        assert low <= counts["Person"] + counts["Organization"] <= high
        assert counts["Sanction"] == counts["Person"] + counts["Organization"]
    old_parties = {e.id: e for e in old if e.schema.name != "Sanction"}
    new_parties = {e.id: e for e in new if e.schema.name != "Sanction"}
    shared = old_parties.keys() & new_parties.keys()
    assert len(shared) >= 800
    same_name = sum(1 for i in shared if old_parties[i].get("name") == new_parties[i].get("name"))
    assert same_name / len(shared) > 0.95
    # An entry known in both snapshots keeps its id: the DRC individual Eric Badege.
    assert "un-sc-CDi.001" in shared and new_parties["un-sc-CDi.001"].first("name") == "ERIC BADEGE"


def test_un_person_details(data_dir: Path) -> None:
    entities = by_id(read_all(un_sc.READERS[0], data_dir / UN_NEW))
    hassan = entities["un-sc-CDi.040"]
    assert "ABU WAQAS" in hassan.get("weakAlias")
    assert "AHMAD MAHMOUD HASSAN" in hassan.get("alias")
    assert "AB850901" in hassan.get("passportNumber")
    assert "1997-07-21" in hassan.get("birthDate")
    sanction = entities["un-sc-cdi.040-sanction-un-sc"]
    assert sanction.first("listingDate") and "DRC" in sanction.first("program")
    ranges = [e for e in entities.values() if e.schema.name == "Person" and len(e.get("birthDate")) >= 4]
    assert ranges, "FROM_YEAR..TO_YEAR ranges should expand into years"


def test_uk_derived(data_dir: Path) -> None:
    reader = uk_derived.READERS[0]
    folder = data_dir / UK
    assert reader.detect(folder) and reader.detect(folder / "subjects.csv")
    assert not reader.detect(folder / "subject_names.csv")
    entities = read_all(reader, folder)
    assert_well_formed(entities, "UK-FCDO")
    counts = schemas(entities)
    assert counts["Person"] + counts["Organization"] + counts["Vessel"] == 6046
    assert counts["Vessel"] > 500
    vessel = next(e for e in entities if e.schema.name == "Vessel" and e.get("imoNumber"))
    assert vessel.first("imoNumber").startswith("IMO")
    assert reader.data_date(folder) == "2026-04-29"


def test_uk_orphan_row(tmp_path: Path, data_dir: Path) -> None:
    folder = tmp_path / "uk"
    folder.mkdir()
    source = data_dir / UK
    (folder / "subjects.csv").write_text((source / "subjects.csv").read_text(encoding="utf-8").splitlines()[0] + "\nAFG0001,entity,,1,29/06/2012,16/04/2026\n", encoding="utf-8")
    names_header = (source / "subject_names.csv").read_text(encoding="utf-8").splitlines()[0]
    (folder / "subject_names.csv").write_text(f"{names_header}\n1,AFG0001,primary,,Known,Known,,,,,\n2,XXX0999,alias,,Ghost,Ghost,,,,,\n", encoding="utf-8")
    with pytest.raises(ListFormatError) as error:
        list(uk_derived.READERS[0].read(folder))
    assert error.value.path.endswith("subject_names.csv") and error.value.line == 3


def test_au_dfat_groups_aliases(data_dir: Path) -> None:
    entities = read_all(au_dfat.READERS[0], data_dir / AU)
    assert_well_formed(entities, "AU-DFAT")
    counts = schemas(entities)
    assert 2500 <= counts["Person"] + counts["Organization"] <= 3500  # 9,560 rows, one per name
    kabir = by_id(entities)["au-dfat-3"]  # rows "3", "3a" (aka), "3b" (original script)
    assert kabir.get("name") == ["Abdul Kabir Mohammad Jan"]
    assert set(kabir.get("alias")) == {"A. Kabir", "عبد الکبیر محمد جان"}
    assert by_id(entities)["au-dfat-3-sanction-au-dfat"].first("listingDate") == "2001-01-25"


def test_dod_1260h_ownership(data_dir: Path) -> None:
    reader = dod_1260h.READERS[0]
    entities = read_all(reader, data_dir / DOD)
    assert_well_formed(entities, "US-DOD-1260H")
    index = by_id(entities)
    companies = [e for e in entities if e.schema.name == "Company"]
    assert 180 <= len(companies) <= 260  # 397 rows over several editions
    edges = {(index[o.first("owner")].first("name"), index[o.first("asset")].first("name")) for o in entities if o.schema.name == "Ownership"}
    assert ("China Electronics Technology Group Corporation", "Hangzhou Hikvision Digital Technology Co., Ltd.") in edges
    assert ("Zhejiang Dahua Technology Co., Ltd.", "Chengdu Dahua Wisdom Information Technology Co., Ltd.") in edges
    assert ("Huawei Investment & Holding Co., Ltd.", "Huawei Technologies Co., Ltd.") in edges
    cetc = find(entities, "China Electronics Technology Group Corporation", "Company")
    assert cetc.id.startswith("us-dod-1260h-"), "a listed parent links to its own row's entity"
    chengdu = [o for o in entities if o.schema.name == "Ownership" and "Chengdu Dahua" in index[o.first("asset")].first("name")]
    assert len(chengdu) == 1, "two spellings of one parent give one edge"
    hikvision = find(entities, "Hangzhou Hikvision", "Company")
    assert "Hikvision" in hikvision.get("alias")
    assert index[f"{hikvision.id}-sanction-us-dod-1260h"].first("listingDate") == "2021-06-03"
    assert reader.data_date(data_dir / DOD) == "2026-06-08"


FCC_EXPECTED = [
    ["Huawei Technologies Company"],
    ["ZTE Corporation"],
    ["Hytera Communications Corporation"],
    ["Hangzhou Hikvision Digital Technology Company"],
    ["Dahua Technology Company"],
    ["AO Kaspersky Lab"],
    ["China Mobile International USA Inc."],
    ["China Telecom (Americas) Corp."],
    ["Pacific Networks Corp", "ComNet (USA) LLC"],
    ["China Unicom (Americas) Operations Limited"],
    ["Kaspersky Lab, Inc."],
    [],  # foreign-produced drones: a class of products, no producer
    [],  # foreign-produced routers
    ["Digitalsystem Technology Inc."],
    [],  # power inverters
    [],  # robotic devices
]


def test_fcc_parser_every_row(data_dir: Path) -> None:
    from redline.parties.sources.common import iter_csv_records

    rows = [row["covered_equipment_or_services"] for _line, row in iter_csv_records(data_dir / FCC)]
    assert [[name for name, _parent in fcc_covered.covered_producers(text)] for text in rows] == FCC_EXPECTED
    assert fcc_covered.covered_producers("Telecommunications equipment produced by ACME Widgets Ltd, including services.") == [("ACME Widgets Ltd", None)]


def test_fcc_reader(data_dir: Path) -> None:
    entities = read_all(fcc_covered.READERS[0], data_dir / FCC)
    assert_well_formed(entities, "US-FCC-COVERED")
    assert schemas(entities)["Company"] == 13  # Pacific Networks and its subsidiary ComNet share a row
    huawei = find(entities, "Huawei Technologies Company")
    sanction = next(e for e in entities if e.schema.name == "Sanction" and e.first("entity") == huawei.id)
    assert sanction.first("listingDate") == "2021-03-12"
    ownership = next(e for e in entities if e.schema.name == "Ownership")
    assert by_id(entities)[ownership.first("owner")].first("name") == "Pacific Networks Corp"
    assert ownership.first("percentage") == "100"


def test_ndaa_and_mieu(data_dir: Path) -> None:
    reader_889, reader_1286 = ndaa.READERS
    e889 = read_all(reader_889, data_dir / MISC / "ndaa_section_889.csv")
    e1286 = read_all(reader_1286, data_dir / MISC / "ndaa_section_1286.csv")
    assert_well_formed(e889, "US-NDAA-889")
    assert_well_formed(e1286, "US-NDAA-1286")
    assert {e.first("name") for e in e889 if e.schema.name == "Company"} >= {"Huawei Technologies Company", "Hangzhou Hikvision Digital Technology Company", "Dahua Technology Company"}
    assert 150 <= schemas(e1286)["Company"] <= 197  # 443 rows, one per institution per report year
    mieu = read_all(bis_mieu.READERS[0], data_dir / MISC / "bis_mieu.csv")
    assert_well_formed(mieu, "US-BIS-MIEU")
    gru = find(mieu, "Main Intelligence Directorate")
    assert "GRU" in gru.get("alias") and gru.get("country") == ["ru"]


def test_cn_mfa_chinese_names(data_dir: Path) -> None:
    entities = read_all(cn_mfa.READERS[0], data_dir / CN)
    assert_well_formed(entities, "CN-MFA")
    counts = schemas(entities)
    assert 400 <= counts["Person"] + counts["Company"] + counts["Organization"] <= 610
    ned = find(entities, "National Endowment for Democracy")
    assert "美国国家民主基金会" in ned.get("name")
    with_chinese = [e for e in entities if any(any("\u4e00" <= ch <= "\u9fff" for ch in n) for n in e.get("name", quiet=True))]
    assert len(with_chinese) >= 300
    sanction = next(e for e in entities if e.schema.name == "Sanction" and e.first("entity") == ned.id)
    assert sanction.first("listingDate") == "2019-12-02"
    two_digit_years = [e.first("listingDate") for e in entities if e.schema.name == "Sanction" and e.first("listingDate")]
    assert all(d.startswith("20") for d in two_digit_years), "13.07.20 means 2020"


def test_names_only(data_dir: Path) -> None:
    entities = read_all(names_only.READERS[0], data_dir / NAMES)
    assert_well_formed(entities, "NAMES-ONLY-CSL-METI")  # of mixed origin: no jurisdiction's programme
    assert 30000 <= schemas(entities)["LegalEntity"] <= 37917
    air_koryo = next(e for e in entities if e.schema.name == "LegalEntity" and "高麗航空" in e.get("alias"))
    assert air_koryo.first("name").casefold() == "air koryo"
    links = [e for e in entities if e.schema.name == "UnknownLink"]
    assert links and all(link.first("role") == "Affiliated Entity" for link in links)
    sanction = next(e for e in entities if e.schema.name == "Sanction")
    assert sanction.first("program") == "CSL + METI names list (unattributed)"
    assert not any(e.get("authority") for e in entities if e.schema.name == "Sanction")


# --- FtM JSON -------------------------------------------------------------------------------------


def test_ftm_json_round_trip(tmp_path: Path, data_dir: Path) -> None:
    original = read_all(dod_1260h.READERS[0], data_dir / DOD)
    path = tmp_path / "export.jsonl"
    assert ftm_json.export_entities(original, path) == len(original)
    reader = ftm_json.READERS[0]
    assert reader.detect(path)
    loaded = list(reader.read(path))
    assert [e.to_dict() for e in loaded] == [e.to_dict() for e in original]
    again = io.StringIO()
    ftm_json.export_entities(loaded, again)
    assert again.getvalue() == path.read_text(encoding="utf-8")
    array = tmp_path / "array.json"
    array.write_text("[" + ",".join(path.read_text(encoding="utf-8").splitlines()) + "]", encoding="utf-8")
    assert len(list(reader.read(array))) == len(original)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "x-1", "schema": "Spaceship", "properties": {}}', "schema"),
        ('{"id": "x-1", "schema": "Person", "properties": {"wingspan": ["3"]}}', "wingspan"),
        ('{"id": "x-1", "schema": "Person", "properties": {"name": ["A"]', "JSON"),
    ],
)
def test_ftm_json_rejects(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x-0", "schema": "Person", "properties": {"name": ["Ok"]}}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(ListFormatError) as error:
        list(ftm_json.READERS[0].read(path))
    assert error.value.line == 2 and message in error.value.message and str(path) in str(error.value)


# --- truncation -----------------------------------------------------------------------------------


def cut_mid_line(source: Path, target: Path, fraction: float = 0.6) -> Path:
    """Copy `source` up to just after the first comma of the line at `fraction` of its size."""
    data = source.read_bytes()
    start = data.rfind(b"\n", 0, int(len(data) * fraction)) + 1
    end = data.index(b",", start) + 1
    target.write_bytes(data[:end])
    return target


def cut_inside_quotes(source: Path, target: Path, fraction: float = 0.5) -> Path:
    """Copy `source` up to a few characters into the quoted field that opens the next line."""
    data = source.read_bytes()
    start = data.index(b'\n"', int(len(data) * fraction)) + 2
    target.write_bytes(data[: start + 4])
    return target


def cut_bytes(source: Path, target: Path, fraction: float = 0.5) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * fraction)])
    return target


@pytest.mark.parametrize(
    ("module", "relative", "cut"),
    [
        (un_sc, UN_NEW, cut_bytes),
        (au_dfat, AU, cut_bytes),
        (dod_1260h, DOD, cut_mid_line),
        (fcc_covered, FCC, cut_bytes),
        (cn_mfa, CN, cut_mid_line),
        (bis_mieu, f"{MISC}/bis_mieu.csv", cut_mid_line),
        (ndaa, f"{MISC}/ndaa_section_1286.csv", cut_mid_line),
        (names_only, NAMES, cut_inside_quotes),
        (fcc_covered, FCC, cut_inside_quotes),
    ],
)
def test_truncated_file_raises(tmp_path: Path, data_dir: Path, module, relative: str, cut) -> None:
    source = data_dir / relative
    target = cut(source, tmp_path / source.name)
    reader = next(r for r in module.READERS if r.detect(source))
    with pytest.raises(ListFormatError) as error:
        list(reader.read(target))
    assert error.value.path == str(target)
    assert error.value.line is not None


def test_truncated_uk_table_raises(tmp_path: Path, data_dir: Path) -> None:
    folder = tmp_path / "uk"
    shutil.copytree(data_dir / UK, folder)
    cut_mid_line(data_dir / UK / "subject_identifiers.csv", folder / "subject_identifiers.csv")
    with pytest.raises(ListFormatError) as error:
        list(uk_derived.READERS[0].read(folder))
    assert error.value.path.endswith("subject_identifiers.csv") and isinstance(error.value.line, int)


def test_unterminated_quote_raises(tmp_path: Path) -> None:
    path = tmp_path / "bis_mieu.csv"
    path.write_text('Type,Name,Alias,Country,Topics,Program,Date,End date,Source URL\nOrganization,"Cut off here\n', encoding="utf-8")
    with pytest.raises(ListFormatError) as error:
        list(bis_mieu.READERS[0].read(path))
    assert error.value.line == 2


# --- detection ------------------------------------------------------------------------------------


def all_readers() -> list:
    readers = []
    for module_info in pkgutil.iter_modules(sources_package.__path__):
        module = importlib.import_module(f"{sources_package.__name__}.{module_info.name}")
        readers.extend(getattr(module, "READERS", ()))
    return readers


EXPECTED_CLAIMS = {
    UN_OLD: "un_sc",
    UN_NEW: "un_sc",
    f"{UK}/subjects.csv": "uk_fcdo_derived",
    AU: "au_dfat",
    DOD: "us_dod_1260h",
    FCC: "us_fcc_covered",
    CN: "cn_mfa",
    f"{MISC}/bis_mieu.csv": "us_bis_mieu",
    f"{MISC}/ndaa_section_889.csv": "us_ndaa_889",
    f"{MISC}/ndaa_section_1286.csv": "us_ndaa_1286",
    NAMES: "names_csl_meti",
}


def test_detect_is_exclusive(data_dir: Path) -> None:
    """Every list file is claimed by at most one reader; ours claim exactly their own files."""
    readers = all_readers()
    mine = {r.info.name for module in (un_sc, uk_derived, au_dfat, dod_1260h, fcc_covered, ndaa, bis_mieu, cn_mfa, names_only, ftm_json) for r in module.READERS}
    for path in sorted((data_dir / "lists").rglob("*")):
        claims = [r.info.name for r in readers if r.detect(path)]
        assert len(claims) <= 1, f"{path} claimed by {claims}"
        relative = str(path.relative_to(data_dir))
        if relative in EXPECTED_CLAIMS:
            assert claims == [EXPECTED_CLAIMS[relative]], relative
        elif claims and claims[0] in mine and not (path.is_dir() and claims[0] == "uk_fcdo_derived"):
            raise AssertionError(f"{claims[0]} claims {relative}, which is not its file")

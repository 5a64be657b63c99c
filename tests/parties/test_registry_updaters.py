"""Reader registry, discovery, the EU/Canada/UK official-format readers and the updaters (fake transport)."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
from http_fakes import fake_transport

from redline.parties.sources import registry, updaters
from redline.parties.sources.base import ListFormatError
from redline.parties.sources.ca_sema import CaSemaReader
from redline.parties.sources.eu_fsf import EuFsfReader
from redline.parties.sources.uk_ofsi import UkOfsiReader

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "lists"
EU = FIXTURES / "eu_fsf" / "xmlFullSanctionsList_1_1.xml"
CA = FIXTURES / "ca_sema" / "sema-lmes.xml"
UK = FIXTURES / "uk_fcdo" / "UK-Sanctions-List.csv"


@pytest.fixture(autouse=True)
def no_backoff_sleep(monkeypatch):
    """Retries run without waiting here; the backoff schedule itself is tested below."""
    monkeypatch.setattr(updaters, "RETRY_WAIT", 0.0)


def by_schema(entities, schema):
    return [e for e in entities if e.schema.name == schema]


def subjects(entities):
    return [e for e in entities if e.schema.name not in {"Sanction", "Ownership", "UnknownLink"}]


# --- readers for official formats without a local sample ---


def test_eu_fsf_reads_people_companies_and_other_scripts():
    reader = EuFsfReader()
    entities = list(reader.read(EU))
    assert reader.data_date(EU) == "2026-03-02"
    people = {e.id: e for e in by_schema(entities, "Person")}
    person = people["eu-fsf-900001"]
    assert person.get("name") == ["Ivan Petrovich TESTEROV"]
    assert "Иван Петрович Тестеров" in person.get("alias")
    assert person.get("weakAlias") == ["Vanya Test"]
    assert person.get("birthDate") == ["1961-05-04"] and person.get("nationality") == ["ru"]
    company = by_schema(entities, "Company")[0]
    assert "测试视觉科技有限公司" in company.get("alias") and company.get("country") == ["cn"]
    sanctions = {s.first("entity"): s for s in by_schema(entities, "Sanction")}
    assert set(sanctions) == {"eu-fsf-900001", "eu-fsf-900002", "eu-fsf-900003"}
    assert sanctions["eu-fsf-900002"].get("program") == ["RUS", "BLR"]
    assert sanctions["eu-fsf-900002"].first("listingDate") == "2023-06-23"
    assert sanctions["eu-fsf-900003"].first("unscId") == "QDe.999"
    assert all(s.first("programId") == "EU-FSF" for s in sanctions.values())
    unknown_country = next(e for e in entities if e.id == "eu-fsf-900003")
    assert not unknown_country.get("country")  # "00" is the list's code for unknown


def test_eu_fsf_truncated_file_names_file_and_line(tmp_path):
    cut = tmp_path / "eu.xml"
    cut.write_bytes(EU.read_bytes()[:3000])
    with pytest.raises(ListFormatError) as error:
        list(EuFsfReader().read(cut))
    assert str(cut) in str(error.value) and error.value.line is not None


def test_ca_sema_bilingual_tags_people_entities_ships():
    entities = list(CaSemaReader().read(CA))
    person = by_schema(entities, "Person")[0]
    assert person.get("name") == ["Anna Sergeyevna Testerova"]
    assert "Анна Сергеевна Тестерова" in person.get("alias")
    assert person.get("birthDate") == ["1970-11-12"]
    assert by_schema(entities, "Company")[0].get("alias") == ["新测公安科技有限公司"]
    vessel = by_schema(entities, "Vessel")[0]
    assert vessel.get("imoNumber") == ["IMO9000003"] and vessel.get("buildDate") == ["2004"]
    sanctions = by_schema(entities, "Sanction")
    assert {s.first("listingDate") for s in sanctions} == {"2022-02-24", "2021-03-22", "2025-02-24"}
    assert "Special Economic Measures (Russia)" in sanctions[0].first("program")


def test_ca_sema_plain_tags_and_stable_ids(tmp_path):
    plain = tmp_path / "sema-lmes.xml"
    plain.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<data-set>\n<record><Country>Iran</Country><EntityOrShip>Test Drone Works</EntityOrShip>'
        "<Schedule>1</Schedule><Item>7</Item><DateOfListing>2022-10-03</DateOfListing><Aliases>TDW, Test Drones</Aliases></record>\n</data-set>\n",
        encoding="utf-8",
    )
    reader = CaSemaReader()
    assert reader.detect(plain)
    first = [e.id for e in reader.read(plain)]
    again = [e.id for e in reader.read(plain)]
    assert first == again
    entity = subjects(reader.read(plain))[0]
    assert entity.get("alias") == ["TDW", "Test Drones"]


def test_ca_sema_record_without_name_is_refused(tmp_path):
    bad = tmp_path / "sema-lmes.xml"
    bad.write_text("<data-set>\n<record><Country>Iran</Country><Item>1</Item></record>\n</data-set>", encoding="utf-8")
    with pytest.raises(ListFormatError, match="line|:2"):
        list(CaSemaReader().read(bad))


def test_uk_official_csv_groups_rows_by_unique_id():
    reader = UkOfsiReader()
    entities = list(reader.read(UK))
    assert reader.data_date(UK) == "2026-04-29"
    people = by_schema(entities, "Person")
    assert len(people) == 1
    person = people[0]
    assert person.id == "uk-fcdo-RUS9001"
    assert person.get("name") == ["Pyotr Ivanovich TESTOV"]
    assert set(person.get("alias")) == {"Petr TESTOFF", "Пётр Иванович Тестов"}
    assert person.get("weakAlias") == ["PETYA"]
    assert person.get("birthDate") == ["1965"]
    company = by_schema(entities, "Company")[0]
    assert "北京测安监控技术有限公司" in company.get("alias")
    ownership = by_schema(entities, "Ownership")[0]
    assert ownership.first("asset") == company.id
    vessel = by_schema(entities, "Vessel")[0]
    assert vessel.get("imoNumber") == ["IMO9000003"]
    sanction = next(s for s in by_schema(entities, "Sanction") if s.first("entity") == person.id)
    assert sanction.first("listingDate") == "2022-03-15" and sanction.first("program") == "Russia"
    assert set(sanction.get("provisions")) == {"Asset freeze", "Travel Ban"}


def test_uk_official_csv_short_row_names_line(tmp_path):
    lines = UK.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "UK-Sanctions-List.csv"
    broken.write_text("\n".join(lines[:3] + ["RUS9999,short row"]) + "\n", encoding="utf-8")
    with pytest.raises(ListFormatError) as error:
        list(UkOfsiReader().read(broken))
    assert error.value.line == 4 and str(broken) in str(error.value)


# --- registry ---


@pytest.mark.parametrize(("path", "source"), [(EU, "eu_fsf"), (CA, "ca_sema"), (UK, "uk_fcdo")])
def test_detect_fixtures(path, source):
    assert registry.detect(path).info.name == source


def test_detect_unknown_file_names_file_and_formats(tmp_path):
    unknown = tmp_path / "notes.txt"
    unknown.write_text("nothing to see\n", encoding="utf-8")
    with pytest.raises(registry.FormatDetectionError) as error:
        registry.detect(unknown)
    assert str(unknown) in str(error.value) and "eu_fsf" in str(error.value)


def test_detect_two_claims_is_an_error(monkeypatch, tmp_path):
    class Greedy:
        info = EuFsfReader.info.__class__("greedy", "Greedy", "nobody", None, "none")

        def detect(self, path):
            return True

    readers = registry.all_readers() + [Greedy()]
    monkeypatch.setattr(registry, "all_readers", lambda: readers)
    with pytest.raises(registry.FormatDetectionError, match="eu_fsf and greedy"):
        registry.detect(EU)


def test_discover_folder_reports_unknown_and_ignores_readme(tmp_path):
    shutil.copy(EU, tmp_path / "eu.xml")
    (tmp_path / "sub").mkdir()
    shutil.copy(UK, tmp_path / "sub" / "uk.csv")
    (tmp_path / "README.md").write_text("# notes\n", encoding="utf-8")
    (tmp_path / "sub" / "mystery.bin").write_bytes(b"\x00\x01\x02")
    found = registry.discover(tmp_path)
    assert [(reader.info.name, path.name) for reader, path in found] == [("eu_fsf", "eu.xml"), ("uk_fcdo", "uk.csv")]
    assert [s.path.name for s in found.skipped] == ["mystery.bin"]
    assert found.skipped[0].reason == "binary data, not a text file; no reader recognises it"


def test_discover_whole_data_tree(data_dir):
    lists = data_dir / "lists"
    found = registry.discover(lists)
    units = {(reader.info.name, str(path.relative_to(lists))) for reader, path in found}
    names = {name for name, _ in units}
    # Multi-file sets are claimed by their folder, not file by file.
    assert any(path == "ofac_sdn/2021-07-07" for _, path in units)
    assert any(path == "ofac_non_sdn/2025-12-19" for _, path in units)
    assert any(path == "uk_sanctions_list/2026-04_derived" for _, path in units)
    assert not any(path.startswith("ofac_sdn/2021-07-07/") and path.endswith(("sdn.csv", "add.csv", "alt.csv")) for _, path in units)
    # A different list inside a claimed folder is still found on its own.
    assert any(path == "ofac_sdn/2021-07-07/bis_dpl.txt" for _, path in units)
    assert sum(1 for _, path in units if path.startswith("un_sc/")) == 2
    assert len(names) >= 12
    assert found.skipped == [], found.skipped  # every real list file is claimed; PROVENANCE/README are quiet


# --- updaters through a fake transport ---


def _routes(data_dir: Path) -> dict[str, Path]:
    lists = data_dir / "lists"
    local = {
        "ofac_sdn": [lists / "ofac_sdn" / "2021-07-07" / name for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")],
        "ofac_cons": [lists / "ofac_non_sdn" / "2025-12-19" / name for name in ("cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv")],
        "us_csl": [lists / "us_csl" / "2022-04" / "consolidated.csv"],
        "un_sc": [lists / "un_sc" / "2026-02-27" / "UN_consolidated.xml"],
        "au_dfat": [lists / "au_dfat" / "2024-12" / "regulation8_consolidated.xlsx"],
        "uk_fcdo": [UK],
        "eu_fsf": [EU],
        "ca_sema": [CA],
    }
    routes: dict[str, Path] = {}
    for item in updaters.UPDATERS:
        for remote, path in zip(item.files, local[item.source], strict=True):
            routes[remote.url] = path
    return routes


def test_every_updater_downloads_a_file_its_reader_claims(data_dir, redline_home):
    routes = _routes(data_dir)
    downloads = updaters.update(transport=fake_transport(routes))
    assert downloads.failures == []
    assert [d.source for d in downloads] == [u.source for u in updaters.UPDATERS]
    for item in downloads:
        assert item.path.is_relative_to(redline_home / "downloads" / item.source)
        assert registry.detect(item.path) is item.reader
        assert item.retrieved_at.endswith("Z") and len(item.sha256) == 64
        for file in item.files:
            assert file.path.read_bytes() == routes[file.url].read_bytes()
    by_source = {d.source: d for d in downloads}
    assert by_source["ofac_sdn"].path.is_dir() and by_source["ofac_sdn"].reader.info.name == "us_ofac_sdn"
    assert by_source["eu_fsf"].reader.info.name == "eu_fsf" and by_source["eu_fsf"].path.name == "xmlFullSanctionsList_1_1.xml"
    assert not list((redline_home / "downloads").rglob(".part-*"))


def test_one_failing_source_does_not_stop_the_others(tmp_path):
    eu_url = updaters.updater("eu_fsf").files[0].url
    ca_url = updaters.updater("ca_sema").files[0].url
    uk_url = updaters.updater("uk_fcdo").files[0].url
    transport = fake_transport({eu_url: 500, ca_url: CA, uk_url: UK})
    downloads = updaters.update(["eu_fsf", "ca_sema", "uk_fcdo"], transport=transport, dest=tmp_path)
    assert [d.source for d in downloads] == ["ca_sema", "uk_fcdo"]
    assert [(f.source, f.url) for f in downloads.failures] == [("eu_fsf", eu_url)]
    assert "HTTP 500" in downloads.failures[0].error
    assert not (tmp_path / "eu_fsf").exists() or not any((tmp_path / "eu_fsf").iterdir())


def test_html_error_page_is_not_accepted_as_a_list(tmp_path):
    url = updaters.updater("eu_fsf").files[0].url
    transport = fake_transport({url: b"<html><body>Service unavailable</body></html>"})
    downloads = updaters.update(["eu_fsf"], transport=transport, dest=tmp_path)
    assert list(downloads) == []
    assert "not in the expected format" in downloads.failures[0].error


def test_oversized_body_is_refused(tmp_path):
    url = updaters.updater("uk_fcdo").files[0].url
    downloads = updaters.update(["uk_fcdo"], transport=fake_transport({url: UK}), dest=tmp_path, max_bytes=100)
    assert list(downloads) == [] and "cap" in downloads.failures[0].error


def test_oversized_body_without_content_length_is_refused(tmp_path):
    url = updaters.updater("uk_fcdo").files[0].url
    body = UK.read_bytes()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, stream=httpx.ByteStream(body)))
    downloads = updaters.update(["uk_fcdo"], transport=transport, dest=tmp_path, max_bytes=len(body) - 1)
    assert list(downloads) == [] and "exceeds" in downloads.failures[0].error


def test_truncated_body_is_refused(tmp_path):
    url = updaters.updater("ca_sema").files[0].url
    body = CA.read_bytes()

    def short(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": str(len(body))}, stream=httpx.ByteStream(body[:200]))

    downloads = updaters.update(["ca_sema"], transport=httpx.MockTransport(short), dest=tmp_path)
    assert list(downloads) == []
    assert "truncated" in downloads.failures[0].error and downloads.failures[0].url == url


def test_timeout_is_a_per_source_error(tmp_path):
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    downloads = updaters.update(["un_sc", "au_dfat"], transport=httpx.MockTransport(slow), dest=tmp_path)
    assert list(downloads) == []
    assert [f.source for f in downloads.failures] == ["un_sc", "au_dfat"]
    assert all("timed out" in f.error for f in downloads.failures)


def test_unknown_source_is_refused():
    with pytest.raises(KeyError, match="known: ofac_sdn"):
        updaters.update(["nowhere"], transport=fake_transport({}))


def test_redirect_loop_is_a_per_source_error(tmp_path):
    url = updaters.updater("un_sc").files[0].url
    transport = httpx.MockTransport(lambda request: httpx.Response(302, headers={"Location": url}))
    downloads = updaters.update(["un_sc"], transport=transport, dest=tmp_path)
    assert list(downloads) == [] and "redirects" in downloads.failures[0].error


@pytest.mark.parametrize("name", ["../evil.csv", "/etc/passwd", ".hidden", "a/b.csv"])
def test_unsafe_file_names_are_refused(name):
    with pytest.raises(ValueError, match="unsafe file name"):
        updaters._safe_name(name)


# --- retries with backoff ---


def _flaky(body: Path, failures: list[int | type[Exception]]):
    """A transport answering each failure in turn (a status, or an exception raised), then the body."""
    calls: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        if len(calls) <= len(failures):
            failure = failures[len(calls) - 1]
            if isinstance(failure, int):
                return httpx.Response(failure, text="busy")
            raise failure("boom", request=request)
        data = body.read_bytes()
        return httpx.Response(200, headers={"Content-Length": str(len(data))}, stream=httpx.ByteStream(data))

    return httpx.MockTransport(handle), calls


def test_transient_failures_are_retried_until_the_download_succeeds(tmp_path):
    transport, calls = _flaky(UK, [503, httpx.ConnectError])
    downloads = updaters.update(["uk_fcdo"], transport=transport, dest=tmp_path)
    assert downloads.failures == [] and [d.source for d in downloads] == ["uk_fcdo"]
    assert len(calls) == 3
    assert downloads[0].files[0].path.read_bytes() == UK.read_bytes()
    assert not list(tmp_path.rglob(".part-*"))


def test_a_transient_failure_that_persists_is_reported_with_its_attempts(tmp_path):
    transport, calls = _flaky(UK, [503] * 10)
    downloads = updaters.update(["uk_fcdo"], transport=transport, dest=tmp_path, retries=3)
    assert list(downloads) == [] and len(calls) == 4
    failure = downloads.failures[0]
    assert failure.attempts == 4 and failure.transient and "HTTP 503" in failure.error
    assert "after 4 attempts" in str(failure)


def test_a_permanent_failure_is_not_retried(tmp_path):
    transport, calls = _flaky(UK, [404])
    downloads = updaters.update(["uk_fcdo"], transport=transport, dest=tmp_path)
    assert list(downloads) == [] and len(calls) == 1
    assert downloads.failures[0].attempts == 1 and not downloads.failures[0].transient
    # a file in the wrong format is permanent too: one request
    url = updaters.updater("eu_fsf").files[0].url
    downloads = updaters.update(["eu_fsf"], transport=fake_transport({url: b"<html>maintenance</html>"}), dest=tmp_path)
    assert downloads.failures[0].attempts == 1


def test_backoff_waits_grow_exponentially(tmp_path, monkeypatch):
    import threading
    import time

    waits: list[float] = []
    sleep, here = time.sleep, threading.current_thread()

    def nap(seconds: float) -> None:
        # tenacity.nap.time is the time module itself: another test's thread still running (a server on
        # loopback) sleeps through it too, and must neither count nor be kept awake.
        if threading.current_thread() is here:
            waits.append(seconds)
        else:
            sleep(seconds)

    monkeypatch.setattr(updaters, "RETRY_WAIT", 1.0)
    monkeypatch.setattr("tenacity.nap.time.sleep", nap)
    transport, _ = _flaky(UK, [502] * 10)
    updaters.update(["uk_fcdo"], transport=transport, dest=tmp_path, retries=3)
    assert len(waits) == 3
    # initial 1 s doubling (2, 4), each plus up to 1 s of jitter, capped at 8 s
    for wait, base in zip(waits, (1.0, 2.0, 4.0), strict=True):
        assert base <= wait <= base + 1.0


def test_failed_update_keeps_the_previous_snapshot_in_force(redline_home):
    from redline.parties import api
    from redline.context import get_context
    from redline.parties.snapshots import list_snapshots

    url = updaters.updater("uk_fcdo").files[0].url
    first = api.update(["uk_fcdo"], transport=fake_transport({url: UK}))
    assert first["failures"] == [] and first["results"][0]["status"] == "imported"
    before = [s["id"] for s in list_snapshots(get_context().store, active_only=True)]
    second = api.update(["uk_fcdo"], transport=fake_transport({url: 503}))
    assert second["results"] == []
    assert second["failures"][0]["source"] == "uk_fcdo" and second["failures"][0]["attempts"] == updaters.RETRIES + 1
    assert [s["id"] for s in list_snapshots(get_context().store, active_only=True)] == before
    assert api.screen("a name", limit=1)["snapshots"]

"""Licence cases (four-eyes), signed denial notices between two installations, consultations:
the library calls, on SQLite and PostgreSQL. State X (its own SQLite home and key) denies and
issues a notice; state Y (the store under test) receives it and must consult before approving."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from helpers_licensing import FakeScreener, listing

from redline.config import load_settings
from redline.context import Context
from redline.licensing import cases, consultations, notices
from redline.licensing.application import load_application
from redline.licensing.officers import CaseworkProblem
from redline.parties.api import compare_names
from redline.parties.screening import MATCH_THRESHOLD

APP = """
id: {id}
date: 2026-11-02
exporter: {{name: Oslo Signals AS, country: "NO"}}
destination: {country}
parties:
  - {{role: end_user, name: "{name}", country: {country}, type: {ptype}}}
items:
  - {{description: "{what}", control_code: {code}, category: {category}}}
end_use: {{type: lawful_interception_with_oversight}}
"""


def write_app(folder: Path, app_id: str, name: str, *, country: str = "RU", code: str = "5A001.j",
              category: str = "ip_network_surveillance", ptype: str = "state_owned_telecom",
              what: str = "IP network monitoring centre") -> Path:
    path = folder / f"{app_id}.yaml"
    path.write_text(APP.format(id=app_id, name=name, country=country, code=code, category=category, ptype=ptype, what=what))
    return path


@pytest.fixture(autouse=True)
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> FakeScreener:
    screener = FakeScreener()  # the lists; party-to-notice matching uses the real engine (compare_names)
    monkeypatch.setattr("redline.licensing.service.default_screener", lambda: screener)
    return screener


@pytest.fixture
def state_y(db_url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Context:
    monkeypatch.setenv("REDLINE_AUTHORITY", "State Y export control office")
    return Context(replace(load_settings(), user="officer-a"))


@pytest.fixture
def state_x(tmp_path: Path, data_dir: Path) -> Context:
    home = tmp_path / "state-x"
    home.mkdir()
    settings = replace(load_settings(), home=home, db_url=f"sqlite:///{home / 'x.db'}", user="x-officer")
    return Context(settings)


def as_state(ctx: Context, authority: str, monkeypatch: pytest.MonkeyPatch) -> Context:
    monkeypatch.setenv("REDLINE_AUTHORITY", authority)
    return ctx


def kinds(ctx: Context) -> list[str]:
    return [e.kind for e in ctx.ledger.entries() if e.kind.startswith("licensing.")]


def open_case(ctx: Context, path: Path, actor: str = "officer-a") -> dict[str, Any]:
    return cases.open_case(ctx.acting_as(actor), load_application(path), policy="echri", role="analyst")


def x_denies(state_x: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, **app: Any) -> dict[str, Any]:
    """State X opens, denies and notifies a case; returns its signed notice."""
    as_state(state_x, "State X Ministry of Foreign Affairs", monkeypatch)
    case = open_case(state_x, write_app(tmp_path, "X-2026-0001", name, **app), "x-officer")
    cases.decide(state_x, case["id"], "deny", "clear risk of use for internal repression", role="analyst")
    (notice,) = cases.issue_notices(state_x, case["id"], role="analyst")
    monkeypatch.setenv("REDLINE_AUTHORITY", "State Y export control office")
    return notice


def test_approval_needs_a_second_officer(state_y: Context, tmp_path: Path) -> None:
    case = open_case(state_y, write_app(tmp_path, "Y-1", "Oslo Fjord Networks AS", country="NO", ptype="private_telecom_isp",
                                        category="general_ict", code="5A002.a", what="Routers"))
    assert case["status"] == "open" and case["assessment"]["decision"] in ("approve", "refer") and case["consultations"] == []
    alice, bob = state_y.acting_as("alice"), state_y.acting_as("bob")
    with pytest.raises(CaseworkProblem, match="analyst role"):
        cases.decide(alice, case["id"], "approve", "fine", role="reader")
    with pytest.raises(CaseworkProblem, match="--reason"):
        cases.decide(alice, case["id"], "approve", "  ", role="analyst")
    with pytest.raises(CaseworkProblem, match="--decision"):
        cases.decide(alice, case["id"], "grant", "fine", role="analyst")
    first = cases.decide(alice, case["id"], "approve", "end use verified", role="analyst")
    assert first["status"] == "awaiting_sign_off"
    with pytest.raises(CaseworkProblem, match="four-eyes"):
        cases.sign_off(alice, case["id"], "looks right", role="admin")
    with pytest.raises(CaseworkProblem, match="already approved"):
        cases.decide(bob, case["id"], "approve", "me too", role="analyst")
    done = cases.sign_off(bob, case["id"], "checked the end-user statement", role="analyst")
    assert done["status"] == "approved"
    assert [(s["step"], s["actor"]) for s in done["steps"]] == [("open", "officer-a"), ("decide", "alice"), ("sign_off", "bob")]
    with pytest.raises(CaseworkProblem, match="already approved"):
        cases.decide(bob, case["id"], "deny", "changed my mind", role="analyst")
    assert kinds(state_y) == ["licensing.assess", "licensing.case.open", "licensing.case.decide", "licensing.case.sign_off"]
    assert state_y.ledger.verify() == []
    # a second officer can also send an approval back instead of signing it off
    other = open_case(state_y, write_app(tmp_path, "Y-2", "Oslo Fjord Networks AS", country="NO", ptype="private_telecom_isp",
                                         category="general_ict", code="5A002.a", what="Routers"))
    cases.decide(alice, other["id"], "approve", "fine", role="analyst")
    assert cases.decide(bob, other["id"], "refer", "needs the end-user certificate", role="analyst")["status"] == "referred"


def test_notice_signed_by_x_opens_a_consultation_at_y_for_a_transliterated_name(
        state_x: Context, state_y: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Y's application is open before X's notice arrives; the names differ in script and legal form.
    waiting = open_case(state_y, write_app(tmp_path, "Y-10", "Rostelecom PJSC"))
    unrelated = open_case(state_y, write_app(tmp_path, "Y-11", "Carabineros de Chile", country="CL", ptype="government_security"))
    other_item = open_case(state_y, write_app(tmp_path, "Y-12", "Rostelecom PJSC", code="4A003.b", category="general_ict",
                                              what="Servers"))
    notice = x_denies(state_x, tmp_path, monkeypatch, "ПАО Ростелеком")
    assert notices.verify(notice) is None and notice["authority"] == "State X Ministry of Foreign Affairs"
    assert notice["control_codes"] == ["5A001.j"] and notice["item_categories"] == ["ip_network_surveillance"]
    (fed,) = notices.feed(state_x, 0, 10)
    assert fed["notice"] == notice and notices.feed(state_x, fed["seq"], 10) == []

    got = notices.receive(state_y, fed["notice"], exchange="peer:state-x")
    (consultation,) = got["consultations"]
    assert consultation["case_id"] == waiting["id"] and consultation["status"] == "open"
    assert consultation["match"]["denied_party"] == "ПАО Ростелеком" and consultation["match"]["score"] >= MATCH_THRESHOLD
    assert consultation["match"]["overlap"] == {"control_codes": ["5A001.j ~ 5A001.j"], "item_categories": ["ip_network_surveillance"]}
    assert consultation["deadline"] > consultation["opened_at"][:10] and "Art. 16" in consultation["question"]
    for case in (unrelated, other_item):
        assert cases.get_case(state_y.store, None, case["id"])["consultations"] == []
    # idempotent: the same notice again stores nothing and opens nothing new
    again = notices.receive(state_y, copy.deepcopy(notice), exchange="file:x.json")
    assert again["stored"] is False and [c["id"] for c in again["consultations"]] == [consultation["id"]]

    alice, bob = state_y.acting_as("alice"), state_y.acting_as("bob")
    with pytest.raises(CaseworkProblem, match="undercut"):
        cases.decide(alice, waiting["id"], "approve", "urgent", role="analyst")
    consultations.answer(alice, consultation["id"], "X maintains the denial; no new information.", role="analyst")
    with pytest.raises(CaseworkProblem, match="undercut"):
        cases.decide(alice, waiting["id"], "approve", "answered", role="analyst")
    closed = consultations.close(alice, consultation["id"], "answer considered; our end-use checks differ", role="analyst")
    assert closed["status"] == "closed" and closed["answered_by"] == "alice"
    cases.decide(alice, waiting["id"], "approve", "consulted X; conditions attached", role="analyst")
    assert cases.sign_off(bob, waiting["id"], "agree", role="analyst")["status"] == "approved"
    (approval,) = state_y.ledger.entries(kind="licensing.case.sign_off")
    assert approval.outcome["consulted"] == [{"consultation": consultation["id"], "authority": notice["authority"],
                                              "notice_id": notice["notice_id"]}]
    assert kinds(state_y).count("licensing.consultation.open") == 1
    assert {"licensing.notice.receive", "licensing.consultation.answer", "licensing.consultation.close"} <= set(kinds(state_y))
    assert state_y.ledger.verify() == [] and state_x.ledger.verify() == []


def test_a_new_application_is_screened_against_notices_in_force(
        state_x: Context, state_y: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notice = x_denies(state_x, tmp_path, monkeypatch, "Xinjiang Public Security Bureau", country="CN", code="5A001.f",
                      category="mobile_interception", ptype="government_security", what="IMSI catcher")
    assert notices.receive(state_y, notice, exchange="peer:state-x")["consultations"] == []
    # reordered name, a sub-paragraph of the denied control code
    later = open_case(state_y, write_app(tmp_path, "Y-20", "Public Security Bureau of Xinjiang", country="CN", code="5A001.f.1",
                                         category="mobile_interception", ptype="government_security", what="IMSI catcher"))
    (consultation,) = later["consultations"]
    assert later["blocked_by"] == [consultation["id"]] and consultation["match"]["overlap"]["control_codes"] == ["5A001.f.1 ~ 5A001.f"]
    # the same name in another country is another party
    elsewhere = open_case(state_y, write_app(tmp_path, "Y-21", "Xinjiang Public Security Bureau", country="KZ", code="5A001.f",
                                             category="mobile_interception", ptype="government_security", what="IMSI catcher"))
    assert elsewhere["consultations"] == []
    # a consultation without an answer closes only once its deadline has passed
    with pytest.raises(CaseworkProblem, match="no answer"):
        consultations.close(state_y, consultation["id"], "no time", role="analyst")
    with pytest.raises(CaseworkProblem, match="deadline"):
        consultations.close(state_y, consultation["id"], "no time", role="analyst", no_reply=True)
    # the received notice is also a partner denial for later assessments (RF_PARTNER_DENIAL)
    assert "RF_PARTNER_DENIAL" in cases.get_case(state_y.store, None, later["id"])["assessment"]["red_flags"]


def test_names_the_comparison_misses_match_through_the_same_listed_party(
        state_x: Context, state_y: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_engine: FakeScreener) -> None:
    # A name and its translation, which the name comparison does not join, listed as one party (aliases).
    listed = {"id": "p-nile", "caption": "Nile Signals Company", "lists": [listing("US-BIS-EL", "Entity List")], "via": []}
    fake_engine.listed = {"nile signals company": listed, "شركة إشارات النيل": listed}
    assert not compare_names("Nile Signals Company", "شركة إشارات النيل")["match"]
    notice = x_denies(state_x, tmp_path, monkeypatch, "شركة إشارات النيل", country="EG", ptype="private_enterprise")
    notices.receive(state_y, notice, exchange="peer:state-x")
    case = open_case(state_y, write_app(tmp_path, "Y-30", "Nile Signals Company", country="EG", ptype="private_enterprise"))
    (consultation,) = case["consultations"]
    assert consultation["match"]["how"] == "the same listed party by screening" and consultation["match"]["listed_ids"] == ["p-nile"]
    # without the shared listing, the same names open nothing
    fake_engine.listed = {}
    unlisted = open_case(state_y, write_app(tmp_path, "Y-31", "Nile Signals Company", country="EG", ptype="private_enterprise"))
    assert unlisted["consultations"] == []


def test_bad_notices_are_refused_and_recorded(state_x: Context, state_y: Context, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    notice = x_denies(state_x, tmp_path, monkeypatch, "Rostelecom PJSC")
    tampered = {**notice, "party": {"name": "Someone Else LLC", "country": "RU"}}
    with pytest.raises(notices.NoticeRefused, match="signature"):
        notices.receive(state_y, tampered, exchange="peer:state-x")
    with pytest.raises(notices.NoticeRefused, match="format"):
        notices.receive(state_y, {"notice_id": "n-1"}, exchange="peer:state-x")
    notices.receive(state_y, notice, exchange="peer:state-x")
    # a notice in X's name, validly signed by another installation's key, is refused: X's key is pinned
    home = tmp_path / "impostor"
    impostor = Context(replace(state_x.settings, home=home, db_url=f"sqlite:///{tmp_path / 'impostor.db'}"))
    monkeypatch.setenv("REDLINE_AUTHORITY", "State X Ministry of Foreign Affairs")
    forged = notices.issue(impostor, notices.build_fields(party="Rostelecom", country="RU", control_codes=["5A001.j"],
                                                          item_categories=[], grounds="forged"))
    assert notices.verify(forged) is None and forged["key_id"] != notice["key_id"]
    with pytest.raises(notices.NoticeRefused, match="signs with key"):
        notices.receive(state_y, forged, exchange="peer:state-x")
    # an authority pinned in advance (key given out of band) refuses even a first notice under another key
    z_key = notices.own_key(state_x)["public_key"]
    with pytest.raises(CaseworkProblem, match="analyst role"):
        notices.trust(state_y, "State Z", z_key, "met in Vienna", role="reader")
    notices.trust(state_y, "State Z", z_key, "key handed over at the plenary", role="analyst")
    monkeypatch.setenv("REDLINE_AUTHORITY", "State Z")
    from_z = notices.issue(impostor, notices.build_fields(party="Rostelecom", country="RU", control_codes=["5A001.j"],
                                                          item_categories=[], grounds="z"))
    with pytest.raises(notices.NoticeRefused, match="signs with key"):
        notices.receive(state_y, from_z, exchange="peer:state-z")
    # X changes its key: once an officer trusts the new one, X's notices under it are received
    changed = notices.trust(state_y, "State X Ministry of Foreign Affairs", forged["public_key"], "X rotated its key",
                            role="analyst")
    assert changed["previous_key_id"] == notice["key_id"] and changed["key_id"] == forged["key_id"]
    assert notices.receive(state_y, forged, exchange="peer:state-x")["stored"] is True
    pins = {k["authority"]: k["how"] for k in notices.pinned_keys(state_y.store)}
    assert pins == {"State X Ministry of Foreign Affairs": "trusted", "State Z": "trusted"}
    refused = [e for e in state_y.ledger.entries(kind="licensing.notice.refused")]
    assert len(refused) == 4 and "signature" in refused[0].outcome["reason"]
    assert [n["notice_id"] for n in notices.list_notices(state_y.store, "partner")] == [notice["notice_id"], forged["notice_id"]]
    assert len(list(state_y.ledger.entries(kind="licensing.notice.trust"))) == 2
    # an expired notice from X (under its new key) is stored, but a matching application opens no consultation
    as_state(impostor, "State X Ministry of Foreign Affairs", monkeypatch)
    old = notices.issue(impostor, notices.build_fields(party="Rostelecom PJSC", country="RU", control_codes=["5A001.j"],
                                                      item_categories=[], grounds="old", on="2020-01-01", expiry="2023-01-01"))
    open_case(state_y, write_app(tmp_path, "Y-40", "Rostelecom PJSC"))
    assert notices.receive(state_y, old, exchange="peer:state-x") == {"notice_id": old["notice_id"], "stored": True,
                                                                       "consultations": []}
    assert not notices.get_notice(state_y.store, old["notice_id"])["in_force"]
    # the fields are bounded
    assert notices.verify({**notice, "grounds": "x" * 20001}) == "grounds: at most 20000 characters"


def test_notice_arguments_are_checked() -> None:
    with pytest.raises(notices.NoticeProblem, match="--item-category.*did you mean 'mobile_interception'"):
        notices.build_fields(party="A", country="RU", control_codes=[], item_categories=["mobile_intercept"], grounds="g")
    with pytest.raises(notices.NoticeProblem, match="--country"):
        notices.build_fields(party="A", country="RUS", control_codes=["5A001.j"], item_categories=[], grounds="g")
    with pytest.raises(notices.NoticeProblem, match="--expiry"):
        notices.build_fields(party="A", country="RU", control_codes=["5A001.j"], item_categories=[], grounds="g",
                             on="2026-01-01", expiry="2025-01-01")
    fields = notices.build_fields(party=" A  B ", country="ru", control_codes=["5A001.j"], item_categories=[], grounds="g",
                                  on="2024-02-29")
    assert fields["party"] == {"name": "A B", "country": "RU"} and fields["expiry"] == "2027-02-28"


def test_codes_overlap() -> None:
    assert consultations.codes_overlap("5A001.j", "5a001.J.1")
    assert consultations.codes_overlap("4A005", "4A005")
    assert not consultations.codes_overlap("5A001.f", "5A001.j")
    assert not consultations.codes_overlap("5A001", "5A0011")


def test_a_step_and_its_ledger_entry_commit_together(state_y: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(consultations, "screen_notices", broken)
    with pytest.raises(RuntimeError):
        open_case(state_y, write_app(tmp_path, "Y-50", "Rostelecom PJSC"))
    assert cases.list_cases(state_y.store, None) == []
    assert "licensing.case.open" not in kinds(state_y) and state_y.ledger.verify() == []

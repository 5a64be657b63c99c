"""The licensing report over assessments recorded by the licensing service and denials shared with it."""

from __future__ import annotations

import json
import shutil
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from redline.context import get_context
from redline.reports import licensing_report, render_csv, render_html
from redline.reports.model import find_figure, find_table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "licensing"))
from helpers_licensing import APPLICATIONS, FakeScreener  # noqa: E402


def today() -> date:
    """The UTC day when asked, not when the module was imported: a run that crosses midnight records on the new day."""
    return datetime.now(timezone.utc).date()


def yesterday() -> date:
    return today() - timedelta(days=1)


FILES = ("dpi_filtering_egypt_state_telecom.yaml", "carrier_monitoring_uae_interior.yaml",
         "cloud_hosting_positive_technologies.yaml")


@pytest.fixture
def assessed(tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, str]]:
    """Three applications assessed under us-ear (one twice), one under echri; our denials recorded; a
    partner's denials imported. Returns {policy: {application id: decision}} from the service's results."""
    from redline.licensing.denials import import_denials
    from redline.licensing.service import assess_and_record

    screener = FakeScreener()
    monkeypatch.setattr("redline.licensing.service.default_screener", lambda: screener)
    ctx = get_context()
    copies = []
    for name in FILES:
        shutil.copy(APPLICATIONS / name, tmp_path / name)
        copies.append(tmp_path / name)
    decided: dict[str, dict[str, str]] = {"us-ear": {}, "echri": {}}
    for result in assess_and_record(copies, "us-ear", context=ctx):
        decided["us-ear"][result["id"]] = result["decision"]
    assess_and_record(copies[:1], "us-ear", context=ctx)  # assessed again: the latest counts once
    for result in assess_and_record(copies[:1], "echri", context=ctx, record_denials=False):
        decided["echri"][result["id"]] = result["decision"]
    partner = tmp_path / "partner.json"
    partner.write_text(json.dumps({"denials": [{
        "authority": "=HYPERLINK(\"http://evil.example\",\"click\")", "decided_on": "2026-10-01",
        "reason": "internal repression", "parties": [{"role": "end_user", "name": "Some Ministry"}],
        "item_categories": ["ip_network_surveillance"], "destination": "BY"}]}))
    import_denials(ctx.store, partner)
    return decided


def test_decisions_by_destination_policy_category_and_outcome(assessed: dict[str, dict[str, str]], tmp_path: Path) -> None:
    assert assessed["us-ear"] == {"APP-2026-0455": "approve", "APP-2026-0388": "deny", "APP-2026-0502": "deny"}
    assert assessed["echri"] == {"APP-2026-0455": "refer"}
    report = licensing_report(get_context(), yesterday(), today())
    assert find_figure(report, "assessments")["value"] == 5
    assert find_figure(report, "decisions")["value"] == 4
    assert find_figure(report, "denied")["text"] == "2 of 4 decisions (50.0%)"
    assert find_table(report, "decisions_by_outcome") == {"approve": 1, "deny": 2, "refer": 1}
    assert find_table(report, "decisions_by_policy") == {"us-ear": 3, "echri": 1}
    assert find_table(report, "decisions_by_policy_outcome") == {"us-ear: deny": 2, "us-ear: approve": 1, "echri: refer": 1}
    assert find_table(report, "decisions_by_destination") == {"EG": 2, "AE": 1, "RU": 1}
    assert find_table(report, "denials_by_destination") == {"AE": 1, "RU": 1}
    assert find_table(report, "decisions_by_item_category") == {
        "dpi_filtering_censorship": 2, "ip_network_surveillance": 1, "hosting_cdn_email_services": 1}
    assert find_table(report, "denials_by_item_category") == {"ip_network_surveillance": 1, "hosting_cdn_email_services": 1}
    assert find_figure(report, "own_denials")["value"] == 2
    assert find_table(report, "own_denials_by_destination") == {"AE": 1, "RU": 1}
    assert find_figure(report, "partner_denials")["value"] == 1

    # nothing was recorded yesterday
    before = licensing_report(get_context(), yesterday(), yesterday())
    assert find_figure(before, "assessments")["value"] == 0 and find_figure(before, "partner_denials")["value"] == 0

    # an application file changed after its assessment no longer vouches for its destination
    changed = tmp_path / FILES[1]
    changed.write_text(changed.read_text().replace("destination: AE", "destination: FR"))
    later = licensing_report(get_context(), yesterday(), today())
    assert find_table(later, "decisions_by_destination") == {"EG": 2, "RU": 1, "(not recorded by Redline)": 1}
    assert any("1 of 4 decisions" in note for s in later["sections"] for note in s["notes"])

    # the partner's authority, a formula, is neutralised in the CSV and escaped in the HTML
    text = render_csv(report)
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    page = render_html(report)
    assert "=HYPERLINK(&#34;http://evil.example&#34;" in page and "<svg" in page


def test_officers_decisions_on_cases_scoped_to_the_organisation(tmp_path: Path, data_dir: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from redline.licensing import cases
    from redline.licensing.application import load_application

    screener = FakeScreener()
    monkeypatch.setattr("redline.licensing.service.default_screener", lambda: screener)
    base = get_context()
    a, b = base.acting_as("officer-a", "acme"), base.acting_as("officer-b", "acme")
    other = base.acting_as("officer-c", "other")

    def case(ctx, name: str) -> dict:  # type: ignore[no-untyped-def]
        shutil.copy(APPLICATIONS / name, tmp_path / name)
        return cases.open_case(ctx, load_application(tmp_path / name), policy="echri", role="analyst")

    egypt, uae, russia = (case(a, name) for name in FILES)
    assert (egypt["assessed"], uae["assessed"], russia["assessed"]) == ("refer", "deny", "refer")
    cases.decide(a, egypt["id"], "deny", "no oversight of the filtering", role="analyst")
    cases.decide(a, uae["id"], "approve", "assurances received", role="analyst")
    cases.sign_off(b, uae["id"], "checked the assurances", role="analyst")
    cases.decide(a, russia["id"], "refer", "ask the ministry", role="analyst")
    elsewhere = case(other, FILES[0])
    cases.decide(other, elsewhere["id"], "deny", "theirs", role="analyst")
    issued = cases.issue_notices(a, egypt["id"], role="analyst")

    report = licensing_report(a, yesterday(), today())
    assert find_figure(report, "cases_opened")["value"] == 3
    assert find_figure(report, "cases_decided")["value"] == 3
    assert find_table(report, "cases_by_outcome") == {"denied": 1, "approved (signed off)": 1, "referred": 1}
    assert find_table(report, "cases_by_destination") == {"EG": 1, "AE": 1, "RU": 1}
    assert find_table(report, "denied_cases_by_destination") == {"EG": 1}
    assert find_table(report, "cases_by_policy") == {"echri": 3}
    assert find_figure(report, "cases_differ")["text"] == "2 of 3 cases decided (66.7%)"
    assert find_figure(report, "cases_approved")["text"] == "1 of 3 cases decided (33.3%)"
    assert find_figure(report, "own_notices")["value"] == len(issued) == 1
    assert find_table(report, "own_notices_by_party_country") == {"EG": 1}
    assert "'acme'" in report["scope"]
    # Redline's assessments carry no organisation: an organisation's key is not shown them
    assert "decisions" not in [sec["key"] for sec in report["sections"]]
    # another organisation's key sees its own case only; a key of none sees none of these
    theirs = licensing_report(other, yesterday(), today())
    assert find_table(theirs, "cases_by_outcome") == {"denied": 1}
    assert find_figure(licensing_report(base, yesterday(), today()), "cases_decided")["value"] == 0
    # an approval awaiting its second officer is not an approval yet
    again = case(a, FILES[2])
    cases.decide(a, again["id"], "approve", "fine", role="analyst")
    assert find_table(licensing_report(a, yesterday(), today()), "cases_by_outcome")["approved, awaiting sign-off"] == 1

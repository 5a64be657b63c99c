"""Policy, actions, strikes, appeals and transparency counts, with real banks, the real Matcher and
the PDQ reference images in REDLINE_DATA/media/pdq."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.cli import app
from redline.context import get_context
from redline.media.actions import (
    DEFAULT_POLICY,
    Enforcement,
    EnforcementError,
    PolicyError,
    decide,
    load_policy,
    now_utc,
    parse_policy,
)


def run(*args: str) -> object:
    return CliRunner().invoke(app, ["media", *args])


@pytest.fixture
def pdq_dir(data_dir: Path) -> Path:
    return data_dir / "media" / "pdq"


@pytest.fixture
def banks(pdq_dir: Path) -> dict[str, Path]:
    """Three real banks in this test's store: a ban category, a restriction category, a custom label."""
    from redline.media.banks import SignalRecord, add_signals, create_bank
    from redline.media.hashing import pdq_file

    ctx = get_context()
    spec = {
        "attacks": ("behaviour:livestreamed_attack", pdq_dir / "bridge-mods" / "aaa-orig.jpg"),
        "unlisted": ("entity:un_listed", pdq_dir / "misc-images" / "pen-and-coaster.png"),
        "custom": ("x-local-watchlist", pdq_dir / "misc-images" / "c.png"),
    }
    for name, (label, image) in spec.items():
        create_bank(ctx.store, name, labels=[label], actor="test", ledger=ctx.ledger)
        h = pdq_file(image)
        add_signals(ctx.store, name, [SignalRecord("pdq", h.hex, content_id=f"{name}-1", quality=h.quality)],
                    actor="test", ledger=ctx.ledger)
    return {name: image for name, (_, image) in spec.items()}


# ------------------------------------------------------------------------------------------ policy


def test_default_policy_loads_and_covers_the_taxonomy() -> None:
    from redline.media.labels import TAXONOMY

    policy = load_policy()
    assert policy.source == str(DEFAULT_POLICY)
    assert set(policy.rules) == set(TAXONOMY)
    assert policy.rules["behaviour:livestreamed_attack"].strike == "ban"
    assert policy.rules["entity:un_listed"].strike == "restriction"
    assert policy.rules["entity:un_listed"].restriction_days == 30


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("name: x\nversion: 1\nrules: []\n", "rules"),
        ("version: 1\nrules: [{label: known_benign, action: allow}]\n", "name"),
        ("name: x\nversion: 1\nrules: [{label: known_benign, action: delete}]\n", "rules[0].action"),
        ("name: x\nversion: 1\nrules: [{label: not-a-label, action: block}]\n", "rules[0].label"),
        ("name: x\nversion: 1\nrules: [{label: entity:un_listed, action: block, strike: restriction}]\n",
         "rules[0].restriction_days"),
        ("name: x\nversion: 1\nrules: [{label: entity:un_listed, action: review, strike: ban}]\n", "rules[0].strike"),
        ("name: x\nversion: 1\nrules: [{label: known_benign, action: allow, colour: red}]\n", "rules[0].colour"),
        ("name: x\nversion: 1\nescalation: {ban_after_strikes: 0}\nrules: [{label: known_benign, action: allow}]\n",
         "escalation.ban_after_strikes"),
        ("name: x\nversion: 1\nrules:\n - {label: known_benign, action: allow}\n - {label: benign, action: block}\n",
         "rules[1].label"),
    ],
)
def test_bad_policies_name_file_and_field(tmp_path: Path, text: str, field: str) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    assert str(path) in str(err.value)
    assert f"field '{field}'" in str(err.value)


def test_unreadable_policy_files(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: [unclosed\n")
    with pytest.raises(PolicyError, match="not valid YAML"):
        load_policy(bad)


def test_most_severe_rule_wins() -> None:
    policy = load_policy()
    m = lambda labels, d=5: {"bank": "b", "content_id": "c", "signal_type": "pdq", "distance": d, "labels": labels}  # noqa: E731
    assert decide(policy, []).action == "none"
    assert decide(policy, [m(["known_benign"])]).action == "allow"
    assert decide(policy, [m(["x-unknown"])]).action == "review"  # default_action
    d = decide(policy, [m(["entity:un_listed"]), m(["behaviour:attacker_manifesto"])])
    assert (d.action, d.strike, d.rule) == ("block", "ban", "behaviour:attacker_manifesto")


# ------------------------------------------------------------------------------- act, strike, appeal


def test_act_strike_appeal_cycle_with_real_matcher(banks: dict[str, Path], pdq_dir: Path) -> None:
    # a blurred variant of the banked bridge photo, uploaded by acct-1: blocked, permanent ban
    variant = pdq_dir / "bridge-mods" / "blur-a-little.jpg"
    r = run("act", str(variant), "--account", "acct-1", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["action"] == "block" and out["rule"] == "behaviour:livestreamed_attack"
    assert out["banks"] == ["attacks"] and out["matches"][0]["distance"] <= 31
    assert out["strike"]["penalty"] == "ban" and out["strike"]["expires_at"] is None
    assert out["account_status"]["state"] == "banned"
    banned_action = out["action_id"]

    # the UN-listed bank's image, by acct-2: blocked, 30-day restriction
    r = run("act", str(banks["unlisted"]), "--account", "acct-2", "--json")
    out = json.loads(r.stdout)
    assert out["action"] == "block" and out["strike"]["penalty"] == "restriction"
    status = json.loads(run("strikes", "acct-2", "--json").stdout)
    assert status["state"] == "restricted"
    until = status["restricted_until"]
    assert until > out["strike"]["expires_at"][:10]  # ~30 days ahead of today
    restriction_action = out["action_id"]

    # a custom label with no rule: the default action (review) and a review item
    r = run("act", str(banks["custom"]), "--account", "acct-3", "--json")
    out = json.loads(r.stdout)
    assert out["action"] == "review" and out["rule"] is None and out["review_id"]
    queue = json.loads(run("review", "list", "--json").stdout)
    assert [q["kind"] for q in queue] == ["upload"] and queue[0]["account"] == "acct-3"

    # an unrelated image: nothing matched, nothing done
    r = run("act", str(pdq_dir / "labelme-subset" / "q1050.jpg"), "--account", "acct-4", "--json")
    out = json.loads(r.stdout)
    assert out["action"] == "none" and out["matches"] == [] and out["strike"] is None

    # appeals: overturned reverses the ban; upheld keeps the restriction
    r = run("appeal", str(banned_action), "--outcome", "overturned", "--note", "news report, not the attack video", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["outcome"] == "overturned" and len(out["strikes_reversed"]) == 1
    assert out["account_status"]["state"] == "good_standing"
    assert json.loads(run("strikes", "acct-1", "--json").stdout)["strikes"][0]["reversed"] is True
    r = run("appeal", str(restriction_action), "--outcome", "upheld", "--note", "clear propaganda", "--json")
    assert json.loads(r.stdout)["account_status"]["state"] == "restricted"

    # errors: a second appeal, an unknown action, a bad outcome
    again = run("appeal", str(banned_action), "--outcome", "upheld")
    assert again.exit_code == 2 and "appealed already" in again.output
    assert "no action with id 999" in run("appeal", "999", "--outcome", "upheld").output
    assert run("appeal", str(restriction_action), "--outcome", "maybe").exit_code == 2

    # everything is in the ledger, and the chain holds
    ledger = get_context().ledger
    kinds = [e.kind for e in ledger.entries(kind="media.")]
    assert kinds.count("media.action") == 4
    assert kinds.count("media.strike") == 3  # ban, restriction, reversal of the ban
    assert kinds.count("media.appeal") == 2
    assert "media.match" in kinds  # the matcher records every match it acts on
    assert ledger.verify() == []

    # transparency counts rebuilt from the store agree with what happened
    report = json.loads(run("report", "--json").stdout)
    assert report["totals"]["actions"] == 4 and report["totals"]["strikes"] == 2
    assert report["totals"]["strikes_reversed"] == 1
    assert report["actions"]["by_action"] == {"block": 2, "none": 1, "review": 1}
    assert report["actions"]["by_bank"] == {"attacks": 1, "custom": 1, "unlisted": 1}
    assert report["actions"]["by_label"]["behaviour:livestreamed_attack"] == 1
    assert report["appeals"]["by_outcome"] == {"overturned": 1, "upheld": 1}
    assert report["ledger"]["chain_intact"] is True and report["ledger"]["matches_store"] is True

    rows = list(csv.reader(io.StringIO(run("report", "--csv").stdout)))
    assert rows[0] == ["section", "dimension", "key", "count"]
    assert ["appeals", "by_outcome", "overturned", "1"] in rows
    future = json.loads(run("report", "--since", "2999-01-01", "--json").stdout)
    assert future["totals"]["actions"] == 0
    bad = run("report", "--since", "yesterday'; DROP TABLE media_actions; --")
    assert bad.exit_code == 2 and "not a date" in bad.output
    assert json.loads(run("report", "--json").stdout)["totals"]["actions"] == 4


def test_restrictions_expire_and_escalate(store, banks: dict[str, Path]) -> None:  # noqa: ANN001
    ctx = get_context()
    policy = parse_policy({
        "name": "strict", "version": "1", "escalation": {"ban_after_strikes": 2},
        "rules": [{"label": "entity:un_listed", "action": "block", "strike": "restriction", "restriction_days": 7}],
    })
    svc = Enforcement(ctx.store, ctx.ledger, "tester", policy)
    match = {"bank": "unlisted", "content_id": "u1", "signal_type": "pdq", "distance": 0, "labels": ["entity:un_listed"]}
    start = now_utc() - timedelta(days=30)
    first = svc.act("a.jpg", "acct-9", [match], at=start)
    assert first["strike"]["penalty"] == "restriction"
    assert svc.account_status("acct-9", at=start + timedelta(days=6))["state"] == "restricted"
    assert svc.account_status("acct-9", at=start + timedelta(days=8))["state"] == "good_standing"  # expired
    # two active restrictions at once → the second becomes a permanent ban
    svc.act("b.jpg", "acct-9", [match], at=start + timedelta(days=10))
    third = svc.act("c.jpg", "acct-9", [match], at=start + timedelta(days=11))
    assert third["strike"]["penalty"] == "ban" and third["strike"]["escalated"] is True
    assert svc.account_status("acct-9")["state"] == "banned"
    with pytest.raises(EnforcementError, match="account id is required"):
        svc.act("d.jpg", " ", [match])


def test_act_on_a_bad_file_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    r = run("act", str(broken), "--account", "acct-1")
    assert r.exit_code == 2
    assert "broken.jpg" in r.output
    bad_policy = tmp_path / "p.yaml"
    bad_policy.write_text("name: x\nversion: 1\nrules: [{label: known_benign, action: nuke}]\n")
    r = run("act", str(broken), "--account", "acct-1", "--policy", str(bad_policy))
    assert r.exit_code == 2 and "rules[0].action" in r.output

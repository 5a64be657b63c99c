"""The trail and dispositions: every screening recorded in the library, review items from hits,
decisions with four-eyes, clearances keyed on the party's listings, organisation scoping.

Lists: the hand-written UK fixture (a sanctions list, UK-FCDO) and the real US DoD 1260H list
(not a sanctions list)."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from http_fakes import fake_transport
from typer.testing import CliRunner

from redline.cli import app
from redline.context import Context, get_context
from redline.parties import api
from redline.parties.batch import screen_csv
from redline.parties.snapshots import import_paths
from redline.review import core
from redline.store.base import Store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "lists"
UK_ENTITY = "Beijing Testsec Surveillance Technology Co., Ltd"  # invented, in the UK fixture
DOD_ENTITY = "Hangzhou Hikvision Digital Technology"  # on the 1260H list


@pytest.fixture
def lists(redline_home: Path, data_dir: Path) -> Context:
    ctx = get_context()
    results, _ = import_paths(ctx.store, [FIXTURES / "uk_fcdo", data_dir / "lists" / "us_dod_1260h"])
    assert results and all(r.status == "imported" for r in results), results
    return ctx


def _decide(ctx: Context, item: int, decision: str, actor: str, role: str = "analyst", org: str | None = None) -> dict:
    return core.decide(ctx.store, ctx.ledger, item_id=item, decision=decision, reason=f"{actor} checked it",
                       actor=actor, role=role, org=org, snapshots=core.in_force(ctx.store))


def test_api_screen_records_one_entry_as_the_contexts_actor_and_raises_items_in_its_org(lists: Context) -> None:
    alice = lists.acting_as("alice", "acme")
    result = api.screen(UK_ENTITY, ctx=alice)
    assert result["results"][0]["match"] and result["review_items"]
    entries = [e for e in lists.ledger.entries(kind="parties.screen") if e.kind == "parties.screen"]
    assert len(entries) == 1 and entries[0].seq == result["ledger_seq"]
    assert entries[0].actor == "alice" and entries[0].inputs["org"] == "acme"
    assert entries[0].refs["snapshots"] == [s["label"] for s in result["snapshots"]]
    acme = core.list_items(lists.store, "acme")
    assert [i["id"] for i in acme] == result["review_items"]
    assert acme[0]["raised_by"] == "alice" and acme[0]["sanctions_programs"] == ["UK-FCDO"]
    assert core.list_items(lists.store, "other") == [] and core.list_items(lists.store, None) == []
    with pytest.raises(core.ItemNotFound):
        core.get_item(lists.store, "other", acme[0]["id"])
    # the same pair screened again is not raised twice
    assert api.screen(UK_ENTITY, ctx=alice)["review_items"] == []
    # an unlisted name writes an entry and raises nothing
    quiet = api.screen("Zzyzx Qwerty Plumbing", ctx=alice)
    assert quiet["review_items"] == [] and quiet["ledger_seq"] == result["ledger_seq"] + 2


def test_confirming_a_sanctions_match_takes_two_people(lists: Context) -> None:
    item = api.screen(UK_ENTITY)["review_items"][0]
    with pytest.raises(core.ReviewProblem, match="analyst role"):
        _decide(lists, item, "confirmed", "rita", role="reader")
    first = _decide(lists, item, "confirmed", "alice")
    assert first["status"] == "awaiting_second" and first["decisions"][0]["stage"] == "first"
    with pytest.raises(core.ReviewProblem, match="four-eyes"):
        _decide(lists, item, "confirmed", "alice")
    second = _decide(lists, item, "confirmed", "bob", role="admin")
    assert second["status"] == "confirmed" and [d["actor"] for d in second["decisions"]] == ["alice", "bob"]
    with pytest.raises(core.ReviewProblem, match="already confirmed"):
        _decide(lists, item, "cleared", "carol")
    decided = {e.seq: e for e in lists.ledger.entries(kind="review.decide")}
    for d in second["decisions"]:
        entry = decided[d["ledger_seq"]]
        assert entry.actor == d["actor"] and entry.inputs["reason"] == d["reason"] and entry.inputs["item"] == item
        assert entry.refs["snapshots"] == d["snapshots"] and any("uk_fcdo" in s for s in d["snapshots"])
    assert lists.ledger.verify() == []


def test_confirming_a_match_on_a_list_that_is_not_sanctions_takes_one(lists: Context) -> None:
    result = api.screen(DOD_ENTITY, schema="Company")
    hit = next(i for i in core.list_items(lists.store, None) if i["match"])
    assert hit["sanctions_programs"] == [] and hit["id"] in result["review_items"]
    assert _decide(lists, hit["id"], "confirmed", "alice")["status"] == "confirmed"


def test_a_cleared_pair_is_raised_again_only_when_the_partys_listing_changes(lists: Context, tmp_path: Path) -> None:
    item = api.screen(UK_ENTITY)["review_items"][0]
    assert _decide(lists, item, "cleared", "alice")["status"] == "cleared"
    assert api.screen(UK_ENTITY)["review_items"] == []
    assert api.screen(f"  {UK_ENTITY.upper()} ")["review_items"] == []  # the same query, written differently
    # a new snapshot lists the party under another regime: its listings changed
    changed = tmp_path / "uk_fcdo" / "UK-Sanctions-List.csv"
    changed.parent.mkdir()
    text = (FIXTURES / "uk_fcdo" / "UK-Sanctions-List.csv").read_text(encoding="utf-8")
    changed.write_text(text.replace("25/03/2024", "26/03/2024"), encoding="utf-8")
    results, _ = import_paths(lists.store, [changed.parent])
    assert results[0].status == "imported" and results[0].in_force
    again = api.screen(UK_ENTITY)["review_items"]
    assert again and again[0] != item
    assert core.get_item(lists.store, None, again[0])["fingerprint"] != core.get_item(lists.store, None, item)["fingerprint"]


def test_screen_file_records_each_row_with_a_hit_in_one_transaction_per_chunk(
    lists: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = tmp_path / "book.csv"
    book.write_text(f'name\n"{UK_ENTITY}"\nZzyzx Qwerty Plumbing\n{DOD_ENTITY}\n"{UK_ENTITY}"\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    opened = []
    original = Store.transaction

    def counting(self: Store):  # type: ignore[no-untyped-def]
        opened.append(1)
        return original(self)

    monkeypatch.setattr(Store, "transaction", counting)
    summary = screen_csv(book, out, progress=False, workers=1)
    assert len(opened) == 2  # one for the chunk's three rows with a hit, one for the run's entry
    rows = [e for e in lists.ledger.entries(kind="parties.screen_file.hit")]
    assert sorted(e.inputs["line"] for e in rows) == [2, 4, 5]
    batch = next(e for e in lists.ledger.entries(kind="parties.screen_file") if e.kind == "parties.screen_file")
    assert batch.seq == summary["ledger_seq"] and batch.outcome["hit_entries"] == 3
    assert batch.inputs["input_sha256"] == hashlib.sha256(book.read_bytes()).hexdigest()
    assert batch.inputs["output_sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert "_hit" not in next(csv.reader(out.open(encoding="utf-8")))
    # two rows of one pair raise one item; the 1260H row raises its own
    assert {i["party_caption"] for i in core.list_items(lists.store, None)} >= {UK_ENTITY.upper()}
    assert len([i for i in core.list_items(lists.store, None) if i["origin"] == "parties.screen_file.hit"]) >= 2


def test_review_cli_lists_decides_and_refuses_bad_arguments(lists: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    screened = runner.invoke(app, ["parties", "screen", UK_ENTITY, "--json"])
    assert screened.exit_code == 0, screened.output
    entries = [e for e in lists.ledger.entries(kind="parties.screen") if e.kind == "parties.screen"]
    assert len(entries) == 1  # recorded once, by the library, not again by the CLI
    listed = runner.invoke(app, ["review", "list", "--status", "open", "--json"])
    assert listed.exit_code == 0
    import json

    item = json.loads(listed.output)[0]["id"]
    bad = runner.invoke(app, ["review", "decide", str(item), "--decision", "maybe", "--reason", "x"])
    assert bad.exit_code == 2 and "--decision" in bad.output
    missing = runner.invoke(app, ["review", "decide", "999", "--decision", "cleared", "--reason", "x"])
    assert missing.exit_code == 2 and "ITEM" in missing.output
    first = runner.invoke(app, ["review", "decide", str(item), "--decision", "confirmed", "--reason", "same party", "--json"])
    assert first.exit_code == 0 and json.loads(first.output)["status"] == "awaiting_second"
    again = runner.invoke(app, ["review", "decide", str(item), "--decision", "confirmed", "--reason", "sure"])
    assert again.exit_code == 2 and "four-eyes" in again.output
    monkeypatch.setenv("REDLINE_USER", "second-analyst")
    from redline.context import reset_context

    reset_context()
    second = runner.invoke(app, ["review", "decide", str(item), "--decision", "confirmed", "--reason", "agreed", "--json"])
    assert second.exit_code == 0 and json.loads(second.output)["status"] == "confirmed"
    shown = runner.invoke(app, ["review", "show", str(item), "--json"])
    assert [d["actor"] for d in json.loads(shown.output)["decisions"]][1] == "second-analyst"


def test_fingerprint_ignores_snapshot_labels_but_not_listings() -> None:
    hit = {"id": "p1", "caption": "X", "schema": "Company", "lists": [
        {"source": "uk_fcdo", "program": "Cyber", "program_id": "UK-FCDO", "authority": "UK", "listed_on": "2024-03-25",
         "snapshot": "uk_fcdo@2026-04-29"}], "via": []}
    relabelled = {**hit, "lists": [{**hit["lists"][0], "snapshot": "uk_fcdo@2026-05-30"}]}
    listed_elsewhere = {**hit, "lists": hit["lists"] + [{**hit["lists"][0], "source": "eu_fsf", "program_id": "EU-FSF"}]}
    assert core.listing_fingerprint(hit) == core.listing_fingerprint(relabelled)
    assert core.listing_fingerprint(hit) != core.listing_fingerprint(listed_elsewhere)


def test_parties_update_writes_one_entry_with_each_download_and_failure(redline_home: Path) -> None:
    from redline.parties.sources import updaters

    ca_url, uk_url = updaters.updater("ca_sema").files[0].url, updaters.updater("uk_fcdo").files[0].url
    transport = fake_transport({ca_url: 500, uk_url: FIXTURES / "uk_fcdo" / "UK-Sanctions-List.csv"})
    payload = api.update(["ca_sema", "uk_fcdo"], ctx=get_context().acting_as("curator-1"), transport=transport)
    entry = next(get_context().ledger.entries(kind="parties.update"))
    assert entry.seq == payload["ledger_seq"] and entry.actor == "curator-1"
    fetched = entry.outcome["lists"]
    assert [(f["source"], f["status"], f["url"]) for f in fetched] == [("uk_fcdo", "imported", uk_url)]
    assert len(fetched[0]["sha256"]) == 64 and entry.refs["snapshots"] == [payload["results"][0]["label"]]
    assert [(f["source"], f["url"]) for f in entry.outcome["failures"]] == [("ca_sema", ca_url)]


def test_record_and_decide_on_both_backends(any_store: Store) -> None:
    from redline.ledger import Ledger

    ledger = Ledger(any_store)
    hit = {"id": "p1", "caption": "TESTSEC", "schema": "Company", "score": 0.9, "match": True, "explanation": "x",
           "lists": [{"source": "uk_fcdo", "program": "Cyber", "program_id": "UK-FCDO", "authority": "UK",
                      "listed_on": "2024-03-25", "snapshot": "uk_fcdo@test"}], "via": []}
    near = {**hit, "id": "p2", "score": 0.65, "match": False}
    far = {**hit, "id": "p3", "score": 0.55, "match": False}
    with any_store.transaction() as conn:
        seq, raised = core.record_screening(conn, ledger, kind="parties.screen", actor="alice", org="acme",
                                            query={"name": "Testsec"}, hits=[hit, near, far], snapshots=["uk_fcdo@test"])
    assert len(raised) == 2  # the match and the near miss; 0.55 is below the floor
    first = core.decide(any_store, ledger, item_id=raised[0], decision="confirmed", reason="r", actor="alice",
                        role="analyst", org="acme", snapshots=["uk_fcdo@test"])
    assert first["status"] == "awaiting_second"
    with pytest.raises(core.ItemNotFound):
        core.decide(any_store, ledger, item_id=raised[0], decision="confirmed", reason="r", actor="bob",
                    role="analyst", org="other", snapshots=[])
    done = core.decide(any_store, ledger, item_id=raised[0], decision="confirmed", reason="r", actor="bob",
                       role="analyst", org="acme", snapshots=["uk_fcdo@test"])
    assert done["status"] == "confirmed" and [e.kind for e in ledger.entries()] == ["parties.screen", "review.decide", "review.decide"]
    assert ledger.verify() == []


def test_a_decision_and_its_ledger_entry_commit_together(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from redline.ledger import Ledger

    ledger = Ledger(store)
    hit = {"id": "p9", "caption": "X", "schema": "Company", "score": 0.8, "match": True, "explanation": "x",
           "lists": [{"source": "us_dod_1260h", "program_id": "US-DOD-1260H"}], "via": []}
    with store.transaction() as conn:
        _, (item,) = core.record_screening(conn, ledger, kind="parties.screen", actor="a", org=None,
                                           query={"name": "X"}, hits=[hit], snapshots=[])
    written = ledger._write

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        written(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(ledger, "_write", failing)
    with pytest.raises(RuntimeError):
        core.decide(store, ledger, item_id=item, decision="cleared", reason="r", actor="a", role="analyst", org=None,
                    snapshots=[])
    after = core.get_item(store, None, item)
    assert after["status"] == "open" and after["decisions"] == []
    assert [e.kind for e in ledger.entries()] == ["parties.screen"]

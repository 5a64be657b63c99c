"""Deletions reach peers, and the commands that clean up: a bank deleted at the publisher, or a
hash disabled there, stops matching at every peer after its next fetch (real servers on loopback);
`exchange remove` / `DELETE /c/exchange/{name}` and `exchange purge`, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import random
import warnings
from datetime import datetime, timezone
from pathlib import Path

import orjson
from sqlalchemy import select, update
from typer.testing import CliRunner

from redline import keys
from redline.cli import app
from redline.context import get_context
from redline.exchange import credentials, exchanges, feed, fetch
from redline.exchange import tables as t
from redline.media import banks
from redline.media.matcher import Matcher

from exchange_support import reader_key, serve_app

warnings.filterwarnings("ignore", message=".*httpx2.*")
from fastapi.testclient import TestClient  # noqa: E402


def _pdqs(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice("0123456789abcdef") for _ in range(64)) for _ in range(n)]


def _subscribe(peer, publisher, url: str, name: str) -> None:  # type: ignore[no-untyped-def]
    secret = reader_key(publisher, f"{name}-reader", org=name)
    exchanges.add_exchange(peer, "peer-a", "redline", {"url": url, "public_key": feed.signer(publisher).public_pem(),
                                                       "page_size": 4, "rate": 100},
                           credential=credentials.seal(peer.settings, secret))


def test_a_deleted_bank_and_a_disabled_hash_stop_matching_at_every_peer(contexts, db_url: str) -> None:  # type: ignore[no-untyped-def]
    a, b, c = contexts("a"), contexts("b"), contexts("c", db_url)  # C on SQLite, then on PostgreSQL
    tvec, other = _pdqs(5, 1), _pdqs(3, 2)
    for bank, hashes in (("tvec", tvec), ("other", other)):
        banks.create_bank(a.store, bank, actor="alice", ledger=a.ledger)
        banks.add_signals(a.store, bank, [banks.SignalRecord("pdq", h, content_id=f"{bank}-{i}")
                                          for i, h in enumerate(hashes)], actor="alice", ledger=a.ledger)
        feed.publish(a, bank)
    with serve_app(a) as url:
        peers = [b, c]
        for peer, name in zip(peers, ("b", "c")):
            _subscribe(peer, a, url, name)
            assert fetch.fetch(peer, "peer-a").added == 8
        matchers = [Matcher.open(peer, refresh_seconds=0) for peer in peers]
        for matcher in matchers:
            assert matcher.match_pdq(other[0]) and matcher.match_pdq(tvec[1])

        # A deletes the published bank (no publish step: the deletion itself goes on the feed) and
        # disables one hash of the other bank, then publishes that bank
        tomb = banks.delete_bank(a, "other", actor="alice")
        assert tomb.withdrawn == 3
        assert list(a.ledger.entries("media.bank.delete"))[-1].outcome["withdrawn_from_feed"] == 3
        banks.set_signal_enabled(a.store, "tvec", tvec[1], False, actor="alice", ledger=a.ledger)
        assert feed.publish(a, "tvec")["deleted"] == 1
        with a.store.connect() as conn:  # each deletion is a record signed like any other
            last = [orjson.loads(r.record) for r in conn.execute(select(t.feed.c.record).order_by(t.feed.c.seq))][-4:]
        assert all(r["deleted"] for r in last) and {r["signal_value"] for r in last} == {*other, tvec[1]}

        for peer, matcher in zip(peers, matchers):
            result = fetch.fetch(peer, "peer-a")
            assert (result.deleted, result.refused, result.error) == (4, 0, None), result.to_dict()
            for gone in (*other, tvec[1]):
                assert matcher.match_pdq(gone) == []  # the running matcher, after the fetch
            assert [m.content_id for m in matcher.match_pdq(tvec[0])] == ["tvec-0"]
            statuses = {p["signal_value"]: p["deleted"] for p in exchanges.provenance(peer, "peer-a")}
            assert statuses[other[0]] is True and statuses[tvec[0]] is False

        # the name is free at A; a new bank under it is published and fetched as new hashes
        banks.create_bank(a.store, "other", actor="alice")
        fresh = _pdqs(1, 3)[0]
        banks.add_signals(a.store, "other", [banks.SignalRecord("pdq", fresh, content_id="new")], actor="alice")
        assert (feed.publish(a, "other")["published"], feed.publish(a, "other")["published"]) == (1, 0)
        for peer, matcher in zip(peers, matchers):
            assert fetch.fetch(peer, "peer-a").added == 1
            assert [m.content_id for m in matcher.match_pdq(fresh)] == ["new"]
            assert matcher.match_pdq(other[0]) == []
    # deleting a bank never published writes nothing to the feed
    banks.create_bank(a.store, "private", actor="alice")
    assert banks.delete_bank(a, "private", actor="alice").withdrawn == 0


def test_remove_an_exchange_and_purge_its_rows(db_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    ctx = get_context()
    drop = tmp_path / "drop"
    drop.mkdir()
    shared = _pdqs(2, 4)
    (drop / "001.txt").write_text("".join(f"pdq {h}\n" for h in shared))
    assert runner.invoke(app, ["exchange", "add", "drop", "--adapter", "file", "--path", str(drop)]).exit_code == 0
    assert json.loads(runner.invoke(app, ["exchange", "fetch", "drop", "--json"]).output)["added"] == 2
    banks.create_bank(ctx.store, "kept", actor="curator")
    banks.add_signals(ctx.store, "kept", [banks.SignalRecord("pdq", _pdqs(1, 5)[0])], actor="curator")
    matcher = Matcher.open(ctx, refresh_seconds=0)
    assert matcher.match_pdq(shared[0])

    missing = runner.invoke(app, ["exchange", "remove", "nope"])
    assert missing.exit_code == 2 and "NAME" in missing.output and "Traceback" not in missing.output
    with ctx.store.transaction() as conn:  # a fetch in progress
        conn.execute(update(t.exchanges).where(t.exchanges.c.name == "drop").values(status=orjson.dumps(
            {"state": "running", "started_at": datetime.now(timezone.utc).isoformat()}).decode()))
    busy = runner.invoke(app, ["exchange", "remove", "drop"])
    assert busy.exit_code == 2 and "being fetched" in busy.output
    with ctx.store.transaction() as conn:
        conn.execute(update(t.exchanges).where(t.exchanges.c.name == "drop").values(status="{}"))

    removed = runner.invoke(app, ["exchange", "remove", "drop", "--json"])
    assert removed.exit_code == 0, removed.output
    assert json.loads(removed.output) == {"exchange": "drop", "adapter": "file", "bank": "exchange.drop",
                                          "bank_deleted": True, "bank_kept_because": None, "provenance_removed": 2}
    assert matcher.match_pdq(shared[0]) == []
    assert json.loads(runner.invoke(app, ["exchange", "list", "--json"]).output) == []
    assert [b.name for b in banks.list_banks(ctx.store)] == ["kept"]
    with ctx.store.connect() as conn:
        assert conn.execute(select(t.signals.c.id)).first() is None  # the provenance went with it
    assert [e.outcome["bank_deleted"] for e in ctx.ledger.entries("exchange.remove")] == [True]
    assert [e.inputs["bank"] for e in ctx.ledger.entries("media.bank.delete")] == ["exchange.drop"]

    purged = runner.invoke(app, ["exchange", "purge", "--json"])
    assert purged.exit_code == 0 and json.loads(purged.output) == {"banks": ["exchange.drop"], "removed": 2}
    assert json.loads(runner.invoke(app, ["exchange", "purge", "--json"]).output) == {"banks": [], "removed": 0}
    assert [e.outcome["removed"] for e in ctx.ledger.entries("media.bank.purge")] == [2]

    # the name and the bank's name are free: the same drop folder is fetched again from the start
    assert runner.invoke(app, ["exchange", "add", "drop", "--adapter", "file", "--path", str(drop)]).exit_code == 0
    assert json.loads(runner.invoke(app, ["exchange", "fetch", "drop", "--json"]).output)["added"] == 2
    assert matcher.match_pdq(shared[0])

    secret = {role: keys.create_key(ctx.store, ctx.ledger, f"{role}-k", role)["key"] for role in ("reader", "curator")}
    reader = {"Authorization": f"Bearer {secret['reader']}"}
    curator = {"Authorization": f"Bearer {secret['curator']}"}
    from redline.api import create_app

    with TestClient(create_app(ctx, load_lists=False), raise_server_exceptions=False) as client:
        assert client.delete("/c/exchange/drop", headers=reader).status_code == 403
        kept = client.delete("/c/exchange/drop?keep_bank=true", headers=curator)
        assert kept.status_code == 200 and kept.json()["bank_kept_because"] == "--keep-bank"
        assert client.delete("/c/exchange/drop", headers=curator).status_code == 404
        assert matcher.match_pdq(shared[0])  # a kept bank goes on matching, a plain bank now
        banks.delete_bank(ctx, "exchange.drop")  # a plain bank: deleted as any other
        banks.add_signals(ctx.store, "kept", [banks.SignalRecord("pdq", _pdqs(1, 6)[0])], actor="curator")
        assert client.post("/c/exchanges/purge", headers=reader).status_code == 403
        answer = client.post("/c/exchanges/purge", headers=curator)
        assert answer.status_code == 200 and answer.json() == {"banks": ["exchange.drop"], "removed": 2}
    assert [e.actor for e in ctx.ledger.entries("exchange.remove")][-1] == "curator-k"

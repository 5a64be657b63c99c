"""Redline to Redline over a real socket: publish, signed feed, incremental and paged fetch,
deletions, forged records refused, wrong keys and revoked keys, deconfirm and feedback."""

from __future__ import annotations

import random

import orjson
import pytest
from sqlalchemy import select

from redline import keys
from redline.exchange import exchanges, feed, fetch
from redline.exchange import tables as t
from redline.ledger import ledger_table
from redline.media import banks
from redline.media.matcher import Matcher

from exchange_support import reader_key, serve_app


def _pdq(rng: random.Random) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(64))


def _publisher(ctx, n: int = 10) -> list[str]:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    hashes = [_pdq(rng) for _ in range(n)]
    banks.create_bank(ctx.store, "tvec", labels=["entity:un_listed"], actor="alice", ledger=ctx.ledger)
    banks.add_signals(ctx.store, "tvec", [banks.SignalRecord("pdq", h, content_id=f"c{i}", contributor="platform-a")
                                          for i, h in enumerate(hashes)], actor="alice", ledger=ctx.ledger)
    assert feed.publish(ctx, "tvec")["published"] == n
    assert feed.publish(ctx, "tvec")["published"] == 0  # nothing new
    return hashes


def _subscribe(ctx_b, ctx_a, url: str, page_size: int = 1000) -> None:  # type: ignore[no-untyped-def]
    from redline.exchange import credentials

    secret = reader_key(ctx_a, "platform-b", org="b")
    exchanges.add_exchange(ctx_b, "peer-a", "redline", {"url": url, "public_key": feed.signer(ctx_a).public_pem(),
                                                        "page_size": page_size, "rate": 100},
                           credential=credentials.seal(ctx_b.settings, secret))


def _kinds(ctx) -> list[str]:  # type: ignore[no-untyped-def]
    with ctx.store.connect() as conn:
        return [r.kind for r in conn.execute(select(ledger_table.c.kind).order_by(ledger_table.c.seq))]


def test_fetch_is_signed_incremental_paged_and_resumable(contexts) -> None:  # type: ignore[no-untyped-def]
    a, b = contexts("a"), contexts("b")
    hashes = _publisher(a, 10)
    with serve_app(a) as url:
        _subscribe(b, a, url, page_size=3)
        first = fetch.fetch(b, "peer-a", max_pages=2, commit_rows=1)
        assert (first.pages, first.added, first.complete, first.error) == (2, 6, False, None)
        assert exchanges.get_exchange(b, "peer-a").status["state"] == "partial"
        rest = fetch.fetch(b, "peer-a")  # resumes from the checkpoint
        assert (rest.added, rest.complete, rest.refused) == (4, True, 0)
        assert fetch.fetch(b, "peer-a").added == 0  # incremental: nothing new
        bank = banks.get_bank(b.store, "exchange.peer-a")
        assert (bank.size, bank.enabled_size) == (10, 10)
        # provenance: contributor, labels (the publisher's bank labels travel), last confirmed
        record = exchanges.provenance(b, "peer-a", value=hashes[0])[0]
        assert record["contributor"] == "platform-a" and record["labels"] == ["entity:un_listed"]
        assert record["last_confirmed"] and not record["deleted"]
        # matchable at B
        found = Matcher.open(b).match_pdq(hashes[3])
        assert [(m.bank, m.content_id, m.distance) for m in found] == [("exchange.peer-a", "c3", 0)]
        # a withdrawal at A reaches B as a deletion
        banks.set_signal_enabled(a.store, "tvec", hashes[3], False, actor="alice", ledger=a.ledger)
        assert feed.publish(a, "tvec") == {"bank": "tvec", "origin": feed.signer(a).key_id, "published": 0, "deleted": 1,
                                          "derived": 0}
        gone = fetch.fetch(b, "peer-a")
        assert (gone.deleted, gone.added) == (1, 0)
        assert Matcher.open(b).match_pdq(hashes[3]) == []
        assert exchanges.provenance(b, "peer-a", value=hashes[3])[0]["deleted"] is True
        # ... and re-enabling it there brings it back here
        banks.set_signal_enabled(a.store, "tvec", hashes[3], True, actor="alice", ledger=a.ledger)
        feed.publish(a, "tvec")
        fetch.fetch(b, "peer-a")
        assert len(Matcher.open(b).match_pdq(hashes[3])) == 1
    kinds = _kinds(b)
    assert kinds.count("exchange.fetch") == 5 and "exchange.fetch.page" in kinds
    assert "exchange.publish" in _kinds(a)


def test_forged_record_is_refused_and_the_rest_proceed(contexts) -> None:  # type: ignore[no-untyped-def]
    a, b = contexts("a"), contexts("b")
    _publisher(a, 4)
    rng = random.Random(99)
    forged_hash, honest_hash = _pdq(rng), _pdq(rng)
    with a.store.transaction() as conn:  # someone who can write A's database, but has not its key
        first = conn.execute(select(t.feed).order_by(t.feed.c.seq).limit(1)).one()
        record = orjson.loads(first.record)
        record["signal_value"] = forged_hash
        conn.execute(t.feed.insert().values(bank="tvec", signal_type="pdq", value_key=forged_hash, deleted=False,
                                            record=orjson.dumps(record, option=orjson.OPT_SORT_KEYS).decode(),
                                            block_id=first.block_id, block_index=first.block_index))
    banks.add_signals(a.store, "tvec", [banks.SignalRecord("pdq", honest_hash)], actor="alice")
    feed.publish(a, "tvec")
    with serve_app(a) as url:
        _subscribe(b, a, url)
        result = fetch.fetch(b, "peer-a")
    assert (result.added, result.refused, result.verification_failures, result.error) == (5, 1, 1, None)
    assert "digest differs" in result.refusals[0]
    assert Matcher.open(b).match_pdq(forged_hash) == []
    assert len(Matcher.open(b).match_pdq(honest_hash)) == 1
    status = exchanges.get_exchange(b, "peer-a").status
    assert status["verification_failures"] == 1 and status["state"] == "ok"
    assert exchanges.refusals(b, "peer-a")[0]["reason"].startswith("record")
    assert "exchange.verify_failed" in _kinds(b)


def test_wrong_public_key_and_revoked_key_fetch_nothing(contexts) -> None:  # type: ignore[no-untyped-def]
    a, b, c = contexts("a"), contexts("b"), contexts("c")
    _publisher(a, 3)
    with serve_app(a) as url:
        secret = reader_key(a, "impostor-b")
        from redline.exchange import credentials

        exchanges.add_exchange(b, "impostor", "redline", {"url": url, "public_key": feed.signer(c).public_pem()},
                               credential=credentials.seal(b.settings, secret))
        wrong = fetch.fetch(b, "impostor")
        assert wrong.added == 0 and "configured with key" in (wrong.error or "")
        assert exchanges.get_exchange(b, "impostor").status["state"] == "failed"
        _subscribe(b, a, url)
        keys.revoke_key(a.store, a.ledger, "platform-b")
        import time

        time.sleep(2.1)  # the server's key cache
        revoked = fetch.fetch(b, "peer-a")
        assert revoked.added == 0 and "refused the API key (HTTP 401" in (revoked.error or "")
    assert banks.get_bank(b.store, "exchange.peer-a").size == 0


def test_a_failing_page_leaves_the_bank_as_it_was(contexts, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    a, b = contexts("a"), contexts("b")
    _publisher(a, 6)
    real = fetch._write_page
    calls = {"n": 0}

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(fetch, "_write_page", failing)
    with serve_app(a) as url:
        _subscribe(b, a, url, page_size=2)
        with pytest.raises(OSError):
            fetch.fetch(b, "peer-a", commit_rows=1)  # each page its own transaction
        after_first = exchanges.get_exchange(b, "peer-a")
        assert banks.get_bank(b.store, "exchange.peer-a").size == 2  # page 1 only: page 2 rolled back whole
        assert after_first.checkpoint == "2:0" and after_first.status["state"] == "failed"
        monkeypatch.setattr(fetch, "_write_page", real)
        resumed = fetch.fetch(b, "peer-a")
        assert (resumed.added, resumed.duplicates, resumed.complete) == (4, 0, True)


def test_deconfirm_disables_here_and_the_publisher_sees_it(contexts) -> None:  # type: ignore[no-untyped-def]
    a, b = contexts("a"), contexts("b")
    hashes = _publisher(a, 3)
    with serve_app(a) as url:
        _subscribe(b, a, url)
        fetch.fetch(b, "peer-a")
        out = fetch.deconfirm(b, "peer-a", hashes[1].upper(), reason="a news photo")
        assert out["push"]["pushed"] == 1 and out["feedback"] == "pending"
        assert Matcher.open(b).match_pdq(hashes[1]) == []
        record = exchanges.provenance(b, "peer-a", value=hashes[1])[0]
        assert record["deconfirmed_by"] == "b" and record["feedback"] == "pushed"
        # the exchange asserting it again does not undo a local deconfirmation
        fetch.fetch(b, "peer-a")
        assert Matcher.open(b).match_pdq(hashes[1]) == []
    seen = feed.list_feedback(a)
    assert [(f["signal_value"], f["reason"], f["from_key"], f["from_org"], f["published_here"], f["origin"])
            for f in seen] == [(hashes[1], "a news photo", "platform-b", "b", True, feed.signer(b).key_id)]
    assert "exchange.feedback" in _kinds(a)
    assert {"exchange.deconfirm", "exchange.push"} <= set(_kinds(b))
    with pytest.raises(exchanges.ExchangeProblem, match="never delivered"):
        fetch.deconfirm(b, "peer-a", "f" * 64)


def test_feedback_with_a_bad_signature_is_refused(contexts) -> None:  # type: ignore[no-untyped-def]
    a, b = contexts("a"), contexts("b")
    from redline.exchange import signing

    signer = feed.signer(b)
    fields = {"origin": signer.key_id, "signal_type": "pdq", "signal_value": "a" * 64, "opinion": "false_positive",
              "reason": None, "at": "2026-12-03T10:00:00+00:00"}
    good = {**fields, "signature": signing.sign(signer, signing.canonical(fields))}
    bad = {**fields, "signal_value": "b" * 64, "signature": good["signature"]}
    answer = feed.receive_feedback(a, {"origin": signer.key_id, "public_key": signing.public_hex(signer),
                                       "items": [good, bad]}, from_key="k", from_org=None)
    assert answer["accepted"] == 1 and answer["refused"][0]["item"] == 1
    assert feed.list_feedback(a)[0]["published_here"] is False


def test_malformed_feed_records_are_refused_and_the_rest_proceed(contexts) -> None:  # type: ignore[no-untyped-def]
    from exchange_support import Request, wire_server

    from redline.exchange import credentials

    a, b = contexts("a"), contexts("b")
    hashes = _publisher(a, 3)

    def relay(request: Request) -> tuple[int, object]:  # A's feed, with junk added on the way
        page = feed.feed_page(a, request.query.get("since", [None])[0], int(request.query["limit"][0]))
        page["records"] += [{"kind": "rumour", "seq": 99}, "not an object",
                            {"kind": "signal", "seq": 100, "block": page["records"][0]["block"], "index": 0},
                            {"kind": "signal", "seq": 101, "block": 424242, "index": 0, "body": "{}"}]
        return 200, page

    with wire_server(relay) as server:
        exchanges.add_exchange(b, "peer-a", "redline", {"url": server.url, "public_key": feed.signer(a).public_pem()},
                               credential=credentials.seal(b.settings, "unused"))
        result = fetch.fetch(b, "peer-a")
    assert (result.added, result.refused, result.error) == (3, 4, None)
    assert any("unknown record kind" in r for r in result.refusals)
    assert any("block 424242" in r for r in result.refusals)
    assert len(Matcher.open(b).match_pdq(hashes[0])) == 1


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_large_groups_take_the_index_rebuild_paths_and_lose_nothing(contexts, monkeypatch, request,  # type: ignore[no-untyped-def]
                                                                    backend: str) -> None:
    from sqlalchemy import func, inspect

    from redline.media import bulk

    monkeypatch.setattr(bulk, "REBUILD_MIN_ROWS", 5)
    monkeypatch.setattr(feed, "FEED_REBUILD_MIN", 5)
    monkeypatch.setattr(fetch, "PROVENANCE_REBUILD_MIN", 5)
    a = contexts("a")
    b = contexts("b", request.getfixturevalue("pg_url") if backend == "postgresql" else None)
    hashes = _publisher(a, 40)  # a publication larger than the feed: its index dropped and built again
    with a.store.connect() as conn:
        assert "ix_exchange_feed_key" in {i["name"] for i in inspect(conn).get_indexes(t.feed.name)}
    with serve_app(a) as url:
        _subscribe(b, a, url, page_size=7)
        first = fetch.fetch(b, "peer-a", commit_rows=5)  # groups grow with the bank: 7, 7, 14, 12 records
        assert (first.added, first.pages, first.complete) == (40, 6, True)
        exchanges.update_exchange(b, "peer-a", checkpoint=None)
        again = fetch.fetch(b, "peer-a", commit_rows=100)  # one group of 40 known keys, the rebuild path
        assert (again.added, again.duplicates) == (0, 40)
    with b.store.connect() as conn:
        assert "ix_exchange_signals_key" in {i["name"] for i in inspect(conn).get_indexes(t.signals.name)}
        assert conn.execute(select(func.count()).select_from(t.signals)).scalar_one() == 40
    assert banks.get_bank(b.store, "exchange.peer-a").size == 40
    assert {r["signal_value"] for r in exchanges.provenance(b, "peer-a", limit=100)} == set(hashes)
    assert [m.content_id for m in Matcher.open(b).match_pdq(hashes[17])] == ["c17"]


def test_the_reading_thread_runs_ahead_a_bounded_number_of_records_and_errors_come_last() -> None:
    import time

    from redline.exchange.adapters.base import ExchangeError, Incoming, Page

    produced: list[int] = []

    def pages():  # type: ignore[no-untyped-def]
        for i in range(10):
            produced.append(i)
            yield Page([Incoming("pdq", "0" * 64)] * 100, [], str(i), True)
        raise ExchangeError("the exchange went away")

    result = fetch.FetchResult("x")
    reader = fetch._read_ahead(pages(), result, limit=300)
    assert next(reader).checkpoint == "0"
    time.sleep(0.5)
    assert len(produced) == 5  # pages 1-3 held (300 records), page 4 read and waiting for room
    got = []
    with pytest.raises(ExchangeError, match="went away"):
        for page in reader:
            got.append(page.checkpoint)
    assert got == [str(i) for i in range(1, 10)] and result.cpu["read"] >= 0

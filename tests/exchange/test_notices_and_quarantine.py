"""Denial notices ride the Redline feed (verified by the installation's signature, then by the
licensing domain); a flood of matches on a freshly fetched hash is held by the existing quarantine."""

from __future__ import annotations

import random

import pytest

from redline.exchange import credentials, exchanges, feed, fetch
from redline.licensing import notices
from redline.media import banks
from redline.media.matcher import FloodRule, Matcher

from exchange_support import Request, reader_key, wire_server


def _notice(ctx, party: str, monkeypatch: pytest.MonkeyPatch) -> dict:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REDLINE_AUTHORITY", "State X export control")
    fields = notices.build_fields(party=party, country="CN", control_codes=["5A001.j"], item_categories=[],
                                  grounds="Risk of use in internal repression (Criterion 2)")
    return notices.issue(ctx, fields)


def test_denial_notices_travel_and_a_tampered_one_is_refused(contexts, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    a, b = contexts("a"), contexts("b")
    first = _notice(a, "Example Surveillance Technology Co", monkeypatch)
    second = _notice(a, "Other Monitoring Systems Ltd", monkeypatch)
    reader_key(a, "state-y")

    def relay(request: Request) -> tuple[int, object]:  # A's feed, with the second notice altered on the way
        page = feed.feed_page(a, request.query.get("since", [None])[0], int(request.query["limit"][0]))
        for record in page["records"]:
            if record["kind"] == "denial_notice" and record["notice"]["notice_id"] == second["notice_id"]:
                record["notice"]["expiry"] = "2099-01-01"
        return 200, page

    with wire_server(relay) as server:
        exchanges.add_exchange(b, "state-x", "redline", {"url": server.url, "public_key": feed.signer(a).public_pem()},
                               credential=credentials.seal(b.settings, "unused"))
        result = fetch.fetch(b, "state-x")
    assert (result.notices, result.refused, result.verification_failures, result.error) == (1, 1, 1, None)
    assert "denial notice" in result.refusals[0]
    received = notices.list_notices(b.store, origin="partner")
    assert [n["notice_id"] for n in received] == [first["notice_id"]]
    assert exchanges.get_exchange(b, "state-x").checkpoint == "0:2"


def test_a_flood_of_matches_on_a_fetched_hash_is_held(contexts, tmp_path) -> None:  # type: ignore[no-untyped-def]
    b = contexts("b")
    drop = tmp_path / "drop"
    drop.mkdir()
    value = "".join(random.Random(3).choice("0123456789abcdef") for _ in range(64))
    (drop / "001.txt").write_text(value + "\n")
    exchanges.add_exchange(b, "drop", "file", {"path": str(drop)})
    assert fetch.fetch(b, "drop").added == 1
    matcher = Matcher(b, flood=FloodRule(min_matches=5))  # the rule's threshold, lowered to keep the test short
    held = [matcher.record(f"upload:{i}", matcher.match_pdq(value), now=1_800_000_000.0 + i)[0].held for i in range(6)]
    assert held == [False, False, False, False, True, True]
    assert banks.get_bank(b.store, "exchange.drop").enabled_size == 1  # held for review, not disabled

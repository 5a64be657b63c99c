"""Redline to Redline: a peer installation's `/v1/exchange/feed`, records verified with its public key.

Wire format (what `redline.exchange.feed.feed_page` serves):

    GET /v1/exchange/feed?since=CHECKPOINT&limit=N      Authorization: Bearer <a reader key at the peer>
    {"origin": KEY_ID, "checkpoint": "S:N", "more": bool,
     "records": [{"kind": "signal", "seq", "block", "index", "body": "<canonical JSON>"},
                 {"kind": "denial_notice", "seq", "notice": {...}, "signature"}],
     "blocks": {"ID": {"at", "digests": [hex, ...], "signature"}}}

A signal's `body` is the canonical JSON the publisher signed (kind, origin, bank, signal_type,
signal_value, labels, contributor, content_id, added_on, deleted, published_at, and for a derived
hash derived_from and variant): its SHA-256 must be the digest at `index` of a block whose signature
verifies with the configured key. A notice is verified by its own signature. Feedback goes back
with POST /v1/exchange/feedback, each item signed by this installation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import orjson

from redline.checkpoints import Signer
from redline.exchange import signing
from redline.exchange.adapters.base import (
    Adapter,
    AuthRejected,
    ExchangeError,
    Feedback,
    Http,
    Incoming,
    Page,
    Refusal,
)



class RedlineAdapter(Adapter):
    name = "redline"
    description = "a peer Redline installation's signed feed (/v1/exchange/feed)"

    def __init__(self, config: dict[str, Any], secret: str | None, *, rate: float | None = None,
                 signer: Signer | None = None) -> None:
        super().__init__(config, secret, rate=rate)
        self.key = signing.load_public_key(config["public_key"])
        self.key_id = signing.key_id(self.key)
        self.page_size = int(config.get("page_size", 20_000))
        self.signer = signer
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        self.http = Http(config["url"].rstrip("/") + "/", rate=self.rate, headers=headers)

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> dict[str, Any]:
        if not str(config.get("url", "")).startswith(("http://", "https://")):
            raise ValueError("--url: the peer's base URL (http:// or https://) is required")
        if not config.get("public_key"):
            raise ValueError("--public-key: the peer's public key (PEM file or 64 hex digits; "
                             "`redline exchange key` prints it) is required")
        try:
            key = signing.load_public_key(str(config["public_key"]))
        except signing.KeyProblem as exc:
            raise ValueError(f"--public-key: {exc}") from None
        return {**config, "public_key": signing.public_pem(key).strip()}

    def _get(self, since: str | None) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": self.page_size}
        if since:
            params["since"] = since
        response = self.http.request("GET", "v1/exchange/feed", params=params)
        if response.status_code in (401, 403):
            raise AuthRejected(f"the peer {self.config['url']} refused the API key (HTTP {response.status_code}: "
                               f"{_detail(self.http, response)}); set a valid reader key with "
                               "`redline exchange add NAME --update --token …`")
        if response.status_code != 200:
            raise ExchangeError(f"the peer {self.config['url']} answered HTTP {response.status_code} to the feed: "
                                f"{_detail(self.http, response)}")
        body = self.http.json(response)
        if not isinstance(body, dict) or not isinstance(body.get("records"), list) or "checkpoint" not in body:
            raise ExchangeError(f"the peer {self.config['url']} sent a feed page without records and checkpoint")
        return body

    def pages(self, checkpoint: str | None) -> Iterator[Page]:
        since = checkpoint
        verified: dict[str, list[str] | None] = {}  # block id -> digests, None when its signature fails
        while True:
            body = self._get(since)
            origin = body.get("origin")
            if origin != self.key_id:
                raise ExchangeError(f"the peer signs with key {origin}, but this exchange is configured with "
                                    f"key {self.key_id}: nothing was fetched (check --public-key)")
            blocks = body.get("blocks") or {}
            signals: list[Incoming] = []
            refused: list[Refusal] = []
            notices: list[dict[str, Any]] = []
            for record in body["records"]:
                kind = record.get("kind") if isinstance(record, dict) else None
                if kind == "signal":
                    self._signal(record, blocks, verified, signals, refused)
                elif kind == "denial_notice":
                    message = signing.canonical({"kind": kind, "origin": origin, "notice": record.get("notice")})
                    if isinstance(record.get("notice"), dict) and signing.verify(self.key, str(record.get("signature", "")), message):
                        notices.append(record["notice"])
                    else:
                        refused.append(Refusal("denial notice: the installation signature does not verify", record, True))
                else:
                    refused.append(Refusal(f"unknown record kind {kind!r}", record))
            more = bool(body.get("more"))
            yield Page(signals, refused, str(body["checkpoint"]), more, notices)
            if not more or str(body["checkpoint"]) == since:
                return
            since = str(body["checkpoint"])

    def _signal(self, record: dict[str, Any], blocks: dict[str, Any], verified: dict[str, list[str] | None],
                signals: list[Incoming], refused: list[Refusal]) -> None:
        block_id = str(record.get("block"))
        if block_id not in verified:
            block = blocks.get(block_id)
            listed = block.get("digests") if isinstance(block, dict) else None
            ok = (isinstance(block, dict) and isinstance(listed, list)
                  and signing.verify(self.key, str(block.get("signature", "")),
                                     signing.block_message(self.key_id, str(block.get("at")), listed)))
            verified[block_id] = listed if ok else None
        digests = verified[block_id]
        if digests is None:
            refused.append(Refusal(f"block {block_id}: its signature does not verify with the configured key", record, True))
            return
        body, index = record.get("body"), record.get("index")
        if not isinstance(body, str) or not isinstance(index, int) or not 0 <= index < len(digests) or \
                hashlib.sha256(body.encode()).hexdigest() != digests[index]:
            refused.append(Refusal(f"record {record.get('seq')}: not the record the peer signed (digest differs)", record, True))
            return
        try:
            content = orjson.loads(body)
            parent = content.get("derived_from")
            derived_of = (str(parent["signal_type"]), str(parent["signal_value"])) if parent is not None else None
            signals.append(Incoming(
                str(content["signal_type"]), str(content["signal_value"]), [str(x) for x in content.get("labels") or []],
                content.get("contributor"), content.get("content_id"), f"{self.key_id}:{record.get('seq')}",
                bool(content.get("deleted")), content.get("published_at"), derived_of, content.get("variant")))
        except (orjson.JSONDecodeError, AttributeError, KeyError, TypeError) as exc:
            refused.append(Refusal(f"record {record.get('seq')}: malformed ({exc})", record))

    def push(self, items: list[Feedback]) -> dict[str, Any]:
        if self.signer is None:
            raise ExchangeError("pushing feedback needs this installation's signing key")
        origin = self.signer.key_id
        body_items = []
        for item in items:
            fields = {"origin": origin, "signal_type": item.signal_type, "signal_value": item.value,
                      "opinion": "false_positive", "reason": item.reason, "at": item.at}
            body_items.append({**fields, "signature": signing.sign(self.signer, signing.canonical(fields))})
        response = self.http.request("POST", "v1/exchange/feedback",
                                     json={"origin": origin, "public_key": signing.public_hex(self.signer),
                                           "items": body_items})
        if response.status_code in (401, 403):
            raise AuthRejected(f"the peer {self.config['url']} refused the feedback (HTTP {response.status_code}: "
                               f"{_detail(self.http, response)})")
        if response.status_code != 200:
            raise ExchangeError(f"the peer {self.config['url']} answered HTTP {response.status_code} to the feedback: "
                                f"{_detail(self.http, response)}")
        return dict(self.http.json(response))

    def close(self) -> None:
        self.http.close()


def _detail(http: Http, response: Any) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    return str(body.get("detail", body))[:200] if isinstance(body, dict) else str(body)[:200]

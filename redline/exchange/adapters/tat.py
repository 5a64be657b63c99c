"""Tech Against Terrorism's hash list, v2 (TCAP archive), as its documentation describes it.

    POST {auth_url}  {"username", "password"}  ->  {"token": JWT}          (short-lived)
    GET  {url}?limit=N&order=asc[&after=CHECKPOINT]   Authorization: Bearer JWT
    {"count", "next": URL | null, "checkpoint": "{UTC},{id}",
     "results": [{"id", "hash_digest", "algorithm": "PDQ|MD5|SHA256|…", "ideology", "file_type", "deleted", …}]}

The credential is a JWT, or {"username", "password"} as JSON: then an expired token (HTTP 401) is
replaced by logging in again, once; with a bare JWT an expired token stops the fetch with a clear
error. Algorithms Redline does not match (SHA256, SHA512, TMK) are counted as skipped.
The list takes no feedback: a deconfirmation stays local."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from redline.exchange.adapters.base import Adapter, AuthRejected, ExchangeError, Http, Incoming, Page, Refusal

DEFAULT_URL = "https://app.terrorismanalytics.org/hash-list/v2/all"
DEFAULT_AUTH_URL = "https://app.terrorismanalytics.org/token-auth/tcap/"
VIDEO_TYPES = frozenset({"video", "mp4", "webm", "mov", "mkv", "avi", "flv", "3gp", "m4v", "ts", "mpeg", "mpg"})
MATCHED = {"pdq": "pdq", "md5": "md5"}


class TatAdapter(Adapter):
    name = "tat"
    description = "Tech Against Terrorism hash list v2 (Bearer JWT)"
    takes_feedback = False

    def __init__(self, config: dict[str, Any], secret: str | None, *, rate: float | None = None, **_: Any) -> None:
        super().__init__(config, secret, rate=rate)
        self.url = config.get("url") or DEFAULT_URL
        self.auth_url = config.get("auth_url") or DEFAULT_AUTH_URL
        self.page_size = int(config.get("page_size", 1000))
        self.login: dict[str, str] | None = None
        self.token: str | None = None
        if secret and secret.lstrip().startswith("{"):
            try:
                login = orjson.loads(secret)
            except orjson.JSONDecodeError:
                raise ExchangeError("the TAT credential is neither a token nor {\"username\", \"password\"} JSON") from None
            if not isinstance(login, dict) or not login.get("username") or not login.get("password"):
                raise ExchangeError("the TAT login credential needs both username and password")
            self.login = {"username": str(login["username"]), "password": str(login["password"])}
        else:
            self.token = secret
        self.http = Http(self.url, rate=self.rate)

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> dict[str, Any]:
        for option in ("url", "auth_url"):
            if config.get(option) and not str(config[option]).startswith(("http://", "https://")):
                raise ValueError(f"--{option.replace('_', '-')}: not an http(s) URL: {config[option]!r}")
        return config

    def _authenticate(self) -> None:
        assert self.login is not None
        response = self.http.request("POST", self.auth_url, json={**self.login, "resend": False})
        if response.status_code != 200:
            raise AuthRejected(f"TAT refused the login (HTTP {response.status_code}); check the username and password")
        token = self.http.json(response).get("token") if isinstance(self.http.json(response), dict) else None
        if not token:
            raise ExchangeError("TAT's login answered without a token")
        self.token = str(token)

    def _get(self, url: str, params: dict[str, Any] | None) -> dict[str, Any]:
        if self.token is None:
            if self.login is None:
                raise AuthRejected("no TAT credential: add one with --token (a JWT) or --login-file (username/password JSON)")
            self._authenticate()
        for attempt in (1, 2):
            response = self.http.request("GET", url, params=params, headers={"Authorization": f"Bearer {self.token}"})
            if response.status_code in (401, 403):
                if self.login is not None and attempt == 1:
                    self._authenticate()  # the JWT expired: log in again once
                    continue
                raise AuthRejected(f"TAT refused the token (HTTP {response.status_code}): it has expired or was revoked; "
                                   "give a fresh one with `redline exchange add NAME --update --token …`, or store "
                                   "a username/password login so Redline can renew it")
            if response.status_code != 200:
                raise ExchangeError(f"TAT answered HTTP {response.status_code} to the hash list")
            body = self.http.json(response)
            if not isinstance(body, dict) or not isinstance(body.get("results"), list):
                raise ExchangeError("TAT's hash list page has no 'results' list")
            return body
        raise AssertionError("unreachable")

    def pages(self, checkpoint: str | None) -> Iterator[Page]:
        url: str = self.url
        first: dict[str, Any] = {"limit": self.page_size, "order": "asc"}
        if self.config.get("ideology"):
            first["ideology"] = self.config["ideology"]
        if checkpoint:
            first["after"] = checkpoint
        params: dict[str, Any] | None = first
        while True:
            body = self._get(url, params)
            signals: list[Incoming] = []
            refused: list[Refusal] = []
            skipped = 0
            for item in body["results"]:
                parsed = _record(item)
                if isinstance(parsed, Refusal):
                    refused.append(parsed)
                elif parsed is None:
                    skipped += 1
                else:
                    signals.append(parsed)
            following = body.get("next")
            new_checkpoint = body.get("checkpoint") or checkpoint
            page = Page(signals, refused, str(new_checkpoint) if new_checkpoint else None, bool(following),
                        skipped=skipped)
            yield page
            if not following:
                return
            url, params, checkpoint = str(following), None, page.checkpoint

    def close(self) -> None:
        self.http.close()


def _record(item: Any) -> Incoming | Refusal | None:
    if not isinstance(item, dict):
        return Refusal("a result is not an object", item)
    digest, algorithm = item.get("hash_digest"), item.get("algorithm")
    if not isinstance(digest, str) or not digest.strip() or not isinstance(algorithm, str):
        return Refusal("a result needs hash_digest and algorithm", item)
    kind = MATCHED.get(algorithm.strip().lower())
    if kind is None:
        return None  # SHA256, SHA512, TMK: not matched by Redline
    file_type = str(item.get("file_type") or "").strip().lower().lstrip(".")
    if kind == "md5" and (file_type in VIDEO_TYPES or file_type.startswith("video")):
        kind = "video_md5"
    labels = []
    if item.get("ideology"):
        labels.append(f"x-tat:{str(item['ideology']).strip().lower()}")
    deleted = item.get("deleted", False)
    if not isinstance(deleted, bool):
        return Refusal(f"deleted must be true or false, got {deleted!r}", item)
    return Incoming(kind, digest.strip(), labels, "Tech Against Terrorism", None,
                    str(item.get("id")) if item.get("id") is not None else None, deleted,
                    item.get("updated_on") or item.get("created_on"))

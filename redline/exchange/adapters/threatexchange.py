"""Meta ThreatExchange: a privacy group's /threat_updates, the descriptors' tags as labels.

    GET {url}/{privacy_group}/threat_updates?access_token=T&start_time=CHECKPOINT&types=HASH_PDQ,HASH_MD5
        &limit=N&fields=id,indicator,type,last_updated,should_delete,descriptors{…}
    {"data": [{"id", "indicator", "type": "HASH_PDQ", "last_updated": UNIX, "should_delete": bool,
               "descriptors": {"data": [{"id", "owner": {"id", "name"}, "tags": [...], "added_on"}]}}],
     "paging": {"next": URL}}

A record without descriptors, or with should_delete, is a deletion (as python-threatexchange reads
it). The checkpoint is the newest last_updated seen. An expired token (OAuthException 190) stops
the fetch with a clear error. Feedback is a reaction on the descriptor:
POST {url}/{descriptor_id}/reactions?reactions=DISAGREE_WITH_TAGS."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

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

TYPES = {"HASH_PDQ": "pdq", "HASH_MD5": "md5", "HASH_VIDEO_MD5": "video_md5", "VIDEO_MD5": "video_md5"}
FIELDS = "id,indicator,type,last_updated,should_delete,descriptors{id,owner{id,name},tags,added_on}"


class ThreatExchangeAdapter(Adapter):
    name = "threatexchange"
    description = "Meta ThreatExchange privacy group (/threat_updates; feedback as reactions)"

    def __init__(self, config: dict[str, Any], secret: str | None, *, rate: float | None = None, **_: Any) -> None:
        super().__init__(config, secret, rate=rate)
        self.http = Http(config.get("url", "https://graph.facebook.com/v21.0").rstrip("/") + "/", rate=self.rate)
        self.page_size = int(config.get("page_size", 500))

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> dict[str, Any]:
        if not str(config.get("privacy_group", "")).strip():
            raise ValueError("--privacy-group: the ThreatExchange privacy group id is required")
        if config.get("url") and not str(config["url"]).startswith(("http://", "https://")):
            raise ValueError(f"--url: not an http(s) URL: {config['url']!r}")
        return config

    def _token(self) -> str:
        if not self.secret:
            raise AuthRejected("no ThreatExchange access token: add one with --token or --token-env")
        return self.secret

    def _check(self, response: Any, what: str) -> dict[str, Any]:
        body: Any = None
        try:
            body = response.json()
        except ValueError:
            pass
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict) and (error.get("code") == 190 or response.status_code == 401):
            raise AuthRejected(f"ThreatExchange refused the access token ({error.get('type', 'OAuthException')} "
                               f"{error.get('code')}: {error.get('message', '')[:120]}); give a fresh one with "
                               "`redline exchange add NAME --update --token …`")
        if response.status_code != 200 or not isinstance(body, dict):
            detail = error.get("message") if isinstance(error, dict) else ""
            raise ExchangeError(f"ThreatExchange answered HTTP {response.status_code} to {what} {detail}".strip())
        return body

    def pages(self, checkpoint: str | None) -> Iterator[Page]:
        types = self.config.get("types") or "HASH_PDQ,HASH_MD5,HASH_VIDEO_MD5"
        url = f"{self.config['privacy_group']}/threat_updates"
        params: dict[str, Any] | None = {"access_token": self._token(), "types": types, "limit": self.page_size,
                                         "fields": FIELDS, "start_time": int(checkpoint or 0)}
        newest = int(checkpoint or 0)
        while True:
            body = self._check(self.http.request("GET", url, params=params), "threat_updates")
            data = body.get("data")
            if not isinstance(data, list):
                raise ExchangeError("ThreatExchange's threat_updates page has no 'data' list")
            signals: list[Incoming] = []
            refused: list[Refusal] = []
            for item in data:
                parsed = _update(item)
                if isinstance(parsed, Refusal):
                    refused.append(parsed)
                    continue
                signals.append(parsed[0])
                newest = max(newest, parsed[1])
            following = (body.get("paging") or {}).get("next")
            yield Page(signals, refused, str(newest), bool(following))
            if not following:
                return
            url, params = str(following), None

    def push(self, items: list[Feedback]) -> dict[str, Any]:
        sent, skipped = 0, []
        for item in items:
            if not item.remote_id:
                skipped.append(item.value)
                continue
            response = self.http.request("POST", f"{item.remote_id}/reactions",
                                         params={"access_token": self._token(), "reactions": "DISAGREE_WITH_TAGS"})
            self._check(response, "a reaction")
            sent += 1
        return {"sent": sent, "without_descriptor": skipped}

    def close(self) -> None:
        self.http.close()


def _update(item: Any) -> tuple[Incoming, int] | Refusal:
    if not isinstance(item, dict):
        return Refusal("an update is not an object", item)
    kind = TYPES.get(str(item.get("type", "")).upper())
    indicator = item.get("indicator")
    try:
        updated = int(item.get("last_updated"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return Refusal(f"last_updated is not a unix time: {item.get('last_updated')!r}", item)
    if kind is None or not isinstance(indicator, str) or not indicator.strip():
        return Refusal(f"not a hash update Redline reads (type {item.get('type')!r})", item)
    descriptors = ((item.get("descriptors") or {}).get("data") or []) if isinstance(item.get("descriptors"), dict) else []
    deleted = bool(item.get("should_delete")) or not descriptors
    tags: list[str] = []
    owner = remote = None
    for d in descriptors:
        if not isinstance(d, dict):
            return Refusal("a descriptor is not an object", item)
        tags += [f"x-te:{t}" for t in d.get("tags") or [] if isinstance(t, str) and t.strip()]
        owner = owner or (d.get("owner") or {}).get("name")
        remote = remote or (str(d["id"]) if d.get("id") is not None else None)
    at = datetime.fromtimestamp(updated, timezone.utc).isoformat(timespec="seconds")
    return Incoming(kind, indicator.strip(), sorted(set(tags)), owner, None, remote, deleted, at), updated

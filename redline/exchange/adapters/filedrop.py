"""A plain file drop: a folder where a partner (or a sync job) leaves hash files.

Every `*.csv`, `*.json` and `*.txt` file in the folder, in name order, is one page, read with the
bank import formats (docs/media.md); the checkpoint is the last file name applied, so a file is
applied once and a new file with a later name is picked up by the next fetch. A record with
`enabled=false` is a deletion. A malformed file stops the fetch at that file (file and line named),
since the files after it may depend on it. Feedback is written as `outbox/feedback-<time>.csv`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from redline import csvio
from redline.exchange.adapters.base import Adapter, ExchangeError, Feedback, Incoming, Page
from redline.media import banks, hashfiles

SUFFIXES = (".csv", ".json", ".txt")


class FileDropAdapter(Adapter):
    name = "file"
    description = "a folder of hash files (CSV, JSON, text), applied once each in name order"

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> dict[str, Any]:
        path = Path(str(config.get("path", ""))).expanduser()
        if not config.get("path") or not path.is_dir():
            raise ValueError(f"--path: not a folder: {config.get('path')!r}")
        return {**config, "path": str(path.resolve())}

    def pages(self, checkpoint: str | None) -> Iterator[Page]:
        folder = Path(self.config["path"])
        if not folder.is_dir():
            raise ExchangeError(f"{folder}: the drop folder is gone")
        files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
                       and (checkpoint is None or p.name > checkpoint))
        for number, path in enumerate(files):
            try:
                records = hashfiles.read_hash_file(path)
            except banks.BankError as exc:
                raise ExchangeError(str(exc)) from None
            stamp = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).isoformat(timespec="seconds")
            signals = [Incoming(r.signal_type, r.value, r.labels, r.contributor, r.content_id, f"{path.name}",
                                not r.enabled, stamp) for r in records]
            yield Page(signals, [], path.name, number < len(files) - 1)

    def push(self, items: list[Feedback]) -> dict[str, Any]:
        outbox = Path(self.config.get("outbox") or Path(self.config["path"]) / "outbox")
        outbox.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        target = outbox / f"feedback-{stamp}.csv"
        with open(target, "w", newline="", encoding="utf-8") as handle:
            writer = csvio.writer(handle)
            writer.writerow(["signal_type", "signal_value", "opinion", "reason", "at"])
            for item in items:
                writer.writerow([item.signal_type, item.value, "false_positive", item.reason or "", item.at])
        return {"sent": len(items), "file": str(target)}

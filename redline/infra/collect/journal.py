"""Resumable output: each finished observation is appended (one JSON line) as soon as it completes.

`-o out.json`: lines go to `out.json.journal.jsonl`; at the end `out.json` is written as one JSON list
(atomically) and the journal removed. `-o out.jsonl`: the file is the journal. A rerun skips every
domain already in either file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson

RETRYABLE = {"dns_timeout", "dns_error", "timeout"}


class Journal:
    def __init__(self, output: Path) -> None:
        self.output = output
        self.lines_only = output.suffix == ".jsonl"
        self.path = output if self.lines_only else output.with_name(output.name + ".journal.jsonl")
        self._handle: Any = None

    def done(self, retry_failed: bool = False) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        if not self.lines_only and self.output.exists():
            try:
                data = orjson.loads(self.output.read_bytes())
                for obs in data if isinstance(data, list) else [data]:
                    if isinstance(obs, dict) and "domain" in obs:
                        found[obs.get("input") or obs["domain"]] = obs
            except orjson.JSONDecodeError:
                pass
        if self.path.exists():
            for line in self.path.read_bytes().splitlines():
                try:
                    obs = orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue  # a line cut short by the interruption: that domain is redone
                if isinstance(obs, dict) and "domain" in obs:
                    found[obs.get("input") or obs["domain"]] = obs
        if retry_failed:
            found = {k: v for k, v in found.items() if v.get("status") not in RETRYABLE}
        return found

    def append(self, obs: dict[str, Any]) -> None:
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("ab")
        self._handle.write(orjson.dumps(obs, default=str) + b"\n")
        self._handle.flush()

    def finish(self, observations: list[dict[str, Any]]) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self.lines_only:
            return
        tmp = self.output.with_name(self.output.name + f".tmp{os.getpid()}")
        tmp.write_bytes(orjson.dumps(observations, option=orjson.OPT_INDENT_2, default=str))
        os.replace(tmp, self.output)
        if self.path.exists():
            self.path.unlink()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

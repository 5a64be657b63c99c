"""Asynchronous batch screening jobs: a CSV in, the parties batch screener run in the background,
the result CSV out. Each job is a folder under REDLINE_HOME/jobs, so any worker process can answer a
poll. A job belongs to the key that made it, and is visible to keys of the same organisation."""

from __future__ import annotations

import csv
import hashlib
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson

from redline.context import Context

JOB_ID_BYTES = 8


class JobNotFound(LookupError):
    pass


@dataclass(frozen=True)
class Owner:
    name: str
    org: str | None

    def may_see(self, job: dict[str, Any]) -> bool:
        if self.org is not None:
            return job.get("org") == self.org
        return job.get("org") is None and job.get("owner") == self.name


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def count_rows(path: Path) -> int:
    """Data rows of a CSV (records, not lines: a quoted field may hold a newline)."""
    if not path.exists():
        return 0
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        return max(0, sum(1 for _ in csv.reader(handle)) - 1)


class Jobs:
    def __init__(self, root: Path, workers: int = 1) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="redline-job")
        self._lock = threading.Lock()

    def _folder(self, job_id: str) -> Path:
        if not job_id.isalnum() or len(job_id) != 2 * JOB_ID_BYTES:
            raise JobNotFound(job_id)
        return self.root / job_id

    def _write(self, job: dict[str, Any]) -> None:
        folder = self.root / job["id"]
        tmp = folder / "job.json.tmp"
        tmp.write_bytes(orjson.dumps(job))
        tmp.replace(folder / "job.json")

    def _read(self, job_id: str) -> dict[str, Any]:
        try:
            return orjson.loads((self._folder(job_id) / "job.json").read_bytes())
        except (OSError, orjson.JSONDecodeError):
            raise JobNotFound(job_id) from None

    def submit(self, ctx: Context, upload: Path, filename: str) -> dict[str, Any]:
        """Take ownership of `upload` (moved into the job's folder) and queue the job."""
        job_id = secrets.token_hex(JOB_ID_BYTES)
        folder = self.root / job_id
        folder.mkdir()
        source = folder / "input.csv"
        upload.replace(source)
        job = {"id": job_id, "kind": "parties.screen_file", "owner": ctx.actor, "org": ctx.org, "state": "queued",
               "filename": filename, "rows": count_rows(source), "done": 0, "created_at": _now(),
               "sha256": hashlib.sha256(source.read_bytes()).hexdigest(), "finished_at": None, "error": None,
               "result": None}
        self._write(job)
        self._pool.submit(self._run, ctx, job)
        return job

    def _run(self, ctx: Context, job: dict[str, Any]) -> None:
        from redline.parties.batch import screen_csv

        folder = self.root / job["id"]
        job = {**job, "state": "running", "started_at": _now()}
        self._write(job)
        try:
            # screen_csv writes the ledger: an entry per row with a hit, one for the run (with file hashes)
            summary = screen_csv(input_csv=folder / "input.csv", output=folder / "output.csv", resume=False,
                                 progress=False, workers=1, ctx=ctx,
                                 extra={"job": job["id"], "file": job["filename"], "org": ctx.org})
            job.update(state="done", result={k: v for k, v in summary.items() if k not in ("input", "output")},
                       ledger_seq=summary["ledger_seq"])
        except Exception as exc:  # the job reports it; the server goes on
            job.update(state="failed", error=str(exc).replace(str(folder) + "/", ""))
        job.update(finished_at=_now(), done=count_rows(folder / "output.csv"))
        self._write(job)

    def status(self, job_id: str, who: Owner) -> dict[str, Any]:
        job = self._read(job_id)
        if not who.may_see(job):
            raise JobNotFound(job_id)  # another organisation's job is indistinguishable from none
        if job["state"] == "running":
            job["done"] = count_rows(self.root / job_id / "output.csv")
        job["progress"] = round(job["done"] / job["rows"], 4) if job["rows"] else (1.0 if job["state"] == "done" else 0.0)
        return job

    def result_path(self, job_id: str, who: Owner) -> Path:
        job = self.status(job_id, who)
        if job["state"] != "done":
            raise FileNotFoundError(f"job {job_id} is {job['state']}")
        return self.root / job_id / "output.csv"

    def list(self, who: Owner, limit: int = 50) -> list[dict[str, Any]]:
        found = []
        for path in sorted(self.root.glob("*/job.json"), key=lambda p: p.stat().st_mtime, reverse=True):
            try:
                job = orjson.loads(path.read_bytes())
            except (OSError, orjson.JSONDecodeError):
                continue
            if who.may_see(job):
                found.append(job)
            if len(found) >= limit:
                break
        return found

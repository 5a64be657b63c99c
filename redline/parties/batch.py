"""Batch screening of a CSV: streamed in and out, in input order, on every core, resumable."""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from redline.parties import api
from redline.parties.screening import Query, explain

HIT_COLUMNS = ["match", "score", "hit_id", "hit_caption", "hit_lists", "explanation"]
CHUNK = 64


class BatchError(ValueError):
    pass


_worker_screener = None


def _screen_row(row: dict[str, str]) -> dict[str, str]:
    screener = _worker_screener or api.get_screener()
    name = (row.get("name") or "").strip()
    if not name:
        return {**row, "match": "false", "score": "0", "hit_id": "", "hit_caption": "", "hit_lists": "", "explanation": "empty name"}
    schema = row.get("schema") or None
    query = Query(name=name, schema=schema, country=row.get("country") or None, birth_date=row.get("birth_date") or None)
    hits = screener.screen(query, limit=1)
    if not hits:
        return {**row, "match": "false", "score": "0", "hit_id": "", "hit_caption": "", "hit_lists": "", "explanation": "no candidate"}
    hit = hits[0]
    lists = {l.program_id for l in hit.party.listings} | {f"via:{l['program_id']}" for v in hit.via for l in v["lists"]}
    return {
        **row,
        "match": "true" if hit.match else "false",
        "score": f"{hit.score:.4f}",
        "hit_id": hit.party.id,
        "hit_caption": hit.party.caption,
        "hit_lists": ";".join(sorted(lists)),
        "explanation": explain(hit),
    }


def _screen_chunk(job: tuple[list[str], list[dict[str, str]]]) -> tuple[str, int, int]:
    """One chunk of rows -> its output CSV text, its row count and its matches. Workers send
    back finished text, so the parent only writes."""
    fields, rows = job
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=fields, extrasaction="ignore", lineterminator="\r\n")
    matches = 0
    for row in rows:
        result = _screen_row(row)
        matches += result["match"] == "true"
        writer.writerow(result)
    return text.getvalue(), len(rows), matches


def _chunks(rows: Iterator[dict[str, str]], fields: list[str]) -> Iterator[tuple[list[str], list[dict[str, str]]]]:
    while chunk := list(islice(rows, CHUNK)):
        yield fields, chunk


def _done_rows(output: Path) -> int:
    """Complete rows already in an output file; a half-written last line is cut off."""
    if not output.exists() or output.stat().st_size == 0:
        return 0
    with output.open("rb+") as handle:
        data_end = output.stat().st_size
        handle.seek(max(0, data_end - 1))
        if handle.read(1) != b"\n":
            handle.seek(0)
            content = handle.read()
            handle.truncate(content.rfind(b"\n") + 1)
    with output.open(newline="", encoding="utf-8") as handle:
        return max(0, sum(1 for _ in csv.reader(handle)) - 1)


def _rows(path: Path) -> tuple[list[str], Iterator[dict[str, str]]]:
    handle = path.open(newline="", encoding="utf-8")
    reader = csv.DictReader(handle)
    if not reader.fieldnames or "name" not in reader.fieldnames:
        handle.close()
        raise BatchError(f"{path}: the header must have a 'name' column")

    def generate() -> Iterator[dict[str, str]]:
        with handle:
            try:
                for row in reader:
                    if None in row:
                        raise BatchError(f"{path}:{reader.line_num}: more values than header columns")
                    yield row
            except (csv.Error, UnicodeDecodeError) as exc:
                raise BatchError(f"{path}:{reader.line_num}: {exc}") from None

    return list(reader.fieldnames), generate()


def _count_rows(path: Path) -> int:
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        return max(0, sum(1 for _ in csv.reader(handle)) - 1)


def screen_csv(input_csv: Path, output: Path, resume: bool = True, progress: bool = True, workers: int | None = None) -> dict[str, Any]:
    if not input_csv.exists():
        raise BatchError(f"{input_csv}: no such file")
    global _worker_screener
    _worker_screener = api.get_screener()  # loaded once here; forked workers inherit it
    fieldnames, rows = _rows(input_csv)
    out_fields = fieldnames + [c for c in HIT_COLUMNS if c not in fieldnames]
    done = _done_rows(output) if resume else 0
    total = _count_rows(input_csv)
    workers = workers or max(1, min(os.cpu_count() or 1, 8))
    matches = 0
    mode = "a" if done else "w"
    with output.open(mode, newline="", encoding="utf-8") as handle, Progress(
        TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), disable=not progress
    ) as bar:
        writer = csv.DictWriter(handle, fieldnames=out_fields, extrasaction="ignore")
        if not done:
            writer.writeheader()
        task = bar.add_task("screen", total=total, completed=done)
        jobs = _chunks(islice(rows, done, None), out_fields)
        if workers > 1:
            pool = multiprocessing.get_context("fork").Pool(workers)
            results = pool.imap(_screen_chunk, jobs)
        else:
            pool, results = None, map(_screen_chunk, jobs)
        try:
            for text, count, found in results:
                handle.write(text)
                handle.flush()
                matches += found
                bar.update(task, advance=count)
        finally:
            if pool is not None:
                pool.terminate()
        bar.update(task, completed=total)
    return {"input": str(input_csv), "output": str(output), "rows": total, "resumed": done, "matches": matches}

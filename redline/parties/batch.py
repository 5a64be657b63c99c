"""Batch screening of a CSV or Parquet file: streamed in and out, in input order, on every core
(or on a Dask cluster), resumable.

A CSV input is checked whole before any row is screened (encoding, quotes, row widths: a bad
file is refused with its line); a Parquet input is read batch by batch with pyarrow. A row whose values cannot be read (an empty name, a birth date
such as 19xx, an unknown country) is written back with its line and the reason in `error`,
never screened on a misreading."""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from functools import lru_cache, partial
from itertools import islice
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from redline.csvio import CsvInputError, detect_encoding, dict_writer, is_parquet, read_parquet, read_rows
from redline.heap import settle_heap
from redline.inputs import InputError, parse_country, parse_date, parse_name, parse_schema
from redline.parties import api, dask_engine
from redline.parties.screening import Query, explain
from redline.store.snapshots import file_sha256
from redline.review.core import compact_hit, record_screening, reviewable

HIT_COLUMNS = ["match", "score", "hit_id", "hit_caption", "hit_lists", "explanation", "error"]
CHUNK = 256
# Rows a Dask task carries: a task's round trip through the scheduler costs milliseconds, so with
# 256 rows a run of repeated names was held to ~5,000 rows/s by the round trips (benchmarks/parties_dask_scale.py).
CLUSTER_CHUNK = 2048
REPEATS_REMEMBERED = 1 << 15  # per worker: a counterparty file names the same party again and again
QUERY_COLUMNS = ("name", "schema", "country", "birth_date")  # what a row asks (_query): rows asking alike go to one worker


class BatchError(ValueError):
    pass


_worker_screener = None
_date_order: str | None = None


@lru_cache(maxsize=4096)
def _country(value: str) -> str | None:
    return parse_country(value, "country")


def _query(row: dict[str, str]) -> Query:
    schema = parse_schema(row.get("schema"), "schema")
    country = (row.get("country") or "").strip()
    return Query(
        name=parse_name(row.get("name"), "name"),
        schema=schema,
        country=_country(country) if country else None,
        birth_date=parse_date((row.get("birth_date") or "").strip() or None, "birth_date", _date_order),
    )


_EMPTY = {"match": "", "score": "", "hit_id": "", "hit_caption": "", "hit_lists": "", "explanation": "", "error": ""}


def _screen_row(line: int, row: dict[str, str]) -> dict[str, Any]:
    try:
        query = _query(row)
    except InputError as exc:
        return {**row, **_EMPTY, "error": f"line {line}: {exc}"}
    return {**row, **_best_hit(query.name, query.schema, query.country, query.birth_date), "_query": query.to_dict()}


@lru_cache(maxsize=REPEATS_REMEMBERED)
def _best_hit(name: str, schema: str | None, country: str | None, birth_date: str | None) -> dict[str, Any]:
    screener = _worker_screener or api.get_screener()
    hits = screener.screen(Query(name=name, schema=schema, country=country, birth_date=birth_date), limit=1)
    if not hits:
        return {**_EMPTY, "match": "false", "score": "0", "explanation": "no candidate"}
    hit = hits[0]
    lists = {l.program_id for l in hit.party.listings} | {f"via:{l['program_id']}" for v in hit.via for l in v["lists"]}
    text = explain(hit)
    found = {"id": hit.party.id, "caption": hit.party.caption, "schema": hit.party.schema, "score": round(hit.score, 4),
             "match": hit.match, "matched_name": hit.listed_name, "lists": [l.to_dict() for l in hit.party.listings],
             "via": hit.via, "explanation": text}
    return {
        "match": "true" if hit.match else "false",
        "score": f"{hit.score:.4f}",
        "hit_id": hit.party.id,
        "hit_caption": hit.party.caption,
        "hit_lists": ";".join(sorted(lists)),
        "explanation": text,
        "error": "",
        "_hit": compact_hit(found) if reviewable(found) else None,  # not written: for the ledger and review queue
    }


Reviewable = tuple[int, dict[str, Any], dict[str, Any]]  # line, query, hit


Screened = tuple[list[str], int, list[tuple[int, str]], list[Reviewable]]  # each row's CSV text, matches, errors, hits
Job = tuple[list[str], list[str], list[tuple[int, list[str]]]]  # a chunk: the input header, the output fields, its rows with their lines
Done = tuple[str, int, int, list[str], list[Reviewable]]  # a chunk's CSV text, rows, matches, row errors, reviewable hits


def _screen_rows(header: list[str], fields: list[str], rows: list[tuple[int, list[str]]]) -> Screened:
    """Rows -> each row's output CSV text, the matches, the row errors (with their lines) and the rows with a
    reviewable hit. Workers send back finished text, so the parent only writes."""
    text = io.StringIO()
    writer = dict_writer(text, fieldnames=fields, extrasaction="ignore", lineterminator="\r\n")
    ends, matches, errors, hits = [0], 0, [], []  # type: list[int], int, list[tuple[int, str]], list[Reviewable]
    for line, values in rows:
        result = _screen_row(line, dict(zip(header, values)))
        matches += result["match"] == "true"
        if result["error"]:
            errors.append((line, result["error"]))
        elif result.get("_hit"):
            hits.append((line, result["_query"], result["_hit"]))
        writer.writerow(result)
        ends.append(text.tell())
    value = text.getvalue()
    return [value[start:end] for start, end in zip(ends, ends[1:])], matches, errors, hits


def _screen_chunk(job: Job) -> Done:
    """One chunk of rows -> its output CSV text, its row count, its matches, its row errors and
    its rows with a reviewable hit."""
    header, fields, rows = job
    return _gathered(len(rows), [list(range(len(rows)))], [_screen_rows(header, fields, rows)])


def _dealt(header: list[str], rows: list[tuple[int, list[str]]], workers: int) -> list[list[int]]:
    """A chunk's rows dealt to `workers` by what they ask (name, schema, country, birth date), as the places of each
    worker's rows: a query met again goes to the worker that screened it, whose _best_hit remembers it, instead of
    being screened once more on each worker it happens to reach."""
    asked = [i for i, column in enumerate(header) if column in QUERY_COLUMNS]
    shares: list[list[int]] = [[] for _ in range(workers)]
    for place, (_, values) in enumerate(rows):
        key = "\x1f".join(values[i] if i < len(values) else "" for i in asked)
        shares[zlib.crc32(key.encode("utf-8")) % workers].append(place)
    return shares


def _on_pools(pools: list[Any], job: Job) -> Callable[[], Done]:
    """One chunk dealt to `pools` (a process each, _dealt); what waits for it returns _screen_chunk's result."""
    header, fields, rows = job
    places = _dealt(header, rows, len(pools))
    shares = [pool.apply_async(_screen_rows, (header, fields, [rows[p] for p in share])) for pool, share in zip(pools, places)]
    return lambda: _gathered(len(rows), places, [share.get() for share in shares])


def _gathered(rows: int, places: list[list[int]], results: list[Screened]) -> Done:
    """Shares of one chunk's rows (their places in it, and _screen_rows of them) back in the chunk's order: its output
    CSV text, its row count, its matches, its row errors and its rows with a reviewable hit, each by line."""
    written = [""] * rows
    matches, errors, hits = 0, [], []  # type: int, list[tuple[int, str]], list[Reviewable]
    for share, (texts, found, bad, reviewable) in zip(places, results):
        for place, text in zip(share, texts):
            written[place] = text
        matches += found
        errors += bad
        hits += reviewable
    errors.sort()
    hits.sort(key=lambda hit: hit[0])
    return "".join(written), rows, matches, [error for _, error in errors], hits


def _record_chunk(ctx: Any, hits: list[Reviewable], snapshots: list[str], extra: dict[str, Any]) -> list[int]:
    """One ledger entry (and review items) per row with a hit, all in one transaction."""
    seqs = []
    with ctx.store.transaction() as conn:
        for line, query, hit in hits:
            seq, _ = record_screening(conn, ctx.ledger, kind="parties.screen_file.hit", actor=ctx.actor, org=ctx.org,
                                      query=query, hits=[hit], snapshots=snapshots, extra={**extra, "line": line})
            seqs.append(seq)
    return seqs



def _done_rows(output: Path, fields: list[str]) -> int:
    """Complete rows already in an output file; a half-written last line is cut off. An output
    with other columns (another input, an older Redline, not an output at all) is left alone."""
    if not output.exists() or output.stat().st_size == 0:
        return 0
    with output.open(newline="", encoding="utf-8", errors="replace") as handle:
        if next(csv.reader(handle), None) != fields:
            raise BatchError(f"cannot resume: {output} does not have the columns this input gives; run again with --no-resume")
    with output.open("rb+") as handle:
        data_end = output.stat().st_size
        handle.seek(max(0, data_end - 1))
        if handle.read(1) != b"\n":
            handle.seek(0)
            content = handle.read()
            handle.truncate(content.rfind(b"\n") + 1)
    try:
        _, rows = read_rows(output, "utf-8")
        return sum(1 for _ in rows)
    except CsvInputError as exc:
        raise BatchError(f"cannot resume from {exc}; run again with --no-resume") from None


def _screen_chunk_on_worker(cache: str, date_order: str | None, job: Any) -> Any:
    """A chunk on a Dask worker, with the screener loaded there from its cache file once."""
    global _worker_screener, _date_order
    screener = dask_engine.worker_screener(cache)
    if _worker_screener is not screener:
        _worker_screener = screener
        _best_hit.cache_clear()
    _date_order = date_order
    return _screen_chunk(job)


def _parquet_input(path: Path) -> tuple[list[str], int, Iterator[tuple[int, list[str]]]]:
    """Header, row count and rows (numbered from 1, as strings) of a Parquet file, batch by batch."""
    try:
        header, total, rows = read_parquet(path, CHUNK * 8)
    except CsvInputError as exc:
        raise BatchError(str(exc)) from None
    if "name" not in header:
        raise BatchError(f"{path}: the columns must include 'name' (it has {', '.join(header)})")
    return header, total, ((n, ["" if values[c] is None else str(values[c]) for c in header]) for n, values in rows)


def _check(path: Path, encoding: str) -> tuple[list[str], int]:
    """Read the whole input once: header, row count, and any structural error with its line."""
    try:
        header, rows = read_rows(path, encoding)
        if "name" not in header:
            raise BatchError(f"{path}:1: the header must have a 'name' column (it has {', '.join(header)})")
        repeated = sorted({h for h in header if header.count(h) > 1})
        if repeated:
            raise BatchError(f"{path}:1: column {', '.join(map(repr, repeated))} appears more than once")
        return header, sum(1 for _ in rows)
    except CsvInputError as exc:
        raise BatchError(str(exc)) from None


def screen_csv(
    input_csv: Path,
    output: Path,
    resume: bool = True,
    progress: bool = True,
    workers: int | None = None,
    date_order: str | None = None,
    ctx: Any = None,
    record: bool = True,
    extra: dict[str, Any] | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> dict[str, Any]:
    """With `record` (the default), each row with a reviewable hit is written to the ledger (and
    raised for review) as `ctx`'s (default: the acting or process Context), one transaction per
    chunk, and the run ends with one "parties.screen_file" entry holding the SHA-256 of the input
    and output files; `extra` goes into the inputs of every entry (a job id, say).

    `engine` "local" screens on this machine's cores (`workers` processes); "dask" on the Dask
    scheduler at `scheduler`, else on a LocalCluster of `workers` processes."""
    dask_engine.check_engine(engine, scheduler)
    if not input_csv.is_file():
        raise BatchError(f"{input_csv}: " + ("not a file" if input_csv.exists() else "no such file"))
    parquet_rows = None
    if is_parquet(input_csv):
        encoding = "parquet"
        header, total, parquet_rows = _parquet_input(input_csv)
    else:
        try:
            encoding = detect_encoding(input_csv)
        except CsvInputError as exc:
            raise BatchError(str(exc)) from None
        header, total = _check(input_csv, encoding)
    global _worker_screener, _date_order
    _worker_screener = api.get_screener()  # loaded once here; forked workers inherit it
    _date_order = date_order
    _best_hit.cache_clear()  # the lists may have changed since the last file
    if "country" in header:
        _country("cn")  # the country table is loaded once here, not once per worker
    out_fields = header + [c for c in HIT_COLUMNS if c not in header]
    done = min(_done_rows(output, out_fields), total) if resume else 0
    cores = min(workers or max(1, min(os.cpu_count() or 1, 8)), -(-(total - done) // CHUNK))  # local: no pool for a small file
    matches, errors, recorded = 0, [], []  # type: int, list[str], list[int]
    context = api.current_context(ctx) if record else None
    labels = [s["label"] for s in _worker_screener.snapshots]
    extra = {"input": input_csv.name, "input_sha256": file_sha256(input_csv), **(extra or {})}
    rows = parquet_rows if parquet_rows is not None else read_rows(input_csv, encoding)[1]
    size = CLUSTER_CHUNK if engine == "dask" else CHUNK
    jobs = ((header, out_fields, chunk) for chunk in _batched(islice(rows, done, None), size))
    with output.open("a" if done else "w", newline="", encoding="utf-8") as handle, Progress(
        TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), disable=not progress
    ) as bar:
        if not done:
            dict_writer(handle, fieldnames=out_fields).writeheader()
        task = bar.add_task("screen", total=total, completed=done)
        with ExitStack() as running:
            if engine == "dask":
                dask = running.enter_context(dask_engine.client(scheduler, workers))
                cache = str(dask_engine.screener_file())
                results = dask_engine.ordered(
                    lambda job: dask.submit(_screen_chunk_on_worker, cache, date_order, job, pure=False).result,
                    jobs, dask_engine.depth(dask))
            elif cores > 1:
                _worker_screener.warm()  # each script's tables loaded once, here, not once in each worker
                settle_heap()  # and the collector kept from copying the pages the workers share
                fork = multiprocessing.get_context("fork")
                pools = [fork.Pool(1) for _ in range(cores)]
                for pool in pools:
                    running.callback(pool.terminate)
                results = dask_engine.ordered(partial(_on_pools, pools), jobs, cores * dask_engine.IN_FLIGHT_PER_WORKER)
            else:
                results = map(_screen_chunk, jobs)
            try:
                for text, count, found, bad, hits in results:
                    handle.write(text)
                    matches += found
                    errors += bad
                    if context is not None and hits:
                        recorded += _record_chunk(context, hits, labels, extra)
                    bar.update(task, advance=count)
            except CsvInputError as exc:  # the file changed since it was checked
                raise BatchError(str(exc)) from None
        bar.update(task, completed=total)
    summary = {
        "input": str(input_csv),
        "output": str(output),
        "encoding": encoding,
        "engine": engine,
        "rows": total,
        "resumed": done,
        "matches": matches,
        "errors": len(errors),
        "row_errors": errors[:100],
    }
    if context is not None:
        entry = context.ledger.append(
            "parties.screen_file", context.actor,
            {**extra, "output": output.name, "output_sha256": file_sha256(output), "rows": total, "resumed": done,
             **({"org": context.org} if context.org else {})},
            {"summary": f"{matches} matches", "matches": matches, "errors": len(errors),
             "hit_entries": len(recorded), "first_hit_seq": recorded[0] if recorded else None},
            refs={"snapshots": labels},
        )
        summary["ledger_seq"] = entry.seq
        summary["hit_entries"] = len(recorded)
    return summary


def _batched(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while chunk := list(islice(items, size)):
        yield chunk

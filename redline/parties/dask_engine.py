"""Screening on a Dask cluster: `--engine dask` for `parties screen-file` and `monitor run`.

Each task carries the path of the screener's cache file, never the screener: a worker process
loads the screener from that file the first time a task reaches it and keeps it for every later
task (on a real cluster the cache folder must be on storage every worker reads, or copied to the
same path on each; see docs/monitoring.md). Results come back to the caller, which writes them
in input order, records hits in the ledger and keeps the run resumable, as the local engine does.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from redline.parties import api
from redline.parties.screening import Screener

ENGINES = ("local", "dask")
IN_FLIGHT_PER_WORKER = 4  # tasks queued ahead of each worker: busy, never the whole input

_loaded: tuple[str, Screener] | None = None  # in a worker process: the screener and the file it came from


class EngineError(RuntimeError):
    pass


def check_engine(engine: str, scheduler: str | None) -> None:
    if engine not in ENGINES:
        raise EngineError(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if scheduler and engine != "dask":
        raise EngineError("--scheduler needs --engine dask")


def screener_file() -> Path:
    """The cache file of the screener in force, written now if it is missing."""
    return api.screener_cache_file()


def worker_screener(cache: str) -> Screener:
    """In a worker: the screener of `cache`, loaded from the file once per process."""
    global _loaded
    if _loaded is None or _loaded[0] != cache:
        screener = api.read_screener_cache(Path(cache))
        if screener is None:
            raise EngineError(f"{cache}: the screener's cache file cannot be read on this worker")
        _loaded = (cache, screener)
    return _loaded[1]


@contextmanager
def client(scheduler: str | None, workers: int | None) -> Iterator[Any]:
    """A Dask client: to the scheduler at `scheduler`, else to a LocalCluster of `workers`
    single-threaded processes (the screener is pure Python: threads would share one core)."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            with Client(scheduler, timeout="20s") as connected:
                yield connected
        except OSError as exc:
            raise EngineError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({exc})") from None
        return
    logging.getLogger("distributed").setLevel(logging.ERROR)  # a worker killed at shutdown is not news
    with LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as local:
        yield local


def ordered(submit: Callable[[Any], Callable[[], Any]], jobs: Iterable[Any], depth: int) -> Iterator[Any]:
    """Each job's result in job order, with at most `depth` jobs in flight; `submit(job)` starts a
    job and returns what waits for its result (a Dask future's `result`, a pool's `get`)."""
    pending: deque[Callable[[], Any]] = deque()
    for job in jobs:
        pending.append(submit(job))
        if len(pending) >= depth:
            yield pending.popleft()()
    while pending:
        yield pending.popleft()()


def depth(dask: Any) -> int:
    return max(1, sum(dask.nthreads().values())) * IN_FLIGHT_PER_WORKER

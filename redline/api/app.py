"""The FastAPI app: routers, error handling, limits, and readiness of the lists."""

from __future__ import annotations

import importlib
import logging
import os
import threading
import time
from dataclasses import dataclass

from fastapi import FastAPI
from redline.api.responses import Json

from redline import __version__
from redline.api import errors
from redline.api.auth import KeyCache
from redline.api.guard import Guard
from redline.api.hot import HotRoutes, Work
from redline.api.yente import Entities
from redline.context import Context, set_context
from redline.heap import settle_heap
from redline.ledger import GroupCommit
from redline.parties.screening import Screener

log = logging.getLogger("redline.api")
MAX_BODY = 32 * 1024 * 1024  # uploads (CSV, images, evidence) included
TIMEOUT_S = 60.0
MAX_INFLIGHT = 64  # requests in progress per worker; more are answered 503 at once (health routes excepted)
RETRY_S = 5.0
WATCH_S = 5.0  # how often each server process asks the store whether new lists are in force
ROUTERS = ("health", "screening", "media", "v1", "review", "licensing", "exchange", "reports", "ui")


class Readiness:
    """The lists the routes screen against: a screener, its entities by id and its sources, held as
    one `Lists` and swapped whole.

    `load()` loads the first (in the background on a one-worker server, in the parent before a
    pre-forked server forks). Then each process watches: every WATCH_S a background thread asks the
    store whether the snapshots in force changed and, when they did, loads the new screener (from
    its cache file; built once when none) and its entities beside the old ones, and swaps them in. A
    request never loads, builds or asks the store: it uses what is held, so none waits for a new
    list and none is dropped while it arrives."""

    def __init__(self, watch_s: float = 0.0) -> None:
        self.lists: Lists | None = None
        self.error: str | None = None
        self.watch_s = watch_s
        self.reloads = 0
        self._loading = False
        self._tried_at = 0.0
        self._lock = threading.Lock()
        self._watching_pid = -1
        self._stop = threading.Event()

    @property
    def ready(self) -> bool:
        return self.lists is not None

    def ensure_loading(self) -> None:
        with self._lock:
            if self.ready or self._loading or time.monotonic() - self._tried_at < RETRY_S and self.error:
                return
            self._loading = True
        threading.Thread(target=self.load, name="redline-load-lists", daemon=True).start()

    def load(self) -> None:
        from redline.parties import api as parties

        try:
            self._swap(parties.get_screener())
            self.error = None
        except parties.NoListsLoaded as exc:
            self.error = str(exc)
        except Exception as exc:  # reported on /readyz; the server keeps answering
            log.exception("loading the lists failed")
            self.error = f"loading the lists failed: {exc}"
        finally:
            self._tried_at = time.monotonic()
            self._loading = False

    def _swap(self, screener: Screener) -> None:
        from redline.parties import api as parties

        held = self.lists
        if held is not None and held.screener is screener:
            return
        entities = Entities(parties.listed_clusters())  # of `screener`: get_screener() returned it just now
        lists = Lists(screener, entities, frozenset(s["source"] for s in screener.snapshots))
        screener.warm()
        settle_heap()
        self.lists = lists
        if held is not None:
            self.reloads += 1
            log.warning("new lists in force: %s", ", ".join(s["label"] for s in screener.snapshots))

    def ensure_watching(self) -> None:
        """Start this process's watcher (after a fork, each worker starts its own)."""
        if self._watching_pid == os.getpid() or self.watch_s <= 0:
            return
        with self._lock:
            if self._watching_pid == os.getpid():
                return
            self._watching_pid = os.getpid()
        threading.Thread(target=self._watch, name="redline-watch-lists", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _watch(self) -> None:
        while not self._stop.wait(self.watch_s):
            if self.ready:
                self.load()
            else:
                self.ensure_loading()


@dataclass(frozen=True)
class Lists:
    screener: Screener
    entities: Entities
    sources: frozenset[str]


def create_app(context: Context, *, max_body: int = MAX_BODY, timeout_s: float = TIMEOUT_S,
               max_inflight: int = MAX_INFLIGHT, load_lists: bool = True, watch_s: float = 0.0,
               hot_routes: bool = True) -> FastAPI:
    """The app over `context` (its store, ledger and settings). It becomes the process's context, since
    the parties API reads the process's context. With `watch_s` (the server gives WATCH_S), each
    process watches for new lists that often; without, the lists first loaded stay. Without
    `hot_routes`, every request goes through FastAPI (the tests compare the two)."""
    set_context(context)
    app = FastAPI(title="Redline", version=__version__, default_response_class=Json,
                  description="Screening (yente-compatible), media hash matching (HMA-compatible) and Redline's "
                              "own /v1 routes. Send `Authorization: Bearer KEY` (see `redline keys create`).")
    app.state.context = context
    app.state.keys = KeyCache()
    app.state.recorder = GroupCommit(context.store)  # screenings' ledger entries, many per transaction
    app.state.readiness = Readiness(watch_s)
    app.state.work = Work()
    errors.install(app)
    for name in ROUTERS:
        app.include_router(importlib.import_module(f"redline.api.routers.{name}").router)
    if load_lists:
        app.state.readiness.ensure_loading()
    app.add_middleware(Guard, max_body=max_body, timeout_s=timeout_s, max_inflight=max_inflight,
                       hot=HotRoutes(app.state) if hot_routes else None)
    return app

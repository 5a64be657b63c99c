"""The FastAPI app: routers, error handling, limits, and readiness of the lists."""

from __future__ import annotations

import importlib
import logging
import threading
import time

from fastapi import FastAPI
from redline.api.responses import Json

from redline import __version__
from redline.api import errors
from redline.api.auth import KeyCache
from redline.api.guard import Guard
from redline.api.yente import Entities
from redline.context import Context, set_context
from redline.ledger import GroupCommit

log = logging.getLogger("redline.api")
MAX_BODY = 32 * 1024 * 1024  # uploads (CSV, images, evidence) included
TIMEOUT_S = 60.0
MAX_INFLIGHT = 64  # requests in progress per worker; more are answered 503 at once (health routes excepted)
RETRY_S = 5.0
ROUTERS = ("health", "screening", "media", "v1", "review", "licensing", "exchange", "reports", "ui")


class Readiness:
    """Whether the screener is loaded; loads it in a background thread, retrying when lists are missing."""

    def __init__(self, entities: Entities) -> None:
        self.entities = entities
        self.ready = False
        self.error: str | None = None
        self._loading = False
        self._tried_at = 0.0
        self._lock = threading.Lock()
        self._sources: tuple[float, set[str]] = (0.0, set())

    def ensure_loading(self) -> None:
        with self._lock:
            if self.ready or self._loading or time.monotonic() - self._tried_at < RETRY_S and self.error:
                return
            self._loading = True
        threading.Thread(target=self.load, name="redline-load-lists", daemon=True).start()

    def load(self) -> None:
        from redline.parties import api as parties

        try:
            self.entities.refresh()
            self.ready, self.error = True, None
        except parties.NoListsLoaded as exc:
            self.error = str(exc)
        except Exception as exc:  # reported on /readyz; the server keeps answering
            log.exception("loading the lists failed")
            self.error = f"loading the lists failed: {exc}"
        finally:
            self._tried_at = time.monotonic()
            self._loading = False

    def sources(self) -> set[str]:
        from redline.parties import api as parties

        at, names = self._sources
        if time.monotonic() - at > 5.0:
            names = {s["source"] for s in parties.snapshots()}
            self._sources = (time.monotonic(), names)
        return names


def create_app(context: Context, *, max_body: int = MAX_BODY, timeout_s: float = TIMEOUT_S,
               max_inflight: int = MAX_INFLIGHT, load_lists: bool = True) -> FastAPI:
    """The app over `context` (its store, ledger and settings). It becomes the process's context, since
    the parties API reads the process's context."""
    set_context(context)
    app = FastAPI(title="Redline", version=__version__, default_response_class=Json,
                  description="Screening (yente-compatible), media hash matching (HMA-compatible) and Redline's "
                              "own /v1 routes. Send `Authorization: Bearer KEY` (see `redline keys create`).")
    app.state.context = context
    app.state.keys = KeyCache()
    app.state.recorder = GroupCommit(context.store)  # screenings' ledger entries, many per transaction
    app.state.entities = Entities()
    app.state.readiness = Readiness(app.state.entities)
    errors.install(app)
    for name in ROUTERS:
        try:
            module = importlib.import_module(f"redline.api.routers.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"redline.api.routers.{name}":
                raise
            continue  # a router not built yet
        app.include_router(module.router)
    if load_lists:
        app.state.readiness.ensure_loading()
    app.add_middleware(Guard, max_body=max_body, timeout_s=timeout_s, max_inflight=max_inflight)
    return app

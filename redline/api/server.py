"""Running the app on uvicorn, with N pre-forked workers that share the loaded screener.

The parent loads the lists (from the screener cache file, or builds them once), binds the socket,
then forks the workers: the screener's memory pages are shared copy-on-write instead of being
loaded N times (the parties API freezes it out of the garbage collector, so collections do not
touch and copy them). The parent restarts a worker that dies and stops them all on SIGTERM/SIGINT."""

from __future__ import annotations

import logging
import mmap
import os
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

log = logging.getLogger("redline.api")


@dataclass(frozen=True)
class ServeOptions:
    host: str
    port: int
    workers: int
    timeout_s: float
    max_body: int
    as_json: bool = False
    monitor_every: str | None = None  # a period for `redline monitor --every`, run beside the server


def _config(app: Any, options: ServeOptions) -> Any:
    import uvicorn

    return uvicorn.Config(app, host=options.host, port=options.port, loop="uvloop", http="httptools",
                          access_log=False, log_level="warning", backlog=4096, timeout_keep_alive=30,
                          lifespan="off", server_header=False)


def _announce(options: ServeOptions, ready: bool) -> None:
    info = {"listening": f"http://{options.host}:{options.port}", "workers": options.workers,
            "docs": f"http://{options.host}:{options.port}/docs", "lists_loaded": ready, "pid": os.getpid()}
    if options.as_json:
        sys.stdout.write(orjson.dumps(info).decode() + "\n")
    else:
        sys.stdout.write(f"redline serving on {info['listening']} ({options.workers} worker"
                         f"{'s' if options.workers > 1 else ''}; docs at {info['docs']})\n")
    sys.stdout.flush()


def run(options: ServeOptions) -> None:
    from redline.config import load_settings
    from redline.context import Context

    from redline.store.schema import require_current

    settings = load_settings()
    context = Context(settings)
    require_current(context.store)  # never migrate under other processes: `redline db upgrade` does it
    context.store.create_all()
    with background_monitor(options.monitor_every, settings.home):
        _serve(context, options)


@contextmanager
def background_monitor(every: str | None, home: Path) -> Iterator[None]:
    """`redline monitor --every PERIOD --json` in a process of its own beside the server (its cycles
    appended to REDLINE_HOME/logs/monitor.jsonl), stopped with the server."""
    if every is None:
        yield
        return
    logs = home / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    with (logs / "monitor.jsonl").open("ab") as out:
        child = subprocess.Popen([sys.executable, "-m", "redline", "monitor", "--every", every, "--json"],
                                 stdout=out, stderr=out, stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
    try:
        yield
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()


def _die_with_parent() -> None:
    """In the child, before it runs: SIGTERM when the server's process ends, however it ends
    (uvicorn re-raises the signal that stopped it, so no `finally` of the server runs)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _serve(context: Any, options: ServeOptions) -> None:
    import uvicorn

    from redline.api.app import WATCH_S, create_app
    from redline.heap import settle_heap

    sock = socket.socket(socket.AF_INET6 if ":" in options.host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((options.host, options.port))
    if options.workers == 1:
        # loads in the background
        app = create_app(context, max_body=options.max_body, timeout_s=options.timeout_s, watch_s=WATCH_S)
        _announce(options, False)
        uvicorn.Server(_config(app, options)).run(sockets=[sock])
        return
    app = create_app(context, max_body=options.max_body, timeout_s=options.timeout_s, load_lists=False, watch_s=WATCH_S)
    app.state.readiness.load()  # in the parent, before forking: the workers share what it loaded
    from redline.api.routers import media

    media.warm(app)
    settle_heap()  # the lists and the media index, frozen where every worker shares them
    context.store.engine.dispose()  # no database connection crosses a fork
    sock.listen(4096)
    _announce(options, app.state.readiness.ready)
    _supervise(app, options, sock)


class Spread:
    """The open connections of each pre-forked worker, in memory the workers share (mapped before
    the fork), so that each worker's accept thread can leave a new connection to a worker that holds
    fewer.

    A client keeps its connections open (wrk's 16, a bank's pool), so who accepts them decides the
    load of each worker for as long as they last. Each waiting in a blocking accept(), the workers
    took them as the scheduler happened to run their threads: of 16 connections a burst, one worker
    held 13, 11 or 10 and the other 3, 5 or 7, of 8 once all 8; that worker's requests queued for its
    two screening threads while the other idled (p99 265 vs 119 ms in the same burst,
    docs/benchmarks-api.md, sixth part)."""

    def __init__(self, workers: int) -> None:
        self._memory = mmap.mmap(-1, 8 * max(1, workers))  # anonymous and shared: the children see the parent's pages
        self.counts = memoryview(self._memory).cast("q")
        self.slot = -1  # this worker's, set in the worker after the fork

    def publish(self, slot: int, open_connections: int) -> None:
        self.counts[slot] = open_connections

    def fewest(self, slot: int) -> bool:
        mine = self.counts[slot]
        return all(mine <= count for other, count in enumerate(self.counts) if other != slot)

    def leave_one(self) -> bool:
        """True when this worker holds at least two connections more than another: the response
        being sent then closes its connection (`Connection: close`), and the client's next one is
        accepted by a worker holding fewer. Counts that one as gone at once, so that the responses
        before the accept thread's next count do not close more than the difference.

        Shared out at accept time, connections still piled up on one worker when the other's
        accept thread did not get a core for a few tens of milliseconds (the machine's other
        work): all 8 of a burst on one worker, p99 570 ms, docs/benchmarks-api.md, sixth part."""
        if self.slot < 0:
            return False
        mine = self.counts[self.slot]
        if all(mine < count + 2 for other, count in enumerate(self.counts) if other != self.slot):
            return False
        self.counts[self.slot] = mine - 1
        return True


SPREAD_YIELD_S = 0.01  # how long a worker holding more connections leaves a new one to the others


def accepting_server(config: Any, sock: socket.socket, spread: Spread | None = None, slot: int = 0) -> Any:
    """uvicorn's Server for a pre-forked worker, with the shared socket's connections accepted by a
    thread of the worker instead of by the event loop.

    Under a flood (2,000 connections, docs/benchmarks-api.md), uvloop accepted about one
    connection per turn of the loop, and a turn that answers hundreds of requests takes about a
    second: 1,300 connections, health probes among them, waited in the listening socket for tens
    of seconds. A thread waiting on the listening socket takes each connection as it comes and
    hands it to the loop (`connect_accepted_socket`); with `spread`, a worker holding more open
    connections than another leaves a new one to the others for SPREAD_YIELD_S first."""
    import asyncio
    import functools
    import threading

    import uvicorn

    class Accepting(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=[])  # no listener of the loop's own
            loop = asyncio.get_running_loop()
            protocol = functools.partial(self.config.http_protocol_class, config=self.config,  # type: ignore[call-arg]
                                         server_state=self.server_state, app_state=self.lifespan.state, _loop=loop)
            handed = [0, 0]  # connections handed to the loop (by the accept thread), adopted (by the loop)

            def adopt(conn: socket.socket) -> None:
                handed[1] += 1
                if self.should_exit:
                    conn.close()
                    return
                loop.create_task(loop.connect_accepted_socket(protocol, conn))

            def open_connections() -> int:
                return len(self.server_state.connections) + handed[0] - handed[1]

            threading.Thread(target=_accept, args=(sock, loop, adopt, self, handed, open_connections, spread, slot),
                             name="redline-accept", daemon=True).start()

    return Accepting(config)


def _accept(sock: socket.socket, loop: Any, adopt: Any, server: Any, handed: list[int], open_connections: Any,
            spread: Spread | None, slot: int) -> None:
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    while not server.should_exit:
        if spread is not None:
            spread.publish(slot, open_connections())
        if not poller.poll(100):
            continue
        if spread is not None:
            spread.publish(slot, open_connections())
            if not spread.fewest(slot):
                time.sleep(SPREAD_YIELD_S)
        try:
            conn, _ = sock.accept()  # the listening socket is non-blocking: another worker may have taken it
        except (BlockingIOError, InterruptedError):
            continue
        except OSError as exc:  # out of descriptors, or a connection reset before it was accepted
            log.warning("accept failed: %s", exc)
            time.sleep(0.05)
            continue
        conn.setblocking(False)
        handed[0] += 1
        try:
            loop.call_soon_threadsafe(adopt, conn)
        except RuntimeError:  # the loop is closed: the worker is stopping
            conn.close()
            return


def _supervise(app: object, options: ServeOptions, sock: socket.socket) -> None:
    import uvicorn

    children: dict[int, int] = {}
    stopping = False
    spread = Spread(options.workers)
    app.state.spread = spread  # type: ignore[attr-defined]  # read by the Guard of each worker
    sock.setblocking(False)  # every worker waits in poll() and takes a connection another has not taken

    def start(slot: int) -> None:
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            spread.publish(slot, 0)  # a restarted worker's predecessor took its connections with it
            spread.slot = slot
            try:
                accepting_server(_config(app, options), sock, spread, slot).run(sockets=[])
            finally:
                os._exit(0)
        children[pid] = slot

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for slot in range(options.workers):
        start(slot)
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        if pid in children and not stopping:
            log.warning("worker %d exited (status %d); starting another", pid, status)
            time.sleep(0.5)
            start(children.pop(pid))
        children.pop(pid, 0)

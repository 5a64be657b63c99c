"""`redline monitor --every 6h`: download the lists, then run every book, again and again.

A cycle is `parties update` (each publisher's list downloaded and imported) followed by
`monitor run` over every book of the organisation. A download that fails leaves the snapshot
already in force for that list, and the cycle says which one: the books are still run against
the lists in force. Cycles start on a fixed period from the first one (a slow cycle does not push
the next ones later; a cycle that overruns the period is followed at once by the next).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from redline.context import Context
from redline.monitor.delta import run
from redline.parties import api
from redline.parties.screening import MATCH_THRESHOLD
from redline.parties.snapshots import list_snapshots

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_INTERVAL_S = 60  # publishers update weekly at most; a tighter loop only hammers their servers


class ScheduleError(ValueError):
    pass


def parse_interval(text: str, argument: str = "--every") -> float:
    """'6h', '30m', '1d', '90s' (or a sum such as '1h30m') -> seconds."""
    parts = re.findall(r"(\d+)\s*([smhd])", text.strip().lower())
    if not parts or re.sub(r"\s", "", text.lower()) != "".join(n + u for n, u in parts):
        raise ScheduleError(f"{argument} must be a period such as 6h, 30m, 1d or 1h30m, not {text!r}")
    seconds = sum(int(n) * UNITS[u] for n, u in parts)
    if seconds < MIN_INTERVAL_S:
        raise ScheduleError(f"{argument} must be at least {MIN_INTERVAL_S // 60} minute, not {text!r}")
    return float(seconds)


def cycle(ctx: Context, sources: list[str] | None = None, threshold: float = MATCH_THRESHOLD,
          engine: str = "local", scheduler: str | None = None, workers: int | None = None,
          transport: Any = None) -> dict[str, Any]:
    """One update of the lists, then one run of every book; a failed download is reported with the
    snapshot that stays in force for its list."""
    started = _now()
    updated = api.update(sources, ctx=ctx, transport=transport)
    in_force = {s["source"]: s["label"] for s in list_snapshots(ctx.store, active_only=True)}
    failures = [{**f, "in_force": in_force.get(f["source"])} for f in updated["failures"]]
    try:
        monitored = run(ctx, None, threshold, engine=engine, scheduler=scheduler, workers=workers)
    except api.NoListsLoaded as exc:
        monitored = {"alerts": [], "books": [], "error": str(exc)}
    return {"started_at": started, "update": {"results": updated["results"], "failures": failures,
                                              "ledger_seq": updated["ledger_seq"]},
            **monitored}


def every(ctx: Context, interval_s: float, on_cycle: Callable[[dict[str, Any]], None], cycles: int | None = None,
          sleep: Callable[[float], None] = time.sleep, **options: Any) -> int:
    """Run `cycle` every `interval_s` seconds, `cycles` times (None: until interrupted); each result
    goes to `on_cycle` with the time of the next cycle. Returns the number of cycles run."""
    start = time.monotonic()
    done = 0
    while cycles is None or done < cycles:
        result = cycle(ctx, **options)
        done += 1
        due = start + done * interval_s
        last = cycles is not None and done >= cycles
        result["next_at"] = None if last else (datetime.now(timezone.utc) + timedelta(seconds=max(0.0, due - time.monotonic()))).isoformat(timespec="seconds")
        on_cycle(result)
        if not last:
            sleep(max(0.0, due - time.monotonic()))
    return done


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")

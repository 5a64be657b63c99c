"""Flood quarantine: a banked hash that suddenly matches far more often than it usually does (a
mistaken or poisoned hash, a viral benign picture) is held for a reviewer instead of acted on, and
released by one. Counting and holding run in the caller's transaction (Matcher.record), so a
match, its count and its hold are written together."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, and_, func, select, update

from redline.media import tables as t


@dataclass(frozen=True)
class FloodRule:
    """Hold a hash for review when, within one window, it matches at least `min_matches` times AND more
    than `factor` times its usual rate: its average per window over the previous windows it has been
    seen in (from its first counted window, at most `history_windows` back). A hash with no history
    has a usual rate of zero, so `min_matches` alone is its limit in its first window."""

    window_seconds: int = 3600
    history_windows: int = 24 * 7
    min_matches: int = 100
    factor: float = 10.0

    def window_of(self, when: float) -> int:
        return int(when // self.window_seconds)

    def usual_rate(self, history_total: int, windows_seen: int) -> float:
        return history_total / windows_seen if windows_seen > 0 else 0.0

    def is_flood(self, current: int, history_total: int, windows_seen: int) -> bool:
        return current >= self.min_matches and current > self.factor * self.usual_rate(history_total, windows_seen)



def count_match(conn: Connection, rule: FloodRule, signal_id: int, when: float, *, already_held: bool) -> tuple[int, int] | None:
    """Count one match of `signal_id` in its window; when the rule finds it flooding (and it is not held
    already, nor released within this window), hold it: (matches this window, matches in the history
    before it). None when nothing was held."""
    window = rule.window_of(when)
    row = conn.execute(select(t.match_counts.c.count).where(
        and_(t.match_counts.c.signal_id == signal_id, t.match_counts.c.window == window))).first()
    current = (row.count if row else 0) + 1
    if row:
        conn.execute(update(t.match_counts).where(and_(
            t.match_counts.c.signal_id == signal_id, t.match_counts.c.window == window)).values(count=current))
    else:
        conn.execute(t.match_counts.insert().values(signal_id=signal_id, window=window, count=current))
    if already_held:
        return None
    past = conn.execute(select(func.coalesce(func.sum(t.match_counts.c.count), 0),
                               func.min(t.match_counts.c.window)).where(and_(
        t.match_counts.c.signal_id == signal_id,
        t.match_counts.c.window >= window - rule.history_windows,
        t.match_counts.c.window < window))).one()
    history = int(past[0])
    windows_seen = window - past[1] if past[1] is not None else 0
    already = conn.execute(select(t.quarantine.c.released_at).where(t.quarantine.c.signal_id == signal_id)).first()
    rearmed = already is None or (
        already.released_at is not None
        and rule.window_of(datetime.fromisoformat(already.released_at).timestamp()) < window
    )
    if not (rule.is_flood(current, history, windows_seen) and rearmed):
        return None
    conn.execute(t.quarantine.delete().where(t.quarantine.c.signal_id == signal_id))
    reason = (f"{current} matches in the current {rule.window_seconds}s window; usual "
              f"{rule.usual_rate(history, windows_seen):.2f} a window over {windows_seen}")
    conn.execute(t.quarantine.insert().values(signal_id=signal_id, state="held", held_at=_iso(when), reason=reason))
    return current, history


def held_signals(store: Any) -> list[dict[str, Any]]:
    with store.connect() as conn:
        rows = conn.execute(
            select(t.quarantine, t.signals.c.signal_type, t.signals.c.value, t.banks.c.name)
            .join(t.signals, t.signals.c.id == t.quarantine.c.signal_id)
            .join(t.banks, t.banks.c.id == t.signals.c.bank_id)
            .order_by(t.quarantine.c.held_at)
        ).all()
    return [{"signal_id": r.signal_id, "bank": r.name, "signal_type": r.signal_type, "signal": r.value[:64],
             "state": r.state, "held_at": r.held_at, "reason": r.reason, "released_at": r.released_at,
             "released_by": r.released_by} for r in rows]


def release_signal(context: Any, signal_id: int) -> None:
    """A reviewer releases a held hash: its matches are actionable again (the flood rule re-arms later).
    The release and its ledger entry are one transaction."""
    with context.store.transaction() as conn:
        result = conn.execute(update(t.quarantine).where(and_(t.quarantine.c.signal_id == signal_id,
                                                              t.quarantine.c.state == "held"))
                              .values(state="released", released_at=_iso(time.time()),
                                      released_by=context.settings.user))
        if not result.rowcount:
            raise ValueError(f"signal {signal_id} is not held")
        context.ledger.append("media.quarantine", context.settings.user, {"signal_id": signal_id},
                              {"state": "released"}, conn=conn)


def _iso(when: float) -> str:
    return datetime.fromtimestamp(when, timezone.utc).isoformat(timespec="seconds")

"""The calls the CLI (and an HTTP route) make: load references, scan, store, report. No printing here."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import func, select

from redline.context import Context
from redline.infra.reference.loader import ReferenceData, load_reference
from redline.infra.snapshots import register_snapshots
from redline.infra.tables import scan_results
from redline.infra.scan import now_iso


def reference_for(ctx: Context) -> ReferenceData:
    """Reference data from REDLINE_DATA/infra, compiled once per content, snapshots registered."""
    ref = load_reference(ctx.settings.data("infra"), ctx.settings.cache_dir)
    register_snapshots(ctx.store, ref)
    return ref


def record_results(ctx: Context, results: Sequence[dict[str, Any]], inputs: dict[str, Any]) -> int:
    """Store each result and write one ledger entry for the batch; returns the ledger sequence number."""
    digest = hashlib.sha256(orjson.dumps([r.get("domain") for r in results])).hexdigest()
    outcome = {
        "domains": len(results),
        "statuses": _count(r.get("status", "") for r in results),
        "serves": _count(p["provider"] for r in results for p in r.get("providers", []) if p["role"] == "serves"),
        "listed": sorted({r["domain"] for r in results if r.get("listed_parties")}),
        "results_sha256": hashlib.sha256(orjson.dumps(list(results), default=str)).hexdigest(),
    }
    snapshots = sorted({c["snapshot"] for r in results for c in r.get("snapshots", []) if c.get("snapshot")})
    entry = ctx.ledger.append("infra.scan", ctx.settings.user, {**inputs, "domains_sha256": digest}, outcome,
                              {"infra_snapshots": snapshots})
    now = now_iso()
    with ctx.store.transaction() as conn:
        conn.execute(scan_results.insert(), [
            {"domain": r.get("domain") or "", "scanned_at": now, "observed_at": r.get("observed_at"),
             "status": r.get("status", ""), "owner": r.get("owner"),
             "result": orjson.dumps(r, default=str).decode(), "ledger_seq": entry.seq}
            for r in results
        ])
    return entry.seq


def latest_results(ctx: Context) -> list[dict[str, Any]]:
    """The newest stored result for each domain."""
    newest = select(func.max(scan_results.c.id)).group_by(scan_results.c.domain).scalar_subquery()
    with ctx.store.connect() as conn:
        rows = conn.execute(select(scan_results.c.result).where(scan_results.c.id.in_(newest)).order_by(scan_results.c.domain))
        return [orjson.loads(row.result) for row in rows]


def _count(values: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out

"""/m/lookup (HMA-compatible PDQ lookup) over HTTP at 1 M banked hashes, beside the same lookups
in-process (Matcher.match_pdq).

    .venv/bin/python -m benchmarks.api_lookup [--hashes 1000000] [--workers 2] [--seconds 10]
        [--concurrency 8 16] [--home DIR] [--json out.json]

A fresh REDLINE_HOME (or --home, reused when it already holds the bank) gets one bank of random PDQ
hashes (seeded). Queries: half are banked hashes with 1-8 bits flipped (each must come back with
its content id), half random hashes (no match expected at distance 31: random 256-bit hashes are
~128 bits apart). The load generator runs in another process (wrk when installed, and httpx).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.api_common import load_sweep, make_key, pct, start_server  # noqa: E402

BANK = "BENCH_RANDOM"


def random_hash(rng: random.Random) -> str:
    return f"{rng.getrandbits(256):064x}"


def flip(hex_hash: str, rng: random.Random, bits: int) -> str:
    value = int(hex_hash, 16)
    for b in rng.sample(range(256), bits):
        value ^= 1 << b
    return f"{value:064x}"


def fill_bank(context: Any, count: int, seed: int) -> float:
    from redline.media import banks

    existing = {b.name: b.size for b in banks.list_banks(context.store)}
    rng = random.Random(seed)
    started = time.perf_counter()
    if BANK not in existing:
        banks.create_bank(context.store, BANK, actor="benchmark", ledger=context.ledger)
    done = existing.get(BANK, 0)  # an interrupted fill resumes: each call is one transaction
    for _ in range(done):
        random_hash(rng)
    chunk = 1_000_000  # add_signals loads in bulk (indexes rebuilt once for a load the table's size)
    for start in range(done, count, chunk):
        records = [banks.SignalRecord("pdq", random_hash(rng), content_id=f"c{start + i}")
                   for i in range(min(chunk, count - start))]
        banks.add_signals(context.store, BANK, records, actor="benchmark", ledger=context.ledger)
    return time.perf_counter() - started


def planted(count: int, seed: int, n: int) -> list[tuple[str, str]]:
    """(query, expected content id): banked hashes regenerated from the same seed, bits flipped."""
    rng = random.Random(seed)
    wanted = sorted(random.Random(seed + 1).sample(range(count), n))
    out, i = [], 0
    flip_rng = random.Random(seed + 2)
    for position in range(count):
        value = random_hash(rng)
        if position == wanted[i]:
            out.append((flip(value, flip_rng, flip_rng.randint(1, 8)), f"c{position}"))
            i += 1
            if i == len(wanted):
                break
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hashes", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--concurrency", type=int, nargs="+", default=[8, 16])
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--home", type=Path)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    seed = 11
    home = args.home or Path(tempfile.mkdtemp(prefix="redline-lookup-"))
    home.mkdir(parents=True, exist_ok=True)
    os.environ["REDLINE_HOME"] = str(home)
    os.environ.pop("REDLINE_DB", None)
    from redline.context import get_context
    from redline.media.matcher import Matcher

    context = get_context()
    out: dict[str, Any] = {"machine": f"{os.cpu_count()} CPUs visible (shared with other work)", "hashes": args.hashes,
                           "home": str(home)}
    out["bank_fill_s"] = round(fill_bank(context, args.hashes, seed), 1)
    hits = planted(args.hashes, seed, args.queries // 2)
    rng = random.Random(seed + 3)
    misses = [random_hash(rng) for _ in range(args.queries - len(hits))]
    queries = [q for q, _ in hits] + misses
    random.Random(seed + 4).shuffle(queries)

    started = time.perf_counter()
    matcher = Matcher.open(context)
    out["matcher_open_s"] = round(time.perf_counter() - started, 1)
    for q, _ in hits[:20]:
        matcher.match_pdq(q)
    ms, cpu = [], time.process_time()
    found = 0
    expected = dict(hits)
    for q in queries:
        t = time.perf_counter()
        result = matcher.match_pdq(q)
        ms.append((time.perf_counter() - t) * 1000)
        if q in expected and any(m.content_id == expected[q] for m in result):
            found += 1
    cpu = time.process_time() - cpu
    out["in_process"] = {"queries": len(ms), "p50_ms": round(pct(ms, 0.5), 3), "p99_ms": round(pct(ms, 0.99), 3),
                         "cpu_ms_per_query": round(1000 * cpu / len(ms), 3), "planted_found": f"{found}/{len(hits)}"}
    print("in-process:", out["in_process"], flush=True)
    del matcher

    key = make_key(home, f"bench-{time.time_ns()}")
    requests = [("GET", f"/m/lookup?signal_type=pdq&signal={q}", None) for q in queries]
    server = start_server(home, args.workers, timeout_s=900, ready_path="/healthz")  # no lists here: /readyz stays 503
    out["start_s"] = round(server.started_s, 1)
    try:
        import httpx

        with httpx.Client(base_url=server.base, headers={"Authorization": f"Bearer {key}"}) as client:
            served = sum(1 for q, cid in hits[:50]
                         if any(m["bank_content_id"] == cid for m in client.get("/m/lookup", params={
                             "signal_type": "pdq", "signal": q}).json().get(BANK, [])))
            out["planted_found_http"] = f"{served}/{min(50, len(hits))}"
            out["index_status"] = client.get("/m/index/status").json()
        out.update(load_sweep(server, key, requests, args.concurrency, args.seconds))
    finally:
        server.stop()
    best = min(out["load"], key=lambda r: r["server_cpu_ms_per_request"])
    out["capacity_2_cores_req_per_s"] = round(2000 / best["server_cpu_ms_per_request"], 0)
    print(json.dumps({k: out[k] for k in ("bank_fill_s", "matcher_open_s", "start_s", "planted_found_http", "memory",
                                          "capacity_2_cores_req_per_s")}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

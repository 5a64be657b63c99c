"""Bank-side windows on REAL pictures: the Matcher's PDQ stage with the derived hashes (windows,
bars trimmed) in their own approximate index (now) against one exact index for everything (the
layout before, e.g. a worktree of 6484784), on the same store and the same query hashes.

    # 1. a store: real pictures banked as `bank add` does, synthetic pictures to fill it up
    .venv/bin/python -m benchmarks.media_index_windows_real prepare --home /tmp/win --pictures 100000
    # 2. each code version opens a Matcher on that store and answers the same queries
    .venv/bin/python benchmarks/media_index_windows_real.py measure --home /tmp/win --nprobe 16,32,64,128
    PYTHONPATH=/tmp/base .venv/bin/python benchmarks/media_index_windows_real.py measure --home /tmp/win

`prepare` banks (bank "real") the reference stills and sample-video frames every `--bank-every`
seconds with `robust.bank_hashes` (plain hash + derived: bar-trimmed, windows; linked as `bank add`
links them), and (bank "filler") synthetic pictures up to `--pictures`: a uniform hash with 15
windows each 60-120 bits from it (the measured spread of real windows). It hashes once, with
today's `robust.query_hashes`, every manipulation of media_robustness.py (TRANSFORMS and
MORE_TRANSFORMS) of the stills and of the frames every `--query-every` seconds (the originals of
media_robustness.py), and writes them to HOME/queries.json.

`measure` opens `Matcher(persist=False)` on the store (the index built from it: CPU and wall
seconds), reports the PDQ indexes' `memory_bytes` a banked picture, and answers each query as
`Matcher._find_image` does its PDQ stage (every usable variant in one search, 24/31 bits, then
`_resolve`): recall per manipulation (the banked original among the matches), how many matched
through a derived hash (`bank_variant`), p50/p99 of that stage a query file, and p50/p99 of
`match_pdq` (the /m/lookup path) on the plain hash of every query. With `--nprobe`, the derived IVF
index answers at each number of probes in turn (the exact layout ignores it).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

THRESHOLD, STRICT = 31, 24
FILLER_WINDOWS = 15
CHUNK = 4000  # filler pictures an add_signals call


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    with open("/proc/loadavg") as handle:
        return handle.read().split()[0]


def prepare(home: Path, pictures: int, bank_every: float, query_every: float, seed: int,
            queries_from: Path | None = None) -> None:
    from benchmarks.media_common import load_frames, load_images
    from benchmarks.media_index import flip_fast
    from benchmarks.media_robustness import MORE_TRANSFORMS, TRANSFORMS, shrunk
    from redline.context import get_context
    from redline.media import robust
    from redline.media.banks import SignalRecord, add_signals, create_bank
    from redline.media.hashing import pdq_of_image
    from redline.media.index import codes_to_hex

    ctx = get_context()
    started, cpu = time.perf_counter(), cpu_s()
    banked = [item for item in load_images() + load_frames(bank_every) if pdq_of_image(shrunk(item[2])).quality >= 50]
    create_bank(ctx.store, "real")
    records: list[SignalRecord] = []
    parents: dict[str, str] = {}
    for _, name, image in banked:
        hashes = robust.bank_hashes(shrunk(image))
        at = len(records)
        parents[name] = hashes[0].pdq
        records.append(SignalRecord("pdq", hashes[0].pdq, name, quality=hashes[0].quality))
        records += [SignalRecord("pdq", h.pdq, name, derived_from=at, variant=h.variant) for h in hashes[1:]]
    real = add_signals(ctx.store, "real", records)
    print(f"real: {len(banked)} pictures, {real.added} own + {real.derived} derived hashes "
          f"({(real.added + real.derived) / len(banked):.1f} a picture)", flush=True)

    rng = np.random.default_rng(seed)
    create_bank(ctx.store, "filler")
    fill = max(0, pictures - len(banked))
    for start in range(0, fill, CHUNK):
        n = min(CHUNK, fill - start)
        own = rng.integers(0, 256, size=(n, 32), dtype=np.uint8)
        windows = flip_fast(np.repeat(own, FILLER_WINDOWS, axis=0), rng.integers(60, 121, size=n * FILLER_WINDOWS), rng)
        own_hex, window_hex = codes_to_hex(own), codes_to_hex(windows)
        batch: list[SignalRecord] = []
        for i in range(n):
            at = len(batch)
            batch.append(SignalRecord("pdq", own_hex[i], f"f{start + i}"))
            batch += [SignalRecord("pdq", h, f"f{start + i}", derived_from=at, variant=f"window_{k}")
                      for k, h in enumerate(window_hex[i * FILLER_WINDOWS : (i + 1) * FILLER_WINDOWS])]
        add_signals(ctx.store, "filler", batch)
        if start // CHUNK % 5 == 4:
            print(f"  filler {start + n:,} pictures, {time.perf_counter() - started:.0f} s wall / {cpu_s() - cpu:.0f} s CPU",
                  flush=True)
    print(f"filler: {fill} pictures, {fill * (1 + FILLER_WINDOWS):,} hashes; banking {time.perf_counter() - started:.0f} s "
          f"wall / {cpu_s() - cpu:.0f} s CPU", flush=True)

    if queries_from is not None:  # the same pictures banked the same way: their hashed queries still apply
        (home / "queries.json").write_text(queries_from.read_text())
        return
    queried = {name for _, name, _ in load_images()} | {name for _, name, _ in load_frames(query_every)}
    queries: dict[str, list[Any]] = {}
    for label, change in {**TRANSFORMS, **MORE_TRANSFORMS}.items():
        rows = queries.setdefault(label, [])
        for _, name, image in banked:
            if name in queried:
                hashes = robust.query_hashes(shrunk(change(image)))
                rows.append([name, parents[name], [[q.variant, q.pdq, q.quality, q.strict] for q in hashes]])
    (home / "queries.json").write_text(json.dumps(queries))
    print(f"queries: {len(queries)} manipulations x {len(next(iter(queries.values())))} originals; total "
          f"{time.perf_counter() - started:.0f} s wall / {cpu_s() - cpu:.0f} s CPU (load {load()})", flush=True)


def measure(home: Path, nprobes: list[int]) -> None:
    import redline
    from redline.context import get_context
    from redline.media.index import hex_to_codes
    from redline.media.matcher import Matcher

    queries: dict[str, list[Any]] = json.loads((home / "queries.json").read_text())
    ctx = get_context()
    started, cpu = time.perf_counter(), cpu_s()
    matcher = Matcher(ctx, persist=False, refresh_seconds=1e9)
    built = f"{time.perf_counter() - started:.1f} s wall / {cpu_s() - cpu:.1f} s CPU"
    index = matcher.index
    derived = getattr(index, "derived", None)
    search = getattr(index, "search_pdq", None) or index.pdq.search
    with ctx.store.connect() as conn:
        pictures = conn.exec_driver_sql("SELECT COUNT(*) FROM media_signals s LEFT JOIN media_signal_derived d "
                                        "ON d.signal_id = s.id WHERE d.signal_id IS NULL AND s.signal_type = 'pdq'").scalar()
    memory = index.pdq.memory_bytes() + (derived.memory_bytes() if derived is not None else 0)
    layout = (f"own hashes {type(index.pdq).__name__} ({index.pdq.size:,}) + derived {type(derived).__name__} "
              f"({derived.size:,}{', %d lists' % derived.nlist if hasattr(derived, 'nlist') else ''})"
              if derived is not None else f"one {type(index.pdq).__name__} ({index.pdq.size:,} hashes)")
    print(f"code: {Path(redline.__file__).parent.parent} | {layout} | build {built} | "
          f"{memory / pictures:,.0f} B a picture ({pictures:,} pictures) | load {load()}", flush=True)

    def pdq_stage(variants: list[list[Any]]) -> list[Any]:
        usable = [v for v in variants if v[2] >= matcher.min_quality]
        if not usable:
            return []
        hits = []
        for hit in search(hex_to_codes([v[1] for v in usable]), THRESHOLD):
            variant = usable[hit.query]
            if hit.distance <= (STRICT if variant[3] else THRESHOLD):
                hits.append((hit.signal_id, hit.distance, variant[0]))
        return matcher._resolve(hits)[0]

    plain = [variants[0][1] for rows in queries.values() for _, _, variants in rows]
    for nprobe in nprobes if hasattr(derived, "nprobe") else [0]:
        if nprobe:
            derived.nprobe = min(nprobe, derived.nlist)
        found = through = total = 0
        per_label = []
        times: list[float] = []
        stage_cpu = 0.0
        for label, rows in queries.items():
            got = via = 0
            for _, parent, variants in rows:
                pdq_stage(variants)  # warm: metadata of every hit read once
                t0, c0 = time.perf_counter(), cpu_s()
                matches = pdq_stage(variants)
                times.append(time.perf_counter() - t0)
                stage_cpu += cpu_s() - c0
                mine = [m for m in matches if m.signal_value == parent]
                got += bool(mine)
                via += bool(mine) and all("bank_variant" in m.detail for m in mine)
            per_label.append(f"{label} {got}/{len(rows)} (window {via})")
            found, through, total = found + got, through + via, total + len(rows)
        lookups = []
        lookup_cpu = cpu_s()
        for value in plain:
            t0 = time.perf_counter()
            matcher.match_pdq(value)
            lookups.append(time.perf_counter() - t0)
        lookup_cpu = cpu_s() - lookup_cpu
        a, b = np.array(times) * 1000, np.array(lookups) * 1000
        print(f"nprobe {nprobe or '-'}: recall {found}/{total} = {found / total:.4f}, through a derived hash {through}; "
              f"PDQ stage a query file p50 {np.percentile(a, 50):.3f} ms p99 {np.percentile(a, 99):.3f} ms "
              f"(CPU {1000 * stage_cpu / len(a):.2f} ms a query); "
              f"match_pdq p50 {np.percentile(b, 50):.3f} ms p99 {np.percentile(b, 99):.3f} ms "
              f"(CPU {1000 * lookup_cpu / len(b):.3f} ms a lookup) "
              f"({len(plain)} lookups); load {load()}", flush=True)
        print("  " + "; ".join(per_label), flush=True)
    print(f"total {time.perf_counter() - started:.0f} s wall / {cpu_s() - cpu:.0f} s CPU", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=("prepare", "measure"))
    parser.add_argument("--home", type=Path, required=True, help="REDLINE_HOME of the benchmark's store")
    parser.add_argument("--pictures", type=int, default=100_000)
    parser.add_argument("--bank-every", type=float, default=0.5, help="seconds between banked video frames")
    parser.add_argument("--query-every", type=float, default=3.0, help="seconds between queried video frames")
    parser.add_argument("--nprobe", default="64", help="derived IVF probes to measure, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries-from", type=Path, help="queries.json of an earlier prepare with the same bank options")
    args = parser.parse_args()
    args.home.mkdir(parents=True, exist_ok=True)
    os.environ["REDLINE_HOME"] = str(args.home)
    os.environ.pop("REDLINE_DB", None)
    if args.step == "prepare":
        prepare(args.home, args.pictures, args.bank_every, args.query_every, args.seed, args.queries_from)
    else:
        measure(args.home, [int(p) for p in args.nprobe.split(",")])


if __name__ == "__main__":
    sys.exit(main())

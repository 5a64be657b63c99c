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

`synthetic` (issue 16, session 22: banks too large for a store here) builds the two PDQ indexes as
`SignalIndex` builds them, in memory, without the store: the real pictures' own and derived hashes
of bank "real" of `--home` (a `prepare` store: `prepare --pictures 143` is enough) and synthetic
filler pictures up to `--pictures` made as `prepare` makes them (a window's bits each flipped
with odds drawn for 60-120 of 256, binomial around that, instead of exactly that many: 30× faster); own hashes in an exact `BinaryIndex`,
derived ones in a flat scan below `DERIVED_IVF_FROM` and an `IVFIndex` above (`DERIVED_NPROBE`). It
reports the build (wall, CPU, resident memory before and after, the peak), `memory_bytes` a picture,
and for each `--nprobe` the recall on HOME/queries.json against the exact answer (every real hash
scanned flat; the filler cannot hold a query's neighbour, checked by a flat scan of every derived
hash for the first `--exact-sample` query files) and the PDQ stage's wall and CPU a query file
(both indexes searched with every usable variant; no `_resolve`: the store's metadata reads are
left out) and a plain-hash lookup's.

    .venv/bin/python benchmarks/media_index_windows_real.py synthetic --home /tmp/win --pictures 1000000 --nprobe 64,128,256
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any, Callable

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
        b, lookup_cpu = timed(matcher.match_pdq, plain)
        a = np.array(times) * 1000
        print(f"nprobe {nprobe or '-'}: recall {found}/{total} = {found / total:.4f}, through a derived hash {through}; "
              f"PDQ stage a query file p50 {np.percentile(a, 50):.3f} ms p99 {np.percentile(a, 99):.3f} ms "
              f"(CPU {1000 * stage_cpu / len(a):.2f} ms a query); "
              f"match_pdq p50 {np.percentile(b, 50):.3f} ms p99 {np.percentile(b, 99):.3f} ms "
              f"(CPU {1000 * lookup_cpu / len(b):.3f} ms a lookup) "
              f"({len(plain)} lookups); load {load()}", flush=True)
        print("  " + "; ".join(per_label), flush=True)
    print(f"total {time.perf_counter() - started:.0f} s wall / {cpu_s() - cpu:.0f} s CPU", flush=True)


def timed(lookup: Callable[[Any], object], values: list[Any]) -> tuple[np.ndarray, float]:
    """Wall milliseconds of each lookup, and the CPU seconds of them all."""
    walls, cpu = [], cpu_s()
    for value in values:
        t0 = time.perf_counter()
        lookup(value)
        walls.append(time.perf_counter() - t0)
    return np.array(walls) * 1000, cpu_s() - cpu


def rss_mib() -> tuple[float, float]:
    """Resident and peak resident memory of this process, MiB."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def synthetic(home: Path, pictures: int, nprobes: list[int], seed: int, exact_sample: int) -> None:
    import sqlite3

    from redline.media.index import DERIVED_IVF_FROM, DERIVED_NPROBE, MIH_MIN_ROWS, BinaryIndex, _flat_derived, hex_to_codes
    from redline.media.ivf import IVFIndex

    queries: dict[str, list[Any]] = json.loads((home / "queries.json").read_text())
    with sqlite3.connect(f"file:{home / 'redline.db'}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT s.id, s.value, d.parent_id FROM media_signals s JOIN media_banks b ON b.id = s.bank_id "
                            "LEFT JOIN media_signal_derived d ON d.signal_id = s.id "
                            "WHERE b.name = 'real' AND s.signal_type = 'pdq' ORDER BY s.id").fetchall()
    value = {i: v for i, v, _ in rows}
    parent_of = {i: value[p] for i, _, p in rows if p is not None}  # derived id -> its picture's own hash
    own_rows = [(i, v) for i, v, p in rows if p is None]
    der_rows = [(i, v) for i, v, p in rows if p is not None]
    real = len(own_rows)
    fill = max(0, pictures - real)
    start_rss = rss_mib()
    started, cpu = time.perf_counter(), cpu_s()
    rng = np.random.default_rng(seed)
    filler_own = rng.integers(0, 256, size=(fill, 32), dtype=np.uint8)
    filler_windows = np.empty((fill * FILLER_WINDOWS, 32), dtype=np.uint8)
    for at in range(0, fill, 5_000):  # each window: every bit flipped with odds p, p drawn for ~60-120 bits
        n = min(5_000, fill - at)
        odds = rng.integers(60, 121, size=(n * FILLER_WINDOWS, 1), dtype=np.uint16)
        mask = np.packbits(rng.integers(0, 256, size=(n * FILLER_WINDOWS, 256), dtype=np.uint16) < odds, axis=1)
        filler_windows[at * FILLER_WINDOWS : (at + n) * FILLER_WINDOWS] = np.repeat(filler_own[at : at + n], FILLER_WINDOWS, axis=0) ^ mask
    made = f"{time.perf_counter() - started:.0f} s wall / {cpu_s() - cpu:.0f} s CPU"
    base_id = 10**8
    own_ids = np.concatenate([np.array([i for i, _ in own_rows], np.int64), base_id + np.arange(fill, dtype=np.int64)])
    own_codes = np.concatenate([hex_to_codes([v for _, v in own_rows]), filler_own])
    der_ids = np.concatenate([np.array([i for i, _ in der_rows], np.int64),
                              2 * base_id + np.arange(fill * FILLER_WINDOWS, dtype=np.int64)])
    der_codes = np.concatenate([hex_to_codes([v for _, v in der_rows]), filler_windows])
    del filler_own, filler_windows
    before_rss = rss_mib()
    started, cpu = time.perf_counter(), cpu_s()
    own = BinaryIndex()
    own.add(own_ids, own_codes)
    own_built = f"{time.perf_counter() - started:.1f} s wall / {cpu_s() - cpu:.1f} s CPU"
    started, cpu = time.perf_counter(), cpu_s()
    derived: BinaryIndex | IVFIndex
    if len(der_ids) >= DERIVED_IVF_FROM:
        derived = IVFIndex.build(der_ids, der_codes, nprobe=DERIVED_NPROBE)
    else:
        derived = _flat_derived()
        derived.add(der_ids, der_codes)
    der_built = f"{time.perf_counter() - started:.1f} s wall / {cpu_s() - cpu:.1f} s CPU"
    del der_codes, own_codes
    after_rss = rss_mib()
    layout = f"{type(derived).__name__}" + (f", {derived.nlist} lists" if isinstance(derived, IVFIndex) else "")
    print(f"{pictures:,} pictures ({real} real, {fill:,} filler): own {own.size:,} hashes in BinaryIndex "
          f"(multi-index from {MIH_MIN_ROWS:,}: {'yes' if own.mih is not None else 'no'}), derived {derived.size:,} in {layout}; "
          f"filler made {made}; built own {own_built}, derived {der_built}; "
          f"memory_bytes own {own.memory_bytes() / 2**20:,.0f} MiB + derived {derived.memory_bytes() / 2**20:,.0f} MiB = "
          f"{(own.memory_bytes() + derived.memory_bytes()) / pictures:,.0f} B a picture; resident {start_rss[0]:,.0f} MiB at "
          f"start, {before_rss[0]:,.0f} with the codes made, {after_rss[0]:,.0f} after the build (peak {after_rss[1]:,.0f}); "
          f"load {load()}", flush=True)

    exact = _flat_derived()  # every real hash, own and derived, scanned flat: the exact answer
    exact.add(np.array([r[0] for r in rows], np.int64), hex_to_codes([r[1] for r in rows]))

    def parents(hits: Any, usable: list[Any]) -> tuple[set[str], set[str]]:
        """The pictures (own hashes) a query file's hits name: all, and those named through an own hash."""
        every, direct = set(), set()
        for hit in hits:
            if hit.distance <= (STRICT if usable[hit.query][3] else THRESHOLD):
                if hit.signal_id in parent_of:
                    every.add(parent_of[hit.signal_id])
                else:
                    name = value.get(hit.signal_id, f"filler-{hit.signal_id}")
                    every.add(name)
                    direct.add(name)
        return every, direct

    files = [(label, parent, [v for v in variants if v[2] >= 50]) for label, rows_ in queries.items()
             for _, parent, variants in rows_]
    files = [f for f in files if f[2]]
    truth = []
    for _, parent, usable in files:
        every, direct = parents(exact.search(hex_to_codes([v[1] for v in usable]), THRESHOLD), usable)
        truth.append((parent in every, parent in every and parent not in direct))
    sample_extra = 0
    if isinstance(derived, IVFIndex) and exact_sample:
        full = BinaryIndex(multi_index_from=sys.maxsize)
        full.add(derived.ids, derived.codes())
        for _, _, usable in files[:exact_sample]:
            got = {h.signal_id for h in full.search(hex_to_codes([v[1] for v in usable]), THRESHOLD)}
            sample_extra += sum(1 for i in got if i >= base_id)
        del full
    found_exact = sum(t[0] for t in truth)
    print(f"exact answer (every real hash flat): {found_exact}/{len(files)} query files find their picture, "
          f"{sum(t[1] for t in truth)} only through a derived hash; a flat scan of all {derived.size:,} derived hashes "
          f"for the first {min(exact_sample, len(files))} files finds {sample_extra} filler hashes within {THRESHOLD}", flush=True)
    for nprobe in nprobes if isinstance(derived, IVFIndex) else [0]:
        if nprobe:
            derived.nprobe = min(nprobe, derived.nlist)
        found = through = lost = 0
        times, own_cpu, der_cpu = [], 0.0, 0.0
        losses: dict[str, int] = {}
        t_all, c_all = time.perf_counter(), cpu_s()
        for (label, parent, usable), (was, _) in zip(files, truth):
            codes = hex_to_codes([v[1] for v in usable])
            t0, c0 = time.perf_counter(), cpu_s()
            hits = own.search(codes, THRESHOLD)
            c1 = cpu_s()
            hits += derived.search(codes, THRESHOLD)
            times.append(time.perf_counter() - t0)
            own_cpu, der_cpu = own_cpu + c1 - c0, der_cpu + cpu_s() - c1
            every, direct = parents(hits, usable)
            got = parent in every
            found, through = found + got, through + (got and parent not in direct)
            if was and not got:
                lost += 1
                losses[label] = losses.get(label, 0) + 1
        wall, total_cpu = time.perf_counter() - t_all, cpu_s() - c_all
        plain = [hex_to_codes([usable[0][1]]) for _, _, usable in files]
        b, lookup_cpu = timed(lambda code: (own.search(code, THRESHOLD), derived.search(code, THRESHOLD)), plain)
        a = np.array(times) * 1000
        print(f"nprobe {nprobe or '-'}: recall {found}/{len(files)} (exact {found_exact}; lost {lost}: "
              f"{', '.join(f'{k} {v}' for k, v in losses.items()) or 'none'}), through a derived hash {through}; "
              f"PDQ stage a query file p50 {np.percentile(a, 50):.1f} ms p99 {np.percentile(a, 99):.1f} ms, CPU "
              f"{1000 * (own_cpu + der_cpu) / len(a):.1f} ms a file (own {1000 * own_cpu / len(a):.2f}, derived "
              f"{1000 * der_cpu / len(a):.1f}; {len(a)} files, {wall:.0f} s wall / {total_cpu:.0f} s CPU); plain-hash lookup "
              f"p50 {np.percentile(b, 50):.2f} ms p99 {np.percentile(b, 99):.2f} ms, CPU {1000 * lookup_cpu / len(b):.2f} ms; "
              f"load {load()}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=("prepare", "measure", "synthetic"))
    parser.add_argument("--home", type=Path, required=True, help="REDLINE_HOME of the benchmark's store")
    parser.add_argument("--pictures", type=int, default=100_000)
    parser.add_argument("--bank-every", type=float, default=0.5, help="seconds between banked video frames")
    parser.add_argument("--query-every", type=float, default=3.0, help="seconds between queried video frames")
    parser.add_argument("--nprobe", default="64", help="derived IVF probes to measure, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--exact-sample", type=int, default=100,
                        help="synthetic: query files checked against a flat scan of every derived hash")
    parser.add_argument("--queries-from", type=Path, help="queries.json of an earlier prepare with the same bank options")
    args = parser.parse_args()
    args.home.mkdir(parents=True, exist_ok=True)
    os.environ["REDLINE_HOME"] = str(args.home)
    os.environ.pop("REDLINE_DB", None)
    if args.step == "synthetic":
        synthetic(args.home, args.pictures, [int(p) for p in args.nprobe.split(",")], args.seed, args.exact_sample)
    elif args.step == "prepare":
        prepare(args.home, args.pictures, args.bank_every, args.query_every, args.seed, args.queries_from)
    else:
        measure(args.home, [int(p) for p in args.nprobe.split(",")])


if __name__ == "__main__":
    sys.exit(main())

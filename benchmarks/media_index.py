"""PDQ match latency, build time and memory: Redline's BinaryIndex (exact multi-index hashing over
faiss IndexBinaryFlat's codes, `redline.media.mih`) vs its flat scan alone (the index before the
multi-index) vs python-threatexchange 1.2.17's PDQIndex (faiss IndexBinaryMultiHash, 16 x 16 bits),
same hashes, same queries, same run; recall checked against numpy brute force.

    .venv/bin/python -m benchmarks.media_index                       # 1 M, random and clustered
    .venv/bin/python -m benchmarks.media_index --size 10000000       # 10 M (~6 GB RAM with pytx)
    PYTHONPATH=/tmp/pytx  # where `pip install --no-deps --target /tmp/pytx threatexchange==1.2.17` put pytx
    .venv/bin/python -m benchmarks.media_index --kinds clustered --no-pytx

Hashes: `random` are uniform; `clustered` are hashes of real pictures (frames of the sample videos
every 0.5 s and the reference stills, each also mirrored, cropped 5-20%, JPEG-30 and quarter size)
used as centres, each centre with variants 0-40 random bits away, as many as the size needs (so a
query near one picture has a crowd of near neighbours, and buckets are uneven: what hurts MIH).
Queries: half are banked hashes with 0-31 random bits flipped (must be found), half unrelated.
Every index runs single-threaded (faiss OpenMP set to 1 thread: on 2 shared cores its workers cost
more than they save; pytx's default of all threads measured 30+ ms a query under load).
"""

from __future__ import annotations

import argparse
import io
import resource
import time

import numpy as np

from redline.media.index import BinaryIndex
from redline.media.signals import PDQ_DEFAULT_THRESHOLD


def cpu_s() -> float:
    """CPU seconds of this process, every thread (wall time on a shared machine tracks its load)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    with open("/proc/loadavg") as handle:
        return handle.read().split()[0]


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def brute(codes64: np.ndarray, query: np.ndarray, threshold: int) -> set[int]:
    distances = np.bitwise_count(codes64 ^ query.view(np.uint64)).sum(axis=1)
    return set(np.flatnonzero(distances <= threshold).tolist())


def percentiles(samples: list[float]) -> str:
    a = np.array(samples) * 1000
    return f"p50 {np.percentile(a, 50):7.3f} ms  p99 {np.percentile(a, 99):7.3f} ms"


def flip(codes: np.ndarray, counts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    out = codes.copy()
    for row, count in zip(out, counts):
        bits = rng.choice(256, int(count), replace=False)
        np.bitwise_xor.at(row, bits // 8, (1 << (bits % 8)).astype(np.uint8))
    return out


def real_hashes() -> np.ndarray:
    """PDQ codes of real pictures and edits of them (see the module doc)."""
    from PIL import Image, ImageOps

    from benchmarks.media_common import load_frames, load_images
    from redline.media.hashing import pdq_of_image
    from redline.media.index import hex_to_codes

    pictures = [img for _, _, img in load_images(512)] + [img for _, _, img in load_frames(0.5, 512)]
    hexes: list[str] = []
    for img in pictures:
        w, h = img.size
        edits = [img, ImageOps.mirror(img), img.resize((max(1, w // 4), max(1, h // 4)))]
        for crop in (0.05, 0.1, 0.2):
            dx, dy = int(w * crop / 2), int(h * crop / 2)
            edits.append(img.crop((dx, dy, w - dx, h - dy)))
        buffer = io.BytesIO()
        img.save(buffer, "JPEG", quality=30)
        edits.append(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"))
        hexes.extend(pdq_of_image(e).hex for e in edits)
    return np.unique(hex_to_codes(hexes), axis=0)


def make_codes(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    if kind == "random":
        return rng.integers(0, 256, size=(n, 32), dtype=np.uint8)
    centres = real_hashes()
    print(f"  {len(centres):,} distinct real hashes as centres, ~{n // len(centres):,} variants each")
    owner = rng.integers(0, len(centres), size=n)
    owner[: len(centres)] = np.arange(len(centres))
    out = np.empty((n, 32), dtype=np.uint8)
    for start in range(0, n, 1 << 20):
        part = slice(start, min(n, start + (1 << 20)))
        out[part] = flip_fast(centres[owner[part]], rng.integers(0, 41, size=part.stop - part.start), rng)
    out[: len(centres)] = centres
    return out


def flip_fast(codes: np.ndarray, counts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Flip `counts[i]` distinct random bits of row i (vectorised: random keys, the smallest k chosen)."""
    keys = rng.random((len(codes), 256), dtype=np.float32)
    order = np.argsort(keys, axis=1)
    chosen = np.arange(256)[None, :] < counts[:, None]
    mask = np.zeros((len(codes), 256), dtype=np.uint8)
    np.put_along_axis(mask, order, chosen.astype(np.uint8), axis=1)
    return codes ^ np.packbits(mask, axis=1)


def run(kind: str, n: int, queries: int, with_pytx: bool, rng: np.random.Generator) -> None:
    import faiss

    faiss.omp_set_num_threads(1)
    print(f"\n## {n:,} {kind} PDQ hashes, {queries} queries, threshold {PDQ_DEFAULT_THRESHOLD}")
    codes = make_codes(kind, n, rng)
    picks = rng.choice(n, queries // 2, replace=False)
    planted = flip(codes[picks], rng.integers(0, 32, size=len(picks)), rng)
    qs = np.concatenate([planted, rng.integers(0, 256, size=(queries - len(planted), 32), dtype=np.uint8)])
    codes64 = codes.view(np.uint64).reshape(n, 4)
    truth = [brute(codes64, q, PDQ_DEFAULT_THRESHOLD) for q in qs]
    print(f"  neighbours within {PDQ_DEFAULT_THRESHOLD} a query: mean {np.mean([len(t) for t in truth]):.1f}, "
          f"max {max(len(t) for t in truth)}")

    def measure(label: str, search, build: str, memory: str) -> float:
        times, recall_ok = [], True
        for q, expected in zip(qs, truth):
            t0 = time.perf_counter()
            found = search(q)
            times.append(time.perf_counter() - t0)
            recall_ok &= found == expected
        print(f"{label:<32}: {percentiles(times)}  exact recall: {recall_ok}  build {build}  {memory}  "
              f"(load {load()})", flush=True)
        return float(np.percentile(times, 50))

    before = rss_mb()
    started, cpu = time.perf_counter(), cpu_s()
    index = BinaryIndex()
    index.add(np.arange(n), codes)
    build = f"{time.perf_counter() - started:5.1f} s wall / {cpu_s() - cpu:5.1f} s CPU"
    grown = rss_mb() - before
    p50 = measure("redline BinaryIndex (MIH)", lambda q: {h.signal_id for h in index.search(q[None, :])},
                  build, f"{index.memory_bytes() / n:.1f} B/hash (RSS +{grown * 2**20 / n:.1f} B/hash)")
    mih = index.mih
    index.mih = None  # the same index answering by its flat scan: the index before the multi-index
    flat = measure("redline flat scan (before)", lambda q: {h.signal_id for h in index.search(q[None, :])},
                   "-", f"{(index.memory_bytes()) / n:.1f} B/hash")
    index.mih = mih
    print(f"  multi-index: {mih.tables} tables of {mih.bits} bits" if mih else "  no multi-index")
    print(f"  → MIH {flat / p50:.1f}× faster than the flat scan at p50")
    appends = []
    for k in range(10):  # one hash at a time, each then found: what a live bank add costs
        new = rng.integers(0, 256, size=(1, 32), dtype=np.uint8)
        t0 = time.perf_counter()
        index.add(np.array([n + k]), new)
        found = [h.signal_id for h in index.search(new, 0)]
        appends.append(time.perf_counter() - t0)
        assert found == [n + k], found
    print(f"  append one hash and find it: first {appends[0] * 1000:.2f} ms, median of 10 "
          f"{np.median(appends) * 1000:.2f} ms, max {max(appends) * 1000:.2f} ms")
    del index, mih
    if not with_pytx:
        return
    from threatexchange.signal_type.pdq.pdq_index import PDQIndex

    hexes = [c.tobytes().hex() for c in codes]
    before = rss_mb()
    started, cpu = time.perf_counter(), cpu_s()
    print(f"  pytx PDQIndex build starts {time.strftime('%H:%M:%S', time.gmtime())} UTC, RSS {before:,.0f} MB "
          f"(load {load()})", flush=True)
    pytx = PDQIndex(entries=((h, i) for i, h in enumerate(hexes)))
    build = f"{time.perf_counter() - started:5.1f} s wall / {cpu_s() - cpu:5.1f} s CPU"
    grown = rss_mb() - before
    pytx_p50 = measure("pytx PDQIndex (faiss MIH)", lambda q: {m.metadata for m in pytx.query(q.tobytes().hex())},
                       build, f"RSS +{grown * 2**20 / n:.1f} B/hash")
    print(f"  → redline {pytx_p50 / p50:.1f}× faster than pytx at p50")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--kinds", default="random,clustered")
    parser.add_argument("--no-pytx", action="store_true")
    args = parser.parse_args()
    import faiss

    print(f"faiss {faiss.__version__}, searches single-threaded; load {load()}")
    for kind in args.kinds.split(","):
        run(kind, args.size, args.queries, with_pytx=not args.no_pytx, rng=np.random.default_rng(1))
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GB; load {load()}")


if __name__ == "__main__":
    main()

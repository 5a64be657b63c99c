"""PDQ hashing throughput on 1–2 MP JPEGs: Redline (≤512 px preprocessing, DCT-scaled JPEG decode,
process pool) vs the naive baseline (decode at full size, hash unresized, one process — what
python-threatexchange's pdq_hasher does), same files, same run.

    .venv/bin/python -m benchmarks.media_hashing [--count 200] [--workers 2]

Test images: reference stills and sample-video frames from REDLINE_DATA, resized to 1600 px wide
(1.0–1.6 MP) and saved as JPEG q90 in a temporary folder (never in the repository).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from benchmarks.media_common import load_frames, load_images
from redline.media.hashing import pdq_files
from redline.media.signals import hamming_hex


def naive_pdq(path: str) -> str:
    import pdqhash

    array = np.asarray(Image.open(path).convert("RGB"))
    bits, _ = pdqhash.compute(array)
    return np.packbits(bits.astype(np.uint8)).tobytes().hex()


def make_corpus(folder: Path, count: int) -> list[str]:
    sources = [im for _, _, im in load_images(max_side=2048)] + [im for _, _, im in load_frames(0.5, max_side=1920)]
    paths = []
    for i in range(count):
        image = sources[i % len(sources)]
        width = 1600
        height = max(600, round(image.height * width / image.width))
        resized = image.resize((width, min(height, 1000 + (i % 3) * 100)), Image.Resampling.BILINEAR)
        if i >= len(sources):  # vary pixels so repeats are distinct files
            resized = resized.rotate(180) if (i // len(sources)) % 2 else resized.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        path = folder / f"img{i:05d}.jpg"
        resized.save(path, quality=90)
        paths.append(str(path))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_corpus(Path(tmp), args.count)
        megapixels = np.mean([Image.open(p).width * Image.open(p).height for p in paths]) / 1e6
        print(f"{len(paths)} JPEGs, mean {megapixels:.2f} MP, {args.workers} workers, {os.cpu_count()} CPUs")

        started = time.perf_counter()
        baseline = [naive_pdq(p) for p in paths]
        t_base = time.perf_counter() - started

        started = time.perf_counter()
        single = pdq_files(paths, workers=1)
        t_single = time.perf_counter() - started

        started = time.perf_counter()
        pooled = pdq_files(paths, workers=args.workers)
        t_pool = time.perf_counter() - started

        assert all(r[3] is None for r in pooled), [r[3] for r in pooled if r[3]]
        distances = [hamming_hex(b, r[1]) for b, r in zip(baseline, pooled)]
        n = len(paths)
        print(f"baseline naive unresized, 1 process : {n / t_base:7.1f} images/s")
        print(f"redline ≤512 px preprocessing, 1 process: {n / t_single:7.1f} images/s ({t_base / t_single:.1f}× baseline)")
        print(f"redline, process pool of {args.workers}      : {n / t_pool:7.1f} images/s ({t_base / t_pool:.1f}× baseline)")
        print(f"agreement with the naive hash: median {np.median(distances):.0f} bits, max {max(distances)} bits, "
              f"{np.mean(np.array(distances) <= 31):.1%} within 31")


if __name__ == "__main__":
    main()

"""Recall per transformation, false matches on distinct pairs, and the cost of each way of matching.

    .venv/bin/python -m benchmarks.media_robustness [--frames-every 0.5] [--previous 5d65154]

Four ways of matching run on the same images in the same run:

* plain PDQ: the query's hash at distance ≤ 31 against the plain hash of each original;
* previous: Redline's robust query as it was at commit `--previous` (redline/media/robust.py read
  from git: 8 orientations, bars trimmed, 5 crop windows) against what its `bank add` stored (plain +
  bar-trimmed hash);
* now, hash-only bank: today's `query_hashes` against the plain hash of each original only — what
  a bank imported as a hash list holds;
* now, bank from files: today's `query_hashes` against what `bank add` stores today (`bank_hashes`:
  plain, bar-trimmed, and the fixed windows, as derived hashes).

Thresholds are the Matcher's: 31 for the plain query hash against a plain (or bar-trimmed) bank
hash, 24 when the query variant or the bank's derived hash is anything else.

Originals: the reference stills and frames (one every 3 s) of the sample videos in REDLINE_DATA,
PDQ quality ≥ 50 (the Matcher never matches below). False matches: every still and decoded frame
(one every `--frames-every` s) queried against a bank of every other item of a *different* source
(frames of one video, or files showing one scene, are one source), the bank built the same way as
for recall. Cost: milliseconds per image to compute the query hashes and the bank hashes, and the
time of one query's index scan against 1 M random banked hashes, each way of matching in this run.
"""

from __future__ import annotations

import argparse
import io
import random
import subprocess
import sys
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np
from PIL import Image, ImageDraw

from benchmarks.media_common import load_frames, load_images
from redline.media import robust
from redline.media.hashing import pdq_of_image, shrink
from redline.media.index import BinaryIndex, hex_to_codes
from redline.media.matcher import DEFAULT_STRICT_THRESHOLD
from redline.media.signals import PDQ_DEFAULT_THRESHOLD

NEAR = 48  # bits: how close unrelated pictures come, whatever the thresholds
PREVIOUS_COMMIT = "5d65154"  # the robust query measured in the earlier docs/benchmarks-media.md
RNG = random.Random(20261123)


def jpeg(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def resize(image: Image.Image, factor: float) -> Image.Image:
    return image.resize((max(8, round(image.width * factor)), max(8, round(image.height * factor))), Image.Resampling.BILINEAR)


def crop(image: Image.Image, fraction: float) -> Image.Image:
    """Remove `fraction` of the width and of the height, split at random between the two sides."""
    w, h = image.size
    dx, dy = round(w * fraction), round(h * fraction)
    left, top = RNG.randint(0, dx), RNG.randint(0, dy)
    return image.crop((left, top, w - (dx - left), h - (dy - top)))


def centre_crop(image: Image.Image, fraction: float) -> Image.Image:
    """Remove `fraction` of the width and of the height, half on each side (a zoom)."""
    w, h = image.size
    dx, dy = round(w * fraction / 2), round(h * fraction / 2)
    return image.crop((dx, dy, w - dx, h - dy))


def crop_bottom(image: Image.Image, fraction: float) -> Image.Image:
    w, h = image.size
    return image.crop((0, 0, w, round(h * (1 - fraction))))


def letterbox(image: Image.Image) -> Image.Image:
    """Fit into a 16:9 frame if portrait-ish, else a 4:5 frame: black bars either way."""
    w, h = image.size
    if w / h < 16 / 9 - 0.05:
        canvas = Image.new("RGB", (round(h * 16 / 9), h), (0, 0, 0))
        canvas.paste(image, ((canvas.width - w) // 2, 0))
    else:
        canvas = Image.new("RGB", (w, round(w * 5 / 4)), (0, 0, 0))
        canvas.paste(image, (0, (canvas.height - h) // 2))
    return canvas


def rotate(image: Image.Image, degrees: float, expand: bool = False) -> Image.Image:
    if degrees % 90 == 0:
        return image.rotate(degrees, expand=True)
    return image.rotate(degrees, resample=Image.Resampling.BILINEAR, expand=expand)


def mirror(image: Image.Image) -> Image.Image:
    return image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)


def caption_added(image: Image.Image) -> Image.Image:
    """A white caption strip a quarter of the height added above the picture (meme style)."""
    w, h = image.size
    bar = round(h * 0.25)
    canvas = Image.new("RGB", (w, h + bar), (255, 255, 255))
    canvas.paste(image, (0, bar))
    draw = ImageDraw.Draw(canvas)
    for i in range(3):
        draw.text((10, 5 + i * bar // 3), "WHEN THE CAPTION COVERS A QUARTER " * 2, fill=(0, 0, 0))
    return canvas


def caption_overlay(image: Image.Image, fraction: float = 0.25, where: str = "bottom") -> Image.Image:
    """A dark caption bar drawn over the bottom (or top) `fraction` of the picture."""
    out = image.copy()
    w, h = out.size
    draw = ImageDraw.Draw(out)
    top, bottom = (round(h * (1 - fraction)), h) if where == "bottom" else (0, round(h * fraction))
    draw.rectangle((0, top, w, bottom), fill=(20, 20, 20))
    draw.text((10, top + round(h * fraction * 0.2)), "BREAKING NEWS TICKER TEXT " * 3, fill=(255, 255, 255))
    return out


def logo(image: Image.Image, fraction: float = 0.18, corner: str = "top_right") -> Image.Image:
    """A round station logo `fraction` of the short side across, 8 px from a corner (or centred)."""
    out = image.copy()
    w, h = out.size
    size = max(8, round(min(w, h) * fraction))
    if corner == "centre":
        x, y = (w - size) // 2, (h - size) // 2
    else:
        x = 8 if "left" in corner else w - size - 8
        y = 8 if "top" in corner else h - size - 8
    draw = ImageDraw.Draw(out)
    draw.ellipse((x, y, x + size, y + size), fill=(230, 30, 30), outline=(255, 255, 255), width=3)
    draw.text((x + size // 4, y + size // 3), "TV", fill=(255, 255, 255))
    return out


# the transformations of issue 4, in its order
TRANSFORMS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "none": lambda im: im,
    "jpeg_q30": lambda im: jpeg(im, 30),
    "resize_25%": lambda im: resize(im, 0.25),
    "crop_5%": lambda im: crop(im, 0.05),
    "crop_10%": lambda im: crop(im, 0.10),
    "crop_20%": lambda im: crop(im, 0.20),
    "letterbox": letterbox,
    "rotate_90": lambda im: rotate(im, 90),
    "rotate_2": lambda im: rotate(im, 2),
    "mirror": mirror,
    "caption_bar_added_25%": caption_added,
    "caption_bar_over_25%": caption_overlay,
    "logo_overlay": logo,
    "mirror+jpeg_q30+resize_50%": lambda im: jpeg(resize(mirror(im), 0.5), 30),
    "rotate_90+letterbox": lambda im: letterbox(rotate(im, 90)),
    "caption_added+jpeg_q50": lambda im: jpeg(caption_added(im), 50),
    "letterbox+logo+jpeg_q50": lambda im: jpeg(logo(letterbox(im)), 50),
}
# the same kinds of change with other sizes and places than the ones the windows were chosen for
MORE_TRANSFORMS: dict[str, Callable[[Image.Image], Image.Image]] = {
    **{f"rotate_{a:g}": (lambda a: lambda im: rotate(im, a))(a) for a in (0.5, 1, 1.5, 2.5, 3, 4, 5, -2, -3)},
    "rotate_2_expanded_canvas": lambda im: rotate(im, 2, expand=True),
    "rotate_2+jpeg_q50": lambda im: jpeg(rotate(im, 2), 50),
    "centre_crop_10%": lambda im: centre_crop(im, 0.10),
    "centre_crop_20%": lambda im: centre_crop(im, 0.20),
    "centre_crop_15%": lambda im: centre_crop(im, 0.15),
    "crop_bottom_10%": lambda im: crop_bottom(im, 0.10),
    "crop_bottom_15%": lambda im: crop_bottom(im, 0.15),
    "caption_over_15%": lambda im: caption_overlay(im, 0.15),
    "caption_over_33%": lambda im: caption_overlay(im, 0.33),
    "caption_over_40%": lambda im: caption_overlay(im, 0.40),
    "caption_over_top_20%": lambda im: caption_overlay(im, 0.20, "top"),
    "logo_bottom_left": lambda im: logo(im, 0.18, "bottom_left"),
    "logo_25%_top_left": lambda im: logo(im, 0.25, "top_left"),
    "logo_centre": lambda im: logo(im, 0.18, "centre"),
    "caption_over_25%+jpeg_q50": lambda im: jpeg(caption_overlay(im), 50),
}


# --- ways of matching -----------------------------------------------------------------------------


@dataclass
class Way:
    name: str
    bank: Callable[[Image.Image], list[robust.QueryHash]]  # plain hash first, derived hashes after
    query: Callable[[Image.Image], list[robust.QueryHash]]  # plain hash first, variants after


def _plain(image: Image.Image) -> list[robust.QueryHash]:
    pdq = pdq_of_image(image)
    return [robust.QueryHash("original", pdq.hex, pdq.quality, False)]


def previous_robust(commit: str) -> types.ModuleType | None:
    """redline/media/robust.py as it was at `commit`, loaded from git (None when git cannot give it)."""
    try:
        source = subprocess.run(["git", "show", f"{commit}:redline/media/robust.py"], capture_output=True, text=True,
                                check=True, cwd=Path(__file__).resolve().parent.parent).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("robust_previous")
    sys.modules["robust_previous"] = module  # dataclasses look their module up
    exec(compile(source, f"{commit}:redline/media/robust.py", "exec"), module.__dict__)  # noqa: S102
    return module


def ways(previous: types.ModuleType | None) -> list[Way]:
    out = [Way("plain PDQ", _plain, _plain)]
    if previous is not None:
        out.append(Way("previous robust", previous.bank_hashes, previous.query_hashes))
    out.append(Way("now, hash-only bank", _plain, robust.query_hashes))
    out.append(Way("now, bank from files", robust.bank_hashes, robust.query_hashes))
    return out


def shrunk(image: Image.Image) -> Image.Image:
    small = image.copy()
    shrink(small)
    return small


class Bank:
    def __init__(self, way: Way, images: list[Image.Image]) -> None:
        ids, codes = [], []
        self.owner: list[int] = []
        self.derived: list[str | None] = []
        for i, image in enumerate(images):
            for k, h in enumerate(way.bank(shrunk(image))):
                ids.append(len(codes))
                codes.append(h.pdq)
                self.owner.append(i)
                self.derived.append(None if k == 0 else h.variant)
        self.index = BinaryIndex()
        self.index.add(np.array(ids), hex_to_codes(codes))
        self.size = len(codes)

    def hits(self, queries: list[robust.QueryHash], near: dict[int, int] | None = None) -> dict[int, int]:
        """owner → best distance, with the Matcher's threshold rule; `near` (if given) also gets owner →
        closest distance of any query variant to any of its hashes, up to NEAR bits, thresholds aside."""
        queries = [q for q in queries if q.quality >= 50 or q.variant == "original"]
        found: dict[int, int] = {}
        radius = NEAR if near is not None else PDQ_DEFAULT_THRESHOLD
        for h in self.index.search(hex_to_codes([q.pdq for q in queries]), radius):
            owner = self.owner[h.signal_id]
            if near is not None:
                near[owner] = min(h.distance, near.get(owner, 999))
            derived = self.derived[h.signal_id]
            strict = queries[h.query].strict or robust.bank_variant_is_strict(derived)
            if h.distance <= (DEFAULT_STRICT_THRESHOLD if strict else PDQ_DEFAULT_THRESHOLD):
                found[owner] = min(h.distance, found.get(owner, 999))
        return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames-every", type=float, default=0.5, help="seconds between decoded frames (false-match set)")
    parser.add_argument("--originals-every", type=float, default=3.0, help="seconds between video frames used as originals")
    parser.add_argument("--previous", default=PREVIOUS_COMMIT, help="git commit of the previous robust.py")
    parser.add_argument("--scan-size", type=int, default=1_000_000, help="random hashes for the index-scan cost")
    args = parser.parse_args()
    started = time.perf_counter()
    all_ways = ways(previous_robust(args.previous))
    if len(all_ways) < 4:
        print(f"(git could not give redline/media/robust.py at {args.previous}: no 'previous' column)")

    candidates = load_images() + load_frames(args.originals_every)
    originals = [item for item in candidates if pdq_of_image(shrunk(item[2])).quality >= 50]
    n_stills = sum(1 for o in originals if "@" not in o[1])
    n = len(originals)
    print(f"originals: {n} ({n_stills} stills, {n - n_stills} video frames; "
          f"{len(candidates) - n} left out for quality < 50)")
    banks = {w.name: Bank(w, [o[2] for o in originals]) for w in all_ways}
    print("bank hashes: " + ", ".join(f"{name} {b.size}" for name, b in banks.items()))

    header = "| transformation | " + " | ".join(w.name for w in all_ways) + " |"
    rule = "|---|" + "---|" * len(all_ways)
    for title, table in (("issue 4's transformations", TRANSFORMS), ("other sizes and places", MORE_TRANSFORMS)):
        print(f"\n{title}\n\n{header}\n{rule}")
        for name, transform in table.items():
            counts = {w.name: 0 for w in all_ways}
            for i, (_, _, image) in enumerate(originals):
                query = shrunk(transform(image))
                hashed: dict[Callable, list[robust.QueryHash]] = {}  # ways that query alike hash once
                for w in all_ways:
                    if w.query not in hashed:
                        hashed[w.query] = w.query(query)
                    counts[w.name] += i in banks[w.name].hits(hashed[w.query])
            print(f"| {name} | " + " | ".join(f"{c / n:.1%} ({c}/{n})" for c in counts.values()) + " |", flush=True)

    # false matches: every item against a bank of every item, counting pairs of different sources
    negatives = load_images() + load_frames(args.frames_every)
    groups = [g for g, _, _ in negatives]
    pairs = sum(1 for a in groups for b in groups if a != b)
    print(f"\nfalse matches over {pairs:,} ordered pairs of distinct sources ({len(negatives)} items, "
          f"frames every {args.frames_every} s)\n")
    print(f"| way | bank hashes | false matches | rate | closest distinct pair (bits) | distinct pairs within {NEAR} bits |")
    print("|---|---|---|---|---|---|")
    for w in all_ways:
        bank = Bank(w, [im for _, _, im in negatives])
        false = close = 0
        closest: int | None = None
        examples = []
        for i, (group, name, image) in enumerate(negatives):
            near: dict[int, int] = {}
            for j, d in bank.hits(w.query(shrunk(image)), near).items():
                if groups[j] != group:
                    false += 1
                    examples.append(f"{name} ~ {negatives[j][1]} ({d} bits)")
            for j, d in near.items():
                if groups[j] != group:
                    close += 1
                    closest = d if closest is None else min(closest, d)
        print(f"| {w.name} | {bank.size} | {false} | {false / pairs:.1e} | {closest if closest is not None else f'> {NEAR}'} "
              f"| {close} |" + (f"  e.g. {examples[:3]}" if examples else ""), flush=True)

    # cost: hashing a query and banking a picture (one core), and one query's scan of 1 M hashes
    sample = [shrunk(im) for _, _, im in load_images()]
    rng = np.random.default_rng(7)
    big = BinaryIndex()
    big.add(np.arange(args.scan_size), rng.integers(0, 256, size=(args.scan_size, 32), dtype=np.uint8))
    print(f"\ncost per image ({len(sample)} stills ≤ 512 px, one core; scan: one query's variants against "
          f"{args.scan_size:,} random hashes)\n")
    print("| way | query hashes | query hashing | images/s | bank hashes | bank hashing | index scan per query "
          "(`BinaryIndex.search`) | same, one thread |")
    print("|---|---|---|---|---|---|---|---|")
    for w in all_ways:
        t0 = time.perf_counter()
        queries = [w.query(im) for im in sample * 3]
        query_ms = (time.perf_counter() - t0) * 1000 / (3 * len(sample))
        t0 = time.perf_counter()
        stored = [w.bank(im) for im in sample * 3]
        bank_ms = (time.perf_counter() - t0) * 1000 / (3 * len(sample))
        scans, single = [], []
        for q in queries[: len(sample)]:
            codes = hex_to_codes([h.pdq for h in q if h.quality >= 50 or h.variant == "original"])
            t0 = time.perf_counter()
            big.search(codes, PDQ_DEFAULT_THRESHOLD)
            scans.append((time.perf_counter() - t0) * 1000)
            faiss.omp_set_num_threads(1)
            t0 = time.perf_counter()
            big.faiss.range_search(codes, PDQ_DEFAULT_THRESHOLD + 1)
            single.append((time.perf_counter() - t0) * 1000)
        print(f"| {w.name} | {np.mean([len(q) for q in queries]):.1f} | {query_ms:.1f} ms | {1000 / query_ms:.0f} | "
              f"{np.mean([len(s) for s in stored]):.1f} | {bank_ms:.1f} ms | {np.median(scans):.1f} ms "
              f"| {np.median(single):.1f} ms |", flush=True)
    print(f"\nelapsed {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

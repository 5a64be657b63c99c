"""Recall per transformation, plain PDQ vs Redline's robust query, and false matches on distinct pairs.

    .venv/bin/python -m benchmarks.media_robustness [--frames-every 1.0]

Originals: the reference stills and frames (one every 3 s) of the sample videos in REDLINE_DATA.
Plain PDQ = the query's hash at distance ≤ 31. Robust = `redline.media.robust.query_hashes` with the
Matcher's thresholds (31 for the plain hash, 24 for every variant). Both run on the same images
in the same run. False matches: every image and decoded frame queried against every other item of
a *different* source (frames of one video, or files showing one scene, are one source).
"""

from __future__ import annotations

import argparse
import io
import random
import time
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw

from benchmarks.media_common import load_frames, load_images
from redline.media.hashing import pdq_of_image, shrink
from redline.media.index import BinaryIndex, hex_to_codes
from redline.media.matcher import DEFAULT_STRICT_THRESHOLD
from redline.media.robust import bank_hashes, query_hashes
from redline.media.signals import PDQ_DEFAULT_THRESHOLD

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


def rotate(image: Image.Image, degrees: float) -> Image.Image:
    if degrees % 90 == 0:
        return image.rotate(degrees, expand=True)
    return image.rotate(degrees, resample=Image.Resampling.BILINEAR, expand=False)


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


def caption_overlay(image: Image.Image) -> Image.Image:
    """A dark caption bar drawn over the bottom quarter of the picture."""
    out = image.copy()
    w, h = out.size
    draw = ImageDraw.Draw(out)
    draw.rectangle((0, round(h * 0.75), w, h), fill=(20, 20, 20))
    draw.text((10, round(h * 0.8)), "BREAKING NEWS TICKER TEXT " * 3, fill=(255, 255, 255))
    return out


def logo(image: Image.Image) -> Image.Image:
    out = image.copy()
    w, h = out.size
    size = max(8, round(min(w, h) * 0.18))
    draw = ImageDraw.Draw(out)
    draw.ellipse((w - size - 8, 8, w - 8, 8 + size), fill=(230, 30, 30), outline=(255, 255, 255), width=3)
    draw.text((w - size, 8 + size // 3), "TV", fill=(255, 255, 255))
    return out


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


def plain_hits(index: BinaryIndex, image: Image.Image) -> set[int]:
    small = image.copy()
    shrink(small)
    pdq = pdq_of_image(small)
    return {h.signal_id for h in index.search(hex_to_codes([pdq.hex]), PDQ_DEFAULT_THRESHOLD)}


def robust_hits(index: BinaryIndex, image: Image.Image) -> set[int]:
    small = image.copy()
    shrink(small)
    queries = [q for q in query_hashes(small) if q.quality >= 50 or q.variant == "original"]
    found = set()
    for h in index.search(hex_to_codes([q.pdq for q in queries]), PDQ_DEFAULT_THRESHOLD):
        if h.distance <= (DEFAULT_STRICT_THRESHOLD if queries[h.query].strict else PDQ_DEFAULT_THRESHOLD):
            found.add(h.signal_id)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames-every", type=float, default=1.0, help="seconds between decoded frames (false-match set)")
    parser.add_argument("--originals-every", type=float, default=3.0, help="seconds between video frames used as originals")
    args = parser.parse_args()
    started = time.perf_counter()

    stills = load_images()
    candidates = stills + load_frames(args.originals_every)
    # the Matcher never matches PDQ below quality 50 (flat or blank pictures): leave those out
    originals = []
    ids, codes = [], []
    for item in candidates:
        small = item[2].copy()
        shrink(small)
        stored = bank_hashes(small)  # what `redline media bank add` stores: plain + bars trimmed
        if stored[0].quality < 50:
            continue
        for h in stored:
            ids.append(len(originals))
            codes.append(h.pdq)
        originals.append(item)
    bank = BinaryIndex()
    bank.add(np.array(ids), hex_to_codes(codes))
    n_stills = sum(1 for o in originals if "@" not in o[1])
    print(f"originals: {len(originals)} ({n_stills} stills, {len(originals) - n_stills} video frames; "
          f"{len(candidates) - len(originals)} left out for quality < 50); {len(codes)} bank hashes")

    print("\n| transformation | plain PDQ recall | Redline robust recall | ratio |")
    print("|---|---|---|---|")
    rows = []
    for name, transform in TRANSFORMS.items():
        plain = robust = 0
        for i, (_, _, image) in enumerate(originals):
            query = transform(image)
            plain += i in plain_hits(bank, query)
            robust += i in robust_hits(bank, query)
        n = len(originals)
        ratio = f"{robust / plain:.2f}×" if plain else ("∞" if robust else "–")
        rows.append((name, plain / n, robust / n))
        print(f"| {name} | {plain / n:.1%} ({plain}/{n}) | {robust / n:.1%} ({robust}/{n}) | {ratio} |")

    # false matches: every query item vs every bank item of another source
    negatives = stills + load_frames(args.frames_every)
    everything = BinaryIndex()
    hashes = []
    for _, _, image in negatives:
        small = image.copy()
        shrink(small)
        hashes.append(pdq_of_image(small).hex)
    everything.add(np.arange(len(negatives)), hex_to_codes(hashes))
    neg_groups = [g for g, _, _ in negatives]
    pairs = sum(1 for a in neg_groups for b in neg_groups if a != b)
    plain_false = robust_false = 0
    for i, (group, _, image) in enumerate(negatives):
        plain_false += sum(1 for j in plain_hits(everything, image) if neg_groups[j] != group)
        robust_false += sum(1 for j in robust_hits(everything, image) if neg_groups[j] != group)
    print(f"\nfalse matches over {pairs:,} ordered pairs of distinct sources ({len(negatives)} items): "
          f"plain PDQ {plain_false} ({plain_false / pairs:.2e}), robust {robust_false} ({robust_false / pairs:.2e})")
    print(f"elapsed {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

"""Issue 16: recall per manipulation, false matches and cost of the keypoint stage beside PDQ.

    PYTHONPATH=. .venv/bin/python -m benchmarks.media_keypoints [--scale 1000000] [--generated 150]
        [--frames-every 1] [--pdq-false] [--skip recall,false,cost]

Three ways of matching, same pictures, same run:

* plain PDQ: the query's hash at distance ≤ 31 against the plain hash of each original;
* PDQ robust (start): `robust.query_hashes` against what `bank add` stored at the start of this work
  (`robust.bank_hashes`: plain, bar-trimmed, windows) with the Matcher's 31/24 thresholds. robust.py's
  hashing is unchanged since 525becb, the commit this work started from; only hashing.py's alpha
  conversion changed, and no picture here has an alpha channel, so this *is* the start-of-work code;
* new: PDQ robust, then (when it found nothing, as the Matcher does) the keypoint stage: every
  original's keypoints filed in one `KeypointIndex`, the query's shortlist verified (keypoints.py).

Picture sets. Tuning (thresholds were chosen looking at these): the reference stills and frames of
the ThreatExchange sample videos (one every 3 s). Held out (never looked at while tuning): frames of
`c2pa/video1.mp4` (one every second) and pictures generated here with a seed the tuning never used.

False matches: every picture of a pool (stills, frames of every sample video every second, the
held-out frames and generated pictures) queried, unmodified and mirrored, against a bank of all the
others; a match to a picture of another source counts as false. Pairs = queries × other-source items.

Cost: ms per query and per banked picture; the coarse index's shortlist time at 10 k, 100 k and 1 M
banked pictures. The big banks are synthetic: each item's index keys are drawn from the keys of
real ORB descriptors of the pool (so popular keys stay popular), plus the real originals.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from benchmarks.media_common import load_frames, load_images, media_dir
from benchmarks.media_robustness import Bank, Way, _plain, caption_overlay, crop, jpeg, logo, mirror, resize, rotate, shrunk
from redline.media import keypoints as kp
from redline.media import robust
from redline.media.hashing import sample_frames, shrink
from redline.media.index import BinaryIndex, hex_to_codes

RNG = random.Random(20261203)

MANIPULATIONS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "crop_5%": lambda im: crop(im, 0.05),
    "crop_10%": lambda im: crop(im, 0.10),
    "crop_20%": lambda im: crop(im, 0.20),
    "combined (mirror+crop 8%+logo+jpeg 30)": lambda im: jpeg(logo(crop(mirror(im), 0.08)), 30),
    "jpeg_q30": lambda im: jpeg(im, 30),
    "quarter_size": lambda im: resize(im, 0.25),
    "rotate_2": lambda im: rotate(im, 2),
    "rotate_5": lambda im: rotate(im, 5),
    "rotate_10": lambda im: rotate(im, 10),
    "overlay_15%": lambda im: caption_overlay(im, 0.15),
    "overlay_25%": lambda im: caption_overlay(im, 0.25),
    "overlay_40%": lambda im: caption_overlay(im, 0.40),
    "logo_centre": lambda im: logo(im, 0.18, "centre"),
}


def generated(count: int, seed: int) -> list[tuple[str, str, Image.Image]]:
    """Pictures drawn here: a gradient, shapes, lines, text and a little noise, 512 × 384."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        image = Image.linear_gradient("L").resize((512, 384)).convert("RGB")
        tint = Image.new("RGB", image.size, tuple(rng.randrange(256) for _ in range(3)))
        image = Image.blend(image, tint, 0.6)
        draw = ImageDraw.Draw(image)
        for _ in range(rng.randint(15, 40)):
            x, y = rng.randrange(512), rng.randrange(384)
            w, h = rng.randint(10, 160), rng.randint(10, 160)
            colour = tuple(rng.randrange(256) for _ in range(3))
            kind = rng.random()
            if kind < 0.35:
                draw.ellipse((x, y, x + w, y + h), fill=colour)
            elif kind < 0.7:
                draw.rectangle((x, y, x + w, y + h), fill=colour)
            elif kind < 0.9:
                draw.polygon([(rng.randrange(512), rng.randrange(384)) for _ in range(rng.randint(3, 6))], fill=colour)
            else:
                draw.line((x, y, x + w, y + h), fill=colour, width=rng.randint(1, 6))
        for _ in range(3):
            draw.text((rng.randrange(400), rng.randrange(360)), f"GEN {seed}-{n} " * 2, fill=(0, 0, 0))
        noise = np.asarray(image, np.int16) + np.random.default_rng(seed * 1000 + n).integers(-6, 7, (384, 512, 3))
        image = Image.fromarray(np.clip(noise, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
        out.append((f"generated-{seed}-{n}", f"generated-{seed}-{n}", image))
    return out


def heldout_frames(every: float) -> list[tuple[str, str, Image.Image]]:
    out = []
    for ts, image in sample_frames(media_dir() / "c2pa/video1.mp4", every):
        shrink(image, 640)
        out.append(("c2pa-video1", f"video1@{ts:.1f}", image))
    return out


class KeypointBank:
    def __init__(self, images: list[Image.Image]) -> None:
        self.items = [kp.extract(shrunk(im)) for im in images]
        self.index = kp.KeypointIndex()
        for i, item in enumerate(self.items):
            self.index.add(i, item.descriptors)

    def hits(self, query: Image.Image) -> dict[int, int]:
        found: dict[int, int] = {}
        for _, q in kp.query_sets(shrunk(query)):
            for owner, _ in self.index.shortlist(q.descriptors):
                verified = kp.verify(q, self.items[owner])
                if verified:
                    found[owner] = max(found.get(owner, 0), verified.inliers)
        return found


def recall(name: str, pictures: list[tuple[str, str, Image.Image]]) -> None:
    images = [im for _, _, im in pictures]
    ways = [Way("plain PDQ", _plain, _plain), Way("PDQ robust (start)", robust.bank_hashes, robust.query_hashes)]
    banks = [Bank(w, images) for w in ways]
    keypoint_bank = KeypointBank(images)
    print(f"\n## recall, {name}: {len(images)} pictures\n")
    print("| manipulation | plain PDQ | PDQ robust (start) | new (PDQ robust + keypoints) | of which keypoints |")
    print("|---|---|---|---|---|")
    totals = np.zeros(4)
    for label, change in MANIPULATIONS.items():
        counts = np.zeros(4)
        for i, image in enumerate(images):
            query = shrunk(change(image))
            got = [i in bank.hits(way.query(query)) for way, bank in zip(ways, banks)]
            by_keypoints = not got[1] and i in keypoint_bank.hits(query)
            counts += [got[0], got[1], got[1] or by_keypoints, by_keypoints]
        totals += counts
        n = len(images)
        print(f"| {label} | {counts[0] / n:.2f} | {counts[1] / n:.2f} | {counts[2] / n:.2f} | {counts[3] / n:.2f} |")
    n = len(images) * len(MANIPULATIONS)
    print(f"| **all** | {totals[0] / n:.2f} | {totals[1] / n:.2f} | {totals[2] / n:.2f} | {totals[3] / n:.2f} |")


def false_matches(pool: list[tuple[str, str, Image.Image]], with_pdq: bool) -> None:
    images = [im for _, _, im in pool]
    groups = [g for g, _, _ in pool]
    pdq_bank = Bank(Way("PDQ robust", robust.bank_hashes, robust.query_hashes), images) if with_pdq else None
    keypoint_bank = KeypointBank(images)
    pairs = pdq_false = kp_false = 0
    worst: list[tuple[int, str, str]] = []
    for i, image in enumerate(images):
        others = sum(1 for g in groups if g != groups[i])
        for query in (image, mirror(image)):
            small = shrunk(query)
            pairs += others
            if pdq_bank is not None:
                pdq_false += sum(1 for j in pdq_bank.hits(robust.query_hashes(small)) if groups[j] != groups[i])
            for j, inliers in keypoint_bank.hits(small).items():
                if groups[j] != groups[i]:
                    kp_false += 1
                    worst.append((inliers, pool[i][1], pool[j][1]))
    print(f"\n## false matches: {len(images)} pictures, {len({*groups})} sources, {pairs:,} query × banked pairs "
          "(each picture queried as is and mirrored)\n")
    print(f"PDQ robust: {pdq_false if pdq_bank is not None else 'not run (--pdq-false)'}; keypoint stage: {kp_false}")
    for w in sorted(worst, reverse=True)[:5]:
        print(f"  {w}")


def cost(pool: list[tuple[str, str, Image.Image]], scale: int) -> None:
    images = [shrunk(im) for _, _, im in pool[:60]]
    t = time.perf_counter()
    for im in images:
        robust.bank_hashes(im)
    bank_pdq = (time.perf_counter() - t) / len(images) * 1000
    t = time.perf_counter()
    blobs = [kp.pack(kp.extract(im)) for im in images]
    bank_kp = (time.perf_counter() - t) / len(images) * 1000
    t = time.perf_counter()
    queries = [robust.query_hashes(im) for im in images]
    query_pdq = (time.perf_counter() - t) / len(images) * 1000
    t = time.perf_counter()
    query_sets = [kp.query_sets(im) for im in images]
    query_kp = (time.perf_counter() - t) / len(images) * 1000
    print("\n## cost per picture (ms, this 2-core machine shared with others)\n")
    print(f"bank: PDQ hashes {bank_pdq:.1f} ms, keypoints {bank_kp:.1f} ms, {np.median([len(b) for b in blobs]) / 1024:.1f} KiB")
    print(f"query: PDQ variants {query_pdq:.1f} ms ({np.median([len(q) for q in queries]):.0f} hashes), "
          f"keypoints of the picture and its mirror {query_kp:.1f} ms")

    flat = BinaryIndex()
    flat.add(np.arange(scale), np.random.default_rng(1).integers(0, 256, (scale, 32), dtype=np.uint8))
    t = time.perf_counter()
    for q in queries[:20]:
        flat.search(hex_to_codes([h.pdq for h in q]), 31)
    scan = (time.perf_counter() - t) / 20 * 1000
    print(f"PDQ robust index scan at {scale:,} random hashes: {scan:.1f} ms a query")

    real_keys = np.concatenate([kp.descriptor_keys(s[0][1].descriptors[: kp.INDEX_FEATURES]) for s in query_sets], axis=1)
    rng = np.random.default_rng(2)
    index = kp.KeypointIndex()
    built = 0
    verify_ms = []
    originals = [kp.unpack(b) for b in blobs]
    print("\n| banked pictures | shortlist ms (p50) | verification ms | index MiB |")
    print("|---|---|---|---|")
    for size in (10_000, 100_000, scale):
        if size > scale:
            break
        extra = size - built
        per = kp.INDEX_FEATURES
        picks = rng.integers(0, real_keys.shape[1], extra * per)
        index.add_keys(np.arange(built, size) + 10**7, real_keys[:, picks], np.repeat(np.arange(extra), per))
        built = size
        times = []
        for qs in query_sets[:30]:
            t = time.perf_counter()
            for _, q in qs:
                index.shortlist(q.descriptors)
            times.append((time.perf_counter() - t) * 1000)
        for (_, q), banked in zip((qs[0] for qs in query_sets[:30]), originals):
            t = time.perf_counter()
            for _ in range(kp.SHORTLIST):
                kp.verify(q, banked)
            verify_ms.append((time.perf_counter() - t) * 1000)
        print(f"| {size:,} | {np.median(times):.1f} | {np.median(verify_ms):.1f} (x{kp.SHORTLIST}, worst case) | "
              f"{index.memory_bytes() / 2**20:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--generated", type=int, default=150)
    parser.add_argument("--skip", default="", help="comma list of sections to skip: recall,false,cost")
    parser.add_argument("--frames-every", type=float, default=1.0, help="seconds between pool frames (false matches)")
    parser.add_argument("--pdq-false", action="store_true", help="also count PDQ robust false matches (slow)")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    heldout = heldout_frames(1.0) + generated(40, seed=777)
    if "recall" not in skip:
        tuning = load_images() + load_frames(3.0)
        recall("held out (video1.mp4 frames + generated)", heldout)
        recall("tuning (reference stills + sample-video frames)", tuning)
    pool = load_images() + load_frames(args.frames_every) + heldout + generated(args.generated, seed=4242)
    if "false" not in skip:
        false_matches(pool, args.pdq_false)
    if "cost" not in skip:
        cost(pool, args.scale)


if __name__ == "__main__":
    main()

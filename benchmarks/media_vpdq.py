"""Videos with and without black bars: which sample videos match which banked video, before and after
trimming bars on both sides, in the same run.

    .venv/bin/python -m benchmarks.media_vpdq

Two banks, each of two real sample videos (REDLINE_DATA/media/video/sample-videos), hashed by
`bank add`'s own path (`hash_file` at 1 vPDQ hash a second, `robust.file_records`):

* "clean": `chair-orig-22-sd-bar` and `pattern-hd-no-bar` (the earlier benchmark's bank);
* "barred": `chair-22-sd-grey-bar` and `pattern-sd-grey-bar` (pillarboxed copies).

Every sample video is then matched against each bank two ways:

* before: plain vPDQ on both sides (no derived bank hashes, `Matcher(robust=False)`);
* now: the bank's derived vPDQ with the bars cut off, and the query's own bars cut off.

Expected: the chair videos match the chair item and the pattern videos the pattern item, except
`chair-19-sd-bar` (another recording: its frames are ~100 bits from the chair's), which, with
`doorknob-hd-no-bar` and `test-padded-dimensions`, should match nothing.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from benchmarks.media_common import media_dir

BANKS = {
    "clean": ["chair-orig-22-sd-bar.mp4", "pattern-hd-no-bar.mp4"],
    "barred": ["chair-22-sd-grey-bar.mp4", "pattern-sd-grey-bar.mp4"],
}


def item(name: str) -> str | None:
    """The banked item a sample video shows (None: none of them)."""
    if name.startswith("chair-19"):
        return None  # another recording
    for key in ("chair", "pattern"):
        if name.startswith(key):
            return key
    return None


def main() -> None:
    videos = media_dir() / "video/sample-videos"
    files = sorted(p for p in videos.glob("*.mp4"))
    home = tempfile.mkdtemp(prefix="media-vpdq-")
    os.environ["REDLINE_HOME"] = home
    os.environ.pop("REDLINE_DB", None)
    from redline.context import get_context, reset_context
    from redline.media.banks import add_signals, create_bank
    from redline.media.hashing import hash_file
    from redline.media.matcher import Matcher
    from redline.media.robust import file_records, video_content_box

    reset_context()
    ctx = get_context()
    started = time.perf_counter()
    hashed = {}
    cost = {}
    for f in files:
        t0 = time.perf_counter()
        hashed[f.name] = hash_file(f)
        t1 = time.perf_counter()
        records = file_records(hashed[f.name], content_id=item(f.name))
        cost[f.name] = (t1 - t0, time.perf_counter() - t1, len(records) > 2)
    for bank, names in BANKS.items():
        for derived in (False, True):
            name = f"{bank}-{'now' if derived else 'before'}"
            create_bank(ctx.store, name)
            for n in names:
                add_signals(ctx.store, name, file_records(hashed[n], content_id=item(n), windows=derived))
    now = Matcher.open(ctx, persist=False)
    before = Matcher.open(ctx, robust=False, persist=False)

    print("| query video | bars | " + " | ".join(f"bank {b}: before | bank {b}: now" for b in BANKS) + " |")
    print("|---|---|" + "---|---|" * len(BANKS))
    right = {"before": 0, "now": 0}
    expected_total = 0
    query_s = {"before": 0.0, "now": 0.0}
    for f in files:
        box = video_content_box(f)
        results = {}
        for way, matcher in (("before", before), ("now", now)):
            t0 = time.perf_counter()
            found = matcher.find_file(f, video_stages=False).matches  # vPDQ and its bars only
            query_s[way] += time.perf_counter() - t0
            results[way] = found
        cells = []
        for bank in BANKS:
            for way in ("before", "now"):
                ms = [m for m in results[way] if m.bank == f"{bank}-{way}" and m.signal_type == "vpdq"]
                got = sorted({m.content_id for m in ms})
                want = [item(f.name)] if item(f.name) else []
                right[way] += got == want
                cells.append(", ".join(f"{m.content_id} ({m.detail.get('query_match_percent')} %, {m.distance} b)"
                                       for m in ms) or "–")
            expected_total += 1
        bars = "none" if box is None else f"{box[2]:.0%}–{box[3]:.0%} wide, {box[0]:.0%}–{box[1]:.0%} high"
        print(f"| {f.name} | {bars} | " + " | ".join(cells) + " |", flush=True)
    print(f"\nright (the expected item and nothing else, per bank): before {right['before']}/{expected_total}, "
          f"now {right['now']}/{expected_total}")
    n = len(files)
    print(f"\nquery time per video (vPDQ + digests + match): before {query_s['before'] / n:.2f} s, now {query_s['now'] / n:.2f} s")
    hashing = sum(c[0] for c in cost.values()) / n
    derive = [c[1] for c in cost.values() if c[2]]
    probe = [c[1] for c in cost.values() if not c[2]]
    print(f"bank add per video: vPDQ + digests {hashing:.2f} s; bars cut off and re-hashed "
          f"{(sum(derive) / len(derive)) if derive else 0:.2f} s for the {len(derive)} videos with bars; "
          f"looking for bars {(sum(probe) / len(probe)) if probe else 0:.2f} s for the {len(probe)} without")
    print(f"elapsed {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

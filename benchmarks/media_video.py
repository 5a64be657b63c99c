"""Edited re-uploads of banked videos: recall of vPDQ alone, today's robust vPDQ, vPDQ + the key-frame
stages and TMK+PDQF; false matches between different videos; cost per video. One run, same data.

    nice .venv/bin/python -m benchmarks.media_video [--out FILE.json] [--work DIR]

Banked videos (one content id each): the sample videos `chair-orig-22-sd-bar`, `doorknob-hd-no-bar`,
`pattern-hd-no-bar`, `test-padded-dimensions`, the C2PA sample `video1.mp4`, and three videos this
script makes from reference stills (`c.png`, `pen-and-coaster.png`, `wee.jpg`: an 8 s pan and zoom,
ffmpeg's zoompan) so that more than four different contents meet. Queries: edited copies made here
with ffmpeg (x264 CRF 23 unless said):

* crop10 / crop20: 10 % / 20 % of the width and height cut, unevenly (a third on the left/top, two
  thirds on the right/bottom), scaled back to the original size;
* mirror (hflip); reencode (half size, CRF 38); trim (the first quarter of the video cut);
* logo (a 25 %-wide picture, `q0746.jpg`, over the top-right corner);
* combined (mirror + crop10 + logo + CRF 32);

and the sample videos that are other copies of a banked one (grey, sepia, logo, bars, other
recordings of the chair, a longer pattern), each expected to match the chair or the pattern. A query matches when a match names its own content; any match naming another
content is a false match (every query against every other banked video: queries × 7 pairs).

`--distractors` also banks 11 pan-and-zoom videos of other reference stills (never queried; one of them
shows the logo picture): more unrelated pairs. `--methods` runs a subset (plain,today,keyframes,tmk).

Methods, each on its own store:
* "vPDQ alone": `Matcher(robust=False)`, bank of `bank add --no-derived --no-key-frames --no-tmk`;
* "today": the robust matcher (bars trimmed, still frames) on a bank without key frames or TMK;
* "+ key frames": `video_frames.find_video` (TMK off) on a bank with key frames;
* "TMK": TMK+PDQF alone (level 1 ≥ 0.7 and level 2 ≥ 0.7 against each banked video's TMK).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.media_common import media_dir

SAMPLES = ["chair-orig-22-sd-bar.mp4", "doorknob-hd-no-bar.mp4", "pattern-hd-no-bar.mp4", "test-padded-dimensions.mp4"]
STILLS = ["pdq/misc-images/c.png", "pdq/misc-images/pen-and-coaster.png", "pdq/misc-images/wee.jpg"]
LOGO = "pdq/labelme-subset/q0746.jpg"
# --distractors: more banked videos made from other reference stills (never queried): more unrelated
# pairs; q0746 is the logo stamped on the logo and combined edits (a video of it must not match them)
DISTRACTORS = ["pdq/labelme-subset/q0003.jpg", "pdq/labelme-subset/q0004.jpg", "pdq/labelme-subset/q0122.jpg",
               "pdq/labelme-subset/q0291.jpg", "pdq/labelme-subset/q0746.jpg", "pdq/labelme-subset/q1050.jpg",
               "pdq/bridge-mods/aaa-orig.jpg", "pdq/exif-rotn/exif-rotn-1.jpg", "c2pa/C.jpg",
               "pdq/pytx-resources/rgb.jpeg", "pdq/misc-images/small.jpg"]
OTHER_COPIES = ["chair-19-sd-bar.mp4", "chair-20-sd-bar.mp4", "chair-22-sd-grey-bar.mp4", "chair-22-sd-sepia-bar.mp4",
                "chair-22-with-small-logo-bar.mp4", "pattern-longer-no-bar.mp4", "pattern-sd-grey-bar.mp4",
                "pattern-sd-with-large-logo-bar.mp4"]
X264 = ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-an"]


def ffmpeg(*args: str) -> None:
    target = Path(args[-1])
    if target.is_file() and target.stat().st_size > 0:  # --work: made by an earlier run
        return
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


def duration(path: Path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
                         check=True, capture_output=True, text=True).stdout
    return float(out.strip() or 0)


def crop(fraction: float) -> str:
    """Cut `fraction` of each side's length, a third from the left/top and two thirds from the right/bottom."""
    keep = 1 - fraction
    return f"crop=trunc(iw*{keep}/2)*2:trunc(ih*{keep}/2)*2:iw*{fraction / 3}:ih*{fraction / 3},scale=trunc(iw/{keep}/2)*2:trunc(ih/{keep}/2)*2"


def make_edits(base: Path, out: Path) -> dict[str, Path]:
    logo = media_dir() / LOGO
    edits: dict[str, Path] = {}
    simple = {"crop10": crop(0.10), "crop20": crop(0.20), "mirror": "hflip"}
    for name, vf in simple.items():
        edits[name] = out / f"{base.stem}.{name}.mp4"
        ffmpeg("-i", str(base), "-vf", vf, *X264, "-crf", "23", str(edits[name]))
    edits["reencode"] = out / f"{base.stem}.reencode.mp4"
    ffmpeg("-i", str(base), "-vf", "scale=trunc(iw/4)*2:trunc(ih/4)*2", *X264, "-crf", "38", str(edits["reencode"]))
    edits["trim"] = out / f"{base.stem}.trim.mp4"
    ffmpeg("-ss", f"{duration(base) / 4:.2f}", "-i", str(base), *X264, "-crf", "23", str(edits["trim"]))
    overlay = "[1:v][0:v]scale2ref=w=main_w/4:h=ow/mdar[logo][v];[v][logo]overlay=W-w-8:8"
    edits["logo"] = out / f"{base.stem}.logo.mp4"
    ffmpeg("-i", str(base), "-i", str(logo), "-filter_complex", overlay, *X264, "-crf", "23", str(edits["logo"]))
    edits["combined"] = out / f"{base.stem}.combined.mp4"
    ffmpeg("-i", str(base), "-i", str(logo), "-filter_complex",
           f"[0:v]hflip,{crop(0.10)}[m];[1:v][m]scale2ref=w=main_w/4:h=ow/mdar[logo][v];[v][logo]overlay=W-w-8:8",
           *X264, "-crf", "32", str(edits["combined"]))
    return edits


def make_still_video(still: Path, out: Path) -> Path:
    target = out / f"still-{still.stem}.mp4"
    ffmpeg("-loop", "1", "-i", str(still), "-vf",
           "scale=1280:-2,zoompan=z='min(zoom+0.0015,1.3)':x='iw/2-(iw/zoom/2)+on':y='ih/2-(ih/zoom/2)':d=200:s=640x360:fps=25",
           "-t", "8", *X264, "-crf", "23", str(target))
    return target


def cpu() -> float:
    """CPU seconds of this process and its finished children (tmkpy's ffmpeg), all threads."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bank(ctx: Any, name: str, bases: dict[str, Path], *, key_frames: bool, tmk: bool, derived: bool) -> dict[str, float]:
    """Banks each base video through `media bank add`'s own function; returns CPU seconds a video."""
    from typer.testing import CliRunner

    from redline.cli import app

    runner = CliRunner()
    runner.invoke(app, ["media", "bank", "create", name], catch_exceptions=False)
    cost = {}
    for content, path in bases.items():
        args = ["media", "bank", "add", name, str(path), "--content-id", content, "--json"]
        args += [] if derived else ["--no-derived"]
        args += [] if key_frames else ["--no-key-frames"]
        args += [] if tmk else ["--no-tmk"]
        started = cpu()
        result = runner.invoke(app, args, catch_exceptions=False)
        cost[content] = cpu() - started
        if result.exit_code != 0:
            raise SystemExit(f"bank add {path} failed: {result.output}")
    return cost


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    parser.add_argument("--work", type=Path, help="Folder for the edited copies (kept; reused by a later run).")
    parser.add_argument("--distractors", action="store_true", help="Also bank 11 videos made from other stills.")
    parser.add_argument("--methods", default="plain,today,keyframes,tmk", help="Comma-separated subset to run.")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="media-video-"))
    work.mkdir(parents=True, exist_ok=True)
    videos = media_dir() / "video/sample-videos"
    bases = {Path(n).stem: videos / n for n in SAMPLES}
    bases["video1"] = media_dir() / "c2pa/video1.mp4"
    started = time.perf_counter()
    for still in STILLS:
        path = make_still_video(media_dir() / still, work)
        bases[path.stem] = path
    queries: list[tuple[str, str, Path]] = []  # (expected content, edit, file)
    for content, path in bases.items():
        queries.extend((content, edit, p) for edit, p in make_edits(path, work).items())
    if args.distractors:
        for still in DISTRACTORS:
            path = make_still_video(media_dir() / still, work)
            bases[path.stem] = path
    methods = set(args.methods.split(","))
    chair_base = "chair-orig-22-sd-bar"
    for name in OTHER_COPIES:
        expected = chair_base if name.startswith("chair") else "pattern-hd-no-bar"
        queries.append((expected, "other copy", videos / name))
    print(f"{len(bases)} banked videos, {len(queries)} queries, edits made in {time.perf_counter() - started:.0f} s")

    from redline.context import get_context, reset_context
    from redline.media import tmk
    from redline.media.matcher import Matcher
    from redline.media.video_frames import find_video

    def store(tag: str) -> Any:
        home = work / f"home-{tag}"
        shutil.rmtree(home, ignore_errors=True)
        os.environ["REDLINE_HOME"] = str(home)
        os.environ.pop("REDLINE_DB", None)
        reset_context()
        return get_context()

    results: dict[str, dict[tuple[str, str, str], list[str]]] = {}
    seconds: dict[str, list[float]] = {}
    cpu_seconds: dict[str, list[float]] = {}

    def run(method: str, fn: Any) -> None:
        results[method] = {}
        seconds[method] = []
        cpu_seconds[method] = []
        for expected, edit, path in queries:
            t0, c0 = time.perf_counter(), cpu()
            found = fn(path)
            seconds[method].append(time.perf_counter() - t0)
            cpu_seconds[method].append(cpu() - c0)
            results[method][(expected, edit, path.name)] = sorted({c for c in found if c})

    def contents(result: Any) -> list[str]:
        return [m.content_id for m in result.matches]

    bank_cost: dict[str, dict[str, float]] = {}
    if "plain" in methods:
        ctx = store("plain")
        bank_cost["--no-derived --no-key-frames --no-tmk"] = bank(ctx, "videos", bases, key_frames=False, tmk=False,
                                                                  derived=False)
        plain = Matcher.open(ctx, robust=False, persist=False)
        run("vPDQ alone", lambda p: contents(plain.find_file(p)))
    if "today" in methods:
        ctx = store("today")
        bank_cost["today's derived"] = bank(ctx, "videos", bases, key_frames=False, tmk=False, derived=True)
        today = Matcher.open(ctx, persist=False)
        run("today (robust vPDQ)", lambda p: contents(today.find_file(p, video_stages=False)))
    if "keyframes" in methods:
        ctx = store("keyframes")
        bank_cost["with key frames"] = bank(ctx, "videos", bases, key_frames=True, tmk=False, derived=True)
        robust = Matcher.open(ctx, persist=False)
        run("+ key frames", lambda p: contents(find_video(robust, p, tmk_stage=False)))

    banked_tmk: dict[str, Any] = {}
    tmk_hash_seconds: list[float] = []
    for content, path in (bases.items() if "tmk" in methods else ()):
        c0 = cpu()
        banked_tmk[content] = tmk.hash_video(path)
        tmk_hash_seconds.append(cpu() - c0)

    def tmk_query(path: Path) -> list[str]:
        features = tmk.hash_video(path)
        return [c for c, b in banked_tmk.items() if tmk.compare(features, b).matched]

    if "tmk" in methods:
        run("TMK+PDQF", tmk_query)

    edits = list(dict.fromkeys(edit for _, edit, _ in queries))
    rows = []
    for method, found in results.items():
        row: dict[str, Any] = {"method": method}
        for edit in edits:
            keys = [k for k in found if k[1] == edit]
            row[edit] = (sum(k[0] in found[k] for k in keys), len(keys))
        keys = list(found)
        row["all"] = (sum(k[0] in found[k] for k in keys), len(keys))
        row["false"] = sum(len([c for c in found[k] if c != k[0]]) for k in keys)
        row["pairs"] = len(keys) * (len(bases) - 1)
        ordered = sorted(seconds[method])
        row["p50_s"] = round(ordered[len(ordered) // 2], 2)
        row["max_s"] = round(ordered[-1], 2)
        ordered = sorted(cpu_seconds[method])
        row["cpu_p50_s"] = round(ordered[len(ordered) // 2], 2)
        row["cpu_max_s"] = round(ordered[-1], 2)
        rows.append(row)
    print("| method | " + " | ".join(edits) + " | all | false matches | query CPU s p50 / max | wall s p50 / max |")
    print("|---|" + "---|" * (len(edits) + 3))
    for row in rows:
        cells = [f"{row[e][0]}/{row[e][1]}" for e in edits]
        print(f"| {row['method']} | " + " | ".join(cells) + f" | {row['all'][0]}/{row['all'][1]} "
              f"({row['all'][0] / row['all'][1]:.2f}) | {row['false']} of {row['pairs']} pairs | "
              f"{row['cpu_p50_s']} / {row['cpu_max_s']} | {row['p50_s']} / {row['max_s']} |")
    print("bank add CPU seconds a video (median): " + ", ".join(
        f"{tag} {sorted(c.values())[len(c) // 2]:.2f}" for tag, c in bank_cost.items()) + (f"; TMK hash alone {sorted(tmk_hash_seconds)[len(tmk_hash_seconds) // 2]:.2f}" if tmk_hash_seconds else ""))
    misses = {m: [f"{k[2]}" for k, v in found.items() if k[0] not in v] for m, found in results.items()}
    false = {m: [f"{k[2]} -> {c}" for k, v in found.items() for c in v if c != k[0]] for m, found in results.items()}
    print("misses:", json.dumps(misses, indent=1))
    print("false matches:", json.dumps(false, indent=1))
    print(f"total {time.perf_counter() - started:.0f} s, load average {os.getloadavg()[0]:.1f}")
    if args.out:
        args.out.write_text(json.dumps({"rows": rows, "misses": misses, "false": false}, indent=1))


if __name__ == "__main__":
    main()

"""Resource extraction and attribution time against page size: 1, 2, 4 and 8 MB of HTML.

Each page repeats a ~1 kB block (a tag-manager script, a script and an image from a host of their
own, a stylesheet, text), so the number of resources grows with the page. The same pages are
attributed by the code under test and by a baseline checkout, each in its own process:

    git worktree add /tmp/li-base <commit>      # the code before the change
    .venv/bin/python benchmarks/infra_html_scale.py [--baseline /tmp/li-base] [--budget 240]

A baseline run that takes longer than --budget seconds stops the baseline at that size (the larger
pages are reported as not run). Attribution reads the whole page here (no size bound); the last
line shows the bounded default (the first 2 MB of a page are read, as the collector keeps).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

SIZES_MB = (1, 2, 4, 8)
BLOCK = (
    '<div class="item"><script src="https://www.googletagmanager.com/gtag/js?id=G-{i}"></script>'
    '<script src="https://cdn{m}.vendor{i}.example/lib/widget.{i}.js"></script>'
    '<img src="https://img{i}.example.net/photos/{i}.jpg" alt="photo {i}">'
    '<link rel="stylesheet" href="/static/style.{m}.css">'
    "<p>{text}</p></div>\n"
)
TEXT = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt " * 6


def page(megabytes: float) -> str:
    parts, size, i = [], 0, 0
    while size < megabytes * 1_000_000:
        block = BLOCK.format(i=i, m=i % 97, text=TEXT)
        parts.append(block)
        size += len(block)
        i += 1
    return "<html><head><title>scale</title></head><body>" + "".join(parts) + "</body></html>"


def measure(sizes: list[float], bounded: bool) -> None:
    """Worker: attribute one page per size with the code importable here; print JSON lines."""
    from redline.config import load_settings
    from redline.infra.attribution import Attributor
    from redline.infra.reference import load_reference

    settings = load_settings()
    ref = load_reference(settings.data("infra"), settings.cache_dir)
    for mb in sizes:
        obs = {"domain": "www.scale.example", "html": page(mb)}
        try:
            attributor = Attributor(ref) if bounded else Attributor(ref, max_html_bytes=None)
        except TypeError:  # a baseline without the size bound reads everything anyway
            attributor = Attributor(ref)
        started = time.perf_counter()
        result = attributor.attribute(obs)
        seconds = time.perf_counter() - started
        embeds = sum(len(p["evidence"]) for p in result["providers"]) + len(result["unattributed_hosts"])
        print(json.dumps({"mb": mb, "seconds": round(seconds, 2), "resources": embeds}), flush=True)


def run(code_root: Path, sizes: list[float], budget: float, bounded: bool = False) -> dict[float, dict]:
    out: dict[float, dict] = {}
    env = {**os.environ, "PYTHONPATH": str(code_root)}
    for mb in sizes:
        cmd = [sys.executable, __file__, "--worker", str(mb)] + (["--bounded"] if bounded else [])
        try:
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=budget, check=True)
        except subprocess.TimeoutExpired:
            out[mb] = {"mb": mb, "seconds": None, "note": f"stopped after {budget:g} s"}
            break
        except subprocess.CalledProcessError as exc:
            raise SystemExit(f"{code_root}: worker failed:\n{exc.stderr[-2000:]}") from None
        out[mb] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=Path, default=Path("/tmp/li-base"), help="checkout of the old code")
    parser.add_argument("--budget", type=float, default=240, help="seconds allowed to one baseline page")
    parser.add_argument("--worker", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--bounded", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        measure([args.worker], args.bounded)
        return
    here = Path(__file__).resolve().parents[1]
    new = run(here, list(SIZES_MB), budget=600)
    old = run(args.baseline, list(SIZES_MB), budget=args.budget) if args.baseline.exists() else {}
    print(f"{'page':>6} {'resources':>10} {'this code':>10} {'baseline':>12}")
    for mb in SIZES_MB:
        base = old.get(mb)
        base_text = "not run" if base is None else (f"{base['seconds']:.2f} s" if base["seconds"] is not None else base["note"])
        print(f"{mb:>4} MB {new[mb]['resources']:>10,} {new[mb]['seconds']:>8.2f} s {base_text:>12}")
    bounded = run(here, [50], budget=600, bounded=True)[50]
    print(f"50 MB page with the default bound (first 2 MB read): {bounded['seconds']:.2f} s")


if __name__ == "__main__":
    main()

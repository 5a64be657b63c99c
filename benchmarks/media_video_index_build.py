"""Building the key frames' keypoint index (`video_frames.FrameIndex`) a frame at a time, as the code of
a given commit does, beside `add_many` (one merge), on the same random ORB-sized descriptors; CPU seconds.

    git show 9b01130:redline/media/video_frames.py > /tmp/old_video_frames.py
    nice .venv/bin/python -m benchmarks.media_video_index_build --baseline /tmp/old_video_frames.py [--frames 178,2907]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from pathlib import Path

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="an older video_frames.py (git show …)")
    parser.add_argument("--frames", default="178,2907")
    args = parser.parse_args()
    if not args.baseline.is_file():
        parser.error(f"--baseline: no such file {args.baseline}")
    spec = importlib.util.spec_from_file_location("baseline_video_frames", args.baseline)
    assert spec is not None and spec.loader is not None
    old = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = old
    spec.loader.exec_module(old)
    from redline.media import video_frames as new

    rng = np.random.default_rng(5)
    for n in (int(x) for x in args.frames.split(",")):
        frames = [(i, rng.integers(0, 256, (500, 32), dtype=np.uint8)) for i in range(n)]
        started = time.process_time()
        before = old.FrameIndex()
        for item_id, descriptors in frames:
            before.add(item_id, descriptors)
        t_old = time.process_time() - started
        started = time.process_time()
        after = new.FrameIndex()
        after.add_many(frames)
        t_new = time.process_time() - started
        assert all(np.array_equal(before._keys[k], after._keys[k]) for k in range(new.FrameIndex.TABLES))
        print(f"{n} key frames: one at a time (baseline) {t_old:.2f} s CPU, add_many {t_new:.3f} s CPU, "
              f"load {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()

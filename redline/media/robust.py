"""Query-time robustness: the extra hashes worth trying for one query image.

Plain PDQ survives re-encoding, resizing and small edits, but not rotation, mirroring, added bars
or a caption strip. For a query image we therefore also hash:

* its eight rotations/mirrors (one DCT: pdqhash's dihedral hashes, nearly free);
* the image with letterbox/pillarbox bars (near-uniform edge bands) trimmed off, in all eight
  orientations;
* the image without a top or bottom strip (caption bars, tickers) and a central window
  (frames, borders, corner logos), upright only.

Each variant carries its own threshold: the original at the configured distance; the others a little
stricter, because each extra query is one more chance of a false match (see
docs/benchmarks-media.md for the measured recall and false-match rates).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from redline.media.hashing import dihedral_pdq_of_image, pdq_of_image

DIHEDRAL_NAMES = ("original", "rot90", "rot180", "rot270", "flip_x", "flip_y", "flip_plus1", "flip_minus1")
BAR_STD = 10.0  # grey-level spread below which an edge row/column counts as part of a bar
BAR_MAX_FRACTION = 0.40  # never trim more than this from one side
BAR_MIN_FRACTION = 0.02  # trims smaller than this are not worth an extra query
CROP_WINDOWS: dict[str, tuple[float, float, float, float]] = {
    # name: (left, top, right, bottom) as fractions of width/height
    "without_top_25": (0.0, 0.25, 1.0, 1.0),
    "without_bottom_25": (0.0, 0.0, 1.0, 0.75),
    "centre_80": (0.10, 0.10, 0.90, 0.90),
}


@dataclass(frozen=True)
class QueryHash:
    variant: str
    pdq: str
    quality: int
    strict: bool  # variants other than the plain hash use the stricter threshold


@dataclass(frozen=True)
class RobustPolicy:
    dihedral: bool = True
    trim_bars: bool = True
    crops: bool = True
    min_quality: int = 50


def find_bars(image: Image.Image) -> tuple[int, int, int, int] | None:
    """(left, top, right, bottom) box of the picture inside uniform bars, or None when there are none."""
    grey = np.asarray(image.convert("L"), dtype=np.float32)
    height, width = grey.shape
    if height < 16 or width < 16:
        return None
    row_std = grey.std(axis=1)
    col_std = grey.std(axis=0)
    row_mean = grey.mean(axis=1)
    col_mean = grey.mean(axis=0)

    def run(std: np.ndarray, mean: np.ndarray, limit: int) -> int:
        n = 0
        first = mean[0]
        while n < limit and std[n] < BAR_STD and abs(mean[n] - first) < 12:
            n += 1
        return n

    top = run(row_std, row_mean, int(height * BAR_MAX_FRACTION))
    bottom = run(row_std[::-1], row_mean[::-1], int(height * BAR_MAX_FRACTION))
    left = run(col_std, col_mean, int(width * BAR_MAX_FRACTION))
    right = run(col_std[::-1], col_mean[::-1], int(width * BAR_MAX_FRACTION))
    # bars come in pairs of similar size (letterbox or pillarbox); a one-sided run is picture content
    vertical = (top + bottom) if min(top, bottom) >= 0.5 * max(top, bottom) else 0
    horizontal = (left + right) if min(left, right) >= 0.5 * max(left, right) else 0
    if vertical < BAR_MIN_FRACTION * height:
        top = bottom = 0
    if horizontal < BAR_MIN_FRACTION * width:
        left = right = 0
    if not (top or bottom or left or right):
        return None
    # a row of bar colour also counts along the edge of the other axis: recompute columns inside rows
    return left, top, width - right, height - bottom


def trim_bars(image: Image.Image) -> Image.Image | None:
    box = find_bars(image)
    return image.crop(box) if box else None


def query_hashes(image: Image.Image, policy: RobustPolicy = RobustPolicy()) -> list[QueryHash]:
    """The plain hash first, then every variant the policy asks for (image already ≤ 512 px, RGB)."""
    out: list[QueryHash] = []
    if policy.dihedral:
        hashes, quality = dihedral_pdq_of_image(image)
        out.extend(QueryHash(name, h, quality, name != "original") for name, h in zip(DIHEDRAL_NAMES, hashes))
    else:
        plain = pdq_of_image(image)
        out.append(QueryHash("original", plain.hex, plain.quality, False))
    if policy.trim_bars:
        trimmed = trim_bars(image)
        if trimmed is not None:
            hashes, quality = dihedral_pdq_of_image(trimmed)
            names = DIHEDRAL_NAMES if policy.dihedral else DIHEDRAL_NAMES[:1]
            out.extend(QueryHash(f"trimmed_{name}", h, quality, True) for name, h in zip(names, hashes))
    if policy.crops:
        width, height = image.size
        for name, (l, tp, r, b) in CROP_WINDOWS.items():
            window = image.crop((round(l * width), round(tp * height), round(r * width), round(b * height)))
            pdq = pdq_of_image(window)
            out.append(QueryHash(name, pdq.hex, pdq.quality, True))
    return [q for q in out if q.quality >= policy.min_quality or q.variant == "original"]

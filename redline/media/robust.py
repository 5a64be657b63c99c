"""Query-time robustness: the extra hashes worth trying for one query image.

Plain PDQ survives re-encoding, resizing and small edits, but not rotation, mirroring, added bars
or a caption strip. For a query image we therefore also hash:

* its eight rotations/mirrors, each hashed from the transposed pixels (pdqhash's one-DCT dihedral
  hashes were measured 14–84 bits away from the hash of the truly mirrored picture, because PDQ's
  box filters are not symmetric; transposing costs about 3 ms a variant at 512 px and is exact);
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

from redline.media.hashing import pdq_of_image

ORIENTATIONS: dict[str, Image.Transpose | None] = {
    "original": None,
    "rot90": Image.Transpose.ROTATE_90,
    "rot180": Image.Transpose.ROTATE_180,
    "rot270": Image.Transpose.ROTATE_270,
    "mirror": Image.Transpose.FLIP_LEFT_RIGHT,
    "flip": Image.Transpose.FLIP_TOP_BOTTOM,
    "transpose": Image.Transpose.TRANSPOSE,
    "transverse": Image.Transpose.TRANSVERSE,
}
BAR_STD = 10.0  # grey-level spread below which an edge row/column counts as part of a bar
BAR_MAX_FRACTION = 0.40  # never trim more than this from one side
BAR_MIN_FRACTION = 0.02  # trims smaller than this are not worth an extra query
CROP_WINDOWS: dict[str, tuple[float, float, float, float]] = {
    # name: (left, top, right, bottom) as fractions of width/height
    "without_top_20": (0.0, 0.20, 1.0, 1.0),
    "without_bottom_20": (0.0, 0.0, 1.0, 0.80),
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


def oriented_hashes(image: Image.Image, prefix: str = "") -> list[QueryHash]:
    """The image in all eight orientations (upright first); all but the upright one are strict."""
    out = []
    for name, transpose in ORIENTATIONS.items():
        pdq = pdq_of_image(image if transpose is None else image.transpose(transpose))
        out.append(QueryHash(prefix + name, pdq.hex, pdq.quality, bool(prefix) or transpose is not None))
    return out


def query_hashes(image: Image.Image, policy: RobustPolicy = RobustPolicy()) -> list[QueryHash]:
    """The plain hash first, then every variant the policy asks for (image already ≤ 512 px, RGB)."""
    if policy.dihedral:
        out = oriented_hashes(image)
    else:
        plain = pdq_of_image(image)
        out = [QueryHash("original", plain.hex, plain.quality, False)]
    if policy.trim_bars:
        trimmed = trim_bars(image)
        if trimmed is not None:
            if policy.dihedral:
                out.extend(oriented_hashes(trimmed, "trimmed_"))
            else:
                pdq = pdq_of_image(trimmed)
                out.append(QueryHash("trimmed_original", pdq.hex, pdq.quality, True))
    if policy.crops:
        width, height = image.size
        for name, (l, tp, r, b) in CROP_WINDOWS.items():
            window = image.crop((round(l * width), round(tp * height), round(r * width), round(b * height)))
            pdq = pdq_of_image(window)
            out.append(QueryHash(name, pdq.hex, pdq.quality, True))
    return [q for q in out if q.quality >= policy.min_quality or q.variant == "original"]


def bank_hashes(image: Image.Image) -> list[QueryHash]:
    """Hashes to store when banking an image: the plain hash, plus the hash without its bars when it
    has letterbox/pillarbox bars (so a copy re-posted with other bars, or none, still matches)."""
    plain = pdq_of_image(image)
    out = [QueryHash("original", plain.hex, plain.quality, False)]
    trimmed = trim_bars(image)
    if trimmed is not None:
        pdq = pdq_of_image(trimmed)
        if pdq.hex != plain.hex:
            out.append(QueryHash("trimmed", pdq.hex, pdq.quality, False))
    return out

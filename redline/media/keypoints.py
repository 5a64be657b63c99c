"""The keypoint stage: crop- and shift-robust matching of pictures with ORB features and RANSAC.

PDQ is a global hash: a 1 % shift flips ~29 of its bits, so a picture cropped by 5-20 % with the
cut split unevenly between the sides is out of its reach (robust.py tries fixed windows, which
only help when the cut falls where a window does). Keypoints survive crops, shifts, mirroring (the
query is also tried mirrored), logos and recompression, because they describe small patches.

* `extract(image)`: up to `MAX_FEATURES` ORB keypoints (256-bit descriptors) of the picture as
  hashed (long side ≤ 512 px), strongest first, packed by `pack` into ~36 bytes a keypoint
  (x, y as 1/8-pixel uint16, 32 descriptor bytes), a 64×64 grey thumbnail (4 KB) and a 6-byte
  header: ~15 KB a banked picture.
* `KeypointIndex`: the coarse index that makes the shortlist. Each banked picture's strongest
  `INDEX_FEATURES` descriptors are filed under `TABLES` keys of `KEY_BITS` bits each, a fixed random
  choice of descriptor bits (locality-sensitive hashing for Hamming space). A query's descriptors
  vote for the pictures filed under the same keys; the `SHORTLIST` pictures with the most votes
  (and at least `MIN_VOTES`) go on to verification. Cost grows with the postings a query reads,
  i.e. linearly with the bank but with a small constant (measured in docs/benchmarks-media.md).
* `verify(query, banked)`: brute-force Hamming matching with Lowe's ratio test, then a RANSAC
  homography; a match needs `MIN_INLIERS` inliers, a homography that keeps orientation and a sane
  scale, and inliers spread over at least `MIN_COVERED` of the area the banked picture's keypoints
  span (convex hulls; keypoints gather on texture, so the picture's own area would be unfair), so
  that a shared logo or caption in one corner does not match two different pictures.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np
from PIL import Image

MAX_FEATURES = 300
SIDE = 512  # pictures are brought to this long side (up or down) before keypoints are found
INDEX_FEATURES = 150
KEY_BITS = 16
TABLES = 4
SHORTLIST = 16
MIN_VOTES = 3
RATIO = 0.8
MIN_INLIERS = 12
MIN_AGREEMENT = 0.70  # share of aligned blocks that agree (aligned_agreement)
THUMB = 64
BLOCK = 8
BLOCK_CORRELATION = 0.6
MIN_BLOCKS = 6
MIN_COVERED = 0.30  # inliers' convex hull / the hull of all the banked picture's keypoints
RANSAC_PIXELS = 5.0
_HEADER = struct.Struct("<HHH")  # width, height, count
_KEY_RNG_SEED = 20261203


@dataclass(frozen=True)
class Keypoints:
    width: int
    height: int
    points: np.ndarray  # (n, 2) float32, pixels of the picture as hashed
    descriptors: np.ndarray  # (n, 32) uint8, ORB
    thumb: np.ndarray  # (THUMB, THUMB) uint8 grey picture, for the aligned check
    gray: np.ndarray | None = None  # the grey picture at SIDE (queries only; never stored)

    def __len__(self) -> int:
        return len(self.descriptors)


@dataclass(frozen=True)
class Verified:
    inliers: int
    covered: float  # inliers' convex hull over the hull of all the banked picture's keypoints
    agreement: float  # share of aligned blocks that agree (aligned_agreement)


def _orb() -> object:
    import cv2

    return cv2.ORB_create(  # type: ignore[attr-defined]
        nfeatures=MAX_FEATURES, scaleFactor=1.2, nlevels=8, edgeThreshold=15, patchSize=31, fastThreshold=10)


def extract(image: Image.Image) -> Keypoints:
    """ORB keypoints of a picture (as `open_image` returns it), strongest first."""
    import cv2

    grey = image.convert("L")
    scale = SIDE / max(grey.size)
    if abs(scale - 1) > 0.02:  # one scale for bank and query: ORB's 8-level pyramid spans only 3.6x
        grey = grey.resize((max(1, round(grey.width * scale)), max(1, round(grey.height * scale))),
                           Image.Resampling.BILINEAR)
    pixels = np.asarray(grey)
    thumb = cv2.resize(pixels, (THUMB, THUMB), interpolation=cv2.INTER_AREA)
    found, descriptors = _orb().detectAndCompute(pixels, None)  # type: ignore[attr-defined]
    if descriptors is None or not found:
        return Keypoints(grey.width, grey.height, np.zeros((0, 2), np.float32), np.zeros((0, 32), np.uint8), thumb,
                         pixels)
    order = np.argsort([-k.response for k in found], kind="stable")[:MAX_FEATURES]
    points = np.array([found[i].pt for i in order], dtype=np.float32)
    return Keypoints(grey.width, grey.height, points, descriptors[order], thumb, pixels)


def query_sets(image: Image.Image) -> list[tuple[str, Keypoints]]:
    """What a query tries: the picture and its mirror image (ORB is rotation- but not mirror-invariant)."""
    return [("keypoints", extract(image)), ("keypoints_mirror", extract(image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))]


def pack(kp: Keypoints) -> bytes:
    """header, THUMB² grey bytes, x/y as 1/8-pixel uint16, descriptors (the grey picture is not kept)."""
    xy = np.clip(np.rint(kp.points * 8), 0, 65535).astype("<u2")
    return (_HEADER.pack(kp.width, kp.height, len(kp)) + kp.thumb.astype(np.uint8).tobytes() + xy.tobytes()
            + kp.descriptors.astype(np.uint8).tobytes())


def unpack(data: bytes) -> Keypoints:
    width, height, count = _HEADER.unpack_from(data)
    start = _HEADER.size
    thumb = np.frombuffer(data, np.uint8, THUMB * THUMB, start).reshape(THUMB, THUMB)
    start += THUMB * THUMB
    xy = np.frombuffer(data, "<u2", count * 2, start).reshape(count, 2).astype(np.float32) / 8
    desc = np.frombuffer(data, np.uint8, count * 32, start + count * 4).reshape(count, 32)
    return Keypoints(width, height, xy, desc, thumb)


# --- the coarse index -----------------------------------------------------------------------------


def _key_bits() -> np.ndarray:
    rng = np.random.default_rng(_KEY_RNG_SEED)
    return np.stack([rng.choice(256, KEY_BITS, replace=False) for _ in range(TABLES)])


_BITS = _key_bits()
_WEIGHTS = (1 << np.arange(KEY_BITS, dtype=np.int64))[::-1]
_KEY_DTYPE = np.uint16 if KEY_BITS <= 16 else np.uint32  # postings: 2 + 4 bytes per filed descriptor


def descriptor_keys(descriptors: np.ndarray) -> np.ndarray:
    """(n, 32) uint8 descriptors → (TABLES, n) int64 keys: table t's chosen bits, as a number."""
    bits = np.unpackbits(descriptors, axis=1)  # (n, 256)
    return np.stack([bits[:, _BITS[t]].astype(np.int64) @ _WEIGHTS for t in range(TABLES)])


class KeypointIndex:
    """Inverted index from descriptor keys to banked items; `shortlist` votes, `add` appends.

    Postings are kept as sorted arrays per table, keys and item numbers; adds are merged in on the
    next query (the new postings sorted and inserted, not the whole table re-sorted)."""

    def __init__(self) -> None:
        self.items: list[int] = []  # item number -> caller's id (a signal id)
        self._pending: list[tuple[int, np.ndarray]] = []
        self._keys = [np.zeros(0, _KEY_DTYPE) for _ in range(TABLES)]
        self._owners = [np.zeros(0, np.int32) for _ in range(TABLES)]

    def __len__(self) -> int:
        return len(self.items)

    def add(self, item_id: int, descriptors: np.ndarray) -> None:
        self._pending.append((len(self.items), descriptor_keys(descriptors[:INDEX_FEATURES])))
        self.items.append(item_id)

    def add_keys(self, item_ids: np.ndarray, keys: np.ndarray, owners: np.ndarray) -> None:
        """Bulk load for benchmarks: `keys` (TABLES, m), `owners` (m,) local item numbers from len(self)."""
        base = len(self.items)
        self.items.extend(int(i) for i in item_ids)
        for t in range(TABLES):
            self._pending_bulk(t, keys[t], owners.astype(np.int32) + base)

    def _pending_bulk(self, t: int, keys: np.ndarray, owners: np.ndarray) -> None:
        """Merge new postings into table t: only the new ones are sorted, then inserted where they
        belong (after equal keys, so an older item keeps its place); nothing already filed is re-sorted."""
        order = np.argsort(keys, kind="stable")
        keys, owners = keys[order].astype(_KEY_DTYPE), owners[order].astype(np.int32)
        at = np.searchsorted(self._keys[t], keys, "right")
        self._keys[t] = np.insert(self._keys[t], at, keys)
        self._owners[t] = np.insert(self._owners[t], at, owners)

    def _flush(self) -> None:
        if not self._pending:
            return
        for t in range(TABLES):
            keys = np.concatenate([k[t] for _, k in self._pending])
            owners = np.concatenate([np.full(k.shape[1], n, np.int32) for n, k in self._pending])
            self._pending_bulk(t, keys, owners)
        self._pending = []

    def memory_bytes(self) -> int:
        self._flush()
        return sum(k.nbytes + o.nbytes for k, o in zip(self._keys, self._owners)) + 8 * len(self.items)

    def shortlist(self, descriptors: np.ndarray, limit: int = SHORTLIST) -> list[tuple[int, int]]:
        """(item id, votes) of the items sharing the most descriptor keys with the query, best first."""
        self._flush()
        if not self.items or len(descriptors) == 0:
            return []
        keys = descriptor_keys(descriptors)
        hits = []
        for t in range(TABLES):
            query = np.unique(keys[t]).astype(_KEY_DTYPE)
            lo = np.searchsorted(self._keys[t], query, "left")
            hi = np.searchsorted(self._keys[t], query, "right")
            spans = hi - lo
            if spans.sum() == 0:
                continue
            starts = np.repeat(lo, spans)
            offsets = np.arange(spans.sum()) - np.repeat(np.cumsum(spans) - spans, spans)
            hits.append(self._owners[t][starts + offsets])
        if not hits:
            return []
        votes = np.bincount(np.concatenate(hits), minlength=len(self.items))
        top = np.argpartition(-votes, min(limit, len(votes) - 1))[:limit] if len(votes) > limit else np.arange(len(votes))
        ranked = sorted(((int(votes[i]), int(i)) for i in top if votes[i] >= MIN_VOTES), reverse=True)
        return [(self.items[i], v) for v, i in ranked]


# --- verification ---------------------------------------------------------------------------------


def verify(query: Keypoints, banked: Keypoints) -> Verified | None:
    """Geometric verification: ratio-test matches, RANSAC homography, inlier count and coverage."""
    import cv2

    if len(query) < MIN_INLIERS or len(banked) < MIN_INLIERS:
        return None
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    pairs = matcher.knnMatch(query.descriptors, banked.descriptors, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < RATIO * p[1].distance]
    if len(good) < MIN_INLIERS:
        return None
    src = query.points[[m.queryIdx for m in good]].reshape(-1, 1, 2)
    dst = banked.points[[m.trainIdx for m in good]].reshape(-1, 1, 2)
    homography, mask = cv2.findHomography(src, dst, cv2.RANSAC, RANSAC_PIXELS, maxIters=2000, confidence=0.995)
    if homography is None or mask is None:
        return None
    inliers = int(mask.sum())
    if inliers < MIN_INLIERS or not _sane(homography):
        return None
    inlier_area = cv2.contourArea(cv2.convexHull(dst[mask.ravel() == 1].reshape(-1, 2)))
    covered = float(inlier_area) / max(1.0, float(cv2.contourArea(cv2.convexHull(banked.points))))
    if covered < MIN_COVERED:
        return None
    agreement = aligned_agreement(query, banked, homography)
    if agreement < MIN_AGREEMENT:
        return None
    return Verified(inliers, round(covered, 3), round(agreement, 3))


def aligned_agreement(query: Keypoints, banked: Keypoints, homography: np.ndarray) -> float:
    """The query warped onto the banked picture, both at THUMB² pixels: the share of BLOCK² blocks
    (seen on both sides, with some texture on both) whose pixels correlate above BLOCK_CORRELATION.

    A re-upload agrees almost everywhere it shows (logos, captions and flat overlay bars only cost
    their own blocks); another photo of the same object agrees only on the object."""
    import cv2

    if query.gray is None:
        raise ValueError("the query's grey picture is needed (extract() keeps it)")
    size = (banked.width, banked.height)
    warped = cv2.warpPerspective(query.gray.astype(np.float32), homography, size, flags=cv2.INTER_AREA)
    footprint = cv2.warpPerspective(np.ones(query.gray.shape, np.float32), homography, size)
    warped = cv2.resize(warped, (THUMB, THUMB), interpolation=cv2.INTER_AREA)
    seen = cv2.resize(footprint, (THUMB, THUMB), interpolation=cv2.INTER_AREA) > 0.99
    target = banked.thumb.astype(np.float32)
    good = total = 0
    for i in range(0, THUMB, BLOCK):
        for j in range(0, THUMB, BLOCK):
            if not seen[i:i + BLOCK, j:j + BLOCK].all():
                continue
            x = warped[i:i + BLOCK, j:j + BLOCK].ravel()
            y = target[i:i + BLOCK, j:j + BLOCK].ravel()
            if x.std() < 2 or y.std() < 2:  # flat on either side: an overlay bar, sky; says nothing
                continue
            total += 1
            x, y = x - x.mean(), y - y.mean()
            good += float((x * y).sum()) > BLOCK_CORRELATION * float(np.sqrt((x * x).sum() * (y * y).sum()))
    return good / total if total >= MIN_BLOCKS else 0.0


def _sane(h: np.ndarray) -> bool:
    """A homography a re-upload can produce: orientation kept, scale within 1/4-4, little perspective."""
    det = float(np.linalg.det(h[:2, :2]))
    return 1 / 16 < det < 16 and abs(h[2, 0]) < 2e-3 and abs(h[2, 1]) < 2e-3

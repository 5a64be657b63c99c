"""The keypoint stage: crop- and shift-robust matching of pictures with ORB features and RANSAC.

PDQ is a global hash: a 1 % shift flips ~29 of its bits, so a picture cropped by 5-20 % with the
cut split unevenly between the sides is out of its reach (robust.py tries fixed windows, which
only help when the cut falls where a window does). Keypoints survive crops, shifts, mirroring (the
query is also tried mirrored), logos and recompression, because they describe small patches.

* `extract(image)`: up to `MAX_FEATURES` ORB keypoints (256-bit descriptors) of the picture as
  hashed (long side ≤ 512 px), strongest first; when fewer than `FEW_FEATURES` are found (a dark
  frame, a hazy picture) the search is made again after CLAHE with a lower FAST threshold. Packed by
  `pack` into ~36 bytes a keypoint (x, y as 1/8-pixel uint16, 32 descriptor bytes), a 64×64 grey
  thumbnail (4 KB, contrast stretched) and a 6-byte header: ~15 KB a banked picture, in the store.
  A query keeps `QUERY_FEATURES` (a crop's strongest keypoints are not the whole picture's).
* `KeypointIndex`: the coarse index that makes the shortlist, in memory: an inverted file of visual
  words (`Vocabulary`: ~64 k binary centroids from two-level binary k-means over ORB descriptors of
  the tuning pictures, orb_vocabulary.npz, trained by `benchmarks/media_keypoints.py
  --train-vocabulary`). Each banked picture's strongest `INDEX_FEATURES` descriptors are filed once
  a word (~140 postings, 4 bytes each); `add` appends, nothing is rebuilt. A query reads the lists
  of its words rarest first, at most `POSTINGS_READ` postings (stop words never), and ranks items by
  the IDF weight of the words they share; the best `SHORTLIST` are verified, best first, and
  `verify_candidates` stops at the first match (unless another candidate is about as strong).
* `verify(query, banked)`: brute-force Hamming matching with Lowe's ratio test, then a RANSAC
  homography; a match needs `MIN_INLIERS` inliers, a homography that keeps orientation and a sane
  scale, and inliers spread over at least `MIN_COVERED` of the area the banked picture's keypoints
  span (convex hulls; keypoints gather on texture, so the picture's own area would be unfair), so
  that a shared logo or caption in one corner does not match two different pictures.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

MAX_FEATURES = 300
SIDE = 512  # pictures are brought to this long side (up or down) before keypoints are found
QUERY_FEATURES = 600  # a query keeps more: a crop's strongest keypoints are not the whole picture's
FEW_FEATURES = 150  # fewer found: contrast-limited equalisation (CLAHE) and a lower FAST threshold
FAST_THRESHOLD = 10
FAST_THRESHOLD_LOW = 3
INDEX_FEATURES = 150
COARSE_WORDS = 256
WORDS_PER_CELL = 256
POSTINGS_READ = 400_000  # the most postings one query (one of its two variants) reads
STOP_SHARE = 0.05  # words in more than this share of the items are stop words
STOP_MIN = 50  # ... unless in at most this many items (small banks)
SHORTLIST = 5
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
    corners: int = -1  # keypoints found at the normal FAST threshold, before any CLAHE retry (-1: unknown)
    colour: np.ndarray | None = None  # (COLOUR, COLOUR, 3) uint8 Lab thumbnail of a low-texture or tiny picture
    side: int = 0  # the long side of the picture as given, before it was brought to SIDE (0: unknown)
    spread: float = -1.0  # share of a SPREAD_GRID² grid's cells holding one of those keypoints (-1: unknown)

    @property
    def occluded(self) -> bool:
        """A caption or logo may hide part of it: its corners sit in a small part of it (as they do
        when one is stamped on a smooth picture), or it is tiny (where one covers much of it)."""
        return (0 <= self.spread < SMOOTH_SPREAD and self.corners > 0) or 0 < self.side < TINY_SIDE

    @property
    def whole_picture(self) -> bool:
        """A query the whole-picture stage is for: too few corners for keypoints, a tiny picture, or one
        whose corners all sit in a small part of it (a caption or logo on a smooth picture)."""
        return (0 <= self.corners < SMOOTH_CORNERS or 0 < self.side < TINY_SIDE
                or 0 <= self.spread < SMOOTH_SPREAD)

    def __len__(self) -> int:
        return len(self.descriptors)


@dataclass(frozen=True)
class Verified:
    inliers: int
    covered: float  # inliers' convex hull over the hull of all the banked picture's keypoints
    agreement: float  # share of aligned blocks that agree (aligned_agreement)


def _orb(features: int, fast_threshold: int) -> object:
    import cv2

    return cv2.ORB_create(  # type: ignore[attr-defined]
        nfeatures=features, scaleFactor=1.2, nlevels=8, edgeThreshold=15, patchSize=31, fastThreshold=fast_threshold)


def _stretched(pixels: np.ndarray) -> np.ndarray:
    """Grey levels stretched so that the 1st-99th percentiles span 0-255: the aligned check's
    flatness test then means the same on a dark or hazy picture as on a well exposed one."""
    lo, hi = np.percentile(pixels, (1, 99))
    return np.clip((pixels.astype(np.float32) - lo) * (255 / max(float(hi - lo), 8.0)), 0, 255).astype(np.uint8)


def extract(image: Image.Image, features: int = MAX_FEATURES) -> Keypoints:
    """ORB keypoints of a picture (as `open_image` returns it), strongest first.

    When fewer than FEW_FEATURES are found (a dark video frame, a hazy or flat picture), the search
    is made again on the picture equalised by CLAHE with a lower FAST threshold."""
    import cv2

    grey = image.convert("L")
    side = max(grey.size)
    scale = SIDE / side
    if abs(scale - 1) > 0.02:  # one scale for bank and query: ORB's 8-level pyramid spans only 3.6x
        # a tiny picture brought up by Lanczos: its corners survive turning better than bilinear's
        grey = grey.resize((max(1, round(grey.width * scale)), max(1, round(grey.height * scale))),
                           Image.Resampling.LANCZOS if scale > 2 else Image.Resampling.BILINEAR)
    pixels = np.asarray(grey)
    found, descriptors = _orb(features, FAST_THRESHOLD).detectAndCompute(pixels, None)  # type: ignore[attr-defined]
    corners = 0 if descriptors is None else len(found)
    spread = _spread(found, pixels.shape)
    # the whole-picture stage's thumbnail, for pictures with too little texture for keypoints alone
    smooth = corners < SMOOTH_BANK_CORNERS or side < 2 * TINY_SIDE or spread < SMOOTH_SPREAD
    colour = colour_thumbnail(image) if smooth else None
    if descriptors is None or len(found) < FEW_FEATURES:
        equalised = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8)).apply(pixels)
        found, descriptors = _orb(features, FAST_THRESHOLD_LOW).detectAndCompute(equalised, None)  # type: ignore[attr-defined]
    stretched = _stretched(pixels)
    thumb = cv2.resize(stretched, (THUMB, THUMB), interpolation=cv2.INTER_AREA)
    if descriptors is None or not found:
        return Keypoints(grey.width, grey.height, np.zeros((0, 2), np.float32), np.zeros((0, 32), np.uint8), thumb,
                         stretched, corners, colour, side, spread)
    order = np.argsort([-k.response for k in found], kind="stable")[:features]
    points = np.array([found[i].pt for i in order], dtype=np.float32)
    return Keypoints(grey.width, grey.height, points, descriptors[order], thumb, stretched, corners, colour, side,
                     spread)


def _spread(found: Any, shape: tuple[int, ...]) -> float:
    """Share of the cells of a SPREAD_GRID² grid over the picture that hold at least one keypoint."""
    if not found:
        return 0.0
    h, w = shape[:2]
    xy = np.array([k.pt for k in found], np.float32)
    cells = (np.minimum(xy[:, 1] * SPREAD_GRID / h, SPREAD_GRID - 1).astype(int) * SPREAD_GRID
             + np.minimum(xy[:, 0] * SPREAD_GRID / w, SPREAD_GRID - 1).astype(int))
    return len(np.unique(cells)) / SPREAD_GRID ** 2


def query_variants(image: Image.Image) -> Iterator[tuple[str, Keypoints]]:
    """What a query tries, one at a time (a caller stops once one matched): the picture, then its
    mirror image (ORB is rotation- but not mirror-invariant); QUERY_FEATURES keypoints each."""
    yield "keypoints", extract(image, QUERY_FEATURES)
    yield "keypoints_mirror", extract(image.transpose(Image.Transpose.FLIP_LEFT_RIGHT), QUERY_FEATURES)


def query_sets(image: Image.Image) -> list[tuple[str, Keypoints]]:
    """Both of `query_variants` at once."""
    return list(query_variants(image))


def pack(kp: Keypoints) -> bytes:
    """header, THUMB² grey bytes, x/y as 1/8-pixel uint16, descriptors (the grey picture is not kept),
    then, for a low-texture picture only, its COLOUR² Lab thumbnail (older blobs end before it)."""
    xy = np.clip(np.rint(kp.points * 8), 0, 65535).astype("<u2")
    colour = b"" if kp.colour is None else kp.colour.astype(np.uint8).tobytes()
    return (_HEADER.pack(kp.width, kp.height, len(kp)) + kp.thumb.astype(np.uint8).tobytes() + xy.tobytes()
            + kp.descriptors.astype(np.uint8).tobytes() + colour)


def unpack(data: bytes) -> Keypoints:
    width, height, count = _HEADER.unpack_from(data)
    start = _HEADER.size
    thumb = np.frombuffer(data, np.uint8, THUMB * THUMB, start).reshape(THUMB, THUMB)
    start += THUMB * THUMB
    xy = np.frombuffer(data, "<u2", count * 2, start).reshape(count, 2).astype(np.float32) / 8
    desc = np.frombuffer(data, np.uint8, count * 32, start + count * 4).reshape(count, 32)
    end = start + count * 36
    colour = None
    if len(data) - end == COLOUR * COLOUR * 3:
        colour = np.frombuffer(data, np.uint8, COLOUR * COLOUR * 3, end).reshape(COLOUR, COLOUR, 3)
    return Keypoints(width, height, xy, desc, thumb, colour=colour)


# --- the coarse index: a visual vocabulary -------------------------------------------------------


VOCABULARY_FILE = Path(__file__).with_name("orb_vocabulary.npz")


class Vocabulary:
    """Binary visual words: an ORB descriptor is assigned to the nearest of `len(self)` binary
    centroids (Hamming) in two steps, like a vocabulary tree: the nearest coarse centroid, then the
    nearest word filed under it (~2 × 256 comparisons a descriptor instead of 65,536)."""

    def __init__(self, coarse: np.ndarray, words: np.ndarray, cells: np.ndarray | None = None) -> None:
        self.coarse = np.ascontiguousarray(coarse, np.uint8)
        self.words = np.ascontiguousarray(words, np.uint8)
        self.cells = _nearest(self.words, self.coarse) if cells is None else np.asarray(cells, np.int64)
        order = np.argsort(self.cells, kind="stable")
        counts = np.bincount(self.cells, minlength=len(self.coarse))
        width = max(1, int(counts.max()))
        # per cell, its words' numbers (-1 past the last) and descriptors, padded to the widest cell
        self._ids = np.full((len(self.coarse), width), -1, np.int64)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        column = np.arange(len(order)) - np.repeat(starts, counts)
        self._ids[self.cells[order], column] = order
        self._by_cell = _as_u64(self.words)[np.maximum(self._ids, 0)]  # (cells, width, 4)
        self._coarse64 = _as_u64(self.coarse)

    def __len__(self) -> int:
        return len(self.words)

    def assign(self, descriptors: np.ndarray) -> np.ndarray:
        """(n, 32) uint8 descriptors -> (n,) int64 word numbers."""
        descriptors = np.ascontiguousarray(descriptors, np.uint8)
        if len(descriptors) == 0:
            return np.zeros(0, np.int64)
        packed = _as_u64(descriptors)
        cell = _nearest(packed, self._coarse64)
        ids = self._ids[cell]
        distance = _popcount4(self._by_cell[cell] ^ packed[:, None, :])
        distance[ids < 0] = 999
        return ids[np.arange(len(ids)), distance.argmin(axis=1)]

    def save(self, path: Path) -> None:
        np.savez_compressed(path, coarse=self.coarse, words=self.words, cells=self.cells)

    @classmethod
    def load(cls, path: Path = VOCABULARY_FILE) -> Vocabulary:
        with np.load(path) as data:
            return cls(data["coarse"], data["words"], data["cells"] if "cells" in data else None)


def _as_u64(descriptors: np.ndarray) -> np.ndarray:
    """(n, 32) uint8 -> (n, 4) uint64: popcounts of XORs four words at a time."""
    return np.ascontiguousarray(descriptors, np.uint8).view(np.uint64)


def _popcount4(words: np.ndarray) -> np.ndarray:
    """Bits set in (..., 4) uint64 -> (...) int16 (summed column by column: faster than .sum(axis))."""
    count = np.bitwise_count(words).astype(np.int16)
    return count[..., 0] + count[..., 1] + count[..., 2] + count[..., 3]


def _nearest(descriptors: np.ndarray, centroids: np.ndarray, chunk: int = 2048) -> np.ndarray:
    """Index of the nearest centroid (Hamming) of each descriptor; (n, 32) uint8 or (n, 4) uint64."""
    if descriptors.dtype == np.uint8:
        descriptors, centroids = _as_u64(descriptors), _as_u64(centroids)
    out = np.empty(len(descriptors), np.int64)
    for at in range(0, len(descriptors), chunk):
        out[at:at + chunk] = _popcount4(descriptors[at:at + chunk, None, :] ^ centroids[None, :, :]).argmin(axis=1)
    return out


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    return Vocabulary.load()


def _k_majority(data: np.ndarray, k: int, iterations: int, rng: np.random.Generator) -> np.ndarray:
    """Binary k-means (k-majority): Hamming assignment, then each centroid bit is its members' majority."""
    import faiss

    distinct = np.unique(data, axis=0)
    centroids = distinct[rng.choice(len(distinct), min(k, len(distinct)), replace=False)]
    bits = np.unpackbits(data, axis=1)
    for _ in range(iterations):
        index = faiss.IndexBinaryFlat(256)
        index.add(centroids)
        _, label = index.search(data, 1)
        order = np.argsort(label[:, 0], kind="stable")
        filled, starts, counts = np.unique(label[order, 0], return_index=True, return_counts=True)
        sums = np.add.reduceat(bits[order].astype(np.int32), starts, axis=0)
        centroids[filled] = np.packbits(sums * 2 > counts[:, None], axis=1)
    return centroids


def train_vocabulary(descriptors: np.ndarray, coarse: int = COARSE_WORDS, per_cell: int = WORDS_PER_CELL,
                     members_a_word: int = 2, iterations: int = 8, seed: int = _KEY_RNG_SEED) -> Vocabulary:
    """Two-level binary k-means over (n, 32) ORB descriptors: `coarse` cells, then up to `per_cell`
    words in each (fewer where a cell has fewer than `members_a_word` descriptors a word)."""
    import faiss

    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)  # many small searches: its thread pool costs more than it gives
    try:
        rng = np.random.default_rng(seed)
        data = np.ascontiguousarray(descriptors, np.uint8)
        top = _k_majority(data, coarse, iterations, rng)
        label = _nearest(data, top)
        words, cells = [], []
        for cell in range(len(top)):
            members = data[label == cell]
            if len(members):
                words.append(_k_majority(members, max(1, min(per_cell, len(members) // members_a_word)), iterations, rng))
                cells.append(np.full(len(words[-1]), cell))
    finally:
        faiss.omp_set_num_threads(threads)
    return Vocabulary(top, np.concatenate(words), np.concatenate(cells))


class KeypointIndex:
    """Inverted file from visual words to banked items, with IDF weights and a cap on postings read.

    `add` files an item's strongest `INDEX_FEATURES` descriptors under their words (each word once an
    item), appending to that word's posting list: no rebuild, no re-sort. `shortlist` reads the lists
    of the query's words rarest first, until `POSTINGS_READ` postings are read (words in more than
    `STOP_SHARE` of the items are stop words, never read), and ranks the items by the IDF weights of
    the words they share with the query: a query reads a bounded number of postings whatever the
    size of the bank."""

    def __init__(self, vocabulary: Vocabulary | None = None) -> None:
        self.vocabulary = vocabulary or default_vocabulary()
        self.items: list[int] = []  # item number -> caller's id (a signal id)
        self._lists: list[np.ndarray | None] = [None] * len(self.vocabulary)
        self._sizes = np.zeros(len(self.vocabulary), np.int64)

    def __len__(self) -> int:
        return len(self.items)

    def words(self, descriptors: np.ndarray) -> np.ndarray:
        """The distinct words of an item's strongest INDEX_FEATURES descriptors."""
        return np.unique(self.vocabulary.assign(descriptors[:INDEX_FEATURES]))

    def add(self, item_id: int, descriptors: np.ndarray) -> None:
        words = self.words(descriptors)
        self._append(words, np.full(len(words), len(self.items), np.int32))
        self.items.append(item_id)

    def add_words(self, item_ids: np.ndarray, words: np.ndarray, owners: np.ndarray) -> None:
        """Bulk load (benchmarks): `words` (m,) of items `owners` (m,), local numbers from 0 for
        `item_ids`; a word given twice for one item is filed once."""
        base = len(self.items)
        pairs = np.unique(owners.astype(np.int64) * len(self.vocabulary) + words.astype(np.int64))
        self.items.extend(int(i) for i in item_ids)
        self._append(pairs % len(self.vocabulary), (pairs // len(self.vocabulary) + base).astype(np.int32))

    def _append(self, words: np.ndarray, owners: np.ndarray) -> None:
        order = np.argsort(words, kind="stable")
        words, owners = words[order], owners[order]
        distinct, starts, counts = np.unique(words, return_index=True, return_counts=True)
        for word, start, count in zip(distinct.tolist(), starts.tolist(), counts.tolist()):
            size = int(self._sizes[word])
            postings = self._lists[word]
            if postings is None or len(postings) < size + count:
                grown = np.empty(max(size + count, 2 * size, 4), np.int32)
                if postings is not None:
                    grown[:size] = postings[:size]
                self._lists[word] = postings = grown
            postings[size:size + count] = owners[start:start + count]
            self._sizes[word] = size + count

    def memory_bytes(self) -> int:
        """Posting lists (4 bytes a posting, as allocated) + list sizes + the items' ids."""
        allocated = sum(len(p) for p in self._lists if p is not None)
        return 4 * allocated + self._sizes.nbytes + 8 * len(self.items) + self.vocabulary.words.nbytes

    def shortlist(self, descriptors: np.ndarray, limit: int = SHORTLIST) -> list[tuple[int, int]]:
        """(item id, shared words) of the items sharing the most IDF weight with the query, best first
        (at least MIN_VOTES shared words)."""
        if not self.items or len(descriptors) == 0:
            return []
        words = np.unique(self.vocabulary.assign(descriptors))
        df = self._sizes[words]
        keep = (df > 0) & (df <= max(STOP_MIN, STOP_SHARE * len(self.items)))
        words, df = words[keep], df[keep]
        order = np.argsort(df, kind="stable")
        words, df = words[order], df[order]
        within = np.cumsum(df) <= POSTINGS_READ
        within[:1] = True  # the rarest word is always read
        words, df = words[within], df[within]
        if not len(words):
            return []
        hits = np.concatenate([self._lists[w][:d] for w, d in zip(words.tolist(), df.tolist())])  # type: ignore[index]
        idf = np.log(len(self.items) / df)
        votes = np.bincount(hits, minlength=len(self.items))
        score = np.bincount(hits, weights=np.repeat(idf, df), minlength=len(self.items))
        score[votes < MIN_VOTES] = 0
        top = np.argpartition(-score, limit)[:limit] if len(score) > limit else np.arange(len(score))
        top = top[np.argsort(-score[top], kind="stable")]
        return [(self.items[i], int(votes[i])) for i in top.tolist() if score[i] > 0]


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


def verify_candidates(query: Keypoints, shortlist: list[tuple[int, int]],
                      banked: dict[int, Keypoints]) -> list[tuple[int, Verified]]:
    """Verify a shortlist best first. Once one candidate is confirmed, the rest are verified only when
    they share at least half its votes (the same picture banked again, in another bank): the cost
    of a query that matches stops at the first match."""
    confirmed: list[tuple[int, Verified]] = []
    enough = 0
    for item, votes in shortlist:
        if item not in banked or votes < enough:
            continue
        verified = verify(query, banked[item])
        if verified:
            confirmed.append((item, verified))
            enough = enough or (votes + 1) // 2
    return confirmed


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


# --- the whole-picture stage: low-texture pictures (gradients, walls) and tiny ones ---------------
#
# A smooth picture has too few corners for keypoints, and PDQ misses its crops for the same reason
# as any picture's. What it does have is its layout of colour: a COLOUR² Lab thumbnail is kept for
# each banked picture with fewer than SMOOTH_BANK_CORNERS keypoints, filed in `SmoothIndex` (a
# 9-number colour summary a picture, scanned flat), and a low-texture query (fewer than
# SMOOTH_CORNERS keypoints) is compared with the closest few under a search over the crop's size and
# place (and the mirror image): it matches when most of its pixels meet the banked region's colours
# and the banked region has enough colour structure for that to mean something.

COLOUR = 32  # side of the stored Lab thumbnail (3 KB, low-texture pictures only)
SMOOTH_BANK_CORNERS = MAX_FEATURES  # a banked picture with fewer gets a colour thumbnail
# a query with fewer keypoints at the normal FAST threshold is tried by the whole-picture stage: as many
# as a banked picture may have, because a logo or caption stamped on a smooth picture brings it 100-300
SMOOTH_CORNERS = SMOOTH_BANK_CORNERS
TINY_SIDE = 128  # a query this small (long side, px) is tried by the whole-picture stage whatever its corners
# ... and so is one whose corners fill less than this share of an 8 x 8 grid's cells: the corners of a
# caption bar or a logo on a smooth picture (0.06-0.14; the tuning pool's textured pictures 0.23-1.0)
SPREAD_GRID = 8
SMOOTH_SPREAD = 0.20
SMOOTH_GRID = 16  # the comparison grid
SMOOTH_FRACTIONS = tuple(round(0.70 + 0.03 * i, 2) for i in range(11))  # the share of the banked picture a query shows, per axis
SMOOTH_OFFSET_STEP = 0.02
SMOOTH_ASPECT = 0.08  # |log| of the aspect ratio the search may disagree with
SMOOTH_SHORTLIST = 5
SMOOTH_COARSE_RADIUS = 40.0  # 8-bit Lab units between colour summaries
SMOOTH_TAU = 12.0  # a pixel meets the banked one within this colour distance (8-bit Lab)
SMOOTH_MIN_INLIERS = 0.80
SMOOTH_TAU_SPREAD = 0.4  # ... or within this share of the banked region's colour spread
SMOOTH_MIN_EXPLAINED = 0.85
SMOOTH_MIN_SIGNAL = 3.0  # the banked region's colour spread (8-bit Lab): a flat picture says nothing
SMOOTH_NEAR = 1  # a query cell meets the banked cells within this many cells of its place
SMOOTH_MAX_BAND = 7  # rows of SMOOTH_GRID a caption band along the top or bottom may hide (44 %)


def _outside_band(inlier: np.ndarray) -> np.ndarray:
    """The grid's rows to judge by: all of them, unless too few cells agree and the rows that
    mostly disagree are a band of at most SMOOTH_MAX_BAND rows along the top or the bottom edge
    (a caption bar or a ticker drawn over the picture): then the rows outside it."""
    keep = np.ones(len(inlier), bool)
    if inlier.mean() >= SMOOTH_MIN_INLIERS:
        return keep
    bad = inlier.mean(axis=1) < 0.5
    top = int(np.argmin(bad)) if not bad.all() else len(bad)
    bottom = int(np.argmin(bad[::-1])) if not bad.all() else len(bad)
    band = max(top, bottom)
    if 0 < band <= SMOOTH_MAX_BAND:
        if bottom > top:
            keep[len(keep) - bottom:] = False
        else:
            keep[:top] = False
    return keep


@dataclass(frozen=True)
class SmoothVerified:
    inliers: float  # share of the query's grid cells within SMOOTH_TAU of the banked region
    explained: float  # 1 - residual / the banked region's own colour variance, over those cells
    mirrored: bool


def colour_thumbnail(image: Image.Image) -> np.ndarray:
    """(COLOUR, COLOUR, 3) uint8 Lab (OpenCV's 8-bit Lab) of the whole picture, aspect not kept."""
    import cv2

    rgb = np.asarray(image.convert("RGB"))
    small = cv2.resize(rgb, (COLOUR, COLOUR), interpolation=cv2.INTER_AREA)
    return cv2.cvtColor(small, cv2.COLOR_RGB2Lab)


def colour_summary(colour: np.ndarray) -> np.ndarray:
    """9 numbers a crop and a mirror barely move: mean Lab of the central 60 %, of its top and bottom halves."""
    c = COLOUR // 5
    centre = colour[c:COLOUR - c, c:COLOUR - c].astype(np.float32)
    half = len(centre) // 2
    return np.concatenate([centre.mean(axis=(0, 1)), centre[:half].mean(axis=(0, 1)), centre[half:].mean(axis=(0, 1))])


class SmoothIndex:
    """Low-texture banked pictures' colour summaries, scanned flat (9 float32 a picture)."""

    def __init__(self) -> None:
        self.items: list[int] = []
        self._vectors = np.zeros((0, 9), np.float32)

    def __len__(self) -> int:
        return len(self.items)

    def add(self, item_id: int, colour: np.ndarray) -> None:
        self.add_many([item_id], colour_summary(colour)[None, :])

    def add_many(self, item_ids: list[int], summaries: np.ndarray) -> None:
        size = len(self.items)
        if size + len(item_ids) > len(self._vectors):
            grown = np.zeros((max(size + len(item_ids), 2 * len(self._vectors), 16), 9), np.float32)
            grown[:size] = self._vectors[:size]
            self._vectors = grown
        self._vectors[size:size + len(item_ids)] = summaries
        self.items.extend(item_ids)

    def memory_bytes(self) -> int:
        return self._vectors.nbytes + 8 * len(self.items)

    def shortlist(self, colour: np.ndarray, limit: int = SMOOTH_SHORTLIST, *, occluded: bool = False
                  ) -> list[tuple[int, float]]:
        """(item id, distance) of the closest summaries within SMOOTH_COARSE_RADIUS, closest first.
        `occluded` (a query whose corners sit in a small part of it: a caption or logo over it): a
        summary is as close as the closer of its halves alone, scaled to the whole."""
        if not self.items:
            return []
        squared = (self._vectors[:len(self.items)] - colour_summary(colour)) ** 2
        total = squared.sum(axis=1)
        if occluded:
            total = np.minimum(total, 3 * np.minimum(squared[:, 3:6].sum(axis=1), squared[:, 6:9].sum(axis=1)))
        distance = np.sqrt(total)
        top = np.argpartition(distance, limit)[:limit] if len(distance) > limit else np.arange(len(distance))
        top = top[np.argsort(distance[top], kind="stable")]
        return [(self.items[i], float(distance[i])) for i in top.tolist() if distance[i] <= SMOOTH_COARSE_RADIUS]


@lru_cache(maxsize=1)
def _placements() -> list[tuple[float, np.ndarray, np.ndarray, np.ndarray]]:
    """Per fraction of one axis the search tries, where its offsets' SMOOTH_GRID cells fall on the
    banked thumbnail's pixels: (fraction, low pixel, high pixel, weight of the high one), each
    (offsets, SMOOTH_GRID). Bilinear sampling by gathers, not matrix products (BLAS threads spin
    for products this small)."""
    out = []
    for f in SMOOTH_FRACTIONS:
        offsets = np.arange(0.0, 1.0 - f + 1e-9, SMOOTH_OFFSET_STEP)
        at = (offsets[:, None] + f * (np.arange(SMOOTH_GRID) + 0.5) / SMOOTH_GRID) * COLOUR - 0.5
        at = np.clip(at, 0, COLOUR - 1)
        low = np.floor(at).astype(np.intp)
        out.append((f, low, np.minimum(low + 1, COLOUR - 1), (at - low).astype(np.float32)))
    return out


def smooth_verify(query: Keypoints, banked: Keypoints) -> SmoothVerified | None:
    """The query's colour grid against every placement of a crop in the banked thumbnail whose aspect
    agrees with the query's (and mirrored): the best placement by truncated squared colour distance,
    then the acceptance tests."""
    import cv2

    if query.colour is None or banked.colour is None:
        return None
    bank = banked.colour.astype(np.float32)
    query_aspect = np.log(query.width / max(1, query.height))
    banked_aspect = np.log(banked.width / max(1, banked.height))
    grid = cv2.resize(query.colour, (SMOOTH_GRID, SMOOTH_GRID), interpolation=cv2.INTER_AREA).astype(np.float32)
    grids = np.stack([grid, grid[:, ::-1]])  # (2, i, j, c): as is, mirrored
    best: tuple[float, bool, np.ndarray, np.ndarray] | None = None  # cost, mirrored, query grid, banked region
    placements = _placements()
    for fy, y0, y1, wy in placements:
        rows = bank[y0] * (1 - wy)[..., None, None] + bank[y1] * wy[..., None, None]  # (oy, i, x, c)
        for fx, x0, x1, wx in placements:
            if abs(np.log(fx / fy) + banked_aspect - query_aspect) > SMOOTH_ASPECT:
                continue
            # (oy, i, ox, j, c) -> (oy, ox, i, j, c)
            regions = (rows[:, :, x0] * (1 - wx)[..., None] + rows[:, :, x1] * wx[..., None]).transpose(0, 2, 1, 3, 4)
            distance = ((regions[None] - grids[:, None, None]) ** 2).sum(axis=-1)  # (2, oy, ox, i, j)
            cost = np.minimum(distance, SMOOTH_TAU ** 2).mean(axis=(3, 4))
            m, a, b = np.unravel_index(int(np.argmin(cost)), cost.shape)
            if best is None or cost[m, a, b] < best[0]:
                best = (float(cost[m, a, b]), bool(m), grids[m], regions[a, b])
    if best is None:
        return None
    _, mirrored, grid, region = best
    # each cell against the banked cells around its place: a tiny picture's edges move by a cell
    # under resampling and JPEG, and a smooth picture's colours barely change within one
    padded = np.pad(region, ((1, 1), (1, 1), (0, 0)), mode="edge")
    distance = np.min([((padded[1 + dy:1 + dy + SMOOTH_GRID, 1 + dx:1 + dx + SMOOTH_GRID] - grid) ** 2).sum(axis=-1)
                       for dy in range(-SMOOTH_NEAR, SMOOTH_NEAR + 1) for dx in range(-SMOOTH_NEAR, SMOOTH_NEAR + 1)],
                      axis=0)
    # a pixel meets the banked one within SMOOTH_TAU, or within a share of the region's own spread
    # (a detailed tiny picture's edges move by a pixel under JPEG and resampling)
    overall = float(((region - region.mean(axis=(0, 1))) ** 2).sum(axis=-1).mean())
    tau = max(SMOOTH_TAU, SMOOTH_TAU_SPREAD * np.sqrt(overall))
    inlier = distance < tau ** 2
    # only for a query whose corners say something is stamped on it: a band of smooth-against-smooth
    # disagreement is how two unrelated gradients differ (the false-match pool's one false pair)
    rows = _outside_band(inlier) if query.occluded else np.ones(len(inlier), bool)
    share = float(inlier[rows].mean())
    if share < SMOOTH_MIN_INLIERS:
        return None
    inlier &= rows[:, None]
    spread = region[inlier] - region[inlier].mean(axis=0)
    variance = float((spread ** 2).sum(axis=-1).mean())
    if variance < SMOOTH_MIN_SIGNAL ** 2:
        return None
    explained = 1.0 - float(distance[inlier].mean()) / variance
    if explained < SMOOTH_MIN_EXPLAINED:
        return None
    return SmoothVerified(round(share, 3), round(explained, 3), mirrored)

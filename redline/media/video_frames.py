"""Video key frames through the picture stages: windows, rotations/mirrors and keypoints.

vPDQ compares whole frames, so a re-upload of a banked video that is cropped (PDQ moves ~29 bits
for a 1 % shift) or mirrored misses it. Here a video's *key frames* go through what pictures get:

* `key_frames`: frames decoded one a second (PyAV), PDQ-hashed; a frame starts a new scene when
  its PDQ is more than `SCENE_BITS` from every key frame kept so far (vPDQ's own deduplication of
  near-identical frames, with a wider radius) and its quality is ≥ 50. At most `MAX_KEY_FRAMES`
  are kept, spread evenly over the scenes found, so the cost per video is bounded: one decode at
  1 fps, then ≤ 12 pictures through the stages whatever the length.
* `bank_records` (at `media bank add VIDEO`): for each key frame, its PDQ with the picture's derived
  hashes (`robust.bank_hashes`: bars trimmed, the ten windows) and its ORB keypoints
  (`keypoints.extract`), each derived from the video's own vPDQ record of the same add (`variant`
  `kf@12s`, `kf@12s/centre_80`…), so the video and its key frames are banked in one transaction, a
  hit on any of them is reported as the banked video, they are disabled with it and left out of exports.
* `match_key_frames` (at `media match VIDEO`): the query's key frames are hashed as robust picture
  queries (`robust.query_hashes`: eight orientations, bars, windows, small rotations) against the
  PDQ index at the strict threshold; when that finds no banked video, their keypoints (and their
  mirror images') are looked up in a keypoint index of the banked key frames only (so a bank of
  millions of pictures does not crowd videos out of the shortlist) and verified with RANSAC.
  A banked video matches when at least `MIN_FRAMES` of the query's key frames (or all of them,
  when it has fewer) match its key frames.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

SAMPLE_SECONDS = 1.0
SCENE_BITS = 40  # a frame further than this from every key frame kept so far starts a new scene
MAX_KEY_FRAMES = 12
MIN_QUALITY = 50
MIN_FRAMES = 2  # query key frames that must agree on one banked video
VARIANT_PREFIX = "kf@"


@dataclass(frozen=True)
class KeyFrame:
    timestamp: float
    image: Image.Image  # RGB, long side ≤ 512 px (what PDQ and ORB see)
    pdq: str
    quality: int

    @property
    def variant(self) -> str:
        return f"{VARIANT_PREFIX}{self.timestamp:.0f}s"


def key_frames(path: Path | str, *, every: float = SAMPLE_SECONDS, cap: int = MAX_KEY_FRAMES) -> list[KeyFrame]:
    """Key frames of a video: one representative a scene, at most `cap`, evenly spread over the scenes."""
    from redline.media.hashing import pdq_of_image, sample_frames, shrink
    from redline.media.signals import hamming_hex

    scenes: list[KeyFrame] = []
    for ts, image in sample_frames(path, every):
        shrink(image)
        pdq = pdq_of_image(image)
        if pdq.quality < MIN_QUALITY:
            continue
        if all(hamming_hex(pdq.hex, k.pdq) > SCENE_BITS for k in scenes):
            scenes.append(KeyFrame(round(ts, 3), image, pdq.hex, pdq.quality))
    if len(scenes) <= cap:
        return scenes
    step = len(scenes) / cap
    return [scenes[int(i * step)] for i in range(cap)]


# --- banking --------------------------------------------------------------------------------------


@dataclass
class KeyFrameRecords:
    records: list[Any]  # banks.SignalRecord: PDQ records derived from the video's vPDQ record
    variants: dict[str, str]  # pdq value -> variant (kf@12s, kf@12s/centre_80, …)
    frames: int


def bank_records(path: Path | str, *, parent: int, content_id: str | None = None, labels: list[str] | None = None,
                 contributor: str | None = None) -> KeyFrameRecords:
    """The PDQ records (with keypoints on each key frame's own hash) to add for a video's key frames, each
    derived from the record at index `parent` of the same `banks.add_signals` call: the video's vPDQ.
    One call banks the video, its key frames and its TMK hash in one transaction."""
    from redline.media import keypoints
    from redline.media.banks import SignalRecord
    from redline.media.robust import bank_hashes

    frames = key_frames(path)
    records: list[Any] = []
    variants: dict[str, str] = {}
    for frame in frames:
        for i, q in enumerate(bank_hashes(frame.image)):
            if q.pdq in variants:
                continue
            variant = variants[q.pdq] = frame.variant if i == 0 else f"{frame.variant}/{q.variant}"
            record = SignalRecord("pdq", q.pdq, content_id, list(labels or []), contributor, quality=q.quality,
                                  derived_from=parent, variant=variant)
            if i == 0:
                record.keypoints = keypoints.pack(keypoints.extract(frame.image))
            records.append(record)
    return KeyFrameRecords(records, variants, len(frames))


# --- matching -------------------------------------------------------------------------------------


@dataclass
class KeyFrameResult:
    matches: list[Any] = field(default_factory=list)  # matcher.Match
    suppressed: list[Any] = field(default_factory=list)
    frames: int = 0
    seconds: float = 0.0


class FrameIndex:
    """A coarse index of banked key frames' ORB descriptors: each frame's `INDEX_FEATURES` strongest
    descriptors filed under `TABLES` keys of `KEY_BITS` fixed random descriptor bits (locality-sensitive
    hashing in Hamming space); a query's descriptors vote for the frames filed under the same keys.
    Only videos' key frames are filed (≤ 12 a video), apart from banked pictures."""

    INDEX_FEATURES = 150
    KEY_BITS = 16
    TABLES = 4
    SHORTLIST = 8
    MIN_VOTES = 3

    def __init__(self) -> None:
        import numpy as np

        rng = np.random.default_rng(20261203)
        self._bits = np.stack([rng.choice(256, self.KEY_BITS, replace=False) for _ in range(self.TABLES)])
        self._weights = (1 << np.arange(self.KEY_BITS, dtype=np.int64))[::-1]
        self.items: list[int] = []
        self._keys = [np.zeros(0, np.int64) for _ in range(self.TABLES)]
        self._owners = [np.zeros(0, np.int32) for _ in range(self.TABLES)]

    def __len__(self) -> int:
        return len(self.items)

    def _descriptor_keys(self, descriptors: Any) -> Any:
        import numpy as np

        bits = np.unpackbits(descriptors, axis=1)
        return np.stack([bits[:, self._bits[t]].astype(np.int64) @ self._weights for t in range(self.TABLES)])

    def add(self, item_id: int, descriptors: Any) -> None:
        self.add_many([(item_id, descriptors)])

    def add_many(self, frames: list[tuple[int, Any]]) -> None:
        """File frames (id, descriptors) in one merge: each table is re-sorted once, not once a frame."""
        import numpy as np

        keys: list[Any] = []
        owners: list[Any] = []
        for item_id, descriptors in frames:
            if len(descriptors) == 0:
                continue
            keys.append(self._descriptor_keys(descriptors[:self.INDEX_FEATURES]))
            owners.append(np.full(keys[-1].shape[1], len(self.items), np.int32))
            self.items.append(item_id)
        if not keys:
            return
        new_keys, new_owners = np.concatenate(keys, axis=1), np.concatenate(owners)
        for t in range(self.TABLES):
            merged = np.concatenate([self._keys[t], new_keys[t]])
            order = np.argsort(merged, kind="stable")
            self._keys[t] = merged[order]
            self._owners[t] = np.concatenate([self._owners[t], new_owners])[order]

    def shortlist(self, descriptors: Any, limit: int | None = None) -> list[int]:
        """Ids of the frames sharing the most descriptor keys with the query (≥ MIN_VOTES), best first."""
        import numpy as np

        if not self.items or len(descriptors) == 0:
            return []
        keys = self._descriptor_keys(descriptors)
        hits: list[Any] = []
        for t in range(self.TABLES):
            query = np.unique(keys[t])
            lo = np.searchsorted(self._keys[t], query, "left")
            hi = np.searchsorted(self._keys[t], query, "right")
            hits.extend(self._owners[t][a:b] for a, b in zip(lo, hi) if b > a)
        if not hits:
            return []
        votes = np.bincount(np.concatenate(hits), minlength=len(self.items))
        order = np.argsort(-votes, kind="stable")[:limit or self.SHORTLIST]
        return [self.items[i] for i in order if votes[i] >= self.MIN_VOTES]


class KeyFrameKeypoints:
    """`FrameIndex` of the banked videos' key frames, caught up with the store by revision."""

    def __init__(self) -> None:
        self.index = FrameIndex()
        self.parent: dict[int, int] = {}  # key-frame signal id -> video's vPDQ signal id
        self.rev = 0

    def refresh(self, store: Any) -> None:
        from sqlalchemy import and_, select

        from redline.media import tables as t
        from redline.media.banks import current_rev
        from redline.media.keypoints import unpack

        with store.connect() as conn:
            rev = current_rev(conn)
            if rev <= self.rev:
                return
            rows = conn.execute(
                select(t.keypoints.c.signal_id, t.keypoints.c.data, t.derived.c.parent_id)
                .join(t.derived, t.derived.c.signal_id == t.keypoints.c.signal_id)
                .join(t.signals, t.signals.c.id == t.keypoints.c.signal_id)
                .where(and_(t.derived.c.variant.like(VARIANT_PREFIX + "%"), t.signals.c.rev > self.rev,
                            t.signals.c.rev <= rev))
                .order_by(t.keypoints.c.signal_id))
            fresh: list[tuple[int, Any]] = []
            for r in rows:
                if r.signal_id not in self.parent:
                    fresh.append((r.signal_id, unpack(r.data).descriptors))
                    self.parent[r.signal_id] = r.parent_id
            self.index.add_many(fresh)
        self.rev = rev


_keypoint_indexes: dict[tuple[str, str], KeyFrameKeypoints] = {}  # (url, store id) -> index
_keypoint_lock = threading.Lock()  # streams' key-frame threads share the index: one catches it up at a time


def keypoint_index(store: Any) -> KeyFrameKeypoints:
    """This process's `KeyFrameKeypoints` of a store, caught up with it (new key frames only are read;
    disabled and deleted ones are left out at query time by `Matcher._live`)."""
    from redline.media.banks import store_identity

    key = (store.url, store_identity(store))  # a store made again at the same place starts over
    with _keypoint_lock:
        index = _keypoint_indexes.get(key)
        if index is None:
            index = _keypoint_indexes[key] = KeyFrameKeypoints()
        index.refresh(store)
    return index


def _blobs(store: Any, ids: list[int]) -> dict[int, bytes]:
    from sqlalchemy import select

    from redline.media import tables as t

    with store.connect() as conn:
        return dict(conn.execute(select(t.keypoints.c.signal_id, t.keypoints.c.data)
                                 .where(t.keypoints.c.signal_id.in_(ids))).all())


def match_key_frames(matcher: Any, path: Path | str, *, keypoint_index: KeyFrameKeypoints | None = None,
                     keypoints_stage: bool = True) -> KeyFrameResult:
    """Banked videos (and pictures) that the query video's key frames match through the picture stages."""
    from redline.media.index import hex_to_codes
    from redline.media.robust import RobustPolicy, query_hashes

    started = time.perf_counter()
    matcher.refresh()
    frames = key_frames(path)
    result = KeyFrameResult(frames=len(frames))
    if not frames:
        return result
    need = min(MIN_FRAMES, len(frames))
    policy = RobustPolicy(min_quality=matcher.min_quality)
    queries: list[tuple[int, Any]] = []
    for n, frame in enumerate(frames):
        queries.extend((n, q) for q in query_hashes(frame.image, policy) if q.quality >= matcher.min_quality)
    hits: list[tuple[int, int, str]] = []
    frames_of: dict[int, set[int]] = {}  # banked hash hit -> query key frames that hit it
    if queries:
        for hit in matcher.index.search_pdq(hex_to_codes([q.pdq for _, q in queries]), matcher.threshold):
            n, q = queries[hit.query]
            if hit.distance <= matcher.strict_threshold:  # every pairing here is a variant or a derived hash
                hits.append((hit.signal_id, hit.distance, f"keyframe@{frames[n].timestamp:.1f}s:{q.variant}"))
                frames_of.setdefault(hit.signal_id, set()).add(n)
    meta = matcher._metadata({h[0] for h in hits}) if hits else {}
    by_parent: dict[int, set[int]] = {}
    for signal_id, ns in frames_of.items():
        m = meta.get(signal_id)
        if m is not None:
            by_parent.setdefault(_owner(m, signal_id), set()).update(ns)
    agreed = {p for p, ns in by_parent.items() if len(ns) >= need}
    kept = [h for h in hits if h[0] in meta and _owner(meta[h[0]], h[0]) in agreed]
    counts = {p: len(by_parent[p]) for p in agreed}
    if kept:
        matches, suppressed = matcher._resolve(kept)
        result.matches = [_with_frames(m, counts) for m in matches]
        result.suppressed = [_with_frames(m, counts) for m in suppressed]
    elif keypoints_stage:
        result.matches, result.suppressed = _keypoint_matches(matcher, frames, need, keypoint_index)
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def _owner(meta: Any, signal_id: int) -> int:
    """The banked file a hit counts for: a derived hash's parent, or the hash itself."""
    return meta.parent_id if meta.parent_id is not None else signal_id


def _with_frames(match: Any, counts: dict[int, int]) -> Any:
    from dataclasses import replace

    detail = dict(match.detail)
    detail["stage"] = detail.get("stage", "keyframes")
    if match.signal_id in counts:
        detail["key_frames_matched"] = counts[match.signal_id]
    return replace(match, detail=detail)


def _keypoint_matches(matcher: Any, frames: list[KeyFrame], need: int,
                      index: KeyFrameKeypoints | None) -> tuple[list[Any], list[Any]]:
    """Key frames (and their mirror images) verified against banked videos' key frames by RANSAC."""
    from redline.media.keypoints import query_sets, unpack, verify
    from redline.media.matcher import Match
    from redline.media.signals import hamming_hex

    if index is None:
        index = keypoint_index(matcher.store)
    else:
        index.refresh(matcher.store)
    if not len(index.index):
        return [], []
    best: dict[int, dict[str, Any]] = {}  # video signal id -> evidence
    confirmed: set[int] = set()  # videos with `need` key frames verified: their candidates are not verified again
    for n, frame in enumerate(frames):
        for variant, query in query_sets(frame.image):
            candidates = [s for s in index.index.shortlist(query.descriptors)
                          if index.parent[s] not in confirmed and matcher._live(s)]
            if not candidates:
                continue
            blobs = _blobs(matcher.store, candidates)
            for signal_id in candidates:
                if signal_id not in blobs:
                    continue
                banked = unpack(blobs[signal_id])
                verified = verify(query, banked)
                if not verified:
                    continue
                video = index.parent[signal_id]
                evidence = best.setdefault(video, {"frames": set(), "inliers": 0, "hit": signal_id, "frame": n,
                                                   "variant": variant, "verified": verified})
                evidence["frames"].add(n)
                if verified.inliers > evidence["inliers"]:
                    evidence.update(inliers=verified.inliers, hit=signal_id, frame=n, variant=variant,
                                    verified=verified)
                if len(evidence["frames"]) >= need:
                    confirmed.add(video)
                break  # one verified key frame of a video is enough for this query key frame
            if any(n in e["frames"] for e in best.values()):
                break  # the mirror image is not tried for a key frame that matched as it is
    agreed = {v: e for v, e in best.items() if len(e["frames"]) >= need}
    if not agreed:
        return [], []
    meta = matcher._metadata(set(agreed) | {e["hit"] for e in agreed.values()})
    held: set[int] = getattr(matcher, "_held", set())
    found = []
    for video, e in agreed.items():
        m, hit = meta.get(video), meta.get(e["hit"])
        if m is None or hit is None:
            continue
        frame = frames[e["frame"]]
        found.append(Match(m.bank, m.content_id, m.signal_type, hamming_hex(frame.pdq, hit.value), m.labels, video,
                           m.value, f"keyframe@{frame.timestamp:.1f}s:{e['variant']}", m.negative, video in held,
                           {"stage": "keyframes_keypoints", "bank_variant": hit.variant,
                            "key_frames_matched": len(e["frames"]), "inliers": e["verified"].inliers,
                            "covered": e["verified"].covered, "agreement": e["verified"].agreement}))
    negatives = [m for m in found if m.negative]
    most = max((m.detail["key_frames_matched"] for m in negatives), default=0)
    matches = [m for m in found if not m.negative and m.detail["key_frames_matched"] > most]
    suppressed = [m for m in found if not m.negative and m.detail["key_frames_matched"] <= most]
    order = lambda m: (-m.detail["key_frames_matched"], m.distance, m.bank)  # noqa: E731
    return sorted(matches, key=order), sorted(suppressed, key=order)


def key_frame_evidence(matcher: Any, frame: KeyFrame, *, keypoints_stage: bool = True, policy: Any = None
                       ) -> dict[int, tuple[int, str, dict[str, Any]]]:
    """What one key frame says on its own, for streams (which gather key frames as they come):
    banked file (a video's vPDQ signal id, or a picture's PDQ) -> (distance, variant, detail), from the
    robust picture query at the strict threshold, then, when that found nothing, the keypoint stage
    against the banked videos' key frames (the picture and its mirror image, first verified wins).
    `policy` (robust.RobustPolicy): the picture query's variants (default: all of them).
    Disabled, deleted and negative hashes are left out; nothing is written."""
    from redline.media.index import hex_to_codes
    from redline.media.keypoints import query_variants, unpack, verify
    from redline.media.robust import RobustPolicy, query_hashes
    from redline.media.signals import hamming_hex

    matcher.refresh()
    at = f"keyframe@{frame.timestamp:.1f}s"
    out: dict[int, tuple[int, str, dict[str, Any]]] = {}
    policy = policy or RobustPolicy(min_quality=matcher.min_quality)
    queries = [q for q in query_hashes(frame.image, policy)
               if q.quality >= matcher.min_quality]
    hits = []
    if queries:
        hits = [(h.signal_id, h.distance, queries[h.query].variant)
                for h in matcher.index.search_pdq(hex_to_codes([q.pdq for q in queries]), matcher.strict_threshold)]
    meta = matcher._metadata({h[0] for h in hits}) if hits else {}
    for signal_id, distance, variant in hits:
        m = meta.get(signal_id)
        if m is None or m.negative:
            continue
        owner = _owner(m, signal_id)
        if owner not in out or distance < out[owner][0]:
            out[owner] = (distance, f"{at}:{variant}", {"stage": "keyframes", "bank_variant": m.variant})
    if out or not keypoints_stage:
        return out
    index = keypoint_index(matcher.store)
    if not len(index.index):
        return out
    for variant, query in query_variants(frame.image):
        candidates = [s for s in index.index.shortlist(query.descriptors) if matcher._live(s)]
        blobs = _blobs(matcher.store, candidates) if candidates else {}
        for signal_id in candidates:
            verified = verify(query, unpack(blobs[signal_id])) if signal_id in blobs else None
            if not verified:
                continue
            video = index.parent[signal_id]
            hit = matcher._metadata({video, signal_id})
            if video not in hit or signal_id not in hit or hit[video].negative:
                continue
            out[video] = (hamming_hex(frame.pdq, hit[signal_id].value), f"{at}:{variant}",
                          {"stage": "keyframes_keypoints", "bank_variant": hit[signal_id].variant,
                           "inliers": verified.inliers, "covered": verified.covered, "agreement": verified.agreement})
            return out
    return out


# --- a whole video query --------------------------------------------------------------------------

VIDEO_SIGNALS = ("vpdq", "video_md5", "tmk_pdqf")


def find_video(matcher: Any, path: Path | str, *, key_frames_stage: bool = True, tmk_stage: bool = True) -> Any:
    """`Matcher.find_file` for a video with a choice of the stages (`find_file` runs both). Not recorded."""
    return video_stages(matcher, path, matcher.find_file(path, video_stages=False), key_frames_stage=key_frames_stage,
                        tmk_stage=tmk_stage)


def video_stages(matcher: Any, path: Path | str, result: Any, *, key_frames_stage: bool = True,
                 tmk_stage: bool = True) -> Any:
    """Add the whole-video and key-frame stages to `result`, the `matcher.FileMatchResult` of the
    Matcher's own video path (vPDQ, video MD5) for the video at `path`, and return it.

    Robust matchers only: TMK+PDQF against the banked TMK hashes (kept per process, `tmk.banked_cached`),
    and, when neither vPDQ, the video MD5 nor TMK found a banked video, the key frames through the
    picture stages (`match_key_frames`; keypoint index kept per process, `keypoint_index`). Matches are
    `matcher.Match`, as the picture matches are, merged into `result.matches` (sorted by distance) and
    `result.suppressed`; `result.hashes` gains `tmk_seconds`, `key_frames`, `key_frames_seconds` (or
    `tmk_error`). It never calls `Matcher.find_file`, so the Matcher's video path can end with it."""
    from redline.media import tmk

    if result.error or not matcher.robust:
        return result
    extra: list[Any] = []
    suppressed: list[Any] = []
    if tmk_stage:
        bank = tmk.banked_cached(matcher.store)
        if bank.ids and tmk.available():
            started = time.perf_counter()
            try:
                features = tmk.hash_video(path)
            except (tmk.TmkError, ValueError) as exc:
                result.hashes["tmk_error"] = str(exc)
            else:
                found, held_back = tmk.matches(matcher, features, bank)
                extra += found
                suppressed += held_back
                result.hashes["tmk_seconds"] = round(time.perf_counter() - started, 3)
    known = {m.signal_id for m in result.matches + extra}
    if key_frames_stage and not any(m.signal_type in VIDEO_SIGNALS for m in result.matches + extra):
        frames = match_key_frames(matcher, path)
        extra += [m for m in frames.matches if m.signal_id not in known]
        suppressed += frames.suppressed
        result.hashes["key_frames"] = frames.frames
        result.hashes["key_frames_seconds"] = frames.seconds
    result.matches = sorted(result.matches + extra, key=lambda m: (m.distance, m.bank, m.signal_id))
    result.suppressed = result.suppressed + suppressed
    return result

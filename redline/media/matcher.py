"""Matching files and hashes against the banks: the Python API other parts call.

    matcher = Matcher.open(get_context())
    matcher.match_pdq(hex, quality)          # one image hash → list[Match]; cheap, no writes
    matcher.match_frame(hex, quality)        # one video frame's hash vs banked pictures and video frames
    matcher.match_file(path)                 # hash + robust variants + md5 → FileMatchResult, recorded
    matcher.record(subject, matches)         # count, flood-check and ledger what you act on

Rules, in order:
1. A hash matches when its distance is within the threshold (PDQ: 31 for the plain hash; robust
   variants use `strict_threshold`); MD5 / video MD5 match exactly; vPDQ matches when at least
   `vpdq_query_percent` of the query's distinct good frames are within the threshold of the banked video.
2. Disabled hashes and hashes of disabled banks never match (the index catches up within
   `refresh_seconds`, default 0.5 s).
3. Negative (known-benign) banks suppress: a positive match is dropped when a negative hash is at
   least as close to the query. Suppressed matches are reported apart, never acted on.
4. Flood quarantine (redline.media.flood): a hash that matches far more often than it usually does within one
   window is held for review; matches of a held hash carry `held: true`, and callers must not act on them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import and_, select

from redline.media import tables as t
from redline.media.flood import FloodRule, count_match
from redline.media.signals import PDQ_DEFAULT_THRESHOLD, SignalError, normalise

DEFAULT_STRICT_THRESHOLD = 24
MIN_QUALITY = 50
VPDQ_QUERY_PERCENT = 80.0


@dataclass(frozen=True)
class Match:
    bank: str
    content_id: str | None
    signal_type: str
    distance: int
    labels: list[str]
    signal_id: int
    signal_value: str
    variant: str = "original"
    negative: bool = False
    held: bool = False
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "bank": self.bank,
            "content_id": self.content_id,
            "signal_type": self.signal_type,
            "distance": self.distance,
            "labels": self.labels,
            "held": self.held,
            "variant": self.variant,
            "signal": self.signal_value if len(self.signal_value) <= 64 else self.signal_value[:64] + "…",
        }
        out.update(self.detail)
        return out


@dataclass
class FileMatchResult:
    file: str
    matches: list[Match] = field(default_factory=list)
    suppressed: list[Match] = field(default_factory=list)
    hashes: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file, "matches": [m.to_dict() for m in self.matches]}
        if self.suppressed:
            out["suppressed"] = [m.to_dict() for m in self.suppressed]
        if self.error:
            out["error"] = self.error
        if self.hashes:
            out["hashes"] = self.hashes
        return out

    @property
    def actionable(self) -> list[Match]:
        return [m for m in self.matches if not m.held]


@dataclass
class _SignalMeta:
    bank: str
    negative: bool
    content_id: str | None
    signal_type: str
    value: str
    labels: list[str]
    parent_id: int | None = None  # a derived hash (tables.derived) matches as its parent
    variant: str | None = None


class Matcher:
    def __init__(
        self, context: Any, *, threshold: int = PDQ_DEFAULT_THRESHOLD, strict_threshold: int = DEFAULT_STRICT_THRESHOLD,
        min_quality: int = MIN_QUALITY, refresh_seconds: float = 0.5, flood: FloodRule = FloodRule(),
        robust: bool = True, persist: bool = True,
    ) -> None:
        from redline.media.index import SignalIndex

        self.context = context
        self.store = context.store
        self.threshold = threshold
        self.strict_threshold = min(strict_threshold, threshold)
        self.min_quality = min_quality
        self.refresh_seconds = refresh_seconds
        self.flood = flood
        self.robust = robust
        self.index = SignalIndex.open(self.store, context.settings.home if persist else None)
        self._lock = threading.RLock()
        self._meta: dict[int, _SignalMeta] = {}
        self._held: set[int] = set()
        self._checked_at = 0.0
        self._keypoints: Any = None  # keypoints.KeypointIndex, built on first use, then caught up by revision
        self._keypoints_rev = 0
        self._keypoint_ids: set[int] = set()
        self._smooth: Any = None  # keypoints.SmoothIndex: low-texture and tiny banked pictures, kept with _keypoints
        self._deleted_banks: set[int] = set()  # banks.delete_bank: filtered on lookup, dead in the index
        self._apply_tombstones()
        self._load_held()

    @classmethod
    def open(cls, context: Any = None, **options: Any) -> Matcher:
        if context is None:
            from redline.context import get_context

            context = get_context()
        return cls(context, **options)

    # -- keeping up with the store
    def refresh(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._checked_at < self.refresh_seconds:
            return
        with self._lock:
            self._checked_at = now
            seen_rev = self.index.rev
            if self.index.refresh():
                self._meta.clear()  # the keypoint index catches up on its next use (_keypoint_index)
            if self.index.rev != seen_rev:  # a deletion takes a revision and changes no hash
                self._apply_tombstones()
            self._load_held()

    def _apply_tombstones(self) -> None:
        """Banks deleted since the last look: their hashes leave every answer now (the metadata of a
        deleted bank's hash is never loaded) and are marked dead in the index, compacted later."""
        with self._lock, self.store.connect() as conn:
            fresh = [r.bank_id for r in conn.execute(select(t.bank_tombstones.c.bank_id))
                     if r.bank_id not in self._deleted_banks]
            if not fresh:
                return
            rows = conn.execute(select(t.signals.c.id, t.signals.c.signal_type).where(
                t.signals.c.bank_id.in_(fresh), t.signals.c.signal_type.in_(("pdq", "vpdq")))).all()
            self._deleted_banks.update(fresh)
            self._meta.clear()
            dead = sum(self.index.set_pdq_live(r.id, False) if r.signal_type == "pdq"
                       else self.index.frames.set_live(r.id, False) for r in rows)
            self.index.compact_due()
            self.index.changed_since_save += dead

    def _load_held(self) -> None:
        with self.store.connect() as conn:
            self._held = {r.signal_id for r in conn.execute(
                select(t.quarantine.c.signal_id).where(t.quarantine.c.state == "held"))}

    def save(self) -> None:
        if self.index.changed_since_save:
            self.index.save()

    def _metadata(self, ids: Iterable[int]) -> dict[int, _SignalMeta]:
        ids = set(ids)
        missing = [i for i in ids if i not in self._meta]
        while missing:
            with self.store.connect() as conn:
                rows = conn.execute(
                    select(t.signals.c.id, t.signals.c.signal_type, t.signals.c.value, t.signals.c.content_id,
                           t.signals.c.labels, t.banks.c.name, t.banks.c.negative, t.banks.c.labels.label("bank_labels"),
                           t.derived.c.parent_id, t.derived.c.variant)
                    .join(t.banks, t.banks.c.id == t.signals.c.bank_id)
                    .outerjoin(t.derived, t.derived.c.signal_id == t.signals.c.id)
                    .where(t.signals.c.id.in_(missing),
                           t.signals.c.bank_id.not_in(select(t.bank_tombstones.c.bank_id)))
                ).all()
            for r in rows:
                labels = list(dict.fromkeys(orjson.loads(r.bank_labels) + orjson.loads(r.labels)))
                self._meta[r.id] = _SignalMeta(r.name, bool(r.negative), r.content_id, r.signal_type, r.value, labels,
                                               r.parent_id, r.variant)
            # the parents of derived hashes are what a match reports: load them too
            missing = [m.parent_id for m in (self._meta.get(i) for i in missing)
                       if m is not None and m.parent_id is not None and m.parent_id not in self._meta]
            ids.update(missing)
        ids.update(m.parent_id for m in (self._meta.get(i) for i in list(ids)) if m is not None and m.parent_id is not None)
        return {i: self._meta[i] for i in ids if i in self._meta}

    # -- the cheap path: one PDQ hash
    def match_pdq(self, pdq_hex: str, quality: int = 100) -> list[Match]:
        """Matches of one PDQ hash (plain, no variants), negatives applied, held flags set. No writes."""
        codes = self._query_codes(pdq_hex, quality)
        if codes is None:
            return []
        hits = self.index.search_pdq(codes, self.threshold)
        matches, _ = self._resolve([(h.signal_id, h.distance, "original") for h in hits])
        return matches

    def _query_codes(self, pdq_hex: str, quality: int) -> Any:
        """The index codes of one PDQ hash after a refresh, or None below `min_quality`.
        Raises ValueError for a string that is not a PDQ hash."""
        from redline.media.index import hex_to_codes

        self.refresh()
        if quality < self.min_quality:
            return None
        try:
            _, value = normalise("pdq", pdq_hex)
        except SignalError as exc:
            raise ValueError(str(exc)) from None
        return hex_to_codes([value])

    def match_frame(self, pdq_hex: str, quality: int = 100) -> list[Match]:
        """Matches of one video frame's PDQ hash, for livestreams: against banked pictures (PDQ; the
        match's `variant` is "frame") *and* the frames of banked videos (vPDQ; "vpdq_frame"), each
        at the plain threshold. Negative banks, derived hashes and held flags are applied as in
        `match_pdq`. Frames below `min_quality` match nothing. No writes (record what you act on).

        Raises ValueError for a string that is not a PDQ hash."""
        codes = self._query_codes(pdq_hex, quality)
        if codes is None:
            return []
        hits = [(h.signal_id, h.distance, "frame") for h in self.index.search_pdq(codes, self.threshold)]
        hits += [(h.signal_id, h.distance, "vpdq_frame") for h in self.index.frames.search(codes, self.threshold)]
        if not hits:
            return []
        return self._resolve(hits)[0]

    def match_pdq_batch(self, hashes: Sequence[tuple[str, int]]) -> list[list[Match]]:
        """`match_pdq` for many hashes in one index scan (faster per hash for batches of frames)."""
        from redline.media.index import hex_to_codes

        self.refresh()
        good = [(i, h) for i, (h, q) in enumerate(hashes) if q >= self.min_quality]
        out: list[list[Match]] = [[] for _ in hashes]
        if not good:
            return out
        values = [normalise("pdq", h)[1] for _, h in good]
        per_query: dict[int, list[tuple[int, int, str]]] = {}
        for hit in self.index.search_pdq(hex_to_codes(values), self.threshold):
            per_query.setdefault(good[hit.query][0], []).append((hit.signal_id, hit.distance, "original"))
        for position, hits in per_query.items():
            out[position] = self._resolve(hits)[0]
        return out

    def _resolve(self, hits: list[tuple[int, int, str]], detail: dict[int, dict[str, Any]] | None = None) -> tuple[list[Match], list[Match]]:
        """Best hit per banked hash → matches; negatives suppress positives at the same or larger distance.

        `hits` are (signal_id, distance, query variant), already within the threshold the query
        variant allows. A hit on a derived bank hash counts for its parent (the hash of the banked
        file), reported with `bank_variant` in the match's detail; derived windows must also be within
        the strict threshold (robust.bank_variant_is_strict)."""
        from redline.media.robust import bank_variant_is_strict

        meta = self._metadata({h[0] for h in hits})
        best: dict[int, tuple[int, str, int]] = {}  # parent id -> (distance, query variant, signal id hit)
        for signal_id, distance, variant in hits:
            m = meta.get(signal_id)
            if m is None:
                continue
            if m.parent_id is not None and bank_variant_is_strict(m.variant) and distance > self.strict_threshold:
                continue
            key = m.parent_id if m.parent_id is not None and m.parent_id in meta else signal_id
            if key not in best or distance < best[key][0]:
                best[key] = (distance, variant, signal_id)
        found = []
        for key, (distance, variant, hit_id) in best.items():
            m = meta[key]
            extra = dict((detail or {}).get(hit_id, {}))
            if hit_id != key:
                extra["bank_variant"] = meta[hit_id].variant
            found.append(Match(m.bank, m.content_id, m.signal_type, distance, m.labels, key, m.value, variant,
                               m.negative, key in self._held, extra))
        negatives = [m for m in found if m.negative]
        closest_negative = min((m.distance for m in negatives), default=None)
        matches: list[Match] = []
        suppressed: list[Match] = []
        for m in found:
            if m.negative:
                continue
            if closest_negative is not None and closest_negative <= m.distance:
                suppressed.append(replace(m, detail={**m.detail, "suppressed_by": _closest(negatives).bank}))
            else:
                matches.append(m)
        key = lambda m: (m.distance, m.bank, m.signal_id)  # noqa: E731
        return sorted(matches, key=key), sorted(suppressed, key=key)

    # -- exact signals
    def _exact(self, kind: str, value: str) -> list[tuple[int, int, str]]:
        with self.store.connect() as conn:
            rows = conn.execute(
                select(t.signals.c.id).join(t.banks, t.banks.c.id == t.signals.c.bank_id).where(
                    and_(t.signals.c.signal_type == kind, t.signals.c.value_key == value,
                         t.signals.c.enabled.is_(True), t.banks.c.enabled.is_(True))
                )
            ).all()
        return [(r.id, 0, kind) for r in rows]

    # -- files
    def find_file(self, path: Path | str, *, video_stages: bool = True) -> FileMatchResult:
        """Hash a file and find its matches, without recording them (see `match_file`). A video also
        goes through TMK+PDQF and its key frames (`video_frames.video_stages`) unless `video_stages`
        is False."""
        from redline.media.hashing import HashError, is_video

        self.refresh()
        try:
            if is_video(path):
                return self._find_video(Path(path), video_stages)
            return self._find_image(Path(path))
        except HashError as exc:
            return FileMatchResult(str(path), error=str(exc))

    def _find_image(self, path: Path) -> FileMatchResult:
        from redline.media.hashing import file_digests, open_image
        from redline.media.index import hex_to_codes
        from redline.media.robust import RobustPolicy, query_hashes

        image = open_image(path)
        policy = RobustPolicy(dihedral=self.robust, trim_bars=self.robust, crops=self.robust, derotate=self.robust,
                              min_quality=self.min_quality)
        queries = query_hashes(image, policy)
        md5, sha = file_digests(path)
        plain = queries[0]
        hits: list[tuple[int, int, str]] = list(self._exact("md5", md5))
        usable = [q for q in queries if q.quality >= self.min_quality]
        if usable:
            for hit in self.index.search_pdq(hex_to_codes([q.pdq for q in usable]), self.threshold):
                q = usable[hit.query]
                if hit.distance <= (self.strict_threshold if q.strict else self.threshold):
                    hits.append((hit.signal_id, hit.distance, q.variant))
        matches, suppressed = self._resolve(hits)
        if self.robust and not matches and not suppressed:
            detail: dict[int, dict[str, Any]] = {}
            hits += self._keypoint_hits(image, plain.pdq, detail)
            matches, suppressed = self._resolve(hits, detail)
        hashes = {"pdq": plain.pdq, "quality": plain.quality, "pdq_usable": plain.quality >= self.min_quality,
                  "md5": md5, "sha256": sha}
        return FileMatchResult(str(path), matches, suppressed, hashes)

    # -- the keypoint stage (keypoints.py): crops and shifts that every PDQ variant missed
    def _keypoint_index(self) -> Any:
        from redline.media.keypoints import KeypointIndex, SmoothIndex, unpack

        with self._lock:
            if self._keypoints is None:
                self._keypoints, self._keypoints_rev, self._keypoint_ids = KeypointIndex(), 0, set()
                self._smooth = SmoothIndex()
            if self._keypoints_rev < self.index.rev:
                # only pictures whose hash changed since (added, or enabled again) are read; whether a
                # picture is enabled is asked of the PDQ index at query time, so nothing is dropped here
                with self.store.connect() as conn:
                    rows = conn.execute(
                        select(t.keypoints.c.signal_id, t.keypoints.c.data)
                        .join(t.signals, t.signals.c.id == t.keypoints.c.signal_id)
                        .where(and_(t.signals.c.rev > self._keypoints_rev, t.signals.c.rev <= self.index.rev))
                        .order_by(t.keypoints.c.signal_id)
                    )
                    for r in rows:
                        if r.signal_id not in self._keypoint_ids:
                            banked = unpack(r.data)
                            self._keypoints.add(r.signal_id, banked.descriptors)
                            if banked.colour is not None:
                                self._smooth.add(r.signal_id, banked.colour)
                            self._keypoint_ids.add(r.signal_id)
                self._keypoints_rev = self.index.rev
            return self._keypoints

    def _live(self, signal_id: int) -> bool:
        return self.index.pdq_live(signal_id)

    def _keypoint_hits(self, image: Any, plain_pdq: str, detail: dict[int, dict[str, Any]]) -> list[tuple[int, int, str]]:
        """Shortlist from the coarse index, then RANSAC verification of each candidate; when that finds
        nothing for a low-texture or tiny query, the whole-picture stage (`_smooth_hits`). A hit's
        distance is the PDQ distance of the two pictures' own hashes (what PDQ alone would have said)."""
        from redline.media.keypoints import query_variants, unpack, verify_candidates
        from redline.media.signals import hamming_hex

        index = self._keypoint_index()
        if not len(index):
            return []
        found: dict[int, tuple[str, Any]] = {}
        first = None
        for variant, query in query_variants(image):  # the mirror image only when the picture found nothing
            first = first or query
            shortlist = [(signal_id, votes) for signal_id, votes in index.shortlist(query.descriptors)
                         if self._live(signal_id)]
            if not shortlist:
                continue
            with self.store.connect() as conn:
                blobs = dict(conn.execute(select(t.keypoints.c.signal_id, t.keypoints.c.data)
                                          .where(t.keypoints.c.signal_id.in_([s for s, _ in shortlist]))).all())
            for signal_id, verified in verify_candidates(query, shortlist, {s: unpack(b) for s, b in blobs.items()}):
                found[signal_id] = (variant, verified)
            if found:
                break
        if not found and first is not None and first.whole_picture:
            found = self._smooth_hits(first)
        meta = self._metadata(found)
        hits = []
        for signal_id, (variant, verified) in found.items():
            if signal_id not in meta:
                continue
            if variant.startswith("whole_picture"):
                detail[signal_id] = {"stage": "whole_picture", "inliers": verified.inliers,
                                     "explained": verified.explained}
            else:
                detail[signal_id] = {"stage": "keypoints", "inliers": verified.inliers, "covered": verified.covered,
                                     "agreement": verified.agreement}
            hits.append((signal_id, hamming_hex(plain_pdq, meta[signal_id].value), variant))
        return hits

    def _smooth_hits(self, query: Any) -> dict[int, tuple[str, Any]]:
        """The whole-picture stage (keypoints.smooth_verify): the closest colour summaries among the
        low-texture and tiny banked pictures, verified closest first, stopping at the first match."""
        from redline.media.keypoints import smooth_verify, unpack

        if query.colour is None or not len(self._smooth):
            return {}
        shortlist = [s for s, _ in self._smooth.shortlist(query.colour, occluded=query.occluded) if self._live(s)]
        if not shortlist:
            return {}
        with self.store.connect() as conn:
            blobs = dict(conn.execute(select(t.keypoints.c.signal_id, t.keypoints.c.data)
                                      .where(t.keypoints.c.signal_id.in_(shortlist))).all())
        for signal_id in shortlist:
            verified = smooth_verify(query, unpack(blobs[signal_id])) if signal_id in blobs else None
            if verified:
                return {signal_id: ("whole_picture_mirror" if verified.mirrored else "whole_picture", verified)}
        return {}

    def _find_video(self, path: Path, stages: bool = True) -> FileMatchResult:
        """vPDQ of the video, and (robust) of the video with its black bars cut off when it has bars;
        a banked video matches on whichever of the two covers more of the query's frames."""
        from redline.media.hashing import file_digests, vpdq_file

        frames = vpdq_file(path, seconds_per_hash=1.0)
        md5, sha = file_digests(path)
        hits: list[tuple[int, int, str]] = list(self._exact("video_md5", md5))
        variants = [("vpdq", frames)]
        if self.robust:
            from redline.media.robust import trimmed_video_frames

            trimmed = trimmed_video_frames(path, seconds_per_hash=1.0)
            if trimmed:
                variants.append(("vpdq_trimmed", trimmed))
        best: dict[int, tuple[float, int, str, dict[str, Any]]] = {}  # signal -> (query %, distance, variant, detail)
        for variant, video in variants:
            for signal_id, (pct, distance, detail) in self._vpdq_hits(video).items():
                if signal_id not in best or (pct, -distance) > (best[signal_id][0], -best[signal_id][1]):
                    best[signal_id] = (pct, distance, variant, detail)
            hits.extend(self._still_hits(video, "" if variant == "vpdq" else "trimmed_"))
        detail = {signal_id: d for signal_id, (_, _, _, d) in best.items()}
        hits.extend((signal_id, distance, variant) for signal_id, (_, distance, variant, _) in best.items())
        matches, suppressed = self._resolve(hits, detail)
        hashes: dict[str, Any] = {"video_md5": md5, "sha256": sha, "vpdq_frames": len(frames)}
        if len(variants) > 1:
            hashes["vpdq_trimmed_frames"] = len(variants[1][1])
        result = FileMatchResult(str(path), matches, suppressed, hashes)
        if not stages:
            return result
        from redline.media.video_frames import video_stages

        return video_stages(self, path, result)

    def _vpdq_hits(self, frames: Sequence[Any]) -> dict[int, tuple[float, int, dict[str, Any]]]:
        """Banked videos with ≥ VPDQ_QUERY_PERCENT of these frames' distinct good hashes within the
        threshold: signal → (query match %, median distance, detail)."""
        from redline.media.index import hex_to_codes

        good = sorted({f.pdq for f in frames if f.quality >= self.min_quality})
        if not good:
            return {}
        matched_query: dict[int, set[int]] = {}
        matched_rows: dict[int, set[int]] = {}
        distances: dict[int, list[int]] = {}
        for hit in self.index.frames.search(hex_to_codes(good), self.threshold):
            matched_query.setdefault(hit.signal_id, set()).add(hit.query)
            matched_rows.setdefault(hit.signal_id, set()).add(hit.row)
            distances.setdefault(hit.signal_id, []).append(hit.distance)
        counts = self.index.frame_counts() if matched_query else {}
        out: dict[int, tuple[float, int, dict[str, Any]]] = {}
        for signal_id, queries in matched_query.items():
            query_pct = 100.0 * len(queries) / len(good)
            if query_pct >= VPDQ_QUERY_PERCENT:
                ds = sorted(distances[signal_id])
                out[signal_id] = (query_pct, ds[len(ds) // 2], {
                    "query_match_percent": round(query_pct, 1),
                    "compared_match_percent": round(100.0 * len(matched_rows[signal_id]) / max(counts.get(signal_id, 1), 1), 1),
                })
        return out

    def _still_hits(self, frames: Sequence[Any], prefix: str = "") -> list[tuple[int, int, str]]:
        """A still image from a bank shown in the video: frame hashes against the PDQ index."""
        from redline.media.index import hex_to_codes

        good = sorted({f.pdq for f in frames if f.quality >= self.min_quality})
        if not good:
            return []
        frame_at = {f.pdq: f.timestamp for f in frames}
        return [(hit.signal_id, hit.distance, f"{prefix}frame@{frame_at[good[hit.query]]:.1f}s")
                for hit in self.index.search_pdq(hex_to_codes(good), self.threshold)]

    def match_file(self, path: Path | str, *, record: bool = True) -> FileMatchResult:
        """Find matches, then count them, apply the flood rule and write them to the ledger."""
        result = self.find_file(path)
        if record and (result.matches or result.suppressed):
            result.matches = self.record(str(path), result.matches, suppressed=result.suppressed,
                                         extra={"sha256": result.hashes.get("sha256")})
        return result

    def match_files(self, paths: Iterable[Path | str], *, record: bool = True) -> list[FileMatchResult]:
        return [self.match_file(p, record=record) for p in paths]

    # -- recording, flood quarantine
    def record(
        self, subject: str, matches: list[Match], *, suppressed: list[Match] | None = None, now: float | None = None,
        extra: dict[str, Any] | None = None,
    ) -> list[Match]:
        """Count each match in its window, hold flooding hashes, write one `media.match` ledger entry
        (and a `media.quarantine` entry per newly held hash) — all in one transaction.
        Returns the matches with `held` set for hashes now under quarantine."""
        when = time.time() if now is None else now
        newly_held: list[tuple[int, int, int]] = []
        actor = self.context.settings.user
        with self.store.transaction() as conn:
            for m in matches:
                hold = count_match(conn, self.flood, m.signal_id, when, already_held=m.signal_id in self._held)
                if hold is not None:
                    newly_held.append((m.signal_id, *hold))
            ledger = self.context.ledger
            for signal_id, current, history in newly_held:
                ledger.append("media.quarantine", actor, {"signal_id": signal_id},
                              {"state": "held", "window_count": current, "history_total": history}, conn=conn)
            held = self._held | {signal_id for signal_id, _, _ in newly_held}
            out = [replace(m, held=m.signal_id in held) for m in matches]
            inputs = {"subject": subject, **(extra or {})}
            outcome = {"matches": [m.to_dict() for m in out], "suppressed": [m.to_dict() for m in suppressed or []]}
            ledger.append("media.match", actor, inputs, outcome,
                          {"store_rev": self.index.rev, "threshold": self.threshold,
                           "strict_threshold": self.strict_threshold}, conn=conn)
        self._held |= {signal_id for signal_id, _, _ in newly_held}  # only once it is committed
        return out


def _closest(matches: list[Match]) -> Match:
    return min(matches, key=lambda m: m.distance)

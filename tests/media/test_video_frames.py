"""Video key frames through the picture stages (redline/media/video_frames.py): a cropped and mirrored
re-upload of a banked video matches it, where vPDQ does not; unrelated videos do not; the key frames
are the banked video's derived hashes (disabled with it, left out of exports).

The edited copy is made here with ffmpeg from the real sample video `chair-orig-22-sd-bar.mp4`
(first 8 s: 15 % cut unevenly from the sides, mirrored, re-encoded).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from redline.cli import app
from redline.context import get_context
from redline.media.banks import bank_signals, get_bank
from redline.media.matcher import Matcher
from redline.media.signals import hamming_hex
from redline.media.video_frames import MAX_KEY_FRAMES, SCENE_BITS, find_video, key_frames, keypoint_index, video_stages

VIDEOS = "media/video/sample-videos"
BANKED = "chair-orig-22-sd-bar.mp4"
UNRELATED = "pattern-hd-no-bar.mp4"


def test_key_frames_are_distinct_and_capped(data_dir: Path) -> None:
    frames = key_frames(data_dir / VIDEOS / BANKED)
    assert 2 <= len(frames) <= MAX_KEY_FRAMES
    assert all(f.quality >= 50 and max(f.image.size) <= 512 for f in frames)
    assert all(hamming_hex(a.pdq, b.pdq) > SCENE_BITS for i, a in enumerate(frames) for b in frames[i + 1:])
    assert [f.timestamp for f in frames] == sorted(f.timestamp for f in frames)
    assert len(key_frames(data_dir / VIDEOS / BANKED, cap=3)) == 3


@pytest.fixture
def edited(data_dir: Path, tmp_path: Path) -> Path:
    out = tmp_path / "edited.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-t", "8", "-i", str(data_dir / VIDEOS / BANKED), "-vf",
                    "crop=trunc(iw*0.85/2)*2:trunc(ih*0.85/2)*2:iw*0.04:ih*0.10,hflip", "-an", "-c:v", "libx264",
                    "-preset", "veryfast", "-crf", "28", str(out)], check=True)
    return out


def test_cropped_mirrored_copy_matches_through_key_frames(data_dir: Path, edited: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["media", "bank", "create", "v"]).exit_code == 0
    added = runner.invoke(app, ["media", "bank", "add", "v", str(data_dir / VIDEOS / BANKED), "--content-id", "chair",
                                "--no-tmk", "--json"])
    assert added.exit_code == 0, added.output
    payload = orjson.loads(added.stdout)
    frames = payload["files"][0]["key_frames"]
    assert payload["added"] == 2 and 2 <= frames <= MAX_KEY_FRAMES  # vpdq + video_md5; the rest is derived
    ctx = get_context()
    assert get_bank(ctx.store, "v").derived_size == payload["derived"] > frames
    assert [r.signal_type for r in bank_signals(ctx.store, "v")] == ["vpdq", "video_md5"]  # export: no key frames

    # plain vPDQ and today's robust vPDQ miss the edited copy
    assert Matcher.open(ctx, robust=False, persist=False).find_file(edited).matches == []
    matcher = Matcher.open(ctx, persist=False)
    assert matcher.find_file(edited, video_stages=False).matches == []

    result = find_video(matcher, edited, tmk_stage=False)
    [match] = result.matches
    assert (match.bank, match.content_id, match.signal_type) == ("v", "chair", "vpdq")
    assert match.detail["stage"] in ("keyframes", "keyframes_keypoints")
    assert match.detail["key_frames_matched"] >= 2 and match.variant.startswith("keyframe@")
    assert match.detail["bank_variant"].startswith("kf@")
    assert match.signal_value == bank_signals(ctx.store, "v")[0].value  # reported as the banked video
    # the Matcher's own video path ends with these stages (the API's file routes call find_file)
    own = matcher.find_file(edited, video_stages=False)
    again = video_stages(matcher, edited, own, tmk_stage=False)
    assert again is own and [(m.signal_id, m.detail["stage"]) for m in again.matches] == [
        (match.signal_id, match.detail["stage"])]
    assert [(m.signal_id, m.detail["stage"]) for m in matcher.find_file(edited).matches] == [
        (match.signal_id, match.detail["stage"])]

    # the CLI does the same, and writes the match to the ledger
    matched = runner.invoke(app, ["media", "match", str(edited), "--json"])
    assert matched.exit_code == 0, matched.output
    [out] = orjson.loads(matched.stdout)
    assert [m["content_id"] for m in out["matches"]] == ["chair"] and out["hashes"]["key_frames"] >= 2

    assert find_video(matcher, data_dir / VIDEOS / UNRELATED, tmk_stage=False).matches == []

    # disabling the banked video disables its key frames
    value = bank_signals(ctx.store, "v")[0].value
    assert runner.invoke(app, ["media", "bank", "disable", "v", "--signal", value, "--signal-type", "vpdq"]).exit_code == 0
    assert find_video(Matcher.open(get_context(), persist=False), edited, tmk_stage=False).matches == []


def test_video_its_key_frames_and_tmk_are_banked_in_one_transaction(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One add: the vPDQ, the key frames derived from it (with their keypoints), one ledger entry; a failure
    half-way (after the rows are inserted, while keypoints are stored) leaves nothing, not even a revision."""
    from sqlalchemy import func, select

    from redline.media import banks
    from redline.media import tables as t
    from redline.media.banks import SignalRecord, add_signals, create_bank, current_rev
    from redline.media.hashing import hash_file
    from redline.media.robust import file_records
    from redline.media.video_frames import bank_records

    ctx = get_context()
    create_bank(ctx.store, "v", ledger=ctx.ledger)
    video = data_dir / VIDEOS / BANKED
    records = file_records(hash_file(video), content_id="chair")
    frames = bank_records(video, parent=0, content_id="chair")
    records += frames.records + [SignalRecord("md5", "0" * 32, "chair")]  # a stand-in for the TMK record
    assert records[0].signal_type == "vpdq" and frames.frames >= 2

    def counts() -> tuple[int, int, int, int, int]:
        with ctx.store.connect() as conn:
            return (conn.execute(select(func.count()).select_from(t.signals)).scalar_one(),
                    conn.execute(select(func.count()).select_from(t.derived)).scalar_one(),
                    conn.execute(select(func.count()).select_from(t.keypoints)).scalar_one(),
                    current_rev(conn), len(list(ctx.ledger.entries("media.bank.add"))))

    before = counts()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(banks, "_store_keypoints", broken)
    with pytest.raises(RuntimeError):
        add_signals(ctx.store, "v", records, ledger=ctx.ledger)
    assert counts() == before  # no video, no key frame left behind as a plain picture
    monkeypatch.undo()

    result = add_signals(ctx.store, "v", records, ledger=ctx.ledger)
    signals, derived, keypoints, rev, entries = counts()
    assert (rev, entries) == (before[3] + 1, before[4] + 1)  # one revision, one ledger entry for the batch
    assert result.added == 3 and result.derived == len(frames.records) + (len(records) - 3 - len(frames.records))
    assert keypoints - before[2] == frames.frames and signals - before[0] == len(records)
    with ctx.store.connect() as conn:
        vpdq_id = conn.execute(select(t.signals.c.id).where(t.signals.c.signal_type == "vpdq")
                               .order_by(t.signals.c.id).limit(1)).scalar_one()
        parents = dict(conn.execute(select(t.derived.c.variant, t.derived.c.parent_id)).all())
    assert {parents[v] for v in frames.variants.values()} == {vpdq_id}

    # the key frames' keypoint index is kept per process, caught up by revision, not rebuilt a query
    index = keypoint_index(ctx.store)
    assert len(index.index) == frames.frames and set(index.parent.values()) == {vpdq_id}
    assert keypoint_index(ctx.store) is index and len(index.index) == frames.frames


def test_derived_from_refuses_other_cross_type_links() -> None:
    from redline.media.banks import BankError, SignalRecord, add_signals, create_bank

    ctx = get_context()
    create_bank(ctx.store, "p")
    with pytest.raises(BankError, match="derived_from"):
        add_signals(ctx.store, "p", [SignalRecord("md5", "a" * 32), SignalRecord("pdq", "b" * 64, derived_from=0)])


def test_frame_index_files_a_batch_as_it_files_frames_one_by_one() -> None:
    import numpy as np

    from redline.media.video_frames import FrameIndex

    rng = np.random.default_rng(3)
    frames = [(100 + i, rng.integers(0, 256, (200, 32), dtype=np.uint8)) for i in range(40)]
    one, batch = FrameIndex(), FrameIndex()
    for item_id, descriptors in frames:
        one.add(item_id, descriptors)
    batch.add_many(frames[:25])
    batch.add_many(frames[25:])
    for t in range(FrameIndex.TABLES):
        assert np.array_equal(one._keys[t], batch._keys[t])
    query = np.concatenate([frames[7][1][:60], rng.integers(0, 256, (100, 32), dtype=np.uint8)])
    assert batch.shortlist(query)[0] == 107 and batch.shortlist(query) == one.shortlist(query)

"""The keypoint stage: crops, shifts and combined edits that PDQ misses, and no match across pictures."""

from __future__ import annotations

import io
import random
from pathlib import Path

import numpy as np
import orjson
from PIL import Image, ImageDraw
from typer.testing import CliRunner

from redline.cli import app
from redline.media import keypoints as kp

COASTER = "media/pdq/misc-images/pen-and-coaster.png"
OTHER_COASTER_PHOTO = "media/pdq/misc-images/c.png"  # the same coaster, photographed again
BRIDGE = "media/pdq/bridge-mods/aaa-orig.jpg"


def _combined(image: Image.Image, seed: int = 7) -> Image.Image:
    """Mirror, 8 % crop split at random between the sides, a logo, JPEG quality 30."""
    rng = random.Random(seed)
    image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    w, h = image.size
    dx, dy = round(w * 0.08), round(h * 0.08)
    left, top = rng.randint(0, dx), rng.randint(0, dy)
    image = image.crop((left, top, w - (dx - left), h - (dy - top)))
    ImageDraw.Draw(image).ellipse((10, 10, 10 + h // 5, 10 + h // 5), fill=(230, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=30)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def _best(query: Image.Image, banked: kp.Keypoints) -> kp.Verified | None:
    found = [v for _, q in kp.query_sets(query) if (v := kp.verify(q, banked))]
    return max(found, key=lambda v: v.inliers, default=None)


def test_pack_round_trip_and_size(data_dir: Path) -> None:
    banked = kp.extract(Image.open(data_dir / COASTER).convert("RGB"))
    assert 200 <= len(banked) <= kp.MAX_FEATURES and max(banked.width, banked.height) == kp.SIDE
    data = kp.pack(banked)
    assert len(data) < 16_000
    back = kp.unpack(data)
    assert np.array_equal(back.descriptors, banked.descriptors) and np.array_equal(back.thumb, banked.thumb)
    assert np.abs(back.points - banked.points).max() <= 1 / 16


def test_combined_edit_and_crop_verify_but_another_photo_does_not(data_dir: Path) -> None:
    original = Image.open(data_dir / COASTER).convert("RGB")
    banked = kp.extract(original)
    combined = _best(_combined(original), banked)
    assert combined is not None and combined.inliers >= 50 and combined.agreement >= 0.8
    w, h = original.size
    cropped = _best(original.crop((round(w * 0.15), round(h * 0.05), w - round(w * 0.05), h - round(h * 0.15))), banked)
    assert cropped is not None and cropped.covered >= 0.5
    # two photos of the same coaster share ~60 RANSAC inliers but are different pictures
    assert _best(Image.open(data_dir / OTHER_COASTER_PHOTO).convert("RGB"), banked) is None
    assert _best(Image.open(data_dir / BRIDGE).convert("RGB"), banked) is None


def test_shortlist_finds_the_banked_picture_among_many(data_dir: Path) -> None:
    index = kp.KeypointIndex()
    rng = np.random.default_rng(1)
    for i in range(2000):  # random descriptors: other banked pictures
        index.add(10_000 + i, rng.integers(0, 256, (kp.MAX_FEATURES, 32), dtype=np.uint8))
    original = Image.open(data_dir / COASTER).convert("RGB")
    index.add(1, kp.extract(original).descriptors)
    shortlist = index.shortlist(kp.query_sets(_combined(original))[1][1].descriptors)  # the mirrored query
    assert shortlist and shortlist[0][0] == 1
    assert len(shortlist) <= kp.SHORTLIST


def test_cli_match_says_keypoint_stage_with_inliers(data_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["media", "bank", "create", "b"]).exit_code == 0
    added = runner.invoke(app, ["media", "bank", "add", "b", str(data_dir / COASTER), str(data_dir / BRIDGE)])
    assert added.exit_code == 0, added.output
    query = tmp_path / "combined.jpg"
    _combined(Image.open(data_dir / COASTER).convert("RGB")).save(query)
    result = runner.invoke(app, ["media", "match", str(query), str(data_dir / OTHER_COASTER_PHOTO), "--json"])
    assert result.exit_code == 0, result.output
    rows = orjson.loads(result.stdout)
    (match,) = rows[0]["matches"]
    assert match["stage"] == "keypoints" and match["variant"] == "keypoints_mirror" and match["inliers"] >= 50
    assert match["distance"] > 31  # plain PDQ alone would have missed it
    assert rows[1]["matches"] == []
    text = " ".join(runner.invoke(app, ["media", "match", str(query)]).output.split())
    assert "via keypoints_mirror (keypoint stage:" in text and "inliers" in text


def test_keypoint_index_follows_adds_and_disables_without_a_rebuild(data_dir: Path, tmp_path: Path) -> None:
    from redline.context import get_context
    from redline.media.banks import set_bank_enabled
    from redline.media.matcher import Matcher

    runner = CliRunner()
    assert runner.invoke(app, ["media", "bank", "create", "b"]).exit_code == 0
    assert runner.invoke(app, ["media", "bank", "add", "b", str(data_dir / BRIDGE)]).exit_code == 0
    query = tmp_path / "combined.jpg"
    _combined(Image.open(data_dir / COASTER).convert("RGB")).save(query)
    matcher = Matcher.open(get_context(), persist=False)
    assert matcher.match_file(query).matches == []
    first = matcher._keypoints
    assert runner.invoke(app, ["media", "bank", "create", "c"]).exit_code == 0
    assert runner.invoke(app, ["media", "bank", "add", "c", str(data_dir / COASTER)]).exit_code == 0
    matcher.refresh(force=True)
    (match,) = matcher.match_file(query).matches
    assert match.bank == "c" and matcher._keypoints is first and len(first) == 2  # one picture added to it
    set_bank_enabled(get_context().store, "c", False)
    matcher.refresh(force=True)
    assert matcher.match_file(query).matches == [] and matcher._keypoints is first


def test_index_adds_without_a_rebuild_and_reads_a_bounded_number_of_postings(data_dir: Path) -> None:
    index = kp.KeypointIndex()
    rng = np.random.default_rng(2)
    for i in range(300):
        index.add(10_000 + i, rng.integers(0, 256, (kp.MAX_FEATURES, 32), dtype=np.uint8))
    coaster = Image.open(data_dir / COASTER).convert("RGB")
    query = kp.query_sets(_combined(coaster))[1][1].descriptors
    assert all(item >= 10_000 for item, _ in index.shortlist(query))
    lists_before = list(index._lists)
    index.add(1, kp.extract(coaster).descriptors)  # appended to the posting lists of its words, nothing re-sorted
    assert len(index) == 301 and index.shortlist(query)[0][0] == 1
    kept = [a is b for a, b in zip(lists_before, index._lists) if a is not None]
    assert sum(kept) >= 0.9 * len(kept)  # only lists that had to grow were reallocated
    bridge = kp.extract(Image.open(data_dir / BRIDGE).convert("RGB"))
    index.add(2, bridge.descriptors)
    assert index.shortlist(bridge.descriptors)[0][0] == 2 and index.shortlist(query)[0][0] == 1


def test_vocabulary_assigns_a_word_to_itself_and_near_descriptors_to_it() -> None:
    vocabulary = kp.default_vocabulary()
    assert len(vocabulary) > 30_000
    picks = np.random.default_rng(3).choice(len(vocabulary), 200, replace=False)
    assert np.array_equal(vocabulary.assign(vocabulary.words[picks]), picks)
    bits = np.unpackbits(vocabulary.words[picks], axis=1)
    bits[:, :3] ^= 1  # 3 bits off: still that word for most
    assert (vocabulary.assign(np.packbits(bits, axis=1)) == picks).mean() > 0.8


def test_a_low_contrast_picture_still_gets_keypoints_and_its_crop_matches(data_dir: Path) -> None:
    coaster = np.asarray(Image.open(data_dir / COASTER).convert("L"), np.float32)
    dull = Image.fromarray((120 + (coaster - coaster.mean()) * 0.08).astype(np.uint8)).convert("RGB")  # ~10 grey levels
    banked = kp.extract(dull)
    assert len(banked) >= kp.FEW_FEATURES
    w, h = dull.size
    cropped = dull.crop((round(w * 0.1), round(h * 0.05), w - round(w * 0.02), h - round(h * 0.1)))
    found = _best(cropped, kp.unpack(kp.pack(banked)))
    assert found is not None and found.inliers >= kp.MIN_INLIERS


def test_verification_stops_at_the_first_match_unless_another_candidate_is_as_strong(data_dir: Path) -> None:
    coaster = Image.open(data_dir / COASTER).convert("RGB")
    banked = kp.unpack(kp.pack(kp.extract(coaster)))
    query = kp.query_sets(coaster.crop((40, 30, coaster.width - 20, coaster.height - 50)))[0][1]
    bridge = kp.unpack(kp.pack(kp.extract(Image.open(data_dir / BRIDGE).convert("RGB"))))
    both = {1: banked, 2: banked, 3: banked, 4: bridge}
    # 2 (the same picture banked again) has as many votes as 1: verified; 3 has few: not verified
    found = kp.verify_candidates(query, [(4, 90), (1, 80), (2, 79), (3, 20)], both)
    assert [item for item, _ in found] == [1, 2]
    assert all(v.inliers >= kp.MIN_INLIERS for _, v in found)


def _gradient(size: tuple[int, int], a: tuple[int, int, int], b: tuple[int, int, int], angle: float,
              seed: int = 1) -> Image.Image:
    """A smooth two-colour gradient (no corners for ORB), with a little noise."""
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    t = np.cos(angle) * x / w + np.sin(angle) * y / h
    t = (t - t.min()) / (t.max() - t.min())
    pixels = np.array(a, np.float32) + t[..., None] * (np.array(b, np.float32) - np.array(a, np.float32))
    pixels += np.random.default_rng(seed).normal(0, 1.5, pixels.shape)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def test_whole_picture_stage_matches_a_cropped_gradient_and_not_another_gradient(tmp_path: Path) -> None:
    from redline.context import get_context
    from redline.media.matcher import Matcher

    banked = _gradient((600, 400), (20, 90, 230), (250, 120, 40), 0.4)
    other = _gradient((600, 400), (30, 200, 90), (240, 40, 160), 2.2)  # other colours, other direction
    assert kp.extract(banked).colour is not None and kp.extract(banked).corners < kp.SMOOTH_CORNERS
    back = kp.unpack(kp.pack(kp.extract(banked)))
    assert back.colour is not None and np.array_equal(back.colour, kp.extract(banked).colour)
    banked.save(tmp_path / "gradient.png")
    other.save(tmp_path / "other.png")
    runner = CliRunner()
    assert runner.invoke(app, ["media", "bank", "create", "g"]).exit_code == 0
    added = runner.invoke(app, ["media", "bank", "add", "g", str(tmp_path / "gradient.png"), "--allow-low-quality"])
    assert added.exit_code == 0, added.output
    query = tmp_path / "query.jpg"
    _combined(banked).crop((30, 10, 560, 350)).save(query, quality=40)  # mirror, crop ~15 %, logo, JPEG
    matcher = Matcher.open(get_context(), persist=False)
    (match,) = matcher.match_file(query, record=False).matches
    assert match.detail["stage"] == "whole_picture" and match.variant == "whole_picture_mirror"
    assert match.detail["inliers"] >= kp.SMOOTH_MIN_INLIERS and match.detail["explained"] >= kp.SMOOTH_MIN_EXPLAINED
    assert matcher.match_file(tmp_path / "other.png", record=False).matches == []


def test_a_textured_picture_keeps_no_colour_thumbnail_and_a_tiny_one_does(data_dir: Path) -> None:
    textured = kp.extract(Image.open(data_dir / COASTER).convert("RGB"))
    assert textured.colour is None and not textured.whole_picture
    assert len(kp.pack(textured)) == 6 + kp.THUMB ** 2 + 36 * len(textured)
    tiny = kp.extract(Image.open(data_dir / "media/pdq/misc-images/wee.jpg").convert("RGB"))
    assert tiny.colour is not None and tiny.whole_picture  # 34 × 42 px
    # the tiny picture, mirrored, cropped, stamped and recompressed, is found by its colour layout
    verified = kp.smooth_verify(kp.extract(_combined(Image.open(data_dir / "media/pdq/misc-images/wee.jpg")
                                                     .convert("RGB"), seed=3)), kp.unpack(kp.pack(tiny)))
    assert verified is not None and verified.mirrored


def _caption(image: Image.Image, fraction: float) -> Image.Image:
    """A dark ticker bar with white text over the bottom `fraction` of the picture."""
    out = image.copy()
    draw = ImageDraw.Draw(out)
    top = round(out.height * (1 - fraction))
    draw.rectangle((0, top, out.width, out.height), fill=(20, 20, 20))
    draw.text((10, top + 8), "BREAKING NEWS TICKER TEXT " * 3, fill=(255, 255, 255))
    return out


def test_a_caption_over_a_smooth_picture_sends_it_to_the_whole_picture_stage_which_looks_past_the_band(
        data_dir: Path) -> None:
    banked = _gradient((600, 400), (20, 90, 230), (250, 120, 40), 0.4)
    other = _gradient((600, 400), (200, 190, 60), (40, 40, 120), 1.9)
    item, other_item = kp.unpack(kp.pack(kp.extract(banked))), kp.unpack(kp.pack(kp.extract(other)))
    for fraction in (0.15, 0.40):
        query = kp.extract(_caption(banked, fraction), kp.QUERY_FEATURES)
        # the text brings hundreds of corners, all in one band: the query is still tried, as occluded
        assert query.corners >= kp.SMOOTH_CORNERS and query.spread < kp.SMOOTH_SPREAD
        assert query.whole_picture and query.occluded
        index = kp.SmoothIndex()
        index.add(1, item.colour)
        index.add(2, other_item.colour)
        assert index.shortlist(query.colour, occluded=True)[0][0] == 1
        assert kp.smooth_verify(query, item) is not None
        assert kp.smooth_verify(query, other_item) is None
    # a textured picture's corners fill the grid: not occluded, not tried
    textured = kp.extract(Image.open(data_dir / COASTER).convert("RGB"), kp.QUERY_FEATURES)
    assert textured.spread > 2 * kp.SMOOTH_SPREAD and not textured.occluded and not textured.whole_picture
    # the band may hide at most SMOOTH_MAX_BAND rows, along the top or the bottom only
    rows = np.ones((kp.SMOOTH_GRID, kp.SMOOTH_GRID), bool)
    rows[-5:] = False
    assert not kp._outside_band(rows)[-5:].any() and kp._outside_band(rows)[:-5].all()
    rows[:] = True
    rows[5:10] = False  # a band in the middle is not a caption
    assert kp._outside_band(rows).all()

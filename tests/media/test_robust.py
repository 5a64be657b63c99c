"""Query-time robustness on generated transformations of real reference images (written to tmp_path)."""

from __future__ import annotations

from pathlib import Path

import orjson
from PIL import Image, ImageDraw
from typer.testing import CliRunner

from redline.cli import app
from redline.context import get_context
from redline.media.banks import bank_signals, get_bank, set_signal_enabled
from redline.media.hashing import pdq_file
from redline.media.matcher import Matcher
from redline.media.robust import WINDOWS, bank_hashes, find_bars, query_hashes
from redline.media.signals import hamming_hex

SOURCE = "media/pdq/bridge-mods/aaa-orig.jpg"
OTHER = ["media/pdq/misc-images/pen-and-coaster.png", "media/pdq/misc-images/c.png", "media/pdq/pytx-resources/rgb.jpeg"]


def _variants(image: Image.Image, tmp_path: Path) -> dict[str, Path]:
    w, h = image.size
    out: dict[str, Image.Image] = {}
    out["rotate_90"] = image.rotate(90, expand=True)
    out["mirror"] = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    boxed = Image.new("RGB", (w, int(h * 1.6)), (0, 0, 0))
    boxed.paste(image, (0, int(h * 0.3)))
    out["letterbox"] = boxed
    captioned = Image.new("RGB", (w, int(h * 1.25)), (255, 255, 255))
    captioned.paste(image, (0, int(h * 0.25)))
    out["caption"] = captioned
    # edits that need the bank's derived hashes (the same window hashed on both sides)
    overlaid = image.copy()
    ImageDraw.Draw(overlaid).rectangle((0, int(h * 0.72), w, h), fill=(20, 20, 20))
    out["caption_over_bottom"] = overlaid
    logo = image.copy()
    size = int(min(w, h) * 0.2)
    ImageDraw.Draw(logo).ellipse((w - size - 10, 10, w - 10, 10 + size), fill=(230, 30, 30))
    out["corner_logo"] = logo
    out["rotate_2"] = image.rotate(2, resample=Image.Resampling.BILINEAR)
    out["rotate_minus_3"] = image.rotate(-3, resample=Image.Resampling.BILINEAR)
    out["centre_crop_10"] = image.crop((int(w * 0.05), int(h * 0.05), w - int(w * 0.05), h - int(h * 0.05)))
    out["crop_bottom_20"] = image.crop((0, 0, w, int(h * 0.8)))
    paths = {}
    for name, img in out.items():
        paths[name] = tmp_path / f"{name}.jpg"
        img.save(paths[name], quality=85)
    return paths


def test_find_bars_on_a_letterboxed_picture() -> None:
    picture = Image.radial_gradient("L").resize((200, 100)).convert("RGB")
    canvas = Image.new("RGB", (200, 160), (0, 0, 0))
    canvas.paste(picture, (0, 30))
    assert find_bars(canvas) == (0, 30, 200, 130)
    assert find_bars(picture) is None
    # a logo drawn over the top bar does not hide the bars
    ImageDraw.Draw(canvas).ellipse((150, 2, 190, 26), fill=(230, 30, 30))
    assert find_bars(canvas) == (0, 30, 200, 130)
    # a uniform band on one side only is picture content, not a bar
    sky = Image.new("RGB", (200, 160), (120, 160, 220))
    sky.paste(picture, (0, 60))
    assert find_bars(sky) is None


def test_bank_and_query_share_windows(data_dir: Path) -> None:
    image = Image.open(data_dir / SOURCE).convert("RGB")
    image.thumbnail((512, 512))
    stored = bank_hashes(image)
    assert stored[0].variant == "original" and {q.variant for q in stored[1:]} == set(WINDOWS)
    assert len({q.pdq for q in stored}) == len(stored)
    asked = {q.variant: q for q in query_hashes(image)}
    assert asked["original"].pdq == stored[0].pdq and not asked["original"].strict
    assert all(asked[name].strict for name in WINDOWS)
    assert {"derotate_+2", "derotate_-2_centre_80"} <= set(asked)
    # the same window of the same picture gives the same hash on both sides
    assert all(asked[q.variant].pdq == q.pdq for q in stored[1:])


def test_transformed_copies_match_only_with_robust_query(data_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["media", "bank", "create", "b"]).exit_code == 0
    assert runner.invoke(app, ["media", "bank", "add", "b", str(data_dir / SOURCE), "--content-id", "bridge"]).exit_code == 0
    variants = _variants(Image.open(data_dir / SOURCE).convert("RGB"), tmp_path)
    robust = Matcher.open(get_context())
    source = pdq_file(data_dir / SOURCE).hex
    for name, path in variants.items():
        found = [m for m in robust.find_file(path).matches if m.signal_type == "pdq"]
        assert [m.content_id for m in found] == ["bridge"], name
        if name != "corner_logo":  # plain PDQ shrugs off this logo on this picture (18–28 bits)
            assert hamming_hex(pdq_file(path).hex, source) > 31, name
    # distinct pictures stay unmatched, with every variant tried
    for other in OTHER:
        assert robust.find_file(data_dir / other).matches == [], other


def test_derived_hashes_match_as_their_parent_and_follow_it(data_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["media", "bank", "create", "b"]).exit_code == 0
    added = runner.invoke(app, ["media", "bank", "add", "b", str(data_dir / SOURCE), "--content-id", "bridge", "--json"])
    assert added.exit_code == 0, added.output
    payload = orjson.loads(added.stdout)
    assert (payload["added"], payload["derived"]) == (2, len(WINDOWS))  # pdq + md5; the windows
    ctx = get_context()
    bank = get_bank(ctx.store, "b")
    assert (bank.size, bank.derived_size) == (2, len(WINDOWS))
    plain_pdq = next(r.value for r in bank_signals(ctx.store, "b") if r.signal_type == "pdq")
    assert len(bank_signals(ctx.store, "b")) == 2  # exports leave derived hashes out
    assert len(bank_signals(ctx.store, "b", include_derived=True)) == 2 + len(WINDOWS)

    image = Image.open(data_dir / SOURCE).convert("RGB")
    w, h = image.size
    ImageDraw.Draw(image).rectangle((0, int(h * 0.75), w, h), fill=(20, 20, 20))
    path = tmp_path / "overlaid.jpg"
    image.save(path, quality=90)
    matcher = Matcher.open(ctx)
    [match] = matcher.find_file(path).matches
    # reported as the banked picture's own hash, with the window that matched on both sides
    assert match.signal_value == plain_pdq and match.variant in ("without_bottom_25", "without_bottom_33")
    assert match.detail["bank_variant"] == match.variant and match.distance <= 24
    # disabling the picture's hash disables what was derived from it
    set_signal_enabled(ctx.store, "b", plain_pdq, False)
    matcher.refresh(force=True)
    assert matcher.find_file(path).matches == []
    assert get_bank(ctx.store, "b").enabled_size == 1  # the md5

"""Query-time robustness on generated transformations of real reference images (written to tmp_path)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from redline.context import get_context
from redline.media.banks import create_bank
from redline.media.matcher import Matcher
from redline.media.robust import find_bars
from typer.testing import CliRunner

from redline.cli import app

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


def test_transformed_copies_match_only_with_robust_query(data_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["media", "bank", "create", "b"]).exit_code == 0
    assert runner.invoke(app, ["media", "bank", "add", "b", str(data_dir / SOURCE), "--content-id", "bridge"]).exit_code == 0
    variants = _variants(Image.open(data_dir / SOURCE).convert("RGB"), tmp_path)
    robust = Matcher.open(get_context())
    plain = Matcher.open(get_context(), robust=False, persist=False)
    for name, path in variants.items():
        assert [m.content_id for m in robust.find_file(path).matches if m.signal_type == "pdq"] == ["bridge"], name
        assert plain.find_file(path).matches == [], name
    # distinct pictures stay unmatched, with every variant tried
    for other in OTHER:
        assert robust.find_file(data_dir / other).matches == [], other

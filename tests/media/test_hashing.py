"""Hashing conformance against the reference hashes in REDLINE_DATA, and refusal of bad input."""

from __future__ import annotations

import csv
import io
import zlib
from pathlib import Path

import pytest
from PIL import Image

from redline.media.hashing import (
    HashError,
    flatten_to_rgb,
    hash_files,
    open_image,
    pdq_file,
    pdq_of_image,
    vpdq_file,
)
from redline.media.signals import hamming_hex

SAME_LIBRARY = ("python-threatexchange", "pdqhash")  # the C++ core through Pillow, as Redline hashes


def expected_rows(data_dir: Path) -> list[dict[str, str]]:
    """Every (file, implementation, expected hash) the shared data holds, from all three listings."""
    folder = data_dir / "media/pdq/expected"
    with open(folder / "pdq_expected_hashes.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with open(folder / "pdqhash-0.2.8_PIL_computed.csv", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    rows += [{"file": r["file"], "implementation": "pdqhash 0.2.8 + Pillow", "expected_pdq": r["pdqhash_0.2.8_hex"]}
             for r in csv.DictReader(lines)]
    with open(folder / "PDQMD5TestData.csv", newline="") as handle:
        for r in csv.DictReader(handle):
            name = "pdq/" + r["FilePath"].removeprefix("../../../../data/")
            if (data_dir / "media" / name).is_file():  # the listing names some files the data does not hold
                rows.append({"file": name, "implementation": "wasm PDQMD5TestData", "expected_pdq": r["Hash"]})
    return rows


def _reference_view(data_dir: Path, name: str) -> Image.Image:
    """The picture python-threatexchange hashes for `file#ROTATION` (its PIL rotate/transpose, then save)."""
    path, _, rotation = name.partition("#")
    image = Image.open(data_dir / "media" / path)
    ops = {
        "ROTATE90": lambda i: i.rotate(90, expand=True), "ROTATE180": lambda i: i.rotate(180, expand=True),
        "ROTATE270": lambda i: i.rotate(270, expand=True), "FLIPX": lambda i: i.transpose(Image.Transpose.FLIP_TOP_BOTTOM),
        "FLIPY": lambda i: i.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
        "FLIPPLUS1": lambda i: i.transpose(Image.Transpose.TRANSPOSE),
        "FLIPMINUS1": lambda i: i.transpose(Image.Transpose.TRANSVERSE),
    }
    if rotation in ops:
        buffer = io.BytesIO()
        ops[rotation](image).save(buffer, format=image.format)
        image = Image.open(io.BytesIO(buffer.getvalue()))
    return image


def test_every_reference_image_agrees(data_dir: Path) -> None:
    rows = expected_rows(data_dir)
    files = {r["file"] for r in rows}
    assert len(rows) >= 90 and len(files) >= 35
    for row in rows:
        name = row["file"]
        if "#" in name:  # a rotation python-threatexchange made itself: our conversion of that picture
            got = pdq_of_image(flatten_to_rgb(_reference_view(data_dir, name))).hex
        elif row["implementation"].startswith(SAME_LIBRARY):  # same core, same decoder: bit for bit
            got = pdq_of_image(open_image(data_dir / "media" / name, target=None)).hex
        else:  # other implementations (CImg, WASM, pure Python) decode and resize their own way
            got = pdq_file(data_dir / "media" / name).hex
        limit = 0 if "#" in name or row["implementation"].startswith(SAME_LIBRARY) else 16
        assert hamming_hex(got, row["expected_pdq"]) <= limit, (name, row["implementation"])
        # and the production path (shrunk to 512 px) stays within the pure-Python test tolerance
        if "#" not in name:
            assert hamming_hex(pdq_file(data_dir / "media" / name).hex, row["expected_pdq"]) <= 16, name


def test_alpha_is_dropped_as_the_reference_does(data_dir: Path) -> None:
    path = data_dir / "media/pdq/pytx-resources/LA.png"
    expected = next(r["expected_pdq"] for r in expected_rows(data_dir) if r["file"] == "pdq/pytx-resources/LA.png")
    assert pdq_file(path).hex == expected  # was 60 bits away when alpha was composited onto white
    assert pdq_of_image(Image.open(path).convert("RGB")).hex == expected


def test_all_pillow_modes_hash_alike(data_dir: Path) -> None:
    folder = data_dir / "media/pdq/misc-images/modes"
    reference = pdq_file(folder / "RGB.jpg").hex
    for path in sorted(folder.iterdir()):
        if path.suffix == ".md":
            continue
        assert hamming_hex(pdq_file(path).hex, reference) <= 10, path.name


def test_exif_orientation_is_applied(data_dir: Path) -> None:
    path = data_dir / "media/pdq/exif-rotn/exif-rotn-8.jpg"
    raw = Image.open(path)
    assert raw.width > raw.height  # stored landscape, tagged "rotate 90"
    shown = open_image(path)
    assert shown.height > shown.width
    assert max(shown.size) <= 512


def test_vpdq_frames_agree_with_reference(data_dir: Path) -> None:
    video = data_dir / "media/video/sample-videos/pattern-sd-grey-bar.mp4"
    reference = [line.strip().split(",") for line in open(data_dir / "media/video/vpdq-hashes/pattern-sd-grey-bar.txt")]
    frames = vpdq_file(video, seconds_per_hash=0)
    assert len(frames) == len(reference)
    distances = [hamming_hex(f.pdq, r[2]) for f, r in zip(frames, reference) if int(r[1]) >= 80]
    assert distances and max(distances) <= 10
    assert abs(frames[30].timestamp - float(reference[30][3])) < 0.01


def _write_bad_files(tmp_path: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    files["empty"] = tmp_path / "empty.jpg"
    files["empty"].write_bytes(b"")
    files["garbage"] = tmp_path / "garbage.png"
    files["garbage"].write_bytes(b"this is not an image at all" * 10)
    good = tmp_path / "good.jpg"
    Image.radial_gradient("L").resize((300, 200)).convert("RGB").save(good, quality=90)
    files["truncated"] = tmp_path / "truncated.jpg"
    files["truncated"].write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    # a PNG header claiming 100000 x 100000 pixels with a tiny body: refused before decoding
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    ihdr = (100_000).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    files["bomb"] = tmp_path / "bomb.png"
    files["bomb"].write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 100)) + chunk(b"IEND", b""))
    files["good"] = good
    return files


def test_bad_files_get_clear_errors_and_the_batch_goes_on(tmp_path: Path) -> None:
    files = _write_bad_files(tmp_path)
    order = ["empty", "garbage", "good", "truncated", "bomb"]
    outcomes = hash_files([files[k] for k in order], workers=1)
    assert [Path(o.file).name for o in outcomes] == [files[k].name for k in order]
    by_name = dict(zip(order, outcomes))
    assert by_name["good"].hashes is not None and by_name["good"].error is None
    assert "empty" in by_name["empty"].error
    assert "not a readable image" in by_name["garbage"].error
    assert "truncated" in by_name["truncated"].error or "corrupt" in by_name["truncated"].error
    assert "refused" in by_name["bomb"].error
    with pytest.raises(HashError):
        pdq_file(files["bomb"])


def test_corrupt_video_is_refused(tmp_path: Path, data_dir: Path) -> None:
    source = (data_dir / "media/video/sample-videos/test-padded-dimensions.mp4").read_bytes()
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(source[:2000])
    with pytest.raises(HashError):
        vpdq_file(broken)
    fake = tmp_path / "fake.mp4"
    fake.write_bytes(b"\0" * 5000)
    with pytest.raises(HashError):
        vpdq_file(fake)

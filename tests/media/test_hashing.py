"""Hashing conformance against the reference hashes in REDLINE_DATA, and refusal of bad input."""

from __future__ import annotations

import csv
import zlib
from pathlib import Path

import pytest
from PIL import Image

from redline.media.hashing import HashError, hash_files, open_image, pdq_file, pdq_of_image, vpdq_file
from redline.media.signals import hamming_hex

PARTIAL_ALPHA = {"pdq/pytx-resources/LA.png"}  # our policy flattens alpha onto white; pytx drops it


def expected_rows(data_dir: Path) -> list[dict[str, str]]:
    with open(data_dir / "media/pdq/expected/pdq_expected_hashes.csv", newline="") as handle:
        return [r for r in csv.DictReader(handle) if "#" not in r["file"]]


def test_pdq_matches_reference_hashes(data_dir: Path) -> None:
    checked = 0
    for row in expected_rows(data_dir):
        if row["file"] in PARTIAL_ALPHA:
            continue
        got = pdq_file(data_dir / "media" / row["file"])
        if got.quality < 80:
            continue
        distance = hamming_hex(got.hex, row["expected_pdq"])
        assert distance <= 10, (row["file"], row["implementation"], distance)
        checked += 1
    assert checked >= 40


def test_partial_alpha_is_flattened_onto_white(data_dir: Path) -> None:
    path = data_dir / "media/pdq/pytx-resources/LA.png"
    expected = next(r["expected_pdq"] for r in expected_rows(data_dir) if r["file"] == "pdq/pytx-resources/LA.png")
    # the PDQ core agrees with python-threatexchange when alpha is dropped as it does …
    dropped = pdq_of_image(Image.open(path).convert("RGB"))
    assert hamming_hex(dropped.hex, expected) <= 10
    # … and our preprocessing, which composites onto white, gives the hash of that composite
    white = Image.new("RGBA", Image.open(path).size, (255, 255, 255, 255))
    composite = Image.alpha_composite(white, Image.open(path).convert("RGBA")).convert("RGB")
    assert hamming_hex(pdq_file(path).hex, pdq_of_image(composite).hex) <= 4


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

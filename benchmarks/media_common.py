"""Shared helpers for the media benchmarks: the reference images and video frames in REDLINE_DATA."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from redline.config import load_settings


def media_dir() -> Path:
    return load_settings().data("media")


# groups of files that show the same scene count as one source (never a false match of each other)
IMAGE_SOURCES: dict[str, list[str]] = {
    # modes/RGB.jpg is the bridge picture itself (PDQ distance 0): one source, not a false match
    "bridge": ["pdq/bridge-mods/aaa-orig.jpg", "pdq/misc-images/modes/RGB.jpg"],
    "c": ["pdq/misc-images/c.png"],
    "wee": ["pdq/misc-images/wee.jpg"],
    "pen": ["pdq/misc-images/pen-and-coaster.png"],
    "pytx-rgb": ["pdq/pytx-resources/rgb.jpeg"],
    "desk": ["pdq/exif-rotn/exif-rotn-1.jpg", "pdq/exif-rotn/exif-rotn-3.jpg", "pdq/exif-rotn/exif-rotn-8.jpg"],
    "q0122": ["pdq/labelme-subset/q0122.jpg"],
    "q0291": ["pdq/labelme-subset/q0291.jpg"],
    "q0746": ["pdq/labelme-subset/q0746.jpg"],
    "q1050": ["pdq/labelme-subset/q1050.jpg"],
    "c2pa": ["c2pa/C.jpg", "c2pa/ocsp.jpg", "c2pa/no_manifest.jpg", "c2pa/C_with_CAWG_data.jpg",
             "c2pa/generated-A-trainedAlgorithmicMedia-es256-testcert.jpg"],
}
VIDEO_SOURCES: dict[str, list[str]] = {
    "chair": ["chair-orig-22-sd-bar.mp4", "chair-19-sd-bar.mp4"],
    "doorknob": ["doorknob-hd-no-bar.mp4"],
    "pattern": ["pattern-hd-no-bar.mp4", "pattern-longer-no-bar.mp4"],
    "padded": ["test-padded-dimensions.mp4"],
}


def load_images(max_side: int = 1024) -> list[tuple[str, str, Image.Image]]:
    """(group, name, RGB image) for every reference still, oriented, long side ≤ max_side."""
    from redline.media.hashing import open_image

    out = []
    for group, files in IMAGE_SOURCES.items():
        for name in files:
            path = media_dir() / name
            if path.is_file():
                out.append((group, name, open_image(path, target=max_side)))
    return out


def load_frames(every_seconds: float, max_side: int = 640) -> list[tuple[str, str, Image.Image]]:
    """(group, name@t, RGB image) for frames decoded with PyAV from the sample videos."""
    from redline.media.hashing import sample_frames, shrink

    out = []
    for group, files in VIDEO_SOURCES.items():
        for name in files:
            path = media_dir() / "video/sample-videos" / name
            if not path.is_file():
                continue
            for ts, image in sample_frames(path, every_seconds):
                shrink(image, max_side)
                out.append((group, f"{name}@{ts:.1f}", image))
    return out

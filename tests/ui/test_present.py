"""What the pages draw from library records: thumbnails of stored pictures and video frames, PDQ
hashes as bits, and the queue's filters and orders."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from PIL import Image

from redline.ui import present


def _decoded(uri: str | None) -> Image.Image:
    assert uri and uri.startswith("data:image/jpeg;base64,")
    return Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))


def test_thumbnails_of_a_picture_and_of_a_video_frame_and_none_for_what_is_not_here(data_dir: Path) -> None:
    picture = _decoded(present.thumbnail(str(data_dir / "media" / "pdq" / "dih" / "bridge-1-original.jpg")))
    assert max(picture.size) == present.THUMB_PX
    video = data_dir / "media" / "c2pa" / "video1.mp4"
    first, later = _decoded(present.thumbnail(str(video), 0.0)), _decoded(present.thumbnail(str(video), 1.5))
    assert max(first.size) <= present.THUMB_PX and first.tobytes() != later.tobytes()  # another frame
    assert present.thumbnail("rtmp://example.org/live/1", 3.0) is None
    assert present.thumbnail(str(data_dir / "media" / "no-such-file.jpg")) is None
    assert present.thumbnail(str(data_dir / "media" / "MANIFEST.tsv")) is None  # not a picture


def test_a_pdq_hash_is_drawn_one_cell_per_set_bit() -> None:
    value = "f" * 2 + "0" * 61 + "1"
    svg = present.pdq_svg(value)
    assert svg.count('<rect x=') == 8 + 1 and '<rect x="0" y="0"' in svg and '<rect x="15" y="15"' in svg
    assert present.pdq_svg("zz" * 32) == "" and present.pdq_svg("abc") == "" and present.pdq_svg(None) == ""


def test_the_queue_is_filtered_and_ordered_for_display() -> None:
    def item(n: int, name: str, party: str, score: float, origin: str, match: bool, programs: list[str]) -> dict:
        return {"id": n, "query": {"name": name}, "party_caption": party, "party_id": f"p{n}", "score": score,
                "origin": origin, "match": match, "sanctions_programs": programs, "raised_at": f"2026-12-0{n}",
                "status": "open"}

    items = [item(1, "Acme Trading", "ACME TRADING LLC", 0.91, "parties.screen", True, ["UK-FCDO"]),
             item(2, "Hikvision", "Hangzhou Hikvision", 1.0, "parties.screen_file.hit", True, []),
             item(3, "Acme", "Acme Holdings", 0.65, "parties.screen", False, [])]
    ids = lambda rows: [r["id"] for r in rows]  # noqa: E731
    assert ids(present.arrange_queue(items, sort="score", descending=True)) == [2, 1, 3]
    assert ids(present.arrange_queue(items, sort="party", descending=False)) == [3, 1, 2]
    assert ids(present.arrange_queue(items, sort="id", descending=True, text="acme")) == [3, 1]
    assert ids(present.arrange_queue(items, sort="id", descending=False, text="acme llc")) == [1]
    assert ids(present.arrange_queue(items, sort="id", descending=False, origin="parties.screen_file.hit")) == [2]
    assert ids(present.arrange_queue(items, sort="id", descending=False, match="no")) == [3]
    assert ids(present.arrange_queue(items, sort="id", descending=False, sanctions="yes")) == [1]
    assert ids(present.arrange_queue(items, sort="bogus", descending=False)) == [1, 2, 3]

"""What the pages need to show records that the libraries return: ordering and filtering of a
queue for display, a PDQ hash drawn as its 16×16 bits, thumbnails of a stored picture or frame."""

from __future__ import annotations

import base64
import io
import logging
from pathlib import Path
from typing import Any

from markupsafe import Markup

log = logging.getLogger("redline.ui")

QUEUE_SORTS = {
    "id": lambda i: i["id"],
    "score": lambda i: (i["score"], i["id"]),
    "party": lambda i: (str(i["party_caption"]).casefold(), i["id"]),
    "query": lambda i: (str(i["query"].get("name", "")).casefold(), i["id"]),
    "raised": lambda i: (i["raised_at"], i["id"]),
    "status": lambda i: (i["status"], i["id"]),
}
THUMB_PX = 240


def arrange_queue(items: list[dict[str, Any]], *, sort: str, descending: bool, text: str = "", origin: str = "",
                  match: str = "", sanctions: str = "") -> list[dict[str, Any]]:
    """Items as shown: filtered by words in the query or party name, by origin, by the engine's
    match flag and by a sanctions listing, then ordered by `sort`."""
    words = text.casefold().split()

    def keep(item: dict[str, Any]) -> bool:
        haystack = f"{item['query'].get('name', '')} {item['party_caption']} {item['party_id']}".casefold()
        if any(w not in haystack for w in words):
            return False
        if origin and item["origin"] != origin:
            return False
        if match and bool(item["match"]) != (match == "yes"):
            return False
        return not sanctions or bool(item["sanctions_programs"]) == (sanctions == "yes")

    return sorted(filter(keep, items), key=QUEUE_SORTS.get(sort, QUEUE_SORTS["id"]), reverse=descending)


def pdq_svg(value: str | None, *, size: int = 96, title: str = "PDQ hash") -> Markup:
    """A 256-bit PDQ hash as a 16×16 grid of dark (1) and light (0) cells; other signals as nothing."""
    if not value or len(value) != 64:
        return Markup("")
    try:
        bits = bin(int(value, 16))[2:].zfill(256)
    except ValueError:
        return Markup("")
    cells = "".join(f'<rect x="{n % 16}" y="{n // 16}" width="1" height="1"/>' for n, b in enumerate(bits) if b == "1")
    return Markup(
        f'<svg class="pdq" role="img" viewBox="0 0 16 16" width="{size}" height="{size}" shape-rendering="crispEdges">'
        f"<title>{Markup.escape(title)}</title><rect width=\"16\" height=\"16\" fill=\"#fff\"/>"
        f'<g fill="#1a1a1a">{cells}</g></svg>'
    )


def thumbnail(source: str | None, offset_s: float | None = None) -> str | None:
    """A JPEG data URI of the stored picture, or of a video's frame at `offset_s`, when the file is
    on this machine; None for a stream URL, a missing file or one that cannot be decoded."""
    if not source or "://" in source:
        return None
    path = Path(source)
    if not path.is_file():
        return None
    try:
        image = _frame(path, offset_s) if offset_s is not None else _picture(path)
    except Exception as exc:  # an undecodable upload shows no thumbnail, the page still renders
        log.info("no thumbnail for %s: %s", path, exc)
        return None
    if image is None:
        return None
    image = image.convert("RGB")
    image.thumbnail((THUMB_PX, THUMB_PX))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


def _picture(path: Path) -> Any:
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.load()
            return image.copy()
    except Exception:
        return _frame(path, 0.0)  # a video upload: its first frame


def _frame(path: Path, offset_s: float) -> Any:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if offset_s > 0 and stream.time_base:
            container.seek(int(offset_s / stream.time_base), stream=stream, any_frame=False, backward=True)
        for frame in container.decode(stream):
            if frame.time is None or frame.time >= offset_s - 0.05:
                return frame.to_image()
    return None

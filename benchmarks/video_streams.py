"""Real H.264 test streams for the media tests and benchmarks (moved out of redline.media.watch:
test helpers have no place in the package)."""

from __future__ import annotations

from typing import Any


def write_test_stream(
    frames: list[Any], path: str, seconds: float, fps: int = 30, size: tuple[int, int] = (1280, 720),
    gop: int = 60, crf: int = 23, seconds_per_frame: float | None = None,
) -> str:
    """Encode a real H.264 test stream (MPEG-TS or MP4 by extension) from images/frames.

    `frames` are PIL images or numpy RGB arrays; each is shown for `seconds_per_frame` (default: the
    length split evenly), letterboxed to `size`. Used by the tests and the benchmark to make 720p streams.
    """
    from fractions import Fraction

    import av
    import numpy as np
    from PIL import Image

    width, height = size
    boxed = []
    for f in frames:
        img = f if isinstance(f, Image.Image) else Image.fromarray(np.asarray(f))
        img = img.convert("RGB")
        img.thumbnail((width, height), Image.Resampling.BILINEAR)
        canvas = Image.new("RGB", (width, height), (0, 0, 0))
        canvas.paste(img, ((width - img.width) // 2, (height - img.height) // 2))
        boxed.append(av.VideoFrame.from_image(canvas).reformat(format="yuv420p"))
    total = int(round(seconds * fps))
    per = seconds_per_frame or (seconds / max(1, len(boxed)))
    with av.open(path, "w") as out:
        st = out.add_stream("libx264", rate=fps)
        st.width, st.height, st.pix_fmt = width, height, "yuv420p"
        st.options = {"preset": "veryfast", "g": str(gop), "crf": str(crf), "bf": "2"}
        for i in range(total):
            src = boxed[min(len(boxed) - 1, int((i / fps) // per)) % len(boxed)]
            frame = src.reformat(format="yuv420p")
            frame.pts = i
            frame.time_base = Fraction(1, fps)
            for packet in st.encode(frame):
                out.mux(packet)
        for packet in st.encode():
            out.mux(packet)
    return path


def transcode_test_stream(
    src: str, path: str, seconds: float | None = None, fps: int = 30, size: tuple[int, int] = (1280, 720),
    gop: int = 60, crf: int = 23,
) -> str:
    """Re-encode a real video letterboxed to `size` (default 720p) as H.264, looping it to `seconds`."""
    from fractions import Fraction

    import av
    from PIL import Image

    width, height = size
    with av.open(src) as probe:
        s = probe.streams.video[0]
        sw, sh = s.codec_context.width, s.codec_context.height
    scale = min(width / sw, height / sh)
    tw, th = (int(sw * scale) // 2) * 2, (int(sh * scale) // 2) * 2
    total = None if seconds is None else int(round(seconds * fps))
    i = 0
    with av.open(path, "w") as out:
        st = out.add_stream("libx264", rate=fps)
        st.width, st.height, st.pix_fmt = width, height, "yuv420p"
        st.options = {"preset": "veryfast", "g": str(gop), "crf": str(crf), "bf": "2"}
        while total is None or i < total:
            with av.open(src) as inp:
                for frame in inp.decode(video=0):
                    img = frame.to_image().resize((tw, th), Image.Resampling.BILINEAR)
                    canvas = Image.new("RGB", (width, height))
                    canvas.paste(img, ((width - tw) // 2, (height - th) // 2))
                    vf = av.VideoFrame.from_image(canvas).reformat(format="yuv420p")
                    vf.pts, vf.time_base = i, Fraction(1, fps)
                    for packet in st.encode(vf):
                        out.mux(packet)
                    i += 1
                    if total is not None and i >= total:
                        break
            if total is None:
                break
        for packet in st.encode():
            out.mux(packet)
    return path

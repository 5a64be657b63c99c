"""As people would use it: three `redline serve` on loopback, each with its own store (A's and C's
on PostgreSQL, B's on SQLite). Platform A banks a picture and publishes it; B and C fetch A's signed feed; C's upload
of a cropped copy is blocked; B deconfirms the hash and A sees the feedback; A deletes the bank and,
after C's next fetch, C's upload passes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest
from PIL import Image

from redline import keys
from redline.config import Settings
from redline.context import Context
from redline.exchange import feed
from redline.media import banks
from redline.media.hashing import hash_file
from redline.media.robust import file_records

from exchange_support import free_port

REDLINE = str(Path(sys.executable).with_name("redline"))
PICTURE = "media/pdq/bridge-mods/aaa-orig.jpg"
VIDEO = "media/video/sample-videos/pattern-hd-no-bar.mp4"


@contextmanager
def serve(home: Path, db_url: str) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "REDLINE_HOME": str(home), "REDLINE_DB": db_url}
    process = subprocess.Popen([REDLINE, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "redline serve did not start"
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _install(root: Path, name: str, db_url: str | None = None) -> Context:
    home = root / name
    home.mkdir()
    ctx = Context(Settings(home=home, data_dir=None, db_url=db_url or f"sqlite:///{home / 'redline.db'}", user=name))
    ctx.store.create_all()
    return ctx


def _upload(client: httpx.Client, path: Path, field: str = "photo") -> httpx.Response:
    kind = "video/mp4" if field == "video" else "image/jpeg"
    with path.open("rb") as handle:
        return client.post("/m/lookup", files={field: (path.name, handle, kind)})


def _eventually(request: Callable[[], httpx.Response], done: Callable[[httpx.Response], bool],
                seconds: float = 5.0) -> httpx.Response:
    """The server's index is refreshed by a thread of its own (every 0.5 s): ask again until `done` or
    `seconds` have passed, and return the last answer."""
    deadline = time.monotonic() + seconds
    while True:
        response = request()
        if response.status_code != 200 or done(response) or time.monotonic() > deadline:
            return response
        time.sleep(0.2)


@pytest.mark.network
def test_three_installations_share_block_and_give_feedback(tmp_path: Path, data_dir: Path, pg_cluster) -> None:  # type: ignore[no-untyped-def]
    a = _install(tmp_path, "a", pg_cluster.create_database(f"exchange_a_{tmp_path.name[-8:].replace('-', '_')}"))
    b = _install(tmp_path, "b")
    c = _install(tmp_path, "c", pg_cluster.create_database(f"exchange_c_{tmp_path.name[-8:].replace('-', '_')}"))
    curator = {name: keys.create_key(ctx.store, ctx.ledger, f"{name}-curator", "curator", org=name)["key"]
               for name, ctx in (("a", a), ("b", b), ("c", c))}
    # A's members read A's feed with keys A gives them
    member = {name: keys.create_key(a.store, a.ledger, f"platform-{name}", "reader", org=name)["key"] for name in ("b", "c")}
    # A banks a picture (its own hashes and the windows derived from it)
    banks.create_bank(a.store, "tvec", labels=["behaviour:livestreamed_attack"], actor="a", ledger=a.ledger)
    banks.add_signals(a.store, "tvec", file_records(hash_file(data_dir / PICTURE), content_id="incident-1",
                                                    contributor="platform-a"), actor="a", ledger=a.ledger)
    # C's upload: the picture cropped (its bottom fifth cut off), shrunk and re-encoded
    image = Image.open(data_dir / PICTURE).convert("RGB")
    cropped = tmp_path / "upload.jpg"
    image.crop((0, 0, image.width, int(image.height * 0.8))).resize((image.width // 2, int(image.height * 0.4))).save(
        cropped, quality=75)
    with ExitStack() as stack:
        url = {name: stack.enter_context(serve(ctx.settings.home, ctx.settings.db_url))
               for name, ctx in (("a", a), ("b", b), ("c", c))}
        http = {name: stack.enter_context(httpx.Client(base_url=url[name], timeout=60,
                                                       headers={"Authorization": f"Bearer {curator[name]}"}))
                for name in url}
        published = http["a"].post("/c/exchanges/publish", json={"bank": "tvec"})
        assert published.status_code == 200 and published.json()["published"] > 2, published.text
        public_key = http["a"].get("/v1/exchange/key").json()["public_key"]  # handed to members out of band
        assert public_key == feed.signer(a).public_pem()
        before = _upload(http["c"], cropped)
        assert before.status_code == 200 and before.json() == {}
        for name in ("b", "c"):
            made = http[name].post("/c/exchanges", json={
                "name": "platform-a", "adapter": "redline", "token": member[name],
                "config": {"url": url["a"], "public_key": public_key, "rate": 50}})
            assert made.status_code == 201, made.text
            fetched = http[name].post("/c/exchange/platform-a/fetch")
            assert fetched.status_code == 200, fetched.text
            assert fetched.json()["added"] == 2 and fetched.json()["refused"] == 0  # pdq + md5; windows as derived
        fetched_at = time.monotonic()  # C's server index takes the fetched hashes on its next refresh (0.5 s)
        blocked = _eventually(lambda: _upload(http["c"], cropped), lambda r: bool(r.json()))
        assert time.monotonic() - fetched_at < 5.0
        hits = blocked.json().get("exchange.platform-a")
        assert hits and hits[0]["bank_content_id"] == "incident-1" and hits[0]["held"] is False, blocked.json()
        assert "behaviour:livestreamed_attack" in hits[0]["labels"]
        # B finds the hash a false positive: disabled at B, pushed back to A
        status = http["b"].get("/c/exchange/platform-a").json()
        pdq = next(s for s in status["signals"] if s["signal_type"] == "pdq")
        assert pdq["contributor"] == "platform-a" and pdq["labels"] == ["behaviour:livestreamed_attack"]
        dec = http["b"].post("/c/exchange/platform-a/deconfirm", json={"signal_value": pdq["signal_value"],
                                                                        "reason": "a news photograph of the site"})
        assert dec.status_code == 200 and dec.json()["push"]["pushed"] == 1, dec.text
        seen = http["a"].get("/v1/exchange/feedback").json()
        assert [(f["signal_value"], f["from_key"], f["from_org"], f["reason"], f["published_here"]) for f in seen] == [
            (pdq["signal_value"], "platform-b", "b", "a news photograph of the site", True)]
        # B no longer matches it; C, which did not deconfirm, still does
        assert _eventually(lambda: http["b"].get("/m/lookup", params={"signal_type": "pdq", "signal": pdq["signal_value"]}),
                           lambda r: r.json() == {}).json() == {}
        assert http["c"].get("/m/lookup", params={"signal_type": "pdq", "signal": pdq["signal_value"]}).json()
        # A deletes the bank: the deletion goes on A's signed feed; after C's next fetch the upload passes
        deleted = http["a"].delete("/c/bank/tvec")
        assert deleted.status_code == 200 and deleted.json()["withdrawn_from_feed"] > 2, deleted.text
        refetched = http["c"].post("/c/exchange/platform-a/fetch")
        assert refetched.status_code == 200 and refetched.json()["deleted"] > 2 and refetched.json()["refused"] == 0
        after = _eventually(lambda: _upload(http["c"], cropped), lambda r: r.json() == {})
        assert after.status_code == 200 and after.json() == {}, after.json()
        assert http["c"].get("/m/lookup", params={"signal_type": "pdq", "signal": pdq["signal_value"]}).json() == {}


@pytest.mark.network
def test_a_video_banked_at_one_platform_blocks_a_cropped_copy_at_another(tmp_path: Path, data_dir: Path) -> None:
    """The issue's own scenario with a video: A banks it (vPDQ, key frames and their windows, TMK+PDQF)
    and publishes; C fetches, and C's upload of a cropped, shrunk, re-encoded copy is blocked."""
    a, c = _install(tmp_path, "a"), _install(tmp_path, "c")
    curator = {name: keys.create_key(ctx.store, ctx.ledger, f"{name}-curator", "curator", org=name)["key"]
               for name, ctx in (("a", a), ("c", c))}
    member = keys.create_key(a.store, a.ledger, "platform-c", "reader", org="c")["key"]
    video = data_dir / VIDEO
    env = {**os.environ, "REDLINE_HOME": str(a.settings.home), "REDLINE_DB": a.settings.db_url}
    for command in (["media", "bank", "create", "tvec", "--label", "behaviour:livestreamed_attack"],
                    ["media", "bank", "add", "tvec", str(video), "--content-id", "incident-2", "--json"]):
        done = subprocess.run([REDLINE, *command], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    cropped = tmp_path / "upload.mp4"  # a tenth cut off each way, shrunk to 480 px wide, re-encoded
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(video), "-vf", "crop=iw*0.9:ih*0.9:iw*0.05:ih*0.05,scale=480:-2",
                    "-c:v", "libx264", "-crf", "28", str(cropped)], check=True, timeout=120)
    with ExitStack() as stack:
        url = {name: stack.enter_context(serve(ctx.settings.home, ctx.settings.db_url)) for name, ctx in (("a", a), ("c", c))}
        http = {name: stack.enter_context(httpx.Client(base_url=url[name], timeout=120,
                                                       headers={"Authorization": f"Bearer {curator[name]}"}))
                for name in url}
        assert http["a"].post("/c/exchanges/publish", json={"bank": "tvec"}).status_code == 200
        public_key = http["a"].get("/v1/exchange/key").json()["public_key"]
        assert _upload(http["c"], cropped, "video").json() == {}
        made = http["c"].post("/c/exchanges", json={"name": "platform-a", "adapter": "redline", "token": member,
                                                    "config": {"url": url["a"], "public_key": public_key}})
        assert made.status_code == 201, made.text
        fetched = http["c"].post("/c/exchange/platform-a/fetch")
        assert fetched.status_code == 200 and fetched.json()["refused"] == 0, fetched.text
        blocked = _eventually(lambda: _upload(http["c"], cropped, "video"), lambda r: bool(r.json()))
        hits = blocked.json().get("exchange.platform-a")
        assert hits and {h["bank_content_id"] for h in hits} == {"incident-2"}, blocked.json()
        assert "behaviour:livestreamed_attack" in hits[0]["labels"]

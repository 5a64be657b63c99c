"""HMA-compatible media routes: hashing uploads, banks, lookups, and the ledger under the key's name."""

from __future__ import annotations

import struct
import time
import uuid
import zlib

from redline.media.hashing import hash_file


def _flip_bit(hex_hash: str, bit: int) -> str:
    value = int(hex_hash, 16) ^ (1 << bit)
    return f"{value:064x}"


def _png_header(width: int, height: int) -> bytes:
    """A PNG with only a header (and an empty image stream): its size is all a decoder reads first."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def test_hash_upload_equals_the_media_library(client, service, data_dir) -> None:
    image = data_dir / "media" / "pdq" / "misc-images" / "small.jpg"
    answer = client.post("/h/hash", headers=service.auth("reader"),
                         files={"photo": ("small.jpg", image.read_bytes(), "image/jpeg")})
    assert answer.status_code == 200
    expected = hash_file(image)
    assert answer.json() == {"pdq": expected.pdq, "md5": expected.md5}


def test_unreadable_or_oversized_uploads_are_refused(client, service) -> None:
    auth = service.auth("reader")
    junk = client.post("/h/hash", headers=auth, files={"photo": ("x.png", b"not an image", "image/png")})
    assert junk.status_code == 422 and junk.json()["detail"].startswith("photo:")
    # a PNG whose header claims 40000 x 40000 pixels: refused before any pixel is decoded
    bomb = client.post("/h/hash", headers=auth, files={"photo": ("bomb.png", _png_header(40000, 40000), "image/png")})
    assert bomb.status_code == 422 and "refused" in bomb.json()["detail"]
    wrong_field = client.post("/h/hash", headers=auth, files={"document": ("a.jpg", b"x", "image/jpeg")})
    assert wrong_field.status_code == 422 and wrong_field.json()["detail"].startswith("document")


def test_bank_lookup_round_trip_and_ledger_actor(client, service, data_dir) -> None:
    curator, reader = service.auth("curator"), service.auth("reader")
    bank = f"TEST_{uuid.uuid4().hex[:8].upper()}"
    created = client.post("/c/banks", json={"name": bank}, headers=curator)
    assert created.status_code == 201 and created.json()["matching_enabled_ratio"] == 1.0
    assert client.post("/c/banks", json={"name": bank}, headers=curator).status_code == 409
    image = data_dir / "media" / "pdq" / "misc-images" / "small.jpg"
    added = client.post(f"/c/bank/{bank}/content?content_id=incident-7", headers=curator,
                        files={"photo": ("small.jpg", image.read_bytes(), "image/jpeg")})
    assert added.status_code == 200 and added.json()["added"] >= 1
    pdq = added.json()["signals"]["pdq"]

    near = _flip_bit(pdq, 3)
    found = client.get("/m/lookup", params={"signal_type": "pdq", "signal": near}, headers=reader).json()
    assert found[bank] == [{"bank_content_id": "incident-7", "distance": 1, "signal_type": "pdq", "labels": [],
                            "held": False}]
    raw = client.get("/m/raw_lookup", params={"signal_type": "pdq", "signal": near, "include_distance": "true"},
                     headers=reader).json()
    assert {"content_id": "incident-7", "distance": "1"} in raw["matches"]
    far = "".join("0" if c != "0" else "f" for c in pdq)  # every bit flipped
    assert bank not in client.get("/m/lookup", params={"signal_type": "pdq", "signal": far}, headers=reader).json()
    bad = client.get("/m/lookup", params={"signal_type": "pdq", "signal": "xyz"}, headers=reader)
    assert bad.status_code == 422 and bad.json()["detail"].startswith("signal")
    assert client.get("/m/index/status", headers=reader).json()["pdq"]["size"] >= 1

    assert client.put(f"/c/bank/{bank}", json={"enabled": False}, headers=curator).json()["enabled"] is False
    deadline = time.monotonic() + 5  # the index refreshes from the store within half a second
    while bank in client.get("/m/lookup", params={"signal_type": "pdq", "signal": pdq}, headers=reader).json():
        assert time.monotonic() < deadline, "a disabled bank still matches"
        time.sleep(0.1)
    assert client.get(f"/c/bank/{bank}", headers=reader).json()["matching_enabled_ratio"] == 0.0
    assert client.get("/c/bank/NO_SUCH_BANK", headers=reader).status_code == 404

    entries = [e for e in service.context.ledger.entries(kind="media.bank") if e.inputs.get("bank") == bank]
    assert [e.kind for e in entries] == ["media.bank.create", "media.bank.add", "media.bank.disable"]
    assert {e.actor for e in entries} == {"curator-key"}


def test_delete_bank_stops_its_matches_and_frees_its_name(app, client, service, data_dir) -> None:
    curator, reader = service.auth("curator"), service.auth("reader")
    bank = f"DEL_{uuid.uuid4().hex[:8].upper()}"
    assert client.post("/c/banks", json={"name": bank}, headers=curator).status_code == 201
    image = data_dir / "media" / "pdq" / "misc-images" / "small.jpg"
    added = client.post(f"/c/bank/{bank}/content?content_id=gone-1", headers=curator,
                        files={"photo": ("small.jpg", image.read_bytes(), "image/jpeg")})
    pdq = added.json()["signals"]["pdq"]
    assert bank in client.get("/m/lookup", params={"signal_type": "pdq", "signal": pdq}, headers=reader).json()

    assert client.delete(f"/c/bank/{bank}", headers=reader).status_code == 403
    deleted = client.delete(f"/c/bank/{bank}", headers=curator)
    assert deleted.status_code == 200 and deleted.json()["bank"] == bank
    assert client.delete(f"/c/bank/{bank}", headers=curator).status_code == 404
    assert client.get(f"/c/bank/{bank}", headers=reader).status_code == 404
    assert bank not in [b["name"] for b in client.get("/c/banks", headers=reader).json()]
    deadline = time.monotonic() + 5  # the running index drops the bank on its next refresh
    while bank in client.get("/m/lookup", params={"signal_type": "pdq", "signal": pdq}, headers=reader).json():
        assert time.monotonic() < deadline, "a deleted bank still matches"
        time.sleep(0.1)
    entries = [e for e in service.context.ledger.entries(kind="media.bank.delete") if e.inputs.get("bank") == bank]
    assert [e.actor for e in entries] == ["curator-key"]
    assert client.post("/c/banks", json={"name": bank}, headers=curator).status_code == 201  # the name is free


def _bank_with(client, service, image, labels: list[str]) -> str:  # type: ignore[no-untyped-def]
    curator = service.auth("curator")
    bank = f"ACT_{uuid.uuid4().hex[:8].upper()}"
    assert client.post("/c/banks", json={"name": bank, "labels": labels}, headers=curator).status_code == 201
    added = client.post(f"/c/bank/{bank}/content?content_id=case-1", headers=curator,
                        files={"photo": (image.name, image.read_bytes(), "application/octet-stream")})
    assert added.status_code == 200, added.text
    return bank


def test_act_strikes_and_appeal_over_http(client, service, data_dir) -> None:
    image = data_dir / "media" / "pdq" / "misc-images" / "small.jpg"
    bank = _bank_with(client, service, image, ["entity:un_listed"])
    analyst, reader = service.auth("analyst"), service.auth("reader")
    account = f"acct-{uuid.uuid4().hex[:6]}"
    upload = {"photo": ("upload.jpg", image.read_bytes(), "image/jpeg")}
    assert client.post(f"/v1/media/act?account={account}", headers=reader, files=upload).status_code == 403
    acted = client.post(f"/v1/media/act?account={account}", headers=analyst, files=upload)
    assert acted.status_code == 200, acted.text
    action = acted.json()
    assert action["action"] == "block" and bank in action["banks"] and action["strike"]["penalty"] == "restriction"
    entry = next(e for e in service.context.ledger.entries(kind="media.action") if e.seq == action["ledger_seq"])
    assert entry.actor == "analyst-key" and entry.inputs["account"] == account
    matched = [e for e in service.context.ledger.entries(kind="media.match") if e.inputs.get("subject") == "upload.jpg"]
    assert matched and matched[-1].inputs["key"] == "analyst-key"  # counted for the flood rule, naming the key

    standing = client.get(f"/v1/media/strikes/{account}", headers=reader).json()
    assert standing["state"] == "restricted" and len(standing["strikes"]) == 1

    path = f"/v1/media/actions/{action['action_id']}/appeal"
    assert client.post(path, json={"outcome": "maybe"}, headers=analyst).json()["detail"].startswith("outcome:")
    assert client.post("/v1/media/actions/999999/appeal", json={"outcome": "upheld"}, headers=analyst).status_code == 404
    overturned = client.post(path, json={"outcome": "overturned", "note": "news report"}, headers=analyst)
    assert overturned.status_code == 200 and overturned.json()["account_status"]["state"] == "good_standing"
    assert client.post(path, json={"outcome": "upheld"}, headers=analyst).status_code == 409
    assert client.get(f"/v1/media/strikes/{account}", headers=reader).json()["state"] == "good_standing"
    assert client.post(f"/v1/media/act?account=%20", headers=analyst, files=upload).json()["detail"].startswith("account:")


def test_media_review_queue_over_http(client, service, data_dir) -> None:
    image = data_dir / "media" / "pdq" / "misc-images" / "pen-and-coaster.png"  # banked by no other test
    _bank_with(client, service, image, [])  # no rule for its labels: the policy's default, review
    analyst = service.auth("analyst")
    acted = client.post("/v1/media/act?account=acct-review", headers=analyst,
                        files={"photo": ("r.png", image.read_bytes(), "image/png")}).json()
    assert acted["action"] == "review" and acted["review_id"] is not None and acted["strike"] is None
    items = client.get("/v1/media/review", headers=analyst)
    assert items.status_code == 200 and acted["review_id"] in [i["id"] for i in items.json()]
    assert client.get("/v1/media/review", headers=service.auth("reader")).status_code == 403
    assert client.get("/v1/media/review?status=nope", headers=analyst).json()["detail"].startswith("status:")
    path = f"/v1/media/review/{acted['review_id']}/resolve"
    done = client.post(path, json={"resolution": "false_positive"}, headers=analyst)
    assert done.status_code == 200 and done.json()["resolved_by"] == "analyst-key"
    assert client.post(path, json={"resolution": "confirmed"}, headers=analyst).status_code == 409
    assert client.post("/v1/media/review/999999/resolve", json={"resolution": "confirmed"}, headers=analyst).status_code == 404


def test_lookups_never_refresh_the_index_and_a_thread_keeps_it_current(app, client, service) -> None:
    """A hash banked by another process (here: the media library on the store, not the API) is
    matched within a few seconds, while every refresh of the index runs on the refresher thread,
    none on a request's."""
    import random
    import threading

    from redline.api.routers import media
    from redline.media import banks

    reader = service.auth("reader")
    pdq = f"{random.Random(11).getrandbits(256):064x}"
    assert client.get("/m/lookup", params={"signal_type": "pdq", "signal": pdq}, headers=reader).status_code == 200
    matcher = app.state.matcher
    threads: list[str] = []
    applied = matcher.index.refresh

    def watched() -> int:
        threads.append(threading.current_thread().name)
        return applied()

    matcher.index.refresh = watched
    bank = f"BG_{uuid.uuid4().hex[:8].upper()}"
    banks.create_bank(service.context.store, bank, actor="elsewhere")
    banks.add_signals(service.context.store, bank, [banks.SignalRecord("pdq", pdq, content_id="bg-1")], actor="elsewhere")
    deadline = time.monotonic() + 5
    while bank not in client.get("/m/lookup", params={"signal_type": "pdq", "signal": pdq}, headers=reader).json():
        assert time.monotonic() < deadline, "a hash banked elsewhere is not matched after 5 s"
        time.sleep(0.05)
    assert threads and set(threads) == {"redline-matcher-refresh"}
    assert app.state.matcher_refresher.target() is matcher and media.REFRESH_S <= 1

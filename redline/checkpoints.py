"""Signed checkpoints of the ledger's head, so that a deleted tail or a rewritten chain is found.

The hash chain proves that no entry was edited in place, but not that the newest entries are all
still there, nor that someone with write access did not recompute every hash. A checkpoint is the
head (seq, hash) signed with the installation's Ed25519 key, which is kept outside the database
(`REDLINE_HOME/keys/ledger-ed25519.pem`, or the file named by `REDLINE_LEDGER_KEY`). Checkpoints are
taken every `CHECKPOINT_EVERY` entries and on demand, kept in their own table, and can be copied
to a witness file that the database's writers cannot reach; `verify` checks the chain against them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Column, Connection, Integer, String, Table, select

from redline.store.base import Store, metadata

CHECKPOINT_EVERY = int(os.environ.get("REDLINE_LEDGER_CHECKPOINT_EVERY", "100"))

checkpoints_table = Table(
    "ledger_checkpoints",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("seq", Integer, nullable=False, index=True),
    Column("hash", String(64), nullable=False),
    Column("at", String(40), nullable=False),
    Column("key_id", String(16), nullable=False),
    Column("signature", String(128), nullable=False),
)


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    key_id: str
    signature: str

    def message(self) -> bytes:
        return orjson.dumps({"ledger_head": {"seq": self.seq, "hash": self.hash, "at": self.at}}, option=orjson.OPT_SORT_KEYS)

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash, "at": self.at, "key_id": self.key_id, "signature": self.signature}


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


class Signer:
    """The installation's signing key, created on first use (mode 0600) beside the store, never in it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._key: Ed25519PrivateKey | None = None

    @property
    def key(self) -> Ed25519PrivateKey:
        if self._key is None:
            self._key = _load_or_create(self.path)
        return self._key

    @property
    def public(self) -> Ed25519PublicKey:
        return self.key.public_key()

    @property
    def key_id(self) -> str:
        return key_id(self.public)

    def public_pem(self) -> str:
        return self.public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def sign(self, seq: int, head_hash: str) -> Checkpoint:
        at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        unsigned = Checkpoint(seq, head_hash, at, self.key_id, "")
        return Checkpoint(seq, head_hash, at, self.key_id, self.key.sign(unsigned.message()).hex())


def _load_or_create(path: Path) -> Ed25519PrivateKey:
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path}: not an Ed25519 private key")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return key


def write_checkpoint(conn: Connection, signer: Signer, seq: int, head_hash: str) -> Checkpoint:
    checkpoint = signer.sign(seq, head_hash)
    conn.execute(checkpoints_table.insert().values(**checkpoint.to_dict()))
    return checkpoint


def stored_checkpoints(store: Store) -> list[Checkpoint]:
    with store.connect() as conn:
        rows = conn.execute(select(checkpoints_table).order_by(checkpoints_table.c.seq, checkpoints_table.c.id))
        return [Checkpoint(r.seq, r.hash, r.at, r.key_id, r.signature) for r in rows]


def read_witness(path: Path) -> Iterator[Checkpoint]:
    """A witness file: JSON lines of checkpoints, as `append_witness` writes them."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                item = orjson.loads(line)
                yield Checkpoint(int(item["seq"]), item["hash"], item["at"], item["key_id"], item["signature"])
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{path}:{number}: not a checkpoint ({exc})") from exc


def append_witness(path: Path, checkpoints: Iterable[Checkpoint]) -> int:
    known = {(c.seq, c.hash, c.signature) for c in read_witness(path)} if path.exists() else set()
    count = 0
    with path.open("ab") as handle:
        for checkpoint in checkpoints:
            if (checkpoint.seq, checkpoint.hash, checkpoint.signature) not in known:
                handle.write(orjson.dumps(checkpoint.to_dict()) + b"\n")
                count += 1
    return count


def check_against(checkpoints: Iterable[Checkpoint], heads: dict[int, str], last_seq: int, signer: Signer, origin: str) -> list[tuple[int, str]]:
    """Problems, as (seq, text): bad signatures, checkpointed entries missing or altered, a cut tail."""
    problems: list[tuple[int, str]] = []
    for checkpoint in checkpoints:
        if checkpoint.key_id != signer.key_id:
            problems.append((checkpoint.seq, f"{origin} checkpoint at entry {checkpoint.seq} is signed by another key ({checkpoint.key_id})"))
            continue
        try:
            signer.public.verify(bytes.fromhex(checkpoint.signature), checkpoint.message())
        except (InvalidSignature, ValueError):
            problems.append((checkpoint.seq, f"{origin} checkpoint at entry {checkpoint.seq} has an invalid signature"))
            continue
        if checkpoint.seq > last_seq:
            problems.append((checkpoint.seq, f"entries {last_seq + 1}–{checkpoint.seq} are missing: the ledger ends at {last_seq} but a signed {origin} checkpoint covers {checkpoint.seq}"))
        elif heads.get(checkpoint.seq) is None:
            problems.append((checkpoint.seq, f"entry {checkpoint.seq}, covered by a signed {origin} checkpoint, is missing"))
        elif heads[checkpoint.seq] != checkpoint.hash:
            problems.append((checkpoint.seq, f"entry {checkpoint.seq} differs from the signed {origin} checkpoint: the chain was rewritten"))
    return problems

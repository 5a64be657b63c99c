"""Signatures on shared records, with the installation's Ed25519 key (the one that signs ledger
checkpoints, kept outside the database: `redline.checkpoints.Signer`).

A published record is canonical JSON (sorted keys). Records are signed in *blocks*: a block is the
list of the SHA-256 digests of up to BLOCK_SIZE records, and the installation signs
`{"origin", "at", "digests"}` once. A receiver checks the block's signature once, then each
record's digest against its place in the block: every record is covered by the publisher's
signature, and a record altered or added by someone who can write the publisher's database (but
cannot read its key) is refused on its own while the rest of the page proceeds. One signature per
block instead of per record keeps a million-record fetch to ~1,000 verifications (an Ed25519
verification costs 60-250 µs here). Single messages (denial notices, feedback) are signed whole.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from redline.checkpoints import Signer, key_id

BLOCK_SIZE = 1024


class KeyProblem(ValueError):
    pass


def canonical(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def digest(record_bytes: bytes) -> str:
    return hashlib.sha256(record_bytes).hexdigest()


def block_message(origin: str, at: str, digests: list[str]) -> bytes:
    return canonical({"origin": origin, "at": at, "digests": digests})


def sign(signer: Signer, message: bytes) -> str:
    return signer.key.sign(message).hex()


def public_hex(signer: Signer) -> str:
    return signer.public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def load_public_key(text: str) -> Ed25519PublicKey:
    """A peer's public key: PEM (as `redline exchange key` prints it), or 64 hex digits, or a file holding either."""
    value = text.strip()
    if not value.startswith("-----") and len(value) != 64 and Path(value).expanduser().is_file():
        value = Path(value).expanduser().read_text(encoding="utf-8").strip()
    try:
        if value.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(value.encode())
        else:
            key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(value))
    except (ValueError, TypeError) as exc:
        raise KeyProblem(f"not an Ed25519 public key (PEM or 64 hex digits): {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyProblem("the public key is not an Ed25519 key")
    return key


def public_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def verify(key: Ed25519PublicKey, signature_hex: str, message: bytes) -> bool:
    try:
        key.verify(bytes.fromhex(signature_hex), message)
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False


__all__ = ["BLOCK_SIZE", "KeyProblem", "block_message", "canonical", "digest", "key_id", "load_public_key",
           "public_hex", "public_pem", "sign", "verify"]

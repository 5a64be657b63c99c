"""Denial notices between states: issued here signed with the installation's Ed25519 key, received
from partners verified, and screened against the open licence cases (see consultations.py).

A notice is a JSON object: `format`, `notice_id`, `authority`, `party` {name, country},
`control_codes`, `item_categories`, `grounds`, `date`, `expiry`, optional `case_id` /
`application_id`, `issued_at`, `key_id`, `public_key` (PEM) and `signature` (hex), the Ed25519
signature of the canonical JSON (sorted keys) of every other field. The key is the one that signs
the ledger's checkpoints (redline.checkpoints.Signer), kept outside the database.

Trust: a notice must verify under the public key it carries, and under the key pinned for its
authority: an officer pins a partner's key with `trust` (exchanged out of band), else the first
verified notice from an authority pins it, and this installation's own notices pin its own name. A
notice claiming an authority under another key is refused (and the refusal goes to the ledger). Exchanges (redline.exchange) call `feed` and
`receive`; `export_file` / `import_file` do the same over a file drop.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, select

from redline.checkpoints import Signer, key_id as public_key_id
from redline.licensing.tables import authority_keys as keys_table
from redline.licensing.tables import notices as notices_table
from redline.licensing.territories import is_iso2
from redline.licensing.vocab import ITEM_CATEGORIES

FORMAT = "redline.denial-notice/1"
FILE_FORMAT = "redline.denial-notices/1"
# Art. 16 of Regulation (EU) 2021/821 has denials reviewed within three years of their notification
# (as Art. 13(2) of its predecessor 428/2009 did); a notice without an expiry lasts that long.
DEFAULT_YEARS = 3
LIMITS = {"notice_id": 200, "authority": 200, "party": 1000, "grounds": 20000}  # characters (party: its name)
SIGNED_FIELDS = ("format", "notice_id", "authority", "party", "control_codes", "item_categories", "grounds", "date",
                 "expiry", "case_id", "application_id", "issued_at", "key_id", "public_key")


class NoticeProblem(ValueError):
    """A notice that cannot be issued as asked (a bad argument); the message names it."""


class NoticeRefused(ValueError):
    """An incoming notice that failed verification; `reason` says why."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _message(notice: dict[str, Any]) -> bytes:
    return orjson.dumps({k: notice.get(k) for k in SIGNED_FIELDS}, option=orjson.OPT_SORT_KEYS)


def _signer(context: Any) -> Signer:
    return context.ledger.signer or Signer(context.settings.ledger_key)


def authority_name(signer: Signer) -> str:
    """REDLINE_AUTHORITY, else the default name made unique by the key id: two installations left
    with the default must not claim the same authority (each would refuse the other's key)."""
    from redline.licensing.service import authority_name as name

    return os.environ.get("REDLINE_AUTHORITY") or f"{name()} {signer.key_id}"


def _iso_date(value: Any, field: str) -> str:
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise NoticeProblem(f"{field}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def build_fields(*, party: str, country: str | None, control_codes: list[str], item_categories: list[str], grounds: str,
                 on: str | date | None = None, expiry: str | date | None = None) -> dict[str, Any]:
    """The content of a notice, checked: every problem names its option."""
    name = " ".join((party or "").split())
    if not name:
        raise NoticeProblem("--party: the denied party's name is required")
    cc = (country or "").strip().upper() or None
    if cc is not None and not is_iso2(cc):
        raise NoticeProblem(f"--country: {country!r} is not an ISO 3166-1 alpha-2 code")
    codes = sorted({c.strip() for c in control_codes if c and c.strip()})
    cats = sorted({c.strip() for c in item_categories if c and c.strip()})
    for cat in cats:
        if cat not in ITEM_CATEGORIES:
            from difflib import get_close_matches

            close = get_close_matches(cat, ITEM_CATEGORIES, n=1)
            raise NoticeProblem(f"--item-category: {cat!r} is not an item category" + (f" (did you mean {close[0]!r}?)" if close else ""))
    if not codes and not cats:
        raise NoticeProblem("--control-code / --item-category: a notice names at least one control code or item category")
    if not (grounds or "").strip():
        raise NoticeProblem("--grounds: a denial notice states its grounds")
    for option, value, most in (("--party", name, LIMITS["party"]), ("--grounds", grounds.strip(), LIMITS["grounds"])):
        if len(value) > most:
            raise NoticeProblem(f"{option}: at most {most} characters")
    day = _iso_date(on or date.today(), "--date")
    until = _iso_date(expiry, "--expiry") if expiry else _add_years(date.fromisoformat(day), DEFAULT_YEARS).isoformat()
    if until <= day:
        raise NoticeProblem(f"--expiry: {until} is not after the notice's date {day}")
    return {"party": {"name": name, "country": cc}, "control_codes": codes, "item_categories": cats,
            "grounds": grounds.strip(), "date": day, "expiry": until}


def issue(context: Any, fields: dict[str, Any], *, case_id: int | None = None, application_id: str | None = None,
          conn: Connection | None = None) -> dict[str, Any]:
    """Sign and store a notice of ours (`fields` from `build_fields`), with its ledger entry."""
    signer = _signer(context)
    notice = {"format": FORMAT, "notice_id": f"{signer.key_id}-{uuid.uuid4().hex[:16]}", "authority": authority_name(signer),
              **fields, "case_id": case_id, "application_id": application_id, "issued_at": _now(),
              "key_id": signer.key_id, "public_key": signer.public_pem()}
    notice["signature"] = signer.key.sign(_message(notice)).hex()
    if conn is None:
        with context.store.transaction() as own:
            _store(own, context, notice, origin="own", exchange=None)
    else:
        _store(conn, context, notice, origin="own", exchange=None)
    return notice


def _store(conn: Connection, context: Any, notice: dict[str, Any], *, origin: str, exchange: str | None,
           party_hits: list[str] | None = None) -> int:
    pinned = _pinned_key(conn, notice["authority"])
    if pinned is not None and pinned != notice["key_id"]:
        raise NoticeProblem(f"authority {notice['authority']!r} is pinned to key {pinned}, not this installation's "
                            f"{notice['key_id']}: set REDLINE_AUTHORITY to this installation's own name")
    entry = context.ledger.append(
        "licensing.notice.issue" if origin == "own" else "licensing.notice.receive", context.actor,
        {"notice_id": notice["notice_id"], "authority": notice["authority"], "party": notice["party"],
         "control_codes": notice["control_codes"], "item_categories": notice["item_categories"],
         "date": notice["date"], "expiry": notice["expiry"], "case_id": notice.get("case_id"), "exchange": exchange},
        {"key_id": notice["key_id"], "signature_sha256": hashlib.sha256(notice["signature"].encode()).hexdigest(),
         "verified": True, "key_pinned_now": pinned is None},
        conn=conn,
    )
    if pinned is None:
        _pin(conn, context, notice["authority"], notice["key_id"], notice["public_key"],
             "own" if origin == "own" else "first_notice", entry.seq)
    row = conn.execute(notices_table.insert().values(
        notice_id=notice["notice_id"], origin=origin, authority=notice["authority"], key_id=notice["key_id"],
        party_name=notice["party"]["name"], party_country=notice["party"].get("country"),
        party_hits=orjson.dumps(party_hits or []).decode(), date=notice["date"],
        expiry=notice["expiry"], case_id=notice.get("case_id") if origin == "own" else None, exchange=exchange[:200] if exchange else None,
        body=orjson.dumps(notice).decode(), stored_at=_now(), ledger_seq=entry.seq,
    ))
    return int(row.inserted_primary_key[0])  # type: ignore[index]


def verify(notice: Any) -> str | None:
    """Why `notice` is not a well-formed notice signed by the key it carries; None when it is."""
    if not isinstance(notice, dict):
        return "a notice is a JSON object"
    if notice.get("format") != FORMAT:
        return f"format: expected {FORMAT!r}, got {notice.get('format')!r}"
    for field in ("notice_id", "authority", "grounds", "key_id", "public_key", "signature"):
        if not isinstance(notice.get(field), str) or not notice[field].strip():
            return f"{field}: is required (text)"
    party = notice.get("party")
    if not isinstance(party, dict) or not isinstance(party.get("name"), str) or not party["name"].strip():
        return "party.name: is required"
    for field, most in LIMITS.items():
        if len(party["name"] if field == "party" else notice[field]) > most:
            return f"{field}: at most {most} characters"
    if party.get("country") is not None and not is_iso2(str(party["country"])):
        return f"party.country: {party['country']!r} is not an ISO alpha-2 code"
    for field in ("control_codes", "item_categories"):
        if not isinstance(notice.get(field), list) or not all(isinstance(c, str) for c in notice[field]):
            return f"{field}: a list of text is expected"
    if not notice["control_codes"] and not notice["item_categories"]:
        return "control_codes / item_categories: a notice names at least one"
    for field in ("date", "expiry"):
        try:
            date.fromisoformat(str(notice.get(field)))
        except ValueError:
            return f"{field}: {notice.get(field)!r} is not an ISO date"
    try:
        public = serialization.load_pem_public_key(notice["public_key"].encode())
    except (ValueError, TypeError):
        return "public_key: not a PEM public key"
    if not isinstance(public, Ed25519PublicKey):
        return "public_key: not an Ed25519 key"
    if public_key_id(public) != notice["key_id"]:
        return f"key_id: {notice['key_id']!r} is not the id of the enclosed public key"
    try:
        public.verify(bytes.fromhex(notice["signature"]), _message(notice))
    except (InvalidSignature, ValueError):
        return "signature: does not verify (the notice was altered, or not signed by this key)"
    return None


def _pinned_key(conn: Connection, authority: str) -> str | None:
    return conn.execute(select(keys_table.c.key_id).where(keys_table.c.authority == authority)).scalar()


def _pin(conn: Connection, context: Any, authority: str, key_id: str, public_pem: str, how: str, seq: int) -> None:
    conn.execute(keys_table.delete().where(keys_table.c.authority == authority))
    conn.execute(keys_table.insert().values(authority=authority, key_id=key_id, public_key=public_pem, how=how,
                                            pinned_by=context.actor, pinned_at=_now(), ledger_seq=seq))


def trust(context: Any, authority: str, public_pem: str, reason: str, *, role: str) -> dict[str, Any]:
    """Pin (or change) the key an authority's notices must be signed with, by an officer, e.g. from
    a key exchanged out of band before the first notice, or after a partner changed its key."""
    from redline.licensing.officers import reason_text, require_officer

    require_officer(context.actor, role, "trusting an authority's key")
    why = reason_text(reason)
    name = " ".join((authority or "").split())
    if not name or len(name) > LIMITS["authority"]:
        raise NoticeProblem(f"--authority: give the authority's name as its notices state it (at most {LIMITS['authority']} characters)")
    try:
        public = serialization.load_pem_public_key(public_pem.encode())
    except (ValueError, TypeError):
        raise NoticeProblem("--public-key: not a PEM public key") from None
    if not isinstance(public, Ed25519PublicKey):
        raise NoticeProblem("--public-key: not an Ed25519 key")
    kid = public_key_id(public)
    with context.store.transaction() as conn:
        previous = _pinned_key(conn, name)
        entry = context.ledger.append("licensing.notice.trust", context.actor,
                                      {"authority": name, "key_id": kid, "reason": why, "role": role},
                                      {"previous_key_id": previous}, conn=conn)
        _pin(conn, context, name, kid, public_pem, "trusted", entry.seq)
    return {"authority": name, "key_id": kid, "previous_key_id": previous, "ledger_seq": entry.seq}


def pinned_keys(store: Any) -> list[dict[str, Any]]:
    with store.connect() as conn:
        rows = conn.execute(select(keys_table).order_by(keys_table.c.authority))
        return [{"authority": r.authority, "key_id": r.key_id, "how": r.how, "pinned_by": r.pinned_by,
                 "pinned_at": r.pinned_at, "ledger_seq": r.ledger_seq, "public_key": r.public_key} for r in rows]


def own_key(context: Any) -> dict[str, Any]:
    """This installation's authority name and public key, to give partners out of band."""
    signer = _signer(context)
    return {"authority": authority_name(signer), "key_id": signer.key_id, "public_key": signer.public_pem()}


def receive(context: Any, notice: Any, *, exchange: str) -> dict[str, Any]:
    """Verify a partner's notice, store it (idempotent by notice id), screen the open cases against it
    and open consultations. Returns {"notice_id", "stored", "consultations": [...]}. A notice that
    fails verification is refused (NoticeRefused) and the refusal is written to the ledger."""
    from redline.licensing import consultations
    from redline.licensing.denials import store_partner_notice

    problem = verify(notice)
    if problem is None:
        with context.store.connect() as conn:  # a replay (the same notice under the same key) changes nothing
            if conn.execute(select(notices_table.c.id).where(notices_table.c.notice_id == notice["notice_id"],
                                                             notices_table.c.key_id == notice["key_id"])).first():
                return {"notice_id": notice["notice_id"], "stored": False,
                        "consultations": consultations.for_notice(conn, notice["notice_id"])}
    # Screened before the transaction: a screening writes its own ledger entry.
    hits = _listed_ids(notice["party"]["name"]) if problem is None else []
    compare = consultations.name_comparer()
    with context.store.transaction() as conn:
        if problem is None:
            pinned = _pinned_key(conn, notice["authority"])
            if pinned is not None and pinned != notice["key_id"]:
                problem = (f"authority {notice['authority']!r} signs with key {pinned}; this notice is signed by "
                           f"{notice['key_id']}")
        if problem is None:
            known = conn.execute(select(notices_table.c.id).where(notices_table.c.notice_id == notice["notice_id"])).first()
            if known is not None:  # received meanwhile
                return {"notice_id": notice["notice_id"], "stored": False,
                        "consultations": consultations.for_notice(conn, notice["notice_id"])}
            _store(conn, context, notice, origin="partner", exchange=exchange, party_hits=hits)
            store_partner_notice(conn, notice, exchange)
            opened = consultations.screen_cases(conn, context, notice, hits, compare)
            return {"notice_id": notice["notice_id"], "stored": True, "consultations": opened}
    notice_id = notice.get("notice_id") if isinstance(notice, dict) else None
    authority = notice.get("authority") if isinstance(notice, dict) else None
    context.ledger.append("licensing.notice.refused", context.actor,
                          {"notice_id": notice_id, "authority": authority, "exchange": exchange}, {"reason": problem})
    raise NoticeRefused(problem)


def _listed_ids(name: str) -> list[str]:
    """The listed parties the engine matches to a notice's party; [] when no lists are loaded (the
    name comparison still applies)."""
    from redline.licensing import service
    from redline.licensing.screening import ScreeningUnavailable, listed_ids

    try:
        return listed_ids(service.default_screener()(name, limit=5))
    except ScreeningUnavailable:
        return []


def feed(context: Any, since_seq: int, limit: int) -> list[dict[str, Any]]:
    """Our own notices issued after `since_seq`, oldest first: [{"seq", "notice"}]."""
    query = (select(notices_table.c.id, notices_table.c.body)
             .where(notices_table.c.origin == "own", notices_table.c.id > since_seq)
             .order_by(notices_table.c.id).limit(max(0, limit)))
    with context.store.connect() as conn:
        return [{"seq": row.id, "notice": orjson.loads(row.body)} for row in conn.execute(query)]


def list_notices(store: Any, origin: str | None = None) -> list[dict[str, Any]]:
    query = select(notices_table).order_by(notices_table.c.id)
    if origin:
        query = query.where(notices_table.c.origin == origin)
    with store.connect() as conn:
        return [_row(r) for r in conn.execute(query)]


def get_notice(store: Any, notice_id: str) -> dict[str, Any]:
    with store.connect() as conn:
        row = conn.execute(select(notices_table).where(notices_table.c.notice_id == notice_id)).first()
    if row is None:
        raise LookupError(f"no notice {notice_id!r}")
    return _row(row)


def _row(row: Any) -> dict[str, Any]:
    notice = orjson.loads(row.body)
    today = date.today().isoformat()
    return {"seq": row.id, "notice_id": row.notice_id, "origin": row.origin, "authority": row.authority,
            "party": notice["party"], "control_codes": notice["control_codes"], "item_categories": notice["item_categories"],
            "grounds": notice["grounds"], "date": row.date, "expiry": row.expiry, "in_force": row.date <= today <= row.expiry,
            "case_id": row.case_id, "exchange": row.exchange, "key_id": row.key_id, "stored_at": row.stored_at,
            "ledger_seq": row.ledger_seq, "notice": notice}


def export_file(store: Any, path: Path, notice_ids: list[str] | None = None) -> int:
    """Our notices (or the ones named) as a file a partner can `notice import`."""
    own = [n["notice"] for n in list_notices(store, "own") if not notice_ids or n["notice_id"] in notice_ids]
    path.write_bytes(orjson.dumps({"format": FILE_FORMAT, "notices": own}, option=orjson.OPT_INDENT_2) + b"\n")
    return len(own)


class NoticeFileError(ValueError):
    pass


def read_file(path: Path) -> list[Any]:
    try:
        data = orjson.loads(path.read_bytes())
    except OSError as exc:
        raise NoticeFileError(f"{path}: cannot read ({exc.strerror})") from None
    except orjson.JSONDecodeError as exc:
        raise NoticeFileError(f"{path}: not JSON ({exc})") from None
    if isinstance(data, dict) and data.get("format") == FORMAT:
        return [data]
    if not isinstance(data, dict) or data.get("format") != FILE_FORMAT or not isinstance(data.get("notices"), list):
        raise NoticeFileError(f"{path}: expected {{'format': '{FILE_FORMAT}', 'notices': [...]}} or one notice")
    return list(data["notices"])


def import_file(context: Any, path: Path) -> list[dict[str, Any]]:
    """Receive every notice of a file drop; each is verified on its own: a refused notice is reported
    (with its index) and the others are still received."""
    out = []
    for index, notice in enumerate(read_file(path)):
        try:
            out.append({"index": index, **receive(context, notice, exchange=f"file:{path.name}")})
        except NoticeRefused as exc:
            out.append({"index": index, "notice_id": notice.get("notice_id") if isinstance(notice, dict) else None,
                        "refused": exc.reason})
    return out


def in_force(notice: dict[str, Any], on: date | None = None) -> bool:
    day = (on or date.today()).isoformat()
    return str(notice["date"]) <= day <= str(notice["expiry"])

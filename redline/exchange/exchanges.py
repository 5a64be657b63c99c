"""Configured exchanges: add, update, list, get, remove; their status and checkpoint."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import orjson
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from redline.context import Context
from redline.exchange import credentials
from redline.exchange import tables as t
from redline.exchange.adapters import ADAPTERS
from redline.exchange.adapters.base import Adapter
from redline.media import banks

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
FETCH_LEASE = timedelta(minutes=15)  # a fetch marked running longer than this is taken to have died


class ExchangeProblem(ValueError):
    """A bad name, adapter or option, or an unknown exchange; the message names the argument."""


@dataclass
class Exchange:
    id: int
    name: str
    adapter: str
    bank: str
    config: dict[str, Any]
    credential: str | None
    checkpoint: str | None
    status: dict[str, Any]
    enabled: bool
    created_at: str
    created_by: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "adapter": self.adapter, "bank": self.bank, "config": self.config,
                "credential": credentials.describe(self.credential), "checkpoint": self.checkpoint,
                "status": self.status, "enabled": self.enabled, "created_at": self.created_at,
                "created_by": self.created_by}


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _from_row(row: Any) -> Exchange:
    return Exchange(row.id, row.name, row.adapter, row.bank, orjson.loads(row.config), row.credential, row.checkpoint,
                    orjson.loads(row.status or "{}"), bool(row.enabled), row.created_at, row.created_by)


def add_exchange(ctx: Context, name: str, adapter: str, config: dict[str, Any], *, credential: str | None = None,
                 bank: str | None = None, labels: list[str] | None = None) -> Exchange:
    """A new exchange with its own bank (created, named after the exchange unless `bank` is given).
    `credential` is the stored form (see `credentials`)."""
    if not NAME.match(name or ""):
        raise ExchangeProblem(f"NAME: invalid exchange name {name!r}: letters, digits, '.', '_' or '-' (at most 100)")
    cls = _adapter_class(adapter)
    config = _checked(cls, config)
    bank_name = bank or f"exchange.{name}"
    with ctx.store.connect() as conn:
        if conn.execute(select(t.exchanges.c.id).where(t.exchanges.c.name == name)).first():
            raise ExchangeProblem(f"NAME: an exchange named {name!r} already exists (use --update to change it)")
    try:
        banks.get_bank(ctx.store, bank_name)
    except banks.BankError:
        try:
            banks.create_bank(ctx.store, bank_name, labels=labels or [], actor=ctx.actor, ledger=ctx.ledger)
        except banks.BankError as exc:
            raise ExchangeProblem(f"--bank: {exc}") from None
    try:
        with ctx.store.transaction() as conn:
            conn.execute(t.exchanges.insert().values(
                name=name, adapter=adapter, bank=bank_name, config=orjson.dumps(config).decode(), credential=credential,
                checkpoint=None, status="{}", enabled=True, created_at=now(), created_by=ctx.actor))
            ctx.ledger.append("exchange.add", ctx.actor, {"name": name, "adapter": adapter, "bank": bank_name},
                              {"config": config, "credential": credentials.describe(credential)}, conn=conn)
    except IntegrityError:
        raise ExchangeProblem(f"NAME: an exchange named {name!r} already exists") from None
    return get_exchange(ctx, name)


def update_exchange(ctx: Context, name: str, *, config: dict[str, Any] | None = None, credential: str | None = None,
                    enabled: bool | None = None, checkpoint: str | None | bool = False) -> Exchange:
    """Change options, the credential, whether it is fetched, or reset the checkpoint (None: from the start)."""
    current = get_exchange(ctx, name)
    values: dict[str, Any] = {}
    if config:
        values["config"] = orjson.dumps(_checked(_adapter_class(current.adapter), {**current.config, **config})).decode()
    if credential is not None:
        values["credential"] = credential
    if enabled is not None:
        values["enabled"] = enabled
    if checkpoint is not False:
        values["checkpoint"] = checkpoint
    if not values:
        return current
    with ctx.store.transaction() as conn:
        conn.execute(update(t.exchanges).where(t.exchanges.c.id == current.id).values(**values))
        shown = {k: (credentials.describe(v) if k == "credential" else v) for k, v in values.items()}
        ctx.ledger.append("exchange.update", ctx.actor, {"name": name}, shown, conn=conn)
    return get_exchange(ctx, name)


def remove_exchange(ctx: Context, name: str, *, keep_bank: bool = False) -> dict[str, Any]:
    """Remove an exchange: its configuration, credential, checkpoint, the provenance of its hashes and
    its refused records go, and its bank is deleted with it (`banks.delete_bank`: tombstoned, its
    hashes stop matching, rows purged later) unless `keep_bank` or another exchange fills it too
    (then it stays, a plain bank). One transaction with the `exchange.remove` ledger entry. Refused
    while the exchange is being fetched."""
    current = get_exchange(ctx, name)
    if current.status.get("state") == "running":
        started = datetime.fromisoformat(current.status.get("started_at") or "1970-01-01T00:00:00+00:00")
        if datetime.now(timezone.utc) - started < FETCH_LEASE:
            raise ExchangeProblem(f"NAME: {name} is being fetched (since {current.status['started_at']}); "
                                  "remove it when that fetch ends")
    with ctx.store.transaction() as conn:
        provenance_rows = conn.execute(delete(t.signals).where(t.signals.c.exchange_id == current.id)).rowcount or 0
        conn.execute(delete(t.refused).where(t.refused.c.exchange_id == current.id))
        conn.execute(delete(t.exchanges).where(t.exchanges.c.id == current.id))
        shared = conn.execute(select(func.count()).select_from(t.exchanges)
                              .where(t.exchanges.c.bank == current.bank)).scalar_one()
        bank_deleted = False
        if not keep_bank and not shared:
            try:
                banks.delete_bank_in(ctx, conn, current.bank, ctx.actor)
                bank_deleted = True
            except banks.BankError:
                pass  # the bank was already deleted by hand: nothing to keep or delete
        outcome = {"exchange": name, "adapter": current.adapter, "bank": current.bank, "bank_deleted": bank_deleted,
                   "bank_kept_because": None if bank_deleted else ("--keep-bank" if keep_bank else
                                                                   "another exchange uses it" if shared else
                                                                   "it no longer exists"),
                   "provenance_removed": provenance_rows}
        ctx.ledger.append("exchange.remove", ctx.actor, {"name": name, "keep_bank": keep_bank}, outcome, conn=conn)
    return outcome


def _adapter_class(adapter: str) -> type[Adapter]:
    if adapter not in ADAPTERS:
        raise ExchangeProblem(f"--adapter: unknown adapter {adapter!r}; use one of {', '.join(ADAPTERS)}")
    return ADAPTERS[adapter]


def _checked(cls: type[Adapter], config: dict[str, Any]) -> dict[str, Any]:
    config = {k: v for k, v in config.items() if v not in (None, "")}
    if "rate" in config:
        try:
            if float(config["rate"]) <= 0:
                raise ValueError
        except (TypeError, ValueError):
            raise ExchangeProblem(f"--rate: requests a second must be a positive number, got {config['rate']!r}") from None
    try:
        return cls.check_config(config)
    except ValueError as exc:
        raise ExchangeProblem(str(exc)) from None


def get_exchange(ctx: Context, name: str) -> Exchange:
    with ctx.store.connect() as conn:
        row = conn.execute(select(t.exchanges).where(t.exchanges.c.name == name)).first()
    if row is None:
        raise ExchangeProblem(f"NAME: no exchange named {name!r} (see `redline exchange list`)")
    return _from_row(row)


def list_exchanges(ctx: Context) -> list[Exchange]:
    with ctx.store.connect() as conn:
        return [_from_row(r) for r in conn.execute(select(t.exchanges).order_by(t.exchanges.c.name))]


def open_adapter(ctx: Context, exchange: Exchange, *, rate: float | None = None) -> Adapter:
    from redline.checkpoints import Signer

    secret = credentials.reveal(ctx.settings, exchange.credential)
    cls = ADAPTERS[exchange.adapter]
    kwargs: dict[str, Any] = {"rate": rate}
    if exchange.adapter == "redline":
        kwargs["signer"] = Signer(ctx.settings.ledger_key)
    return cls(exchange.config, secret, **kwargs)  # type: ignore[call-arg]


def provenance(ctx: Context, name: str, *, value: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Provenance of the hashes fetched from an exchange (newest confirmation first), or of one hash."""
    exchange = get_exchange(ctx, name)
    query = select(t.signals).where(t.signals.c.exchange_id == exchange.id)
    if value:
        query = query.where(t.signals.c.value_key == banks.value_key("", value.strip().lower()))
    query = query.order_by(t.signals.c.last_confirmed.desc(), t.signals.c.id.desc()).limit(limit)
    with ctx.store.connect() as conn:
        rows = conn.execute(query).all()
    return [{"signal_type": r.signal_type, "signal_value": r.value, "remote_id": r.remote_id, "contributor": r.contributor,
             "labels": orjson.loads(r.labels), "first_seen": r.first_seen, "last_confirmed": r.last_confirmed,
             "deleted": bool(r.deleted), "deconfirmed_at": r.deconfirmed_at, "deconfirmed_by": r.deconfirmed_by,
             "deconfirm_reason": r.deconfirm_reason, "feedback": r.feedback} for r in rows]


def refusals(ctx: Context, name: str, limit: int = 20) -> list[dict[str, Any]]:
    exchange = get_exchange(ctx, name)
    with ctx.store.connect() as conn:
        rows = conn.execute(select(t.refused).where(t.refused.c.exchange_id == exchange.id)
                            .order_by(t.refused.c.id.desc()).limit(limit)).all()
    return [{"at": r.at, "reason": r.reason, "record": r.record} for r in rows]

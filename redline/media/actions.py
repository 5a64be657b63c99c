"""Enforcement on matched media: a policy maps bank labels to actions, account strikes, appeals.

    policy = load_policy()                      # the shipped default, validated
    svc = Enforcement(store, ledger, actor, policy)
    result = svc.act(file, account, matches, sha256=...)   # decide, record, strike
    svc.account_status(account)                 # strikes, restriction, ban
    svc.appeal(action_id, "overturned", note)   # reverses the strikes of that action

Every decision is written to the store (tables in tables_actions.py) and to the audit ledger
(kinds media.action, media.strike, media.appeal) in one transaction — an action with its strike,
an appeal with the strikes it reverses — so neither can exist without the other and the
transparency counts (transparency.py) can be recomputed from either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Protocol

import orjson
from sqlalchemy import Connection, select

from redline.ledger import Ledger
from redline.media.tables_actions import actions_table, appeals_table, review_table, strikes_table
from redline.store.base import Store

DEFAULT_POLICY = Path(__file__).with_name("policy_default.yaml")

ACTIONS = ("block", "review", "allow")
SEVERITY = {"none": 0, "allow": 1, "review": 2, "block": 3}
STRIKES = ("none", "restriction", "ban")
STRIKE_SEVERITY = {"none": 0, "restriction": 1, "ban": 2}
OUTCOMES = ("upheld", "overturned")


class PolicyError(ValueError):
    """A policy file that does not load; the message names the file and the field."""


class EnforcementError(ValueError):
    """A request that cannot be carried out (unknown action, a second appeal, …)."""


class MatchLike(Protocol):
    bank: str
    content_id: str
    signal_type: str
    distance: int
    labels: Any


@dataclass(frozen=True)
class Rule:
    label: str
    action: str
    strike: str = "none"
    restriction_days: int | None = None


@dataclass(frozen=True)
class Policy:
    name: str
    version: str
    default_action: str
    rules: dict[str, Rule]
    ban_after_strikes: int | None = None
    source: str = ""

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"


@dataclass
class Decision:
    action: str  # block | review | allow | none (no match)
    rule: str | None  # the label whose rule decided; None for the default or no match
    strike: str = "none"
    restriction_days: int | None = None
    labels: list[str] = field(default_factory=list)
    banks: list[str] = field(default_factory=list)


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


# --------------------------------------------------------------------------------------------- policy


def load_policy(path: str | Path | None = None) -> Policy:
    """Read and validate a policy YAML file (the shipped default when `path` is None)."""
    import yaml

    source = Path(path) if path is not None else DEFAULT_POLICY
    where = str(source)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"{where}: cannot read the policy file ({exc.strerror or exc})") from exc
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PolicyError(f"{where}: not valid YAML ({exc})") from exc
    return parse_policy(doc, where)


def parse_policy(doc: Any, where: str = "<policy>") -> Policy:
    def err(fieldname: str, problem: str) -> PolicyError:
        return PolicyError(f"{where}: field '{fieldname}': {problem}")

    if not isinstance(doc, dict):
        raise PolicyError(f"{where}: the policy must be a mapping with name, version and rules")
    known = {"name", "version", "default_action", "escalation", "rules"}
    for key in doc:
        if key not in known:
            raise err(str(key), f"unknown field (expected one of {', '.join(sorted(known))})")
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip():
        raise err("name", "required, a non-empty string")
    version = doc.get("version")
    if version is None or isinstance(version, (dict, list, bool)) or not str(version).strip():
        raise err("version", "required, a string such as \"2026.1\"")
    default_action = doc.get("default_action", "review")
    if default_action not in ACTIONS:
        raise err("default_action", f"{default_action!r} is not one of {', '.join(ACTIONS)}")
    ban_after = None
    escalation = doc.get("escalation")
    if escalation is not None:
        if not isinstance(escalation, dict):
            raise err("escalation", "must be a mapping")
        for key in escalation:
            if key != "ban_after_strikes":
                raise err(f"escalation.{key}", "unknown field (expected ban_after_strikes)")
        ban_after = escalation.get("ban_after_strikes")
        if ban_after is not None and (not isinstance(ban_after, int) or isinstance(ban_after, bool) or ban_after < 1):
            raise err("escalation.ban_after_strikes", "must be a whole number ≥ 1")
    raw_rules = doc.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise err("rules", "required, a non-empty list of {label, action, strike}")
    rules: dict[str, Rule] = {}
    rule_fields = {"label", "action", "strike", "restriction_days"}
    for i, raw in enumerate(raw_rules):
        at = f"rules[{i}]"
        if not isinstance(raw, dict):
            raise err(at, "must be a mapping with label and action")
        for key in raw:
            if key not in rule_fields:
                raise err(f"{at}.{key}", f"unknown field (expected one of {', '.join(sorted(rule_fields))})")
        label = raw.get("label")
        if not isinstance(label, str) or not label.strip():
            raise err(f"{at}.label", "required, a non-empty string")
        try:
            from redline.media.labels import LabelError, normalise_label

            label = normalise_label(label)
        except LabelError as exc:
            raise err(f"{at}.label", str(exc)) from None
        if label in rules:
            raise err(f"{at}.label", f"{label!r} has a rule already")
        action = raw.get("action")
        if action not in ACTIONS:
            raise err(f"{at}.action", f"{action!r} is not one of {', '.join(ACTIONS)}")
        strike = raw.get("strike", "none")
        if strike not in STRIKES:
            raise err(f"{at}.strike", f"{strike!r} is not one of {', '.join(STRIKES)}")
        days = raw.get("restriction_days")
        if strike == "restriction":
            if not isinstance(days, int) or isinstance(days, bool) or days < 1:
                raise err(f"{at}.restriction_days", "a restriction strike needs a whole number of days ≥ 1")
        elif days is not None:
            raise err(f"{at}.restriction_days", f"only a 'restriction' strike has a duration (strike is {strike!r})")
        if strike != "none" and action != "block":
            raise err(f"{at}.strike", f"a strike needs action 'block' (action is {action!r})")
        rules[label] = Rule(label=label, action=action, strike=strike, restriction_days=days)
    return Policy(
        name=name.strip(), version=str(version).strip(), default_action=default_action, rules=rules,
        ban_after_strikes=ban_after, source=where,
    )


def match_to_dict(match: Any) -> dict[str, Any]:
    if isinstance(match, dict):
        m = match
    else:
        m = {k: getattr(match, k, None) for k in ("bank", "content_id", "signal_type", "distance", "labels")}
    labels = m.get("labels") or []
    return {
        "bank": m.get("bank"),
        "content_id": None if m.get("content_id") is None else str(m.get("content_id")),
        "signal_type": m.get("signal_type"),
        "distance": m.get("distance"),
        "labels": sorted({str(x) for x in labels}),
    }


def decide(policy: Policy, matches: list[Any]) -> Decision:
    """The action for a set of matches: the most severe among the rules of their labels."""
    found = [match_to_dict(m) for m in matches]
    if not found:
        return Decision(action="none", rule=None)
    labels = sorted({label for m in found for label in m["labels"]})
    banks = sorted({m["bank"] for m in found if m["bank"]})
    applicable = [policy.rules[label] for label in labels if label in policy.rules]
    if not applicable:
        return Decision(action=policy.default_action, rule=None, labels=labels, banks=banks)
    top = max(applicable, key=lambda r: (SEVERITY[r.action], STRIKE_SEVERITY[r.strike], r.restriction_days or 0))
    return Decision(
        action=top.action, rule=top.label, strike=top.strike, restriction_days=top.restriction_days,
        labels=labels, banks=banks,
    )


# --------------------------------------------------------------------------------------- enforcement


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


class Enforcement:
    def __init__(self, store: Store, ledger: Ledger, actor: str, policy: Policy | None = None) -> None:
        self.store = store
        self.ledger = ledger
        self.actor = actor
        self.policy = policy or load_policy()

    # -- act
    def act(
        self, file: str, account: str, matches: list[Any], sha256: str | None = None, at: datetime | None = None
    ) -> dict[str, Any]:
        """Decide on one upload, record the action (and any strike, review item), return the result."""
        if not account or not account.strip():
            raise EnforcementError("an account id is required")
        moment = at or now_utc()
        decision = decide(self.policy, matches)
        found = [match_to_dict(m) for m in matches]
        status_before = self.account_status(account, at=moment)
        strike_row: dict[str, Any] | None = None
        # the action, its review item, its strike and their ledger entries: one transaction
        with self.store.transaction() as conn:
            entry = self.ledger.append(
                "media.action",
                self.actor,
                inputs={"file": file, "sha256": sha256, "account": account, "matches": found},
                outcome={"action": decision.action, "rule": decision.rule, "labels": decision.labels, "banks": decision.banks},
                refs={"policy": self.policy.ref},
                at=moment,
                conn=conn,
            )
            action_id = conn.execute(
                actions_table.insert().values(
                    created_at=iso(moment), account=account, file=file, sha256=sha256, action=decision.action,
                    rule=decision.rule, banks=_json(decision.banks), labels=_json(decision.labels),
                    matches=_json(found), policy=self.policy.ref, status="in_force", ledger_seq=entry.seq,
                )
            ).inserted_primary_key[0]
            review_id = None
            if decision.action == "review":
                best = min(found, key=lambda m: (m["distance"] if m["distance"] is not None else 999))
                review_id = conn.execute(
                    review_table.insert().values(
                        created_at=iso(moment), kind="upload", source=file, account=account, bank=best["bank"],
                        content_id=best["content_id"], signal_type=best["signal_type"], distance=best["distance"],
                        labels=_json(decision.labels), action_id=action_id, status="open", ledger_seq=entry.seq,
                    )
                ).inserted_primary_key[0]
            if decision.strike != "none":
                strike_row = self._strike(conn, account, action_id, decision, moment, status_before)
        result = {
            "action_id": action_id,
            "file": file,
            "account": account,
            "action": decision.action,
            "rule": decision.rule,
            "labels": decision.labels,
            "banks": decision.banks,
            "matches": found,
            "policy": self.policy.ref,
            "strike": strike_row,
            "review_id": review_id,
            "ledger_seq": entry.seq,
        }
        result["account_status"] = self.account_status(account, at=moment)
        return result

    def _strike(
        self, conn: Connection, account: str, action_id: int, decision: Decision, moment: datetime,
        before: dict[str, Any],
    ) -> dict[str, Any]:
        """Record a strike (row and ledger entry) inside the action's transaction `conn`."""
        penalty = decision.strike
        expires = None
        escalated = False
        if penalty == "restriction":
            active = before["active_restrictions"] + 1
            if self.policy.ban_after_strikes and active >= self.policy.ban_after_strikes:
                penalty, escalated = "ban", True
            else:
                expires = iso(moment + timedelta(days=decision.restriction_days or 0))
        row = {
            "account": account, "action_id": action_id, "category": decision.rule, "penalty": penalty,
            "expires_at": expires, "escalated": escalated,
        }
        entry = self.ledger.append(
            "media.strike", self.actor, inputs={"account": account, "action_id": action_id, "category": decision.rule},
            outcome={"penalty": penalty, "expires_at": expires, "escalated": escalated,
                     "restriction_days": decision.restriction_days if penalty == "restriction" else None},
            refs={"policy": self.policy.ref}, at=moment, conn=conn,
        )
        strike_id = conn.execute(
            strikes_table.insert().values(
                created_at=iso(moment), account=account, action_id=action_id, category=decision.rule,
                penalty=penalty, expires_at=expires, reversed=0, ledger_seq=entry.seq,
            )
        ).inserted_primary_key[0]
        row["strike_id"] = strike_id
        return row

    # -- strikes
    def account_status(self, account: str, at: datetime | None = None) -> dict[str, Any]:
        moment = iso(at or now_utc())
        with self.store.connect() as conn:
            rows = conn.execute(
                select(strikes_table).where(strikes_table.c.account == account).order_by(strikes_table.c.id)
            ).all()
        strikes = []
        banned = False
        restricted_until = None
        active_restrictions = 0
        for r in rows:
            active = not r.reversed and (r.penalty == "ban" or (r.expires_at is not None and r.expires_at > moment))
            if active and r.penalty == "ban":
                banned = True
            if active and r.penalty == "restriction":
                active_restrictions += 1
                restricted_until = max(restricted_until or r.expires_at, r.expires_at)
            strikes.append({
                "strike_id": r.id, "created_at": r.created_at, "action_id": r.action_id, "category": r.category,
                "penalty": r.penalty, "expires_at": r.expires_at, "reversed": bool(r.reversed),
                "reversed_by_appeal": r.reversed_by_appeal, "active": active,
            })
        state = "banned" if banned else "restricted" if restricted_until else "good_standing"
        return {
            "account": account,
            "state": state,
            "banned": banned,
            "restricted_until": None if banned else restricted_until,
            "active_restrictions": active_restrictions,
            "strikes": strikes,
        }

    # -- appeals
    def appeal(self, action_id: int, outcome: str, note: str | None = None, at: datetime | None = None) -> dict[str, Any]:
        if outcome not in OUTCOMES:
            raise EnforcementError(f"outcome must be one of {', '.join(OUTCOMES)} (got {outcome!r})")
        moment = at or now_utc()
        with self.store.connect() as conn:
            action = conn.execute(select(actions_table).where(actions_table.c.id == action_id)).first()
            previous = conn.execute(select(appeals_table.c.id).where(appeals_table.c.action_id == action_id)).first()
        if action is None:
            raise EnforcementError(f"no action with id {action_id}")
        if previous is not None:
            raise EnforcementError(f"action {action_id} was appealed already (appeal {previous.id})")
        if action.action not in ("block", "review"):
            raise EnforcementError(f"action {action_id} is {action.action!r}: only block and review can be appealed")
        reversed_ids: list[int] = []
        # the appeal, the strikes it reverses and their ledger entries: one transaction
        with self.store.transaction() as conn:
            if conn.execute(select(appeals_table.c.id).where(appeals_table.c.action_id == action_id)).first():
                raise EnforcementError(f"action {action_id} was appealed already")
            entry = self.ledger.append(
                "media.appeal", self.actor, inputs={"action_id": action_id, "account": action.account, "note": note},
                outcome={"outcome": outcome}, refs={"action_ledger_seq": action.ledger_seq}, at=moment, conn=conn,
            )
            appeal_id = conn.execute(
                appeals_table.insert().values(
                    created_at=iso(moment), action_id=action_id, account=action.account, outcome=outcome, note=note,
                    decided_by=self.actor, strikes_reversed=0, ledger_seq=entry.seq,
                )
            ).inserted_primary_key[0]
            conn.execute(actions_table.update().where(actions_table.c.id == action_id).values(status=outcome))
            if outcome == "overturned":
                reversed_ids = [
                    r.id for r in conn.execute(
                        select(strikes_table.c.id).where(
                            (strikes_table.c.action_id == action_id) & (strikes_table.c.reversed == 0)
                        )
                    )
                ]
                if reversed_ids:
                    conn.execute(
                        strikes_table.update().where(strikes_table.c.id.in_(reversed_ids))
                        .values(reversed=1, reversed_by_appeal=appeal_id)
                    )
                    conn.execute(
                        appeals_table.update().where(appeals_table.c.id == appeal_id)
                        .values(strikes_reversed=len(reversed_ids))
                    )
            for strike_id in reversed_ids:
                self.ledger.append(
                    "media.strike", self.actor, inputs={"account": action.account, "strike_id": strike_id},
                    outcome={"reversed": True, "appeal_id": appeal_id}, refs={"appeal_ledger_seq": entry.seq}, at=moment,
                    conn=conn,
                )
        return {
            "appeal_id": appeal_id,
            "action_id": action_id,
            "account": action.account,
            "outcome": outcome,
            "note": note,
            "strikes_reversed": reversed_ids,
            "ledger_seq": entry.seq,
            "account_status": self.account_status(action.account, at=moment),
        }

    def get_action(self, action_id: int) -> dict[str, Any] | None:
        with self.store.connect() as conn:
            row = conn.execute(select(actions_table).where(actions_table.c.id == action_id)).first()
        if row is None:
            return None
        out = dict(row._mapping)
        for key in ("banks", "labels", "matches"):
            out[key] = orjson.loads(out[key])
        return out

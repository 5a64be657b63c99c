"""Who may act on licence cases, shared by cases, notices and consultations.

The actor is the Context's (`context.actor`: an API key's name over HTTP, REDLINE_USER or the login
name on the command line), as for review decisions. Roles are the API keys' (redline.keys): an
officer (analyst or above) opens and decides cases and records consultations; approval takes a
second officer's sign-off, who must not be the officer who approved.
"""

from __future__ import annotations

from datetime import datetime, timezone

from redline.keys import ROLES, role_rank

OFFICER_ROLE = "analyst"
CLI_ROLE = "admin"  # the local operator, as `redline review` acts


class CaseworkProblem(ValueError):
    """A step that cannot be taken as asked; the message says why (exit 2 / HTTP 409)."""


class NotFound(LookupError):
    """No such case or consultation, or one of another organisation (indistinguishable)."""


def require_officer(actor: str, role: str, doing: str) -> None:
    if role not in ROLES or role_rank(role) < role_rank(OFFICER_ROLE):
        raise CaseworkProblem(f"{doing} needs the {OFFICER_ROLE} role or above; {actor!r} is {role}")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def reason_text(reason: str | None, option: str = "--reason") -> str:
    text = (reason or "").strip()
    if not text:
        raise CaseworkProblem(f"{option}: give the reason in words; it goes in the ledger")
    return text

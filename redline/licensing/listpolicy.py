"""An Entity List entry's own licence review policy, read for one item.

The entry states it in words (the CSL `license_policy` column, 15 CFR Part 744 Supp. No. 4):
"Presumption of denial.", "Case-by-case review for ECCNs 1A004.c, 1A995 ...; and presumption of
denial for all other items subject to the EAR." Each clause is a review kind and a scope (ECCNs,
the CCL, EAR99, or everything else); the clause naming the item's ECCN wins, else the general one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DENY, REFER, APPROVE = "deny", "refer", "approve"
REVIEW_POLICIES = (DENY, REFER, APPROVE)
LICENCE_POLICY_PROGRAMS = ("US-BIS-EL",)

_CLAUSES = re.compile(r";|\.\s+(?=[A-Z])")
_ECCN = re.compile(r"\b\d[A-E]\d{3}(?:\.[a-z0-9]+)*", re.IGNORECASE)
_DESCRIBED = re.compile(r"\bfor (?:items|licen[cs]es|the|u\.s\.)\b", re.IGNORECASE)
_GENERAL = re.compile(r"\ball (?:other )?items\b", re.IGNORECASE)


@dataclass(frozen=True)
class Clause:
    kind: str
    eccns: tuple[str, ...]
    ccl: bool  # "all items listed on the CCL"
    ear99: bool
    general: bool  # applies to every item no other clause names


def _kind(text: str) -> str | None:
    low = text.casefold()
    if "denial" in low:
        return DENY
    if re.search(r"case[- ]by[- ]case", low) or re.search(r"\bsee §", low):
        # A review policy given by reference to another section is read by an officer: review.
        return REFER
    if "approval" in low:
        return APPROVE
    return None


def clauses(text: str) -> list[Clause]:
    out = []
    for raw in _CLAUSES.split(text or ""):
        raw = re.sub(r"^\s*and\s+", "", raw.strip())
        kind = _kind(raw)
        if kind is None:
            continue
        eccns = tuple(m.group(0).upper().rstrip(".") for m in _ECCN.finditer(raw))
        ccl = bool(re.search(r"\bon the CCL\b", raw, re.IGNORECASE))
        ear99 = "EAR99" in raw.upper()
        general = bool(_GENERAL.search(raw)) and not ccl or (not eccns and not ccl and not ear99 and not _DESCRIBED.search(raw))
        out.append(Clause(kind, eccns, ccl, ear99, general))
    return out


def _names(eccn: str, code: str) -> bool:
    return code == eccn or code.startswith(eccn + ".")


def review_policy(text: str | None, control_code: str | None) -> str | None:
    """deny / refer / approve for an item under the entry's policy text; None without a text.

    A text that states no kind for this item (only clauses for other ECCNs, or for items it
    describes in words) is a review: `refer`."""
    if not text or not text.strip():
        return None
    parsed = clauses(text)
    if not parsed:
        return REFER
    code = (control_code or "").strip().upper()
    if code and code != "EAR99":
        named = [c.kind for c in parsed if any(_names(e, code) for e in c.eccns)]
        if named:
            return _strictest(named)
        on_ccl = [c.kind for c in parsed if c.ccl]
        if on_ccl:
            return _strictest(on_ccl)
    elif code == "EAR99":
        ear99 = [c.kind for c in parsed if c.ear99 and not c.eccns]
        if ear99:
            return _strictest(ear99)
    general = [c.kind for c in parsed if c.general]
    return _strictest(general) if general else REFER


def _strictest(kinds: list[str]) -> str:
    return min(kinds, key=REVIEW_POLICIES.index)

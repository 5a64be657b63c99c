"""Ownership rules: when a party owned by a listed party is itself restricted.

The rules are data: each names the lists whose parties' subsidiaries it covers, the ownership
share that triggers it, and the dates it is in force. Where the share is not known, the
relation is reported for review and the rule is not applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class OwnershipRule:
    id: str
    title: str
    programs: frozenset[str]  # program ids of the owner's listing
    threshold: float  # percent, aggregated over listed owners
    effective: date
    suspended: tuple[date, date] | None = None
    citation: str = ""

    def in_force(self, on: date) -> bool:
        if on < self.effective:
            return False
        if self.suspended and self.suspended[0] <= on < self.suspended[1]:
            return False
        return True


DEFAULT_RULES = (
    OwnershipRule(
        id="ofac-50",
        title="OFAC 50 Percent Rule",
        programs=frozenset({"US-OFAC-SDN"}),
        threshold=50.0,
        effective=date(2014, 8, 13),
        citation="OFAC, Revised Guidance on Entities Owned by Persons Whose Property and Interests in Property Are Blocked (13 Aug 2014)",
    ),
    OwnershipRule(
        id="bis-affiliates-50",
        title="BIS Affiliates Rule (50% ownership by Entity List / MEU parties)",
        programs=frozenset({"US-BIS-EL", "US-BIS-MEU"}),
        threshold=50.0,
        effective=date(2025, 9, 29),
        suspended=(date(2025, 11, 10), date(2026, 11, 10)),
        citation="BIS interim final rule 'Expansion of End-User Controls to Cover Affiliates of Certain Listed Entities' (published 29 Sep 2025), suspended for one year from 10 Nov 2025",
    ),
)


def applicable(rules: tuple[OwnershipRule, ...], program_ids: set[str], share: float | None, on: date) -> OwnershipRule | None:
    """The first rule in force that the owner's listings and the known share trigger."""
    if share is None:
        return None
    for rule in rules:
        if rule.in_force(on) and rule.programs & program_ids and share >= rule.threshold:
            return rule
    return None

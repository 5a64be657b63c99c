"""OFAC's non-SDN consolidated list in the legacy CSV layout (cons_prim/cons_add/cons_alt/cons_comments)."""

from __future__ import annotations

from redline.parties.sources.base import SourceInfo
from redline.parties.sources.ofac_sdn import OfacCsvReader, OfacCsvSet

URL = "https://www.treasury.gov/ofac/downloads/consolidated/cons_prim.csv"
CONS_FILES = OfacCsvSet(primary="cons_prim.csv", address="cons_add.csv", alt="cons_alt.csv", comments="cons_comments.csv")

# A program tag (as in the program column) -> the non-SDN list it puts the party on.
PROGRAM_LISTS = (
    ("CMIC", "US-OFAC-NS-CMIC"),
    ("PLC", "US-OFAC-PLC"),
    ("UKRAINE-EO13662", "US-OFAC-SSI"),
    ("561-RELATED", "US-OFAC-CAPTA"),
    ("FSE", "US-OFAC-FSE"),
    ("CAATSA - RUSSIA", "US-OFAC-MBS"),
    ("RUSSIA-EO14024", "US-OFAC-MBS"),
    ("BURMA-EO14014", "US-OFAC-MBS"),
    ("ILLICIT-DRUGS-EO14059", "US-OFAC-MBS"),
    ("MBS", "US-OFAC-MBS"),
    ("SSI", "US-OFAC-SSI"),
)


def cons_program_ids(programs: list[str]) -> list[str]:
    """The list codes of one row's programs; a program no rule knows stays on the generic consolidated list."""
    codes = []
    for program in programs:
        upper = program.upper()
        code = next((code for tag, code in PROGRAM_LISTS if tag in upper), None)
        if code is not None:
            codes.append(code)
    return codes or ["US-OFAC-CONS"]


READERS = (
    OfacCsvReader(
        SourceInfo(
            name="us_ofac_cons",
            title="OFAC Consolidated (non-SDN) Sanctions List",
            publisher="Office of Foreign Assets Control, US Department of the Treasury",
            url=URL,
            licence="US Government work, public domain in the US.",
        ),
        CONS_FILES,
        cons_program_ids,
        URL,
    ),
)

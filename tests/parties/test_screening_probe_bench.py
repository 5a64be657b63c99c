"""benchmarks/parties_screening_probe.py: a listed name is screened rewritten only when it is found as written, and a
rewrite that hides the party from the screener is counted lost."""

from __future__ import annotations

from benchmarks.eval_split import HALVES
from benchmarks.parties_invariance import REWRITES
from benchmarks.parties_screening_probe import probe
from tests.parties.listed_parties import listed, screener_of

REWRITE = {rewrite.name: rewrite for rewrite in REWRITES}


def test_a_rewrite_is_counted_on_names_found_as_written() -> None:
    screener = screener_of(
        listed("q", "Organization", name=["AL-QAIDA"]),
        listed("k", "Organization", name=["KORVAN-TECH"]),
        listed("p", "Person", name=["Ali KORVANI"]),
        listed("b", "Organization", name=["Korvan Trading"], source="names_csl_meti"),
    )
    screened = lost = 0
    for split in HALVES:
        rows = probe(screener, split, [REWRITE["hyphen_none"], REWRITE["upper"]], per_rewrite=10)
        screened += rows["hyphen_none"]["redline"]["screened"] + rows["upper"]["redline"]["screened"]
        lost += rows["hyphen_none"]["redline"]["lost"] + rows["upper"]["redline"]["lost"]
        assert all(original != "Korvan Trading" for original, _ in rows["upper"]["redline"]["examples"])
    assert screened == 2 + 1  # two hyphened names; one name upper case changes (a names-only row alone is not screened)
    assert lost == 0  # 'ALQAIDA' finds AL-QAIDA (it found nothing before session 42)

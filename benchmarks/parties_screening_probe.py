"""Listed names screened as officers type them: does the party stay found? The metamorphic probe of
parties_invariance.py, through the whole screener (the name index's candidates included), not a pair scorer.

    REDLINE_DATA=/work/shared/data REDLINE_HOME=<a store with the lists> .venv/bin/python benchmarks/parties_screening_probe.py [--split tune|test] [--per-rewrite 300] [--json out.json]

Names: every listed party's names (the lists in REDLINE_HOME) but the rows of names-only lists alone (no schema to
screen them as), the party's half drawn by eval_split on its id, in a salted order; a rewrite of parties_invariance.REWRITES that changes a name is screened when the name as written is
found (a hit with match=true on a party that carries that name: two parties may carry one name). Counted per
rewrite: names found as written, and of them those the rewrite loses. Session 42 built it when 'ALQAIDA' (the article
typed joined) found no AL-QAIDA while every pair benchmark passed: the index never offered the party to the scorer.

Baseline, same names and rewrites: rapidfuzz token_set_ratio over every listed name, the party of its best name
(no threshold: its rank-one recall, a generous reading of it), counted on the names it finds as written.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from collections.abc import Callable
from typing import Any

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after PYTHONPATH: another engine checkout can be measured

from benchmarks.eval_split import HALVES, split_of  # noqa: E402
from benchmarks.parties_invariance import REWRITES, Rewrite  # noqa: E402
from benchmarks.parties_names_eval import _check_lists  # noqa: E402

SET_NAME = "screening_probe"


def names_of_half(screener: Any, split: str) -> list[tuple[str, str, frozenset[int]]]:
    """(name, schema, indices of the parties carrying it) for the listed parties of the half, in a salted order."""
    carriers: dict[str, set[int]] = {}
    for i, party in enumerate(screener.parties):
        if party.listed:
            for name in party.names:
                carriers.setdefault(name, set()).add(i)
    out = []
    for i, party in enumerate(screener.parties):
        if party.listed and not party.bare and split_of(SET_NAME, party.id) == split:
            schema = "Person" if party.is_person else "Organization"
            out.extend((name, schema, frozenset(carriers[name])) for name in dict.fromkeys(party.names))
    out.sort(key=lambda row: hashlib.sha256(row[0].encode()).hexdigest())
    return out


def probe(screener: Any, split: str, rewrites: list[Rewrite], per_rewrite: int, baseline: bool = False) -> dict[str, Any]:
    """Per rewrite and system: the names found as written that were screened rewritten, and those lost."""
    from redline.parties.screening import Query

    names = names_of_half(screener, split)
    index = {id(p): i for i, p in enumerate(screener.parties)}

    def redline_finds(text: str, schema: str, carriers: frozenset[int]) -> bool:
        return any(hit.match and index[id(hit.party)] in carriers for hit in screener.screen(Query(name=text, schema=schema), limit=5))

    systems: dict[str, Callable[[str, str, frozenset[int]], bool]] = {"redline": redline_finds}
    if baseline:
        from benchmarks.parties_accuracy import Rapidfuzz

        rapidfuzz = Rapidfuzz(screener)

        def rapidfuzz_finds(text: str, schema: str, carriers: frozenset[int]) -> bool:
            best = rapidfuzz.best(text)
            return best is not None and best[0] in carriers

        systems["rapidfuzz"] = rapidfuzz_finds
    found_as_written: dict[tuple[str, str], bool] = {}
    result: dict[str, Any] = {}
    for rewrite in rewrites:
        row: dict[str, Any] = {"says": rewrite.says}
        for system, finds in systems.items():
            screened = lost = 0
            examples = []
            for name, schema, carriers in names:
                if screened >= per_rewrite:
                    break
                written = rewrite.apply(name) if rewrite.applies_to(schema) else name
                if written == name:
                    continue
                if (system, name) not in found_as_written:
                    found_as_written[system, name] = finds(name, schema, carriers)
                if not found_as_written[system, name]:
                    continue
                screened += 1
                if not finds(written, schema, carriers):
                    lost += 1
                    examples.append([name, written])
            row[system] = {"screened": screened, "lost": lost, **({"examples": examples} if system == "redline" else {})}
        result[rewrite.name] = row
        print(f"  {rewrite.name}: " + ", ".join(f"{s} {row[s]['lost']}/{row[s]['screened']}" for s in systems), file=sys.stderr)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=HALVES, default="tune")
    ap.add_argument("--per-rewrite", type=int, default=300, help="names found as written screened per rewrite")
    ap.add_argument("--only", help="rewrites to run, by name, comma-separated (default all)")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--examples", type=int, default=0, help="Redline's lost names to print per rewrite")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    rewrites = [r for r in REWRITES if not args.only or r.name in args.only.split(",")]
    if args.only and len(rewrites) != len(set(args.only.split(","))):
        ap.error(f"--only: unknown rewrite; known: {', '.join(r.name for r in REWRITES)}")

    from redline.parties.api import get_screener

    _check_lists(False)
    result = probe(get_screener(), args.split, rewrites, args.per_rewrite, baseline=not args.no_baselines)
    systems = [s for s in ("redline", "rapidfuzz") if s in next(iter(result.values()))]
    print(f"\n### Listed names rewritten and screened ({args.split} half; names found as written, lost once rewritten)\n")
    print("| rewrite | " + " | ".join(f"{s} lost / screened" for s in systems) + " |")
    print("|---|" + "---:|" * len(systems))
    for row in result.values():
        print(f"| {row['says']} | " + " | ".join(f"{row[s]['lost']} / {row[s]['screened']}" for s in systems) + " |")
    totals = {s: (sum(r[s]["lost"] for r in result.values()), sum(r[s]["screened"] for r in result.values())) for s in systems}
    print("| **all** | " + " | ".join(f"**{lost} / {screened}**" for lost, screened in totals.values()) + " |")
    for name, row in result.items():
        for original, written in row["redline"]["examples"][: args.examples]:
            print(f"{name}: {original!r} -> {written!r}")
    if args.json:
        args.json.write_text(json.dumps({"split": args.split, "per_rewrite": args.per_rewrite, "rewrites": result}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""The person and company variant pairs of the tune half counted by shape: how many distinctive words the two
names share once compared, and whether one name lies within the other or each keeps a word of its own.

    REDLINE_DATA=/work/shared/data REDLINE_HOME=<a store with the lists> .venv/bin/python benchmarks/parties_shapes.py [--json out.json]

Pairs: the frozen category sets' tune half and the larger tune pool (benchmarks/parties_names_eval.py), scored as
`compare_names` scores them (the best reading of either name, either way round, with the lists' word counts).
Each cell gives positives and negatives, and how many of each Redline matches at MATCH_THRESHOLD: where the misses
lie, and whether the names alone could tell them from the negatives of the same shape
(docs/benchmarks-parties.md, session 37). `--split test` counts the test half's frozen sets (the pool has no test
half): for a session's end, after its one read of the test half, never for a decision.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))

from benchmarks.eval_split import HALVES  # noqa: E402
from benchmarks.parties_names_eval import _check_lists, category_pairs  # noqa: E402
from redline.parties.api import list_rarity  # noqa: E402
from redline.parties.names import WORD, readings  # noqa: E402
from redline.parties.score import MATCH_THRESHOLD, NameComparison, Rarity, compare, shared_distinctive  # noqa: E402

SETS = {"person": ("person_variants", "pool:person_variants"), "company": ("company_variants", "pool:company_variants")}
MOST_SHARED = 3  # rows: 0, 1, 2 and this many or more distinctive words shared


def shape(a: str, b: str, schema: str | None, rarity: Rarity | None) -> tuple[int, bool, float]:
    """(distinctive words shared, whether each name keeps a word of its own, score) of the best comparison."""
    person = schema == "Person"
    best: NameComparison = max(
        (found for x in readings(a, person) for y in readings(b, person) for found in (compare(x, y, rarity=rarity), compare(y, x, rarity=rarity))),
        key=lambda found: found.score,
    )
    own = any(t.kind == WORD for t in best.query_unmatched) and any(t.kind == WORD for t in best.listed_unmatched)
    return min(MOST_SHARED, len(shared_distinctive(best.pairs))), own, best.score


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=HALVES, default="tune")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    _check_lists(False)
    rarity = list_rarity()
    pool = category_pairs(None, pool=True) if args.split == "tune" else []
    pairs = [p for p in (*category_pairs(None), *pool) if p.split == args.split]
    counts: dict[str, dict[str, list[int]]] = {}
    for kind, sets in SETS.items():
        cells: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # positives, matched; negatives, matched
        for p in pairs:
            if p.set in sets:
                shared, own, score = shape(p.a, p.b, p.schema, rarity)
                cell = cells[f"{shared}|{'both keep a word' if own else 'one within the other'}"]
                cell[0 if p.label else 2] += 1
                cell[1 if p.label else 3] += score >= MATCH_THRESHOLD
        counts[kind] = dict(sorted(cells.items()))
        print(f"\n### {kind} variants ({args.split} half: frozen set{' and larger pool' if pool else ''})\n")
        print("| distinctive words shared | names | positives (matched) | negatives (matched) |\n|---|---|---:|---:|")
        for key, (pos, pos_hit, neg, neg_hit) in counts[kind].items():
            words, how = key.split("|")
            print(f"| {words}{'+' if words == str(MOST_SHARED) else ''} | {how} | {pos} ({pos_hit}) | {neg} ({neg_hit}) |")
    if args.json:
        args.json.write_text(json.dumps(counts, indent=1))


if __name__ == "__main__":
    main()

"""Accuracy of parties screening on labelled sets built from the lists, against two baselines.

    REDLINE_DATA=/work/shared/data .venv/bin/python benchmarks/parties_accuracy.py [--per-category 200] [--json out.json]

Systems: Redline (Screener at screening.MATCH_THRESHOLD); rapidfuzz extract with
fuzz.token_set_ratio over every listed name (threshold = best F1 on the "tune" half);
nomenklatura logic-v2 on the top-20 rapidfuzz candidates (threshold 0.7, yente's default).
All figures are on the "test" half (hard cases are all in "test").
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz import fuzz, process, utils  # noqa: E402

from benchmarks.parties_common import (  # noqa: E402
    Case, Resolver, build_cases, build_screener, eval_entities_for, hard_cases, load_entities, load_generated, write_generated,
)
from redline.parties.screening import MATCH_THRESHOLD, Query, Screener  # noqa: E402

LOGIC_THRESHOLD = 0.7
POSITIVE_ORDER = ["alias_related", "alias_unrelated", "cross_list", "script", "typo", "order", "legal_form", "abbreviation", "hard_match"]
NEGATIVE_ORDER = ["word_swap", "generic_only", "substring_trap", "hard_nomatch"]


class Rapidfuzz:
    def __init__(self, screener: Screener) -> None:
        self.names: list[str] = []
        self.party: list[int] = []
        for i, p in enumerate(screener.parties):
            if not p.listed:
                continue
            for n in p.names:
                processed = utils.default_process(n)
                if processed:
                    self.names.append(processed)
                    self.party.append(i)

    def top(self, query: str, limit: int = 20) -> list[tuple[int, float]]:
        """(party index, score 0-100), best first, one per party."""
        found = process.extract(utils.default_process(query), self.names, scorer=fuzz.token_set_ratio, processor=None, limit=limit)
        out: dict[int, float] = {}
        for _, score, idx in found:
            p = self.party[idx]
            if p not in out:
                out[p] = score
        return sorted(out.items(), key=lambda kv: -kv[1])

    def best(self, query: str) -> tuple[int, float] | None:
        found = process.extractOne(utils.default_process(query), self.names, scorer=fuzz.token_set_ratio, processor=None)
        return (self.party[found[2]], found[1]) if found else None


class LogicV2:
    def __init__(self, screener: Screener) -> None:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
        from nomenklatura.matching.types import ScoringConfig

        self.model = model
        self.algo = get_algorithm("logic-v2")
        self.config = ScoringConfig.defaults()
        self.screener = screener
        self.cache: dict[int, Any] = {}
        self.serial = 0

    def _entity(self, schema: str, names: list[str], eid: str) -> Any:
        ent = self.model.make_entity(schema)
        ent.id = eid
        ent.add("name", names[:25])
        return ent

    def candidate(self, i: int) -> Any:
        if i not in self.cache:
            p = self.screener.parties[i]
            schema = p.schema if p.schema in ("Person", "Company", "Organization", "LegalEntity", "Vessel", "Airplane", "PublicBody") else "LegalEntity"
            self.cache[i] = self._entity(schema, p.names, f"party-{i}")
        return self.cache[i]

    def score(self, query: str, schema: str | None, candidates: list[int]) -> list[tuple[int, float]]:
        self.serial += 1
        q = self._entity(schema or "LegalEntity", [query], f"query-{self.serial}")
        out = []
        for i in candidates:
            try:
                result = self.algo.compare(q, self.candidate(i), self.config)
                out.append((i, float(result.score)))
            except Exception:  # noqa: BLE001 - schemata that cannot be compared score 0
                out.append((i, 0.0))
        return sorted(out, key=lambda kv: -kv[1])


def outcome(case: Case, expected: set[int], top: int | None, top_match: bool, any_match: bool) -> str:
    """tp, fn, fp (a wrong party matched, for a positive: also a miss), tn."""
    if case.positive:
        if top is not None and top in expected and top_match:
            return "tp"
        return "fp+fn" if top_match else "fn"
    return "fp" if any_match else "tn"


def prf(outcomes: list[str]) -> dict[str, float]:
    tp = outcomes.count("tp")
    fp = sum(o in ("fp", "fp+fn") for o in outcomes)
    fn = sum(o in ("fn", "fp+fn") for o in outcomes)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp, "fp": fp, "fn": fn}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-category", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--no-logic", action="store_true")
    ap.add_argument("--examples", type=int, default=6, help="failures shown per category")
    ap.add_argument("--regenerate", action="store_true",
                    help="rebuild the generated cases and rewrite benchmarks/data/parties_generated_cases.csv (re-freezes the sets)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    entities, skipped = load_entities()
    for path, why in skipped.items():
        print(f"unreadable unit skipped: {path}: {why}", file=sys.stderr)
    if args.regenerate:
        _, built = build_cases(entities, seed=args.seed, per_category=args.per_category)
        write_generated(built)
    cases = load_generated() + hard_cases()
    eval_entities = eval_entities_for(entities, cases)
    screener, build_s = build_screener(eval_entities)
    resolver = Resolver(screener.parties)
    print(f"loaded {len(entities)} entities, built {len(screener.parties)} parties in {build_s:.1f}s; {len(cases)} cases ({time.perf_counter() - t0:.0f}s)", file=sys.stderr)
    index_of = {id(p): i for i, p in enumerate(screener.parties)}
    rf = Rapidfuzz(screener)
    lv = None if args.no_logic else LogicV2(screener)

    unresolved = [c for c in cases if c.positive and not resolver.expected(c)]
    for c in unresolved:
        print(f"positive with no resolvable expected party, dropped: {c.category} {c.query!r} {sorted(c.expect_names)}", file=sys.stderr)
    cases = [c for c in cases if not (c.positive and not resolver.expected(c))]

    rows: list[dict[str, Any]] = []
    t = time.perf_counter()
    for n, case in enumerate(cases):
        expected = resolver.expected(case)
        hits = screener.screen(Query(name=case.query, schema=case.schema), limit=5)
        top = index_of[id(hits[0].party)] if hits else None
        row = {
            "query": case.query, "category": case.category, "positive": case.positive, "split": case.split, "note": case.note,
            "redline": outcome(case, expected, top, bool(hits and hits[0].match), any(h.match for h in hits)),
            "redline_top": hits[0].party.caption if hits else None, "redline_score": round(hits[0].score, 3) if hits else 0.0,
            "expected": sorted(screener.parties[i].caption for i in expected)[:3],
        }
        cands = rf.top(case.query, 20)
        row["rf_top"], row["rf_score"] = (cands[0] if cands else (None, 0.0))
        row["rf_expected"] = expected
        if lv is not None and case.split == "test":
            scored = lv.score(case.query, case.schema, [i for i, _ in cands])
            best = scored[0] if scored else (None, 0.0)
            row["logic"] = outcome(case, expected, best[0], best[1] >= LOGIC_THRESHOLD, any(s >= LOGIC_THRESHOLD for _, s in scored))
            row["logic_score"] = round(best[1], 3)
        rows.append(row)
        if n % 200 == 0:
            print(f"  {n}/{len(cases)} {time.perf_counter() - t:.0f}s", file=sys.stderr)

    # rapidfuzz threshold: best F1 on the tune half
    def rf_outcomes(threshold: float, split: str) -> list[str]:
        out = []
        for r, c in zip(rows, cases):
            if c.split != split:
                continue
            m = r["rf_score"] >= threshold
            out.append(outcome(c, r["rf_expected"], r["rf_top"], m, m))
        return out

    best_t = max(range(50, 101), key=lambda th: (prf(rf_outcomes(th, "tune"))["f1"], th))
    for r, c in zip(rows, cases):
        m = r["rf_score"] >= best_t
        r["rapidfuzz"] = outcome(c, r["rf_expected"], r["rf_top"], m, m)
        r["rf_top"] = screener.parties[r["rf_top"]].caption if r["rf_top"] is not None else None
        del r["rf_expected"]

    systems = ["redline", "rapidfuzz"] + ([] if lv is None else ["logic"])
    test = [r for r in rows if r["split"] == "test"]
    report: dict[str, Any] = {
        "threshold": {"redline": MATCH_THRESHOLD, "rapidfuzz": best_t, "logic": LOGIC_THRESHOLD},
        "cases": {"all": len(rows), "test": len(test), "test_positive": sum(r["positive"] for r in test)},
        "overall": {s: prf([r[s] for r in test]) for s in systems},
        "overall_no_hard": {s: prf([r[s] for r in test if not r["category"].startswith("hard")]) for s in systems},
        "redline_all_cases": prf([r["redline"] for r in rows]),
        "categories": {},
    }
    print(f"\nTest half: {len(test)} cases ({report['cases']['test_positive']} positive). Thresholds: Redline {MATCH_THRESHOLD}, "
          f"rapidfuzz token_set_ratio >= {best_t} (best F1 on the tune half), logic-v2 >= {LOGIC_THRESHOLD}\n")
    print("| system | precision | recall | F1 | TP | FP | FN |\n|---|---:|---:|---:|---:|---:|---:|")
    for s in systems:
        m = report["overall"][s]
        print(f"| {s} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['tp']} | {m['fp']} | {m['fn']} |")
    print("\nWithout the hand-written hard cases:\n\n| system | precision | recall | F1 |\n|---|---:|---:|---:|")
    for s in systems:
        m = report["overall_no_hard"][s]
        print(f"| {s} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} |")

    print("\nPer category (positives: share found as the top hit with match=true; negatives: share with any match=true, lower is better; "
          "'wrong' = a positive whose top hit matched a different party):\n")
    print("| category | n | " + " | ".join(systems) + " | " + " | ".join(f"{s} wrong" for s in systems) + " |")
    print("|---|---:|" + "---:|" * (2 * len(systems)))
    by_cat: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in test:
        by_cat[r["category"]].append(r)
    for cat in POSITIVE_ORDER + NEGATIVE_ORDER:
        rs = by_cat.get(cat, [])
        if not rs:
            continue
        cells, wrong = [], []
        for s in systems:
            if rs[0]["positive"]:
                cells.append(f"{sum(r[s] == 'tp' for r in rs) / len(rs):.2f}")
                wrong.append(str(sum(r[s] == "fp+fn" for r in rs)))
            else:
                cells.append(f"{sum(r[s] == 'fp' for r in rs) / len(rs):.2f}")
                wrong.append("")
        kind = "recall" if rs[0]["positive"] else "FP rate"
        report["categories"][cat] = {"n": len(rs), "measure": kind, **{s: float(c) for s, c in zip(systems, cells)}}
        print(f"| {cat} ({kind}) | {len(rs)} | " + " | ".join(cells) + " | " + " | ".join(wrong) + " |")

    print("\nRedline failures (test half), a few per category:")
    for cat in POSITIVE_ORDER + NEGATIVE_ORDER:
        bad = [r for r in by_cat.get(cat, []) if r["redline"] not in ("tp", "tn")]
        for r in bad[: args.examples]:
            print(f"- [{cat}] {r['query']!r} -> {r['redline']}: top {r['redline_top']!r} ({r['redline_score']}); expected {r['expected']}; note {r['note']!r}")
    if args.json:
        args.json.write_text(json.dumps({"report": report, "rows": rows}, indent=1, default=str))


if __name__ == "__main__":
    main()

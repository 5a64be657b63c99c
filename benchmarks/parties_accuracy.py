"""Accuracy of parties screening on the frozen labelled sets built from the lists, against baselines.

    REDLINE_DATA=/work/shared/data .venv/bin/python benchmarks/parties_accuracy.py --split test [--cap 60] [--json out.json]

Cases: benchmarks/data/parties_generated_cases.csv (frozen; --regenerate rebuilds it) and the
hand-written benchmarks/data/parties_hard_cases.csv (all "test"). Systems: Redline (Screener at
screening.MATCH_THRESHOLD); nomenklatura logic-v2 and name-based scoring the SAME candidate parties as
Redline (every party Redline scored for the query, plus rapidfuzz's top 20); rapidfuzz token_set_ratio
over every listed name. Each baseline's threshold is its best F1 on the "tune" half; figures are shown
for --split (tune by default, for engine work; the reported figures are --split test).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after PYTHONPATH: another engine checkout can be measured

from rapidfuzz import fuzz, process, utils  # noqa: E402

from benchmarks.parties_common import (  # noqa: E402
    Case, Resolver, build_cases, build_screener, eval_entities_for, hard_cases, load_entities, load_generated, write_generated,
)
from redline.parties.screening import MATCH_THRESHOLD, Query, Screener  # noqa: E402

BASELINES = {"logic-v2": "logic", "name-based": "namebased"}
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


class Nomenklatura:
    """A nomenklatura matching algorithm over the screener's parties (one entity per party, all its names)."""

    def __init__(self, screener: Screener, algorithm: str) -> None:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
        from nomenklatura.matching.types import ScoringConfig

        self.model = model
        self.algo = get_algorithm(algorithm)
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

    def best(self, query: str, schema: str | None, candidates: list[int]) -> tuple[int | None, float]:
        self.serial += 1
        q = self._entity(schema or "LegalEntity", [query], f"query-{self.serial}")
        top: tuple[int | None, float] = (None, 0.0)
        for i in candidates:
            try:
                score = float(self.algo.compare(q, self.candidate(i), self.config).score)
            except Exception:  # noqa: BLE001 - schemata that cannot be compared score 0
                score = 0.0
            if score > top[1]:
                top = (i, score)
        return top


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


def best_threshold(rows: list[dict[str, Any]], cases: list[Case], system: str, grid: list[float]) -> float:
    """The threshold with the best F1 on the tune half (ties: the higher)."""
    def f1(t: float) -> float:
        out = []
        for r, c in zip(rows, cases):
            if c.split == "tune":
                m = r[f"{system}_score"] >= t
                out.append(outcome(c, r["expected_idx"], r[f"{system}_top"], m, m))
        return prf(out)["f1"]

    return max(grid, key=lambda t: (f1(t), t))


def false_merges(parties: list[Any], resolver: Resolver, split: str) -> tuple[int, list[tuple[str, str, str, str]]]:
    """Negative pairs of the category sets (two different listed entities) that the clustering put in one party."""
    from benchmarks.category_sets import load as load_categories

    checked, merged = 0, []
    for p in load_categories():
        if p.label or p.split != split:
            continue
        ea, eb = p.ref.split("|", 1)
        ia, ib = resolver.by_entity.get(ea), resolver.by_entity.get(eb)
        if ia is None or ib is None:
            continue
        checked += 1
        if ia == ib:
            merged.append((p.set, p.a, p.b, parties[ia].caption))
    return checked, merged


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("tune", "test"), default="tune", help="the half shown (thresholds always from tune)")
    ap.add_argument("--cap", type=int, default=None, help="at most this many cases per category and half (a quicker run)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--no-baselines", "--no-logic", action="store_true", help="Redline only (no nomenklatura, no rapidfuzz)")
    ap.add_argument("--examples", type=int, default=6, help="Redline failures shown per category (tune half only)")
    ap.add_argument("--regenerate", action="store_true",
                    help="rebuild the generated cases and rewrite benchmarks/data/parties_generated_cases.csv (re-freezes the sets)")
    ap.add_argument("--per-category", type=int, default=200, help="with --regenerate")
    ap.add_argument("--merges-only", action="store_true", help="only the must-never-merge check (clusters, no screening)")
    ap.add_argument("--seed", type=int, default=7, help="with --regenerate")
    args = ap.parse_args()

    import redline

    print(f"engine: {Path(redline.__file__).parent}", file=sys.stderr)
    t0 = time.perf_counter()
    entities, skipped = load_entities()
    for path, why in skipped.items():
        print(f"unreadable unit skipped: {path}: {why}", file=sys.stderr)
    if args.regenerate:
        _, built = build_cases(entities, seed=args.seed, per_category=args.per_category)
        write_generated(built)
    cases = load_generated() + hard_cases()
    eval_entities = eval_entities_for(entities, cases)
    if args.cap is not None:
        kept, seen = [], defaultdict(int)
        for c in cases:
            if seen[(c.category, c.split)] < args.cap:
                seen[(c.category, c.split)] += 1
                kept.append(c)
        cases = kept
    if args.merges_only:
        from redline.parties.graph import build_parties

        parties = build_parties(eval_entities)
        checked, merged = false_merges(parties, Resolver(parties), args.split)
        print(f"Must-never-merge: of {checked} negative pairs of different listed entities (category sets, {args.split} half), {len(merged)} sit in one cluster.")
        for m in merged:
            print(f"- [{m[0]}] {m[1]!r} + {m[2]!r} merged as {m[3]!r}")
        return
    screener, build_s = build_screener(eval_entities)
    resolver = Resolver(screener.parties)
    print(f"loaded {len(entities)} entities, built {len(screener.parties)} parties in {build_s:.1f}s; {len(cases)} cases ({time.perf_counter() - t0:.0f}s)", file=sys.stderr)
    index_of = {id(p): i for i, p in enumerate(screener.parties)}
    rf = None if args.no_baselines else Rapidfuzz(screener)
    nomen = {} if args.no_baselines else {key: Nomenklatura(screener, algo) for algo, key in BASELINES.items()}

    unresolved = [c for c in cases if c.positive and not resolver.expected(c)]
    for c in unresolved:
        print(f"positive with no resolvable expected party, dropped: {c.category} {c.query!r} {sorted(c.expect_names)}", file=sys.stderr)
    cases = [c for c in cases if not (c.positive and not resolver.expected(c))]

    rows: list[dict[str, Any]] = []
    t = time.perf_counter()
    for n, case in enumerate(cases):
        expected = resolver.expected(case)
        scored = screener.screen(Query(name=case.query, schema=case.schema), limit=30)
        hits = scored[:5]
        top = index_of[id(hits[0].party)] if hits else None
        row = {
            "query": case.query, "category": case.category, "positive": case.positive, "split": case.split, "note": case.note,
            "redline": outcome(case, expected, top, bool(hits and hits[0].match), any(h.match for h in hits)),
            "redline_top": hits[0].party.caption if hits else None, "redline_score": round(hits[0].score, 3) if hits else 0.0,
            "expected": sorted(screener.parties[i].caption for i in expected)[:3], "expected_idx": expected,
        }
        if rf is not None:
            cands = rf.top(case.query, 20)
            row["rapidfuzz_top"], row["rapidfuzz_score"] = (cands[0] if cands else (None, 0.0))
            pool = list(dict.fromkeys([index_of[id(h.party)] for h in scored] + [i for i, _ in cands]))
            row["candidates"] = len(pool)
            for key, algo in nomen.items():
                row[f"{key}_top"], row[f"{key}_score"] = algo.best(case.query, case.schema, pool)
        rows.append(row)
        if n % 200 == 0:
            print(f"  {n}/{len(cases)} {time.perf_counter() - t:.0f}s", file=sys.stderr)

    thresholds: dict[str, float] = {"redline": MATCH_THRESHOLD}
    systems = ["redline"]
    if rf is not None:
        grids = {"rapidfuzz": [float(x) for x in range(50, 101)], **{key: [0.01 * x for x in range(30, 101)] for key in nomen}}
        for system, grid in grids.items():
            thresholds[system] = round(best_threshold(rows, cases, system, grid), 2)
            for r, c in zip(rows, cases):
                m = r[f"{system}_score"] >= thresholds[system]
                r[system] = outcome(c, r["expected_idx"], r[f"{system}_top"], m, m)
        systems += ["logic", "namebased", "rapidfuzz"]
    for r in rows:
        for key in ("rapidfuzz_top", "logic_top", "namebased_top"):
            if r.get(key) is not None:
                r[key] = screener.parties[r[key]].caption
        del r["expected_idx"]

    shown = [r for r in rows if r["split"] == args.split]
    merges = false_merges(screener.parties, resolver, args.split)
    names = {"redline": "Redline", "logic": "logic-v2", "namebased": "name-based", "rapidfuzz": "rapidfuzz"}
    report: dict[str, Any] = {
        "split": args.split,
        "threshold": thresholds,
        "cases": {"all": len(rows), "shown": len(shown), "shown_positive": sum(r["positive"] for r in shown)},
        "overall": {s: prf([r[s] for r in shown]) for s in systems},
        "overall_no_hard": {s: prf([r[s] for r in shown if not r["category"].startswith("hard")]) for s in systems},
        "categories": {},
    }
    report["false_merges"] = {"checked": merges[0], "merged": merges[1]}
    if rf is not None:
        report["mean_candidates"] = sum(r["candidates"] for r in rows) / max(1, len(rows))
    th = ", ".join(f"{names[s]} ≥ {thresholds[s]}" for s in systems)
    print(f"\n{args.split.capitalize()} half: {len(shown)} cases ({report['cases']['shown_positive']} positive). Thresholds: {th} "
          f"(baselines: best F1 on the tune half). Baselines score the same candidates as Redline plus rapidfuzz's top 20"
          + (f" ({report['mean_candidates']:.1f} parties a query on average)" if rf is not None else "") + ".\n")
    print("| system | precision | recall | F1 | TP | FP | FN |\n|---|---:|---:|---:|---:|---:|---:|")
    for s in systems:
        m = report["overall"][s]
        print(f"| {names[s]} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['tp']} | {m['fp']} | {m['fn']} |")
    print("\nWithout the hand-written hard cases:\n\n| system | precision | recall | F1 |\n|---|---:|---:|---:|")
    for s in systems:
        m = report["overall_no_hard"][s]
        print(f"| {names[s]} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} |")

    print("\nPer category (positives: share found as the top hit with match=true; negatives: share with any match=true, lower is better; "
          "'wrong' = a positive whose top hit matched a different party):\n")
    print("| category | n | " + " | ".join(names[s] for s in systems) + " | " + " | ".join(f"{names[s]} wrong" for s in systems) + " |")
    print("|---|---:|" + "---:|" * (2 * len(systems)))
    by_cat: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in shown:
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

    print(f"\nMust-never-merge: of {merges[0]} negative pairs of different listed entities (category sets, {args.split} half), "
          f"{len(merges[1])} sit in one cluster.")
    for m in merges[1][:20]:
        print(f"- [{m[0]}] {m[1]!r} + {m[2]!r} merged as {m[3]!r}")
    if args.split == "tune" and args.examples:
        print("\nRedline failures (tune half), a few per category:")
        for cat in POSITIVE_ORDER + NEGATIVE_ORDER:
            bad = [r for r in by_cat.get(cat, []) if r["redline"] not in ("tp", "tn")]
            for r in bad[: args.examples]:
                print(f"- [{cat}] {r['query']!r} -> {r['redline']}: top {r['redline_top']!r} ({r['redline_score']}); expected {r['expected']}; note {r['note']!r}")
    if args.json:
        args.json.write_text(json.dumps({"report": report, "rows": rows}, indent=1, default=str))


if __name__ == "__main__":
    main()

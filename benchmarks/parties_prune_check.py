"""The search by bound (redline.parties.bound) changes no answer: every query screened both ways.

    REDLINE_HOME=<a home with the lists imported> REDLINE_DATA=/work/shared/data \\
        .venv/bin/python benchmarks/parties_prune_check.py [--names N] [--json out.json]
    ... --subset    # no store: the test-subset screener of benchmarks/parties_cpu.py instead

With --prune on, candidates are bounded (bound.score_bound) and visited best bound first; off,
only Screener._qualify is spared. Queries: the 300 of benchmarks/api_match.py (from the store's listed parties; not with --subset),
then every distinct name of the tune half of benchmarks/parties_names_eval.py's cases (third-party
names and the category pairs; --names caps how many). Each is screened with bound.ENABLED on and
off, at limit 5, and a third of them also at limits 1 and 20 and with facts (a birth date, a
country, a schema, an identifier) so that every step of Screener._qualify runs. The two answers
must be the same hits in the same order: ids, scores to 1e-9, match flags, and the rest of each hit
(explanation, matched name, via); and every comparison made with the bound on must score at most
its bound. Reports the pair comparisons (score.compare calls) a query each
way and the CPU a query each way. Exit 1 on the first difference, naming the query.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FACTS = ({"birth_date": "1960-01-01"}, {"country": "RU"}, {"schema": "Company"}, {"schema": "Person", "birth_date": "1971"},
         {"country": "CN", "schema": "Organization"}, {"identifiers": ["IMO 9176187"]})


def names_queries(cap: int | None) -> list[dict[str, Any]]:
    from benchmarks.parties_names_eval import category_pairs, names_pairs

    pairs = [p for p in (*names_pairs(None), *category_pairs(None)) if p.split == "tune"]
    names = list(dict.fromkeys((text, p.schema) for p in pairs for text in (p.a, p.b) if text.strip()))
    return [{"name": n, "schema": s} for n, s in names[:cap]]


def api_queries() -> list[dict[str, Any]]:
    from benchmarks.api_match import build_queries

    return [{"name": q["name"], "schema": q["schema"] if q["schema"] != "LegalEntity" else None} for q in build_queries(300)]


def runs(queries: list[dict[str, Any]]) -> list[tuple[dict[str, Any], int]]:
    """(query, limit) to screen: every query at 5; every third also at 1 and 20 and with facts."""
    out = []
    for k, q in enumerate(queries):
        out.append((q, 5))
        if k % 3 == 0:
            out += [(q, 1), (q, 20), ({**q, **FACTS[(k // 3) % len(FACTS)]}, 5)]
    return out


def answer(screener: Any, q: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    from redline.parties.screening import Query, hit_to_dict

    hits = screener.screen(Query(**q), limit=limit)
    out = []
    for hit in hits:
        d = hit_to_dict(hit)
        d["score"] = hit.score  # unrounded
        out.append(d)
    return out


def same(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> str:
    if [h["id"] for h in a] != [h["id"] for h in b]:
        return f"ids {[h['id'] for h in a]} vs {[h['id'] for h in b]}"
    for x, y in zip(a, b):
        if abs(x["score"] - y["score"]) > 1e-9:
            return f"{x['id']}: score {x['score']!r} vs {y['score']!r}"
        for key in x:
            if key != "score" and x[key] != y[key]:
                return f"{x['id']}: {key} {x[key]!r} vs {y[key]!r}"
    return ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--names", type=int, default=None, help="at most N names of the names eval's tune half")
    ap.add_argument("--subset", action="store_true", help="the test-subset screener from REDLINE_DATA, no store")
    ap.add_argument("--prune", choices=("on", "off"), help="bound.PRUNE for the run (default: as the module sets it)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    import redline.parties.screening as screening
    from redline.parties import bound

    if args.prune:
        bound.PRUNE = args.prune == "on"

    if args.subset:
        from benchmarks.parties_cpu import build_screener
        from redline.config import load_settings

        screener = build_screener(load_settings().data_dir)
        groups = {"names_tune": names_queries(args.names)}
    else:
        from redline.parties import api as parties

        if not parties.snapshots():
            sys.exit("error: no lists in REDLINE_HOME: run `redline parties import` first (or --subset)")
        screener = parties.get_screener()
        groups = {"api_match": api_queries(), "names_tune": names_queries(args.names)}

    calls = [0]
    compare, score_bound = screening.compare, bound.score_bound
    bounds: dict[tuple[int, int], float] = {}
    under: list[str] = []

    def counted(query: Any, listed: Any, memo: Any = None) -> Any:
        calls[0] += 1
        result = compare(query, listed, memo)
        top = bounds.get((id(query), id(listed)))
        if top is not None and result.score > top:
            under.append(f"{query.original!r} / {listed.original!r}: compare {result.score!r} > bound {top!r}")
        return result

    def recorded(query: Any, listed: Any, memo: Any) -> float:
        top = bounds[(id(query), id(listed))] = score_bound(query, listed, memo)
        return top

    screening.compare = counted  # type: ignore[assignment]
    bound.score_bound = recorded  # type: ignore[assignment]
    out: dict[str, Any] = {"load_1min": round(os.getloadavg()[0], 1), "prune": bound.PRUNE}
    try:
        for group, queries in groups.items():
            todo = runs(queries)
            stats: dict[str, Any] = {"queries": len(queries), "screenings": len(todo)}
            answers: dict[bool, list[list[dict[str, Any]]]] = {}
            for enabled in (False, True):
                bound.ENABLED = enabled
                calls[0] = 0
                cpu = time.process_time()
                answers[enabled] = []
                for q, limit in todo:
                    answers[enabled].append(answer(screener, q, limit))
                    bounds.clear()  # ids are reused once a query's analyses are freed
                    if under:
                        print(f"BOUND BELOW COMPARE ({group}): {under[0]}", file=sys.stderr)
                        raise SystemExit(1)
                way = "bound" if enabled else "plain"
                stats[f"cpu_ms_{way}"] = round(1000 * (time.process_time() - cpu) / len(todo), 3)
                stats[f"compares_{way}"] = round(calls[0] / len(todo), 2)
            for (q, limit), a, b in zip(todo, answers[False], answers[True]):
                diff = same(a, b)
                if diff:
                    print(f"DIFFERENT ({group}) {q!r} limit {limit}: {diff}", file=sys.stderr)
                    raise SystemExit(1)
            stats["identical"] = True
            stats["hits"] = sum(len(a) for a in answers[True])
            out[group] = stats
            print(group, json.dumps(stats), flush=True)
    finally:
        screening.compare = compare  # type: ignore[assignment]
        bound.score_bound = score_bound  # type: ignore[assignment]
        bound.ENABLED = True
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

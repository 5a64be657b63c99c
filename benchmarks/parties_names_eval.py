"""Name-pair evaluation on data this project did not write, against nomenklatura's algorithms.

    REDLINE_DATA=/work/shared/data REDLINE_HOME=<a store with the lists> .venv/bin/python benchmarks/parties_names_eval.py [--split tune|test] [--json out.json]

Redline's pair scorer weighs words by how many listed parties carry them (rule word_rarity) when lists
are loaded, so REDLINE_HOME must hold them:
    REDLINE_DATA=/work/shared/data REDLINE_HOME=<home> .venv/bin/redline parties import
(every list under REDLINE_DATA/lists), or a copy of a store that has them. Without lists the run stops
with an error, unless --no-lists asks for the scores of a Redline with no lists loaded.

Two groups of labelled pairs, both frozen in benchmarks/data/ (see docs/benchmarks-parties.md):
  names      third-party name pairs per script (shared/data/names, PROVENANCE.md), with hard negatives
  categories pairs from the lists' own aliases: company variants, person variants, cross-script,
             government bodies, and must-not-match pairs of different listed entities
  aliases    pairs from the lists' own aliases that share no distinctive word (session 30): an
             organisation's acronym and its long name, and two of its names of two words or more; a group
             of its own, so that its baselines' thresholds leave the categories' as they were
  pool       a larger pool of the categories' tune half (another seed, none of their pairs), for engine
             work: `--groups pool` (tune half only; not in the reported tables)
Systems: Redline (`compare_names`, at MATCH_THRESHOLD), nomenklatura logic-v2 and name-based, each
baseline at its best-F1 threshold on the tune half. Engine work looks at `--split tune` (the default);
the reported figures are `--split test`. Thresholds always come from the tune half.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after PYTHONPATH: another engine checkout can be measured

from benchmarks import names_eval_sets  # noqa: E402
from benchmarks.eval_split import HALVES  # noqa: E402
from benchmarks.pair_scoring import BASELINES, Pair, best_threshold, nomenklatura_scorer, prf, redline_scorer, score_all  # noqa: E402

GROUPS = ("names", "categories", "aliases", "pool")
ALIAS_SETS = frozenset({"acronyms", "company_aliases"})  # category_sets' sets reported as the group 'aliases'


def names_pairs(cap: int | None) -> list[Pair]:
    cases = names_eval_sets.load()
    problems = names_eval_sets.check(cases)
    if problems:
        print("error: the committed name cases no longer match the data: " + "; ".join(problems), file=sys.stderr)
        raise SystemExit(1)
    texts = names_eval_sets.texts(cases)
    out, seen = [], defaultdict(int)
    for c, (a, b) in zip(cases, texts):
        key = (c.set, c.split, c.label)
        if cap is not None and seen[key] >= cap:
            continue
        seen[key] += 1
        schema = "Person" if c.set in names_eval_sets.PERSON_SETS else None
        out.append(Pair(c.set, c.split, c.label, a, b, schema, c.key()))
    return out


def category_pairs(cap: int | None, pool: bool = False) -> list[Pair]:
    from benchmarks import category_sets

    out, seen = [], defaultdict(int)
    for p in category_sets.load(category_sets.POOL_FILE if pool else category_sets.CASES_FILE):
        key = (p.set, p.split, p.label)
        if cap is not None and seen[key] >= cap:
            continue
        seen[key] += 1
        out.append(p)
    return out


def report(pairs: list[Pair], scores: dict[str, list[float]], split: str, redline_threshold: float) -> dict[str, Any]:
    tune = [i for i, p in enumerate(pairs) if p.split == "tune"]
    thresholds = {"redline": redline_threshold}
    for system in scores:
        if system != "redline":
            thresholds[system] = best_threshold([pairs[i].label for i in tune], [scores[system][i] for i in tune])
    thresholds["redline (best tune)"] = best_threshold([pairs[i].label for i in tune], [scores["redline"][i] for i in tune])
    chosen = [i for i, p in enumerate(pairs) if split == "all" or p.split == split]
    by_set: dict[str, list[int]] = defaultdict(list)
    for i in chosen:
        by_set[pairs[i].set].append(i)
    out: dict[str, Any] = {"thresholds": thresholds, "sets": {}, "overall": {}}
    systems = list(thresholds)
    for name, idx in [*by_set.items(), ("ALL", chosen)]:
        row = {}
        for system in systems:
            raw = scores["redline" if system.startswith("redline") else system]
            row[system] = prf([pairs[i].label for i in idx], [raw[i] >= thresholds[system] for i in idx])
        row["n_pos"] = sum(pairs[i].label for i in idx)
        row["n_neg"] = len(idx) - row["n_pos"]
        (out["overall"] if name == "ALL" else out["sets"])[name if name != "ALL" else "all"] = row
    return out


def print_table(title: str, rep: dict[str, Any]) -> None:
    systems = list(rep["thresholds"])
    th = ", ".join(f"{s} ≥ {t:.2f}" for s, t in rep["thresholds"].items())
    print(f"\n### {title}\n\nThresholds: {th}\n")
    print("| set | pos | neg | " + " | ".join(f"{s} P / R / F1" for s in systems) + " |")
    print("|---|---:|---:|" + "---|" * len(systems))
    rows = [*rep["sets"].items(), ("**all**", rep["overall"]["all"])]
    for name, row in rows:
        if not row["n_pos"]:  # negatives only: the share falsely matched is the measure
            cells = [f"false matches {row[s]['fp']} / {row['n_neg']}" for s in systems]
        else:
            cells = [f"{row[s]['precision']:.3f} / {row[s]['recall']:.3f} / " + (f"**{row[s]['f1']:.3f}**" if s == "redline" else f"{row[s]['f1']:.3f}")
                     for s in systems]
        print(f"| {name} | {row['n_pos']} | {row['n_neg']} | " + " | ".join(cells) + " |")


def print_failures(pairs: list[Pair], scores: list[float], split: str, threshold: float, per_set: int, label: Callable[[Pair], str] = lambda p: p.set) -> None:
    """Redline's wrong decisions on the half, at most `per_set` a set, each headed by `label`."""
    print("\nRedline failures:")
    shown: dict[str, int] = defaultdict(int)
    for p, s in zip(pairs, scores):
        if p.split == split and (s >= threshold) != bool(p.label) and shown[p.set] < per_set:
            shown[p.set] += 1
            print(f"- [{label(p)}] {'FN' if p.label else 'FP'} {p.a!r} vs {p.b!r}: {s:.3f}")


def _check_lists(no_lists: bool) -> None:
    """Stop when the engine weighs words by the lists and none are loaded (unless --no-lists)."""
    import os

    from redline.parties import api

    if not hasattr(api, "list_rarity"):
        print("lists: this engine does not weigh words by the lists", file=sys.stderr)
        return
    home = os.environ.get("REDLINE_HOME", "~/.redline")
    if no_lists:
        api.list_rarity = lambda: None  # type: ignore[attr-defined]
        print("lists: not used (--no-lists): every word weighs by its kind", file=sys.stderr)
        return
    rarity = api.list_rarity()
    if rarity is None:
        print(f"error: no lists are loaded in REDLINE_HOME={home}: Redline's pair scores use the lists' word frequencies. "
              "Import them first (`redline parties import`: every list under REDLINE_DATA/lists), or pass --no-lists", file=sys.stderr)
        raise SystemExit(2)
    print(f"lists: {rarity.parties:,} listed parties, {len(rarity.df):,} words (REDLINE_HOME={home})", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=(*HALVES, "all"), default="tune", help="the half the figures and failures are shown for (thresholds always from tune)")
    ap.add_argument("--groups", nargs="+", choices=GROUPS, default=["names", "categories", "aliases"], help="pool: the larger tune-half pool, asked for by name")
    ap.add_argument("--cap", type=int, default=None, help="at most this many pairs per set, half and label (a quicker run)")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--examples", type=int, default=0, help="Redline failures shown per set (from the chosen half)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--freeze", action="store_true", help="rebuild and rewrite the committed third-party name cases (re-freezes them)")
    ap.add_argument("--no-lists", action="store_true", help="score without the lists' word frequencies (rule word_rarity off), as with no lists loaded")
    args = ap.parse_args()

    if args.freeze:
        names_eval_sets.write(names_eval_sets.build())
    import redline
    from redline.parties.screening import MATCH_THRESHOLD

    print(f"engine: {Path(redline.__file__).parent}", file=sys.stderr)
    _check_lists(args.no_lists)

    systems = {"redline": redline_scorer()}
    if not args.no_baselines:
        systems |= {b: nomenklatura_scorer(b) for b in BASELINES}
    result: dict[str, Any] = {"split": args.split}
    for group in args.groups:
        if group == "pool" and args.split != "tune":
            print("pool: tune half only; skipped", file=sys.stderr)
            continue
        if group == "names":
            pairs = names_pairs(args.cap)
        else:
            pairs = [p for p in category_pairs(args.cap, pool=group == "pool") if (p.set in ALIAS_SETS) == (group == "aliases")]
        print(f"{group}: {len(pairs)} pairs", file=sys.stderr)
        scores = score_all(pairs, systems)
        rep = report(pairs, scores, args.split, MATCH_THRESHOLD)
        result[group] = rep
        print_table(f"{group} ({args.split} half)", rep)
        if args.examples and args.split != "test":
            print_failures(pairs, scores["redline"], args.split, MATCH_THRESHOLD, args.examples)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()

"""Markdown tables comparing two runs of the parties evaluations (a baseline engine and the current one).

    .venv/bin/python benchmarks/parties_eval_tables.py --names BASE.json NOW.json --accuracy BASE.json NOW.json

The JSON files are what `parties_names_eval.py --json` and `parties_accuracy.py --json` write. The
baselines (nomenklatura, rapidfuzz) are taken from the NOW run; Redline from both.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def _prf(m: dict[str, float], bold: bool = False) -> str:
    f1 = f"**{m['f1']:.3f}**" if bold else f"{m['f1']:.3f}"
    return f"{m['precision']:.3f} / {m['recall']:.3f} / {f1}"


def names_tables(base: dict[str, Any], now: dict[str, Any]) -> str:
    out = []
    for group in ("names", "categories"):
        if group not in now:
            continue
        b, n = base[group], now[group]
        th = n["thresholds"]
        out.append(f"#### {group} (test half)\n\nThresholds: Redline {th['redline']:.2f} (product); logic-v2 ≥ {th['logic-v2']:.2f}, "
                   f"name-based ≥ {th['name-based']:.2f} (best F1 on the tune half, this run); Redline's own best tune threshold "
                   f"{th['redline (best tune)']:.2f}. P / R / F1, or false matches for a set of negatives only:\n")
        out.append("| set | pos | neg | Redline start | **Redline final** | logic-v2 | name-based |\n|---|---:|---:|---|---|---|---|")
        rows = [*n["sets"].items(), ("**all**", n["overall"]["all"])]
        for name, row in rows:
            brow = b["overall"]["all"] if name == "**all**" else b["sets"].get(name)
            if not row["n_pos"]:
                cells = [f"{brow['redline']['fp']} / {row['n_neg']}" if brow else "", f"**{row['redline']['fp']} / {row['n_neg']}**",
                         f"{row['logic-v2']['fp']} / {row['n_neg']}", f"{row['name-based']['fp']} / {row['n_neg']}"]
            else:
                cells = [_prf(brow["redline"]) if brow else "", _prf(row["redline"], True), _prf(row["logic-v2"]), _prf(row["name-based"])]
            out.append(f"| {name} | {row['n_pos']} | {row['n_neg']} | " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def accuracy_tables(base: dict[str, Any], now: dict[str, Any]) -> str:
    b, n = base["report"], now["report"]
    th = n["threshold"]
    out = [f"Test half: {n['cases']['shown']} cases ({n['cases']['shown_positive']} positive); candidates given to the "
           f"nomenklatura algorithms: {n.get('mean_candidates', 0):.1f} parties a query on average.\n",
           "| system | threshold | precision | recall | F1 | TP | FP | FN |\n|---|---:|---:|---:|---:|---:|---:|---:|"]
    names = {"logic": "logic-v2, same candidates", "namebased": "name-based, same candidates", "rapidfuzz": "rapidfuzz token_set_ratio"}
    lines = [("Redline start", b["threshold"]["redline"], b["overall"]["redline"]), ("**Redline final**", th["redline"], n["overall"]["redline"])]
    lines += [(names[s], th[s], n["overall"][s]) for s in ("logic", "namebased", "rapidfuzz") if s in n["overall"]]
    for label, t, m in lines:
        out.append(f"| {label} | {t} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['tp']} | {m['fp']} | {m['fn']} |")
    nh_b, nh = b["overall_no_hard"]["redline"], n["overall_no_hard"]
    out.append("\nWithout the hand-written hard cases (P / R / F1): Redline start " + _prf(nh_b) + ", final " + _prf(nh["redline"])
               + "".join(f", {names[s].split(',')[0]} " + _prf(nh[s]) for s in ("logic", "namebased", "rapidfuzz") if s in nh) + ".")
    fm_b, fm = b.get("false_merges"), n.get("false_merges")
    if fm:
        out.append(f"Must-never-merge: {len(fm['merged'])} of {fm['checked']} negative category pairs share a cluster"
                   + (f" (start: {len(fm_b['merged'])} of {fm_b['checked']})." if fm_b else "."))
    out.append("\n| category | n | Redline start | **Redline final** | logic-v2 | name-based | rapidfuzz |\n|---|---:|---:|---:|---:|---:|---:|")
    for cat, row in n["categories"].items():
        brow = b["categories"].get(cat, {})
        out.append(f"| {cat} ({row['measure']}) | {row['n']} | {brow.get('redline', float('nan')):.2f} | **{row['redline']:.2f}** | "
                   f"{row.get('logic', float('nan')):.2f} | {row.get('namebased', float('nan')):.2f} | {row.get('rapidfuzz', float('nan')):.2f} |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--names", nargs=2, type=Path, metavar=("BASE", "NOW"))
    ap.add_argument("--accuracy", nargs=2, type=Path, metavar=("BASE", "NOW"))
    args = ap.parse_args()
    if args.accuracy:
        print(accuracy_tables(*(json.loads(p.read_text(encoding="utf-8")) for p in args.accuracy)) + "\n")
    if args.names:
        print(names_tables(*(json.loads(p.read_text(encoding="utf-8")) for p in args.names)))


if __name__ == "__main__":
    main()

"""Score labelled name pairs with Redline and nomenklatura's algorithms, and turn scores into
precision / recall / F1 at a threshold chosen on the tune half.

Every system scores exactly the same pairs (no candidate generation is involved), so the
comparison is fair by construction. Redline is scored by `redline.parties.api.compare_names`
(its public pair scorer, the same `compare` the screener uses) and judged at its product threshold
`MATCH_THRESHOLD`; each baseline is judged at its own best-F1 threshold on the tune half.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

BASELINES = ("logic-v2", "name-based")
THRESHOLDS = [round(0.01 * i, 2) for i in range(5, 101)]


@dataclass(frozen=True)
class Pair:
    set: str
    split: str
    label: int
    a: str
    b: str
    schema: str | None  # "Person" or None (mixed / organisations)
    ref: str = ""


def redline_scorer() -> Callable[[str, str, str | None], float]:
    from redline.parties.api import compare_names

    def score(a: str, b: str, schema: str | None) -> float:
        return float(compare_names(a, b, schema=schema)["score"])

    return score


def nomenklatura_scorer(name: str) -> Callable[[str, str, str | None], float]:
    from followthemoney import model
    from nomenklatura.matching import get_algorithm
    from nomenklatura.matching.types import ScoringConfig

    algorithm = get_algorithm(name)
    if algorithm is None:
        raise SystemExit(f"nomenklatura has no algorithm {name!r}")
    config = ScoringConfig.defaults()
    serial = [0]

    def entity(schema: str, text: str) -> Any:
        serial[0] += 1
        ent = model.make_entity(schema)
        ent.id = f"e{serial[0]}"
        ent.add("name", text)
        return ent

    def score(a: str, b: str, schema: str | None) -> float:
        kind = schema or "LegalEntity"
        try:
            return float(algorithm.compare(entity(kind, a), entity(kind, b), config).score)
        except Exception:  # noqa: BLE001 - a pair the algorithm cannot read scores 0, as yente would skip it
            return 0.0

    return score


def score_all(pairs: list[Pair], systems: dict[str, Callable[[str, str, str | None], float]], progress: bool = True) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for name, fn in systems.items():
        t = time.perf_counter()
        out[name] = [fn(p.a, p.b, p.schema) for p in pairs]
        if progress:
            import sys

            print(f"  {name}: {len(pairs)} pairs in {time.perf_counter() - t:.0f}s", file=sys.stderr)
    return out


def prf(labels: Iterable[int], predicted: Iterable[bool]) -> dict[str, float]:
    tp = fp = fn = tn = 0
    for y, p in zip(labels, predicted):
        if y and p:
            tp += 1
        elif p:
            fp += 1
        elif y:
            fn += 1
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn, "tn": tn}


def best_threshold(labels: list[int], scores: list[float]) -> float:
    """The threshold with the best F1 (ties: the higher threshold)."""
    return max(THRESHOLDS, key=lambda t: (prf(labels, [s >= t for s in scores])["f1"], t))

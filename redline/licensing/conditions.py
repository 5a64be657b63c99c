"""The condition language of policies: all / any / not over named facts, three-valued.

A leaf is a one-key mapping {FACT: MATCH}. MATCH is a plain value (equal to it, or contained in
it when the fact is a set) or a mapping of one operator: in, not_in, eq, ne, lt, le, gt, ge,
present. A fact with no value (None) makes a leaf unknown (None), never false: `all` is false as
soon as one part is false, unknown if one is unknown; `any` is true as soon as one part is true.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

OPERATORS = ("in", "not_in", "eq", "ne", "lt", "le", "gt", "ge", "present")
Truth = bool | None


@dataclass(frozen=True)
class FactSpec:
    kind: str  # "str" | "bool" | "num" | "set"
    vocabulary: str | None = None  # name of the vocabulary its values come from
    scope: str = "application"  # "application" | "item" | "tier"


class ConditionError(ValueError):
    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def validate(cond: Any, path: str, facts: Mapping[str, FactSpec], vocab: Mapping[str, set[str]]) -> None:
    """Raise ConditionError naming the field path of the first problem in `cond`."""
    if not isinstance(cond, Mapping) or len(cond) != 1:
        raise ConditionError(path, "a condition is a mapping with exactly one key: all, any, not, or a fact name")
    (key, value), = cond.items()
    if key in ("all", "any"):
        if not isinstance(value, list) or not value:
            raise ConditionError(f"{path}.{key}", "must be a non-empty list of conditions")
        for index, part in enumerate(value):
            validate(part, f"{path}.{key}[{index}]", facts, vocab)
        return
    if key == "not":
        validate(value, f"{path}.not", facts, vocab)
        return
    spec = facts.get(key)
    if spec is None:
        raise ConditionError(f"{path}.{key}", f"unknown fact {key!r}; known facts: {', '.join(sorted(facts))}")
    where = f"{path}.{key}"
    if isinstance(value, Mapping):
        if len(value) != 1 or next(iter(value)) not in OPERATORS:
            raise ConditionError(where, f"an operator mapping has one of {', '.join(OPERATORS)}")
        (op, operand), = value.items()
        if op in ("in", "not_in"):
            if not isinstance(operand, list) or not operand:
                raise ConditionError(f"{where}.{op}", "must be a non-empty list")
            for item in operand:
                _check_value(item, spec, f"{where}.{op}", vocab)
        elif op in ("lt", "le", "gt", "ge"):
            if spec.kind != "num" or isinstance(operand, bool) or not isinstance(operand, (int, float)):
                raise ConditionError(f"{where}.{op}", "compares a numeric fact with a number")
        elif op == "present":
            if not isinstance(operand, bool):
                raise ConditionError(f"{where}.present", "must be true or false")
        else:
            _check_value(operand, spec, f"{where}.{op}", vocab)
        return
    _check_value(value, spec, where, vocab)


def _check_value(value: Any, spec: FactSpec, where: str, vocab: Mapping[str, set[str]]) -> None:
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise ConditionError(where, f"must be true or false, not {value!r}")
        return
    if spec.kind == "num":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConditionError(where, f"must be a number, not {value!r}")
        return
    if not isinstance(value, str):
        raise ConditionError(where, f"must be a string, not {value!r}")
    if spec.vocabulary and spec.vocabulary in vocab and value not in vocab[spec.vocabulary]:
        import difflib

        close = difflib.get_close_matches(value, sorted(vocab[spec.vocabulary]), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ConditionError(where, f"{value!r} is not in the {spec.vocabulary} vocabulary{hint}")


def evaluate(cond: Mapping[str, Any], facts: Mapping[str, Any], hits: list[str] | None = None) -> Truth:
    """Three-valued truth of `cond`; leaves that hold are appended to `hits` as 'fact=value'."""
    (key, value), = cond.items()
    if key == "all":
        results = [evaluate(part, facts, hits) for part in value]
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True
    if key == "any":
        results = [evaluate(part, facts, hits) for part in value]
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False
    if key == "not":
        inner = evaluate(value, facts, None)
        return None if inner is None else not inner
    fact = facts.get(key)
    result = _leaf(fact, value)
    if result and hits is not None:
        shown = sorted(fact) if isinstance(fact, (set, frozenset)) else fact
        hits.append(f"{key}={shown}")
    return result


def _leaf(fact: Any, match: Any) -> Truth:
    if isinstance(match, Mapping):
        (op, operand), = match.items()
    else:
        op, operand = "eq", match
    if op == "present":
        return (fact is not None) == operand
    if fact is None:
        return None
    if isinstance(fact, (set, frozenset)):
        if op == "eq":
            return operand in fact
        if op == "ne":
            return operand not in fact
        if op == "in":
            return bool(fact & set(operand))
        if op == "not_in":
            return not (fact & set(operand))
        return None
    if op == "eq":
        return fact == operand
    if op == "ne":
        return fact != operand
    if op == "in":
        return fact in operand
    if op == "not_in":
        return fact not in operand
    if isinstance(fact, bool) or not isinstance(fact, (int, float)):
        return None
    return {"lt": fact < operand, "le": fact <= operand, "gt": fact > operand, "ge": fact >= operand}[op]

"""Scoring a query name against a listed name, with an explanation as data.

The score is a weighted, asymmetric overlap: what the query says must be found in the listed
name; what the listed name has beyond the query costs little when it is generic (a sector word,
a place, a patronymic) and more when it is distinctive. Numbers are hard discriminators.
Both sides carrying different sector words ("Dahua Electronics" vs "Dahua Technology") is a
conflict, not a detail.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from redline.parties.names import GENERIC, INITIAL, NUMBER, PATRONYMIC, PLACE, STOP, WORD, AnalysedName, Token, skeleton

# How much a listed name's words that the query lacks cost, by kind (1.0 = as much as a miss).
EXTRA_COST = {WORD: 0.6, NUMBER: 0.6, GENERIC: 0.2, PLACE: 0.2, PATRONYMIC: 0.2, INITIAL: 0.2, STOP: 0.0}
SECTOR_CONFLICT = 0.85
PLACE_CONFLICT = 0.8
NUMBER_CONFLICT = 0.4
GENERIC_ONLY_CAP = 0.5
GENERIC_NAME_CAP = 0.7  # below the match threshold: shown for review, never a match on its own
DISTINCTIVE = (WORD, NUMBER, PATRONYMIC, INITIAL)
LONE_APPROXIMATE = 0.9
SECTOR_KINDS = (GENERIC, PLACE)


@dataclass(slots=True)
class Pair:
    query: Token
    listed: Token
    similarity: float
    how: str  # exact, fuzzy, initial, compound, skeleton


@dataclass(slots=True)
class NameComparison:
    score: float
    pairs: list[Pair] = field(default_factory=list)
    query_unmatched: list[Token] = field(default_factory=list)
    listed_unmatched: list[Token] = field(default_factory=list)
    penalties: list[str] = field(default_factory=list)

    def explain(self) -> str:
        parts = []
        for p in self.pairs:
            if p.how == "exact":
                parts.append(f"'{p.query.source}' = '{p.listed.source}'")
            else:
                parts.append(f"'{p.query.source}' ~ '{p.listed.source}' ({p.how} {p.similarity:.2f})")
            if p.query.kind in (GENERIC, PLACE, STOP):
                parts[-1] += f" [{p.query.kind} word, counts less]"
        if self.query_unmatched:
            parts.append("not in the listed name: " + ", ".join(f"'{t.source}'" for t in self.query_unmatched))
        if self.listed_unmatched:
            parts.append(
                "listed name also has: "
                + ", ".join(f"'{t.source}'" + (f" [{t.kind}]" if t.kind != WORD else "") for t in self.listed_unmatched)
            )
        parts.extend(self.penalties)
        return "; ".join(parts)


def token_similarity(q: Token, c: Token) -> tuple[float, str]:
    a, b = q.text, c.text
    if a == b:
        return 1.0, "exact"
    if q.kind == NUMBER or c.kind == NUMBER:
        return 0.0, ""
    if q.kind == INITIAL or c.kind == INITIAL:
        if (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
            return 0.8, "initial"
        return 0.0, ""
    shorter = min(len(a), len(b))
    if shorter >= 4:
        sim = OSA.normalized_similarity(a, b)  # a transposition is one edit
        if c.source != b and len(c.source) >= 4:
            # A sector word is compared as spelt too: "martiime" is one edit from "maritime",
            # which the vocabulary files under "shipping".
            sim = max(sim, OSA.normalized_similarity(q.source, c.source))
        # No score_cutoff here: rapidfuzz 3 turns 0.8 into a distance bound that drops 1-in-5 edits.
        if sim >= (0.8 if shorter < 8 else 0.75):
            return sim, "fuzzy"
    if shorter >= 3 and (q.kind in SECTOR_KINDS or c.kind in SECTOR_KINDS):
        spelt = (q.source, c.source)
        if _abbreviates(a, b, q.kind, c.kind) or (spelt != (a, b) and _abbreviates(*spelt, q.kind, c.kind)):
            return 0.85, "abbreviation"
    if q.abjad != c.abjad:
        shape = skeleton(a)
        if shape and shape == skeleton(b):
            return (0.85 if len(shape) >= 2 else 0.75), "skeleton"
    return 0.0, ""


def _abbreviates(a: str, b: str, kind_a: str, kind_b: str) -> bool:
    """'indl' for 'industrial', 'grp' for 'group': the short one keeps the long one's first
    letter and the rest of its letters in order. Only for sector words and places, which is
    what lists and counterparties abbreviate."""
    short, long_, long_kind = (a, b, kind_b) if len(a) < len(b) else (b, a, kind_a)
    if long_kind not in SECTOR_KINDS or short[0] != long_[0] or len(short) > 0.7 * len(long_):
        return False
    rest = iter(long_[1:])
    return all(ch in rest for ch in short[1:])


def compare(query: AnalysedName, listed: AnalysedName, memo: dict[int, tuple[tuple[float, str], ...]] | None = None) -> NameComparison:
    """Score `query` against `listed`. `memo` caches, across the comparisons of one analysed
    query, each listed token's similarities to the query's tokens (listed tokens are shared
    objects, so their ids are stable keys while the query runs)."""
    q_tokens = query.tokens
    c_tokens = listed.tokens
    memo = {} if memo is None else memo
    candidates: list[tuple[float, int, int, str]] = []
    for j, c in enumerate(c_tokens):
        row = memo.get(id(c))
        if row is None:
            row = memo[id(c)] = tuple(token_similarity(q, c) for q in q_tokens)
        for i, (sim, how) in enumerate(row):
            if sim > 0:
                candidates.append((-sim, i, j, how))
    candidates.sort()
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[Pair] = []
    for negative, i, j, how in candidates:
        if i in used_q or j in used_c:
            continue
        sim = -negative
        used_q.add(i)
        used_c.add(j)
        q, c = q_tokens[i], c_tokens[j]
        if q.kind == WORD and c.kind in SECTOR_KINDS and (how == "abbreviation" or how == "fuzzy" and sim >= 0.85):
            # A misspelled or abbreviated sector word or place is that word: it counts as little.
            q = Token(q.text, c.kind, c.weight, q.source, q.abjad)
        pairs.append(Pair(q, c, sim, how))
    _compound_pairs(q_tokens, c_tokens, used_q, used_c, pairs)

    result = NameComparison(0.0, pairs)
    matched = query_weight = extras = 0.0
    for p in pairs:
        if p.query.kind != STOP:
            matched += p.similarity * min(p.query.weight, p.listed.weight)
            query_weight += p.query.weight
    for i, t in enumerate(q_tokens):
        if i not in used_q and t.kind != STOP:
            result.query_unmatched.append(t)
            query_weight += t.weight
    for j, t in enumerate(c_tokens):
        if j not in used_c and t.kind != STOP:
            result.listed_unmatched.append(t)
            extras += t.weight * EXTRA_COST[t.kind]
    if matched <= 0:
        return result
    score = matched / (query_weight + extras)

    q_sectors = {t.text for t in result.query_unmatched if t.kind == GENERIC}
    c_sectors = {t.text for t in result.listed_unmatched if t.kind == GENERIC}
    if q_sectors and c_sectors:
        score *= SECTOR_CONFLICT
        result.penalties.append(f"sector words differ ({', '.join(sorted(q_sectors))} vs {', '.join(sorted(c_sectors))})")
    q_places = {t.text for t in result.query_unmatched if t.kind == PLACE}
    c_places = {t.text for t in result.listed_unmatched if t.kind == PLACE}
    if q_places and c_places:
        score *= PLACE_CONFLICT
        result.penalties.append(f"places differ ({', '.join(sorted(q_places))} vs {', '.join(sorted(c_places))})")
    q_numbers = {t.text for t in q_tokens if t.kind == NUMBER}
    c_numbers = {t.text for t in c_tokens if t.kind == NUMBER}
    if q_numbers and c_numbers and q_numbers != c_numbers:
        score *= NUMBER_CONFLICT
        result.penalties.append(f"numbers differ ({', '.join(sorted(q_numbers))} vs {', '.join(sorted(c_numbers))})")
    distinctive = [p for p in pairs if p.query.kind in DISTINCTIVE and p.listed.kind in DISTINCTIVE and p.how != "initial"]
    if len(distinctive) == 1 and distinctive[0].how not in ("exact", "compound") and distinctive[0].query.kind != INITIAL:
        score *= LONE_APPROXIMATE
        result.penalties.append("the one distinctive word agrees only approximately")
    if not distinctive:
        same = _same_generic_name(result, c_tokens)
        if not same and score > GENERIC_ONLY_CAP:
            score = GENERIC_ONLY_CAP
            result.penalties.append("only generic words, places or initials in common")
        elif same and not any(t.kind == PLACE for t in c_tokens) and score > GENERIC_NAME_CAP:
            # "Digital Technologies": the same words, but thousands of firms are called that.
            score = GENERIC_NAME_CAP
            result.penalties.append("a name of sector words only: review with the country or an identifier")
    result.score = min(1.0, score)
    return result


def _same_generic_name(result: NameComparison, c_tokens: tuple[Token, ...]) -> bool:
    """A name made only of generic words ("Digital Technologies") matches only when both
    names are those words, spelt alike, and there are at least two of them."""
    words = [t for t in c_tokens if t.kind != STOP]
    return (
        not result.query_unmatched
        and not result.listed_unmatched
        and len(words) >= 2
        and all(p.similarity >= 0.85 for p in result.pairs)
    )


def _compound_pairs(
    q_tokens: tuple[Token, ...], c_tokens: tuple[Token, ...], used_q: set[int], used_c: set[int], pairs: list[Pair]
) -> None:
    """'hik vision' against 'hikvision', in either direction, for words still unmatched."""
    for left, right, used_l, used_r, flip in (
        (q_tokens, c_tokens, used_q, used_c, False),
        (c_tokens, q_tokens, used_c, used_q, True),
    ):
        if len(used_l) + 2 > len(left) or len(used_r) == len(right):
            continue  # no two words left to join, or nothing left to join them to
        for j, whole in enumerate(right):
            if j in used_r or len(whole.text) < 5:
                continue
            for i in range(len(left) - 1):
                if i in used_l or i + 1 in used_l:
                    continue
                joined = left[i].text + left[i + 1].text
                sim = 1.0 if joined == whole.text else Levenshtein.normalized_similarity(joined, whole.text)
                if sim >= 0.85:
                    used_l.update((i, i + 1))
                    used_r.add(j)
                    part = left[i] if left[i].weight >= left[i + 1].weight else left[i + 1]
                    merged = Token(joined, part.kind, max(left[i].weight, left[i + 1].weight), f"{left[i].source} {left[i + 1].source}")
                    pairs.append(Pair(whole, merged, sim * 0.95, "compound") if flip else Pair(merged, whole, sim * 0.95, "compound"))
                    break


def ofac_style_score(query: str, listed: str) -> float:
    """A Jaro-Winkler score of the whole names, as OFAC's Sanctions List Search documents its
    fuzzy logic, for users who must show parity with OFAC's tool (0-100)."""
    return round(100 * JaroWinkler.similarity(" ".join(query.lower().split()), " ".join(listed.lower().split())), 1)

"""Fewer pair comparisons a screening, the same answers: an upper bound on `score.compare`.

`score_bound(query, listed, memo)` is never below `compare(query, listed, memo).score`. It reads
the token similarities compare reads (the same memo, so nothing is computed twice) and relaxes the
rest of compare: each query word is either paired (at most its best similarity to any listed word,
or what a compound, an acronym or rule one_name_two_ways could give it) or left unmatched (at least
its cheapest cost: rules more_words, more_names, parent_tail; nothing when it repeats or may vanish
into a compound or an acronym); a listed word that nothing can pair costs at least its cheapest
extra cost. The best ratio over those choices (a fractional program, solved exactly by Dinkelbach's
iteration) bounds the overlap; compare's rules after it only multiply by factors below 1 or cap.

`screen(screener, ...)` is `Screener.screen`'s answer with less work. With PRUNE, candidates are
visited best bound first: a party whose best score beats every bound left is settled, and the search
stops when the `limit`-th settled hit beats what any unsettled party could still reach after
`_qualify`. Without (the default: the bound costs more than the comparisons it saves), every
candidate is compared in the plain loop's order. Either way `_qualify` runs only for parties that
can still enter the answer, best name score first. Of equal scores a party keeps the name the plain
loop meets first. `ENABLED = False` gives the plain loop (benchmarks/parties_prune_check.py and
tests/parties/test_bound.py compare the two).
"""

from __future__ import annotations

from bisect import insort
from datetime import date
from math import prod
from typing import TYPE_CHECKING, Any, Callable

from rapidfuzz.distance import JaroWinkler

import redline.parties.score as sc
from redline.parties.names import PLACE, STOP, WORD, WEIGHTS, AnalysedName, Token, fold

if TYPE_CHECKING:
    from redline.parties.screening import Hit, Query, Screener

ENABLED = True  # the search by bound; False: Screener.screen's plain loop (for the equality check)
# Bound each candidate before comparing it. Off: every candidate is compared, in the plain loop's
# order, and only _qualify is spared. Off by default because the bound, in Python, costs more than the
# comparisons it saves: on the 300 api_match queries 25.3 -> 16.5 compare calls a query, but 3.2-4.0
# -> 4.5-6.4 ms CPU a query (docs/benchmarks-parties.md, "Fewer comparisons").
PRUNE = False
SLACK = 1e-9  # added to every bound: float sums in another order must never make it undercut


def score_bound(query: AnalysedName, listed: AnalysedName, memo: dict[int, tuple[tuple[float, str], ...]]) -> float:
    """An upper bound on compare(query, listed, memo).score (fills memo as compare would)."""
    q_tokens, c_tokens = query.tokens, listed.tokens
    rows = []
    for c in c_tokens:
        row = memo.get(id(c))
        if row is None:
            row = memo[id(c)] = tuple(sc.token_similarity(q, c) for q in q_tokens)
        rows.append(row)
    body = query.public_body and listed.public_body
    place_weight = sc.VALUES["public_body_place"] if body else WEIGHTS[PLACE]
    both_person, both_org = query.person and listed.person, not (query.person or listed.person)

    # Pair options (similarity, query-side weight) and whether a word may vanish, per query word;
    # whether a listed word may be paired at all.
    options: list[list[tuple[float, float]]] = [[] for _ in q_tokens]
    vanish = [False] * len(q_tokens)
    pairable = [False] * len(c_tokens)
    for j, (c, row) in enumerate(zip(c_tokens, rows)):
        for i, (sim, _) in enumerate(row):
            if sim > 0:
                pairable[j] = True
                q = q_tokens[i]
                options[i].append((sim, _weight(q, place_weight)))
                if q.kind == WORD and c.kind in sc.SECTOR_KINDS:  # compare re-kinds it as the listed word
                    options[i].append((sim, _weight(c, place_weight)))
    _compounds(q_tokens, c_tokens, options, vanish, pairable, place_weight)
    if both_org:
        _acronyms(q_tokens, c_tokens, options, vanish, pairable, place_weight)
    elif both_person:
        _two_ways(q_tokens, c_tokens, options, pairable, place_weight)

    # Listed words nothing can pair, each text once: they are left unmatched.
    joined = {a.text + b.text for a, b in zip(c_tokens, c_tokens[1:])} | {
        a.text + b.text + d.text for a, b, d in zip(c_tokens, c_tokens[1:], c_tokens[2:])}
    paired_texts = {c.text for j, c in enumerate(c_tokens) if pairable[j]}
    alone = {c.text: c for j, c in enumerate(c_tokens)
             if c.kind != STOP and not pairable[j] and c.text not in paired_texts and c.text not in joined}
    # Rules more_names / more_words (and parent_tail) make words left unmatched cheaper, only when
    # one side has every word found: three cases, the bound is the best of them.
    cheaper = min(sc.VALUES["more_words"], sc.VALUES["parent_tail"]) if both_org else (
        sc.VALUES["more_names"] if both_person else 1.0)
    extras = cheap_extras = 0.0
    for c in alone.values():
        cost = sc.EXTRA_COST_PERSON if listed.person and c.kind == WORD else sc.EXTRA_COST[c.kind]
        extras += _weight(c, place_weight) * cost
        cheap_extras += _weight(c, place_weight) * (min(cost, cheaper) if c.kind == WORD else cost)
    texts = [t.text for t in q_tokens]
    pairs: list[list[tuple[float, float]]] = []
    costs: list[tuple[float, float]] = []  # a query word left unmatched: its cost, and with `more`
    for i, q in enumerate(q_tokens):
        if q.kind == STOP:
            continue
        weight = _weight(q, place_weight)
        if vanish[i] or texts.count(q.text) > 1:  # a repeated word's copies count once, or not at all (repeated_word)
            costs.append((0.0, 0.0))
        else:
            costs.append((weight, weight * (min(1.0, cheaper) if q.kind == WORD else 1.0)))
        pairs.append([(sim * w, w) for sim, w in set(options[i])])
    best = _best_ratio([p + [(0.0, full)] for p, (full, _) in zip(pairs, costs)], extras)
    if both_org or both_person:
        if all(p or not full for p, (full, _) in zip(pairs, costs)):  # every query word found, the listed name longer
            best = max(best, _best_ratio([p if full else p + [(0.0, 0.0)] for p, (full, _) in zip(pairs, costs)], cheap_extras))
        if not alone:  # every listed word found, the query longer
            best = max(best, _best_ratio([p + [(0.0, cheap)] for p, (_, cheap) in zip(pairs, costs)], 0.0))
    return min(1.0, best * RULE_GROWTH) + SLACK


def _weight(t: Token, place_weight: float) -> float:
    return place_weight if t.kind == PLACE else t.weight


def _compounds(q_tokens: tuple[Token, ...], c_tokens: tuple[Token, ...], options: list[list[tuple[float, float]]],
               vanish: list[bool], pairable: list[bool], place_weight: float) -> None:
    """What score._compound_pairs could pair, with no word used yet (a superset of what it pairs)."""
    top, least = sc.SIMILARITY["compound"], sc.SIMILARITY["compound_min"]
    for left, right, flip in ((q_tokens, c_tokens, False), (c_tokens, q_tokens, True)):
        if len(left) < 2:
            continue
        wholes = [j for j, whole in enumerate(right) if len(whole.text) >= 5]
        if not wholes:
            continue
        spans = sc._spans(left, set())
        if not spans:
            continue
        loose_left = {left[span[0]].abjad for span in spans if all(left[i].abjad == left[span[0]].abjad for i in span)}
        sized = [(span, sum(len(left[i].text) for i in span)) for span in spans]
        for j in wholes:
            whole = right[j]
            size = len(whole.text)
            loose = (not whole.abjad) in loose_left
            for span, joined_size in sized:
                gap = abs(joined_size - size)
                if gap > max(size, size + gap) * (1 - least):
                    if not loose:
                        continue
                    parts = [left[i] for i in span]
                    if not sc._loose_against(parts, whole):
                        continue
                else:
                    parts = [left[i] for i in span]
                if sc._compound_similarity("".join(t.text for t in parts), parts, whole) < least:
                    continue
                if flip:  # a query word against listed words joined
                    options[j].append((top, _weight(whole, place_weight)))
                    for i in span:
                        pairable[i] = True
                else:
                    pairable[j] = True
                    for i in span:  # the heaviest part stands for the joined words, the rest vanish
                        options[i].append((top, _weight(left[i], place_weight)))
                        vanish[i] = True


def _acronyms(q_tokens: tuple[Token, ...], c_tokens: tuple[Token, ...], options: list[list[tuple[float, float]]],
              vanish: list[bool], pairable: list[bool], place_weight: float) -> None:
    """What score._acronym_pairs could pair: a short word against any long-side word that begins
    with one of its letters, once some run spells it."""
    top = sc.SIMILARITY["acronym"]
    for short_side, long_side, flip in ((q_tokens, c_tokens, False), (c_tokens, q_tokens, True)):
        initials = {t.source[:1] for t in long_side if t.kind != STOP}
        for i, token in enumerate(short_side):
            letters = token.source
            if token.kind not in (WORD, sc.GENERIC) or not 3 <= len(letters) <= 6 or not initials.issuperset(letters):
                continue
            if not letters.isalpha() or sc._initials_run(letters, long_side, set()) is None:
                continue
            members = [j for j, t in enumerate(long_side) if t.kind != STOP and t.source[:1] in letters]
            if flip:  # listed short word, query run: the run is one word of the heaviest's weight
                pairable[i] = True
                for j in members:
                    options[j].append((top, long_side[j].weight))
                    vanish[j] = True
            else:
                options[i].append((top, _weight(token, place_weight)))
                for j in members:
                    pairable[j] = True


def _two_ways(q_tokens: tuple[Token, ...], c_tokens: tuple[Token, ...], options: list[list[tuple[float, float]]],
              pairable: list[bool], place_weight: float) -> None:
    """What rule one_name_two_ways could pair (score._one_name_spelt_two_ways, its word test; words
    romanised from an abjad kept, as the rule had them before it left them out)."""
    value = sc.VALUES["one_name_two_ways"]
    for i, q in enumerate(q_tokens):
        if q.kind not in sc.NAMES:
            continue
        for j, c in enumerate(c_tokens):
            if c.kind == q.kind and JaroWinkler.similarity(fold(q.text), fold(c.text)) >= sc.RESIDUAL_AGREEMENT:
                options[i].append((value, _weight(q, place_weight)))
                pairable[j] = True


def _best_ratio(items: list[list[tuple[float, float]]], extras: float) -> float:
    """max over one option (numerator, denominator) an item of sum(num) / (extras + sum(den)),
    by Dinkelbach's iteration (exact: it stops where no choice beats the ratio reached)."""
    ratio = 0.0
    for _ in range(50):
        num, den = 0.0, extras
        for opts in items:
            n, d = max(opts, key=lambda o: o[0] - ratio * o[1])
            num += n
            den += d
        if den <= 0:
            return 0.0 if num <= 0 else 1.0
        new = num / den
        if new <= ratio + 1e-12:
            return max(ratio, new)
        ratio = new
    return 1.0


# compare's rules after the overlap multiply by these factors (each below 1 at today's threshold)
# or cap; should a threshold ever set one above 1, the bound grows with it.
RULE_GROWTH = prod(max(1.0, value) for name, value in sc.VALUES.items() if sc.RULES[name].needed is not None)


def qualified_bound(query: Query) -> Callable[[float], float]:
    """The most Screener._qualify can make of a name score, for this query: an identifier that
    agrees gives 1.0, the same birth year adds BIRTH_YEAR_AGREES, every other step multiplies by a
    factor (below 1 today; `growth` should one ever exceed it) or caps."""
    import redline.parties.screening as scr

    if query.identifiers:
        return lambda score: 1.0
    growth = prod(max(1.0, f) for f in (scr.SECTOR_CONFLICT, scr.SCHEMA_MISMATCH, scr.COUNTRY_MISMATCH, scr.BIRTH_YEAR_MISMATCH))
    lift = scr.BIRTH_YEAR_AGREES if query.birth_date else 0.0
    if growth > 1.0:
        return lambda score: score * growth + lift
    return lambda score: min(1.0, score + lift)


def screen(screener: Screener, query: Query, limit: int, threshold: float, on: date | None) -> list[Hit]:
    """Screener.screen's answer, candidates compared best bound first (see the module's doc)."""
    import redline.parties.screening as scr

    on = on or date.today()
    lift = qualified_bound(query)
    cleaned = scr.normalise(query.name)
    visits: list[tuple[float, int, str, AnalysedName, dict[int, Any], int]] = []
    for variant in scr.split_alternatives(cleaned.text):
        analyses = screener._analyse_query(variant, query.schema)
        seen: set[int] = set()
        memos: dict[bool, dict[int, Any]] = {person: {} for person in analyses}
        for analysed in screener._generating(analyses):
            for n in screener.index.candidates(analysed, scr.CANDIDATES):
                if n in seen:
                    continue
                seen.add(n)
                entry = screener.index.entries[n]
                party = screener.parties[entry.party]
                person = party.is_person if party.is_person in analyses else next(iter(analyses))
                top = score_bound(analyses[person], entry.name, memos[person]) if PRUNE else 1.0
                if n in screener.weak and top < 1.0:
                    top = min(top, scr.WEAK_ALIAS_CAP)
                if top > 0:
                    visits.append((top, len(visits), variant, analyses[person], memos[person], n))
    visits.sort(key=lambda v: (-v[0], v[1]))

    best: dict[int, Hit] = {}
    first: dict[int, int] = {}  # the visit (in the plain loop's order) that gave a party's best
    pending: dict[int, float] = {}  # parties compared, not yet settled: their best score
    settled: set[int] = set()
    ranked: list[tuple[tuple[float, int, str], Hit]] = []  # settled hits that can be shown, best first

    def settle(below: float) -> None:
        """Settle the parties whose best beats `below`, best first, qualifying each, until the
        rest cannot reach the limit-th hit whatever _qualify does (they are never qualified)."""
        for index, score in sorted(((i, s) for i, s in pending.items() if s > below), key=lambda x: -x[1]):
            if len(ranked) >= limit and -ranked[limit - 1][0][0] > lift(score):
                return
            del pending[index]
            settled.add(index)
            hit = best[index]
            screener._qualify(hit, query, screener.sectors[index])
            if cleaned.changes:
                hit.adjustments.insert(0, cleaned.note())
            if not hit.party.listed and not screener._via(hit.party, on):
                continue  # an unlisted name with no listed relation is not a hit
            insort(ranked, ((-hit.score, -len(hit.party.listings), hit.party.id), hit), key=lambda r: r[0])

    for top, order, variant, analysed, memo, n in visits:
        if pending and max(pending.values()) > top:
            settle(top)
        if len(ranked) >= limit and -ranked[limit - 1][0][0] > lift(top):
            break  # no party unsettled can reach the limit-th hit
        entry = screener.index.entries[n]
        if entry.party in settled:
            continue  # its best beats this bound: nothing here can change it
        comparison = scr.compare(analysed, entry.name, memo)
        if comparison.score <= 0:
            continue
        score, notes = comparison.score, []
        if n in screener.weak and score < 1.0:
            score = min(score, scr.WEAK_ALIAS_CAP)
            notes = ["a weak alias (the list's low-quality a.k.a.): only the whole alias is a match, for review"]
        current = best.get(entry.party)
        if current is None or score > current.score or score == current.score and order < first[entry.party]:
            first[entry.party] = order  # of equal scores, the plain loop keeps the first it meets
            best[entry.party] = scr.Hit(screener.parties[entry.party], score, comparison, variant, entry.name.original, notes, [], False, 0.0)
            pending[entry.party] = score
    settle(float("-inf"))

    hits = []
    for _, hit in ranked[:limit]:
        hit.via = screener._via(hit.party, on)
        hit.match = hit.score >= threshold and (hit.party.listed or any(v["rule"] for v in hit.via))
        hit.ofac_score = sc.ofac_style_score(hit.query_name, hit.listed_name)
        hits.append(hit)
    return hits

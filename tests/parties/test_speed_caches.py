"""What screening keeps across queries to save CPU (score.Similarities, NameIndex's postings per word,
the candidate sums in one np.bincount) changes no answer, and is not written into the screener's cache."""

from __future__ import annotations

import pickle

import numpy as np

from redline.parties import score
from redline.parties.names import STOP
from redline.parties.index import LESSER, MAX_POSTINGS, SPLIT_PART, NameIndex
from redline.parties.screening import Query, Screener, explain

QUERIES = (
    "Hikvision", "hik vision digital technology", "Kashgar Regional Public Security Bureau", "Sergey Chemezov",
    "IRGC", "Rosoboronexport", "Ansar Eddine", "Mohammad Ali Trading Company", "Huawei Technologies Co Ltd",
    "Zorvex Brontal", "Islamic Revolutionary Guard Corps", "Al Madani Trading LLC",
)


def answers(screener: Screener, queries: tuple[str, ...] = QUERIES) -> list[list[tuple[str, float, bool, str]]]:
    out = []
    for q in queries:
        for query in (Query(q), Query(q, schema="Company", country="CN")):
            out.append([(h.party.id, h.score, h.match, explain(h)) for h in screener.screen(query, limit=8)])
    return out


def test_kept_similarities_change_no_answer(screener: Screener, monkeypatch) -> None:
    fresh = pickle.loads(pickle.dumps(screener))  # a loaded screener keeps nothing yet
    assert not fresh.similar.columns and not fresh.index.found
    cold = answers(fresh)
    assert fresh.similar.columns and fresh.index.found  # the queries filled them
    assert answers(fresh) == cold  # warm: the same hits, scores and explanations
    monkeypatch.setattr(score, "SIMILARITIES_KEPT", 10)  # dropped after every query
    assert answers(fresh) == cold
    assert fresh.similar.size <= 10


def test_query_words_that_find_nothing_are_counted(screener: Screener, monkeypatch) -> None:
    fresh = pickle.loads(pickle.dumps(screener))
    monkeypatch.setattr(score, "SIMILARITIES_KEPT", 50)
    letters = "bcdfghjklmnpqrstvwxz"
    for n in range(200):  # words no listed name has: no pair is computed, yet each query word is kept
        word = "zqx" + letters[n % 20] + letters[n // 20] + "vqk"
        assert fresh.screen(Query(word)) == []
    assert fresh.similar.size <= 50 and len(fresh.similar.columns) <= 50


def test_kept_structures_are_not_pickled(screener: Screener) -> None:
    screener.screen(Query("Hikvision"))
    state = pickle.loads(pickle.dumps(screener)).__dict__
    assert not state["similar"].columns
    assert not state["index"].found
    assert np.array_equal(state["index"].wide, screener.index.wide)


def _candidates_one_by_one(index: NameIndex, query, limit: int) -> list[int]:
    """NameIndex.candidates one posting at a time, to check the one-pass sum: each query word adds the best similarity
    of its neighbours in a name (the parts of a word split in two add up), once per name."""
    scores = np.zeros(len(index.entries))
    touched = np.zeros(len(index.entries), dtype=bool)
    tokens = [t for t in query.tokens if t.kind != STOP]
    strong = [t for t in tokens if t.kind not in LESSER]
    generating = strong or tokens
    for token in generating:
        best = np.zeros(len(index.entries))
        parts = np.zeros(len(index.entries))
        for other, sim in index.neighbours(token):
            posting = index.posting(other)
            if len(posting) > MAX_POSTINGS and len(generating) > 1:
                continue
            if sim == SPLIT_PART:
                parts[posting] += sim
            else:
                best[posting] = np.maximum(best[posting], sim)
            touched[posting] = True
        scores += token.weight * np.maximum(best, parts)
    for token in tokens:
        posting = index.acronym_posting(token)
        scores[posting] += token.weight * score.SIMILARITY["acronym"]
        touched[posting] = True
    for a, b in zip(tokens, tokens[1:]):
        posting = index.posting(a.text + b.text)
        scores[posting] += 1.0
        touched[posting] = True
    found = np.flatnonzero(touched)
    if not len(found):
        return []
    return index.ranked(scores, found, tokens, lesser_ties=bool(strong) and len(generating) < len(tokens), limit=limit)


def test_candidates_sum_as_one_by_one(screener: Screener) -> None:
    from redline.parties.names import analyse

    for q in QUERIES:
        for person in (False, True):
            query = analyse(q, person=person)
            if any(t.sound for t in query.tokens):
                continue  # the reference above leaves out the sound-spelt joins
            assert screener.index.candidates(query, 48) == _candidates_one_by_one(screener.index, query, 48), q

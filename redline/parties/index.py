"""In-process candidate generation: an inverted index over analysed name tokens.

Exact tokens, one-edit neighbours (a deletion index, as in SymSpell), compounds split or joined
("hik vision" / "hikvision") and consonant skeletons (for Arabic and Hebrew transliterations)
all lead to candidate names. No search server is needed.
"""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np

from redline.parties.names import ADMIN, GENERIC, NUMBER, PLACE, STOP, AnalysedName, Token, skeleton
from redline.parties.scripts import loose_readings, sound_key

LESSER = (GENERIC, PLACE, ADMIN)  # words that rank candidates but do not find them when others can

MAX_POSTINGS = 20000  # a token on more names than this only scores, it does not generate candidates
# Candidates with less of the best candidate's evidence than this are not scored. 0.4 until the
# session-19 CPU budget: at 0.5, the 3,283 names of the category cases (benchmarks/parties_cpu.py)
# score 26.8 candidates a query instead of 33.6, and no query's match decision changes.
RELATIVE_FLOOR = 0.5


def _deletions(token: str) -> set[str]:
    return {token[:i] + token[i + 1:] for i in range(len(token))}


@dataclass
class NameEntry:
    name: AnalysedName
    party: int  # index into the party list


class NameIndex:
    def __init__(self, entries: list[NameEntry]) -> None:
        self.entries = entries
        postings: dict[str, list[int]] = defaultdict(list)
        for n, entry in enumerate(entries):
            for text in {t.text for t in entry.name.tokens if t.kind != STOP}:
                postings[text].append(n)
        # Postings in one flat array (CSR): token id -> entries[offsets[id]:offsets[id + 1]].
        self.vocab = {text: i for i, text in enumerate(postings)}
        sizes = np.fromiter((len(p) for p in postings.values()), dtype=np.int64, count=len(postings))
        self.offsets = np.concatenate(([0], np.cumsum(sizes)))
        self.flat = np.fromiter((n for p in postings.values() for n in p), dtype=np.int32, count=int(self.offsets[-1]))
        self.sizes = np.fromiter((len(e.name.tokens) for e in entries), dtype=np.int32, count=len(entries))
        deletes: dict[str, list[str]] = defaultdict(list)
        skeletons: dict[str, list[str]] = defaultdict(list)
        sounds: dict[str, list[str]] = defaultdict(list)  # a Latin word as a sound-spelled script writes it
        for text in self.vocab:
            if len(text) >= 4 and not text.isdigit():
                for d in _deletions(text):
                    deletes[d].append(text)
            shape = skeleton(text)
            if len(shape) >= 2:
                skeletons[shape].append(text)
            said = sound_key(text)
            if len(said) >= 2 and said != shape:
                sounds[said].append(text)
        self.deletes = dict(deletes)
        self.skeletons = dict(skeletons)
        self.sounds = dict(sounds)

    def posting(self, text: str) -> np.ndarray:
        i = self.vocab.get(text)
        if i is None:
            return _EMPTY
        flat = _WIDE.get(self)
        if flat is None:
            flat = _WIDE[self] = self.flat.astype(np.intp)
        return flat[self.offsets[i]:self.offsets[i + 1]]

    def neighbours(self, token: Token) -> list[tuple[str, float]]:
        """Vocabulary tokens that may match `token`, with a rough similarity."""
        text = token.text
        found: dict[str, float] = {}
        if text in self.vocab:
            found[text] = 1.0
        if len(text) >= 4 and token.kind != NUMBER:
            # Keys cover deletions on either side: one edit apart, or one letter longer.
            for key in _deletions(text) | {text}:
                for other in self.deletes.get(key, ()):
                    found.setdefault(other, 0.85)
                if key in self.vocab:
                    found.setdefault(key, 0.85)  # the listed word is this one less a letter
            if len(text) >= 6:
                # "hikvision" typed as one word, listed as "hik vision": split points.
                for i in range(3, len(text) - 2):
                    left, right = text[:i], text[i:]
                    if left in self.vocab and right in self.vocab:
                        found.setdefault(left, 0.5)
                        found.setdefault(right, 0.5)
        if token.abjad:
            shape = skeleton(text)
            for other in self.skeletons.get(shape, ()):
                found.setdefault(other, 0.8)
            if not token.sound:  # as'haq also as Ishaq, dzhikhad as Jihad (scripts.loose_readings)
                for reading in loose_readings(text, common=False):
                    for other in self.skeletons.get(skeleton(reading), ()):
                        found.setdefault(other, 0.8)
            if token.sound:  # a Latin word as a sound-spelled script writes it (score._skeleton_similarity)
                for other in (*self.sounds.get(shape, ()), *self.sounds.get(sound_key(text), ())):
                    found.setdefault(other, 0.8)
        return list(found.items())

    def candidates(self, query: AnalysedName, limit: int) -> list[int]:
        """Name entries most likely to match, best first, by a cheap weighted overlap;
        ties go to the shorter name."""
        scores, touched = _scratch(len(self.entries))
        try:
            return self._candidates(query, limit, scores, touched)
        finally:  # the scratch arrays are zero again for the next query: only touched entries changed
            found = np.flatnonzero(touched)
            scores[found] = 0.0
            touched[found] = False

    def _candidates(self, query: AnalysedName, limit: int, scores: np.ndarray, touched: np.ndarray) -> list[int]:
        tokens = [t for t in query.tokens if t.kind != STOP]
        strong = [t for t in tokens if t.kind not in LESSER]
        generating = strong or tokens
        for token in generating:
            for other, sim in self.neighbours(token):
                posting = self.posting(other)
                if len(posting) > MAX_POSTINGS and len(generating) > 1:
                    continue
                scores[posting] += token.weight * sim
                touched[posting] = True
        # Joined query words: "hik vision" finds "hikvision".
        for a, b in zip(tokens, tokens[1:]):
            posting = self.posting(a.text + b.text)
            scores[posting] += 1.0
            touched[posting] = True
            if a.sound and b.sound:  # syllables spelt by sound, one Latin word ('luo si', Roth: score._compound_similarity)
                joined = replace(a, text=a.text + b.text)
                for other, sim in self.neighbours(joined):
                    posting = self.posting(other)
                    scores[posting] += sim
                    touched[posting] = True
        found = np.flatnonzero(touched)
        if not len(found):
            return []
        if strong and len(generating) < len(tokens):
            # Break ties among names found by distinctive words with the generic ones.
            for token in tokens:
                if token.kind in LESSER:
                    posting = self.posting(token.text)
                    posting = posting[scores[posting] > 0]
                    scores[posting] += token.weight * 0.5
        values = scores[found]
        # The accuracy sets lose nothing with a floor of 34% or 50%; scoring is the cost of a query.
        keep = values >= RELATIVE_FLOOR * values.max()
        found, values = found[keep], values[keep]
        if len(found) > limit:
            kth = np.partition(values, len(values) - limit)[len(values) - limit]
            keep = values >= kth
            found, values = found[keep], values[keep]
        order = np.lexsort((self.sizes[found], -values))
        return found[order[:limit]].tolist()


_EMPTY = np.zeros(0, dtype=np.intp)
_WIDE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_SCRATCH = threading.local()


def _scratch(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Each thread's candidate scores and touched marks, one per entry, all zero between queries:
    allocating and zeroing them for every query cost as much as the rest of `candidates`."""
    held = getattr(_SCRATCH, "arrays", None)
    if held is None or len(held[0]) != size:
        held = _SCRATCH.arrays = (np.zeros(size, dtype=np.float64), np.zeros(size, dtype=np.bool_))
    return held

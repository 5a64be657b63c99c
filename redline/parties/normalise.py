"""A name as its reader sees it: hidden and reordering Unicode controls undone, look-alikes folded.

A query can carry characters that change what a person reads without changing what they see,
or the other way round: a right-to-left override ("ACME \u202eDTL OC LATIGID\u202c" is shown
as "ACME DIGITAL CO LTD"), zero-width characters inside a word, variation selectors,
fullwidth or mathematical letters, Cyrillic or Greek letters that look Latin inside a Latin word.
`normalise` returns the text as read, and what it changed, so that screening can say so.

Look-alike letters come from Unicode's confusables data (UTS #39) as ICU's spoof checker ships
it: a letter of another script is folded to the Latin letter whose skeleton it shares.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

RLO, LRO, PDF, PDI = "\u202e", "\u202d", "\u202c", "\u2069"
# Explicit direction marks, embeddings, overrides and isolates, and the Arabic letter mark.
_BIDI = "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"
# Characters that draw nothing: zero-width space and joiner, word joiner, invisible operators,
# byte-order mark, soft hyphen, combining grapheme joiner, Mongolian vowel separator,
# variation selectors, tags.
_INVISIBLE = "\u200b\u200d\u2060-\u2064\ufeff\u00ad\u034f\u180e\ufe00-\ufe0f\U000e0000-\U000e007f\U000e0100-\U000e01ef"
_HIDDEN_RE = re.compile(f"[{_BIDI}{_INVISIBLE}]")
_OVERRIDE_RE = re.compile(f"([{RLO}{LRO}])([^{PDF}{PDI}\n]*)[{PDF}{PDI}]?")
ZWNJ = "\u200c"
# Persian and other Arabic-script writing puts a zero-width non-joiner inside a word (خامنه‌ای):
# there it is part of the spelling (scripts.join_zwnj reads it); anywhere else it only hides.
_ZWNJ_RE = re.compile(f"(?<![\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]){ZWNJ}|{ZWNJ}(?![\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff])")
_WORD_RE = re.compile(r"\w+")
# An apostrophe after one of the five Hebrew letters that take a geresh is that geresh (ג' j, ז' zh,
# צ' ch, ת' th: "טום לינץ'" Tom Lynch), written as the Hebrew mark so that no quote-stripping loses it.
_HEBREW_GERESH = re.compile("([\u05d2\u05d6\u05e6\u05e5\u05ea])['\u2019]")
_LATIN_RE = re.compile(r"[A-Za-z]")
# Scripts whose letters can pass for Latin ones (UTS #39 confusables): Greek, Cyrillic, Armenian,
# Cherokee, Lisu, Coptic.
_LOOKALIKE_RANGES = ((0x0370, 0x03FF), (0x0400, 0x052F), (0x0531, 0x058F), (0x13A0, 0x13FF), (0xA4D0, 0xA4FF), (0x2C80, 0x2CFF))


@dataclass(frozen=True, slots=True)
class Normalised:
    text: str
    changes: tuple[str, ...] = ()

    def note(self) -> str:
        return "query normalised: " + "; ".join(self.changes) if self.changes else ""


def normalise(text: str) -> Normalised:
    """The text as a reader reads it, and a short note for each kind of change made. Spaces of any kind
    (no-break, ideographic, runs of them, at either end) are one space between words, unremarked."""
    if text.isascii():
        return Normalised(spaced(text))
    changes: list[str] = []
    folded = unicodedata.normalize("NFKC", text)
    if folded != text and spaced(folded) != spaced(unicodedata.normalize("NFC", text)):
        changes.append("compatibility forms (fullwidth, ligature, styled letters) read as plain letters")
    reordered = _OVERRIDE_RE.sub(_as_displayed, folded) if RLO in folded or LRO in folded else folded
    if reordered != folded:
        changes.append("text inside a direction override read in its displayed order")
    cleaned = _HIDDEN_RE.sub("", reordered) if _HIDDEN_RE.search(reordered) else reordered
    if ZWNJ in cleaned:
        cleaned = _ZWNJ_RE.sub("", cleaned)
    if cleaned != reordered:
        changes.append("invisible characters removed (direction marks, zero-width characters, variation selectors)")
    cleaned = _HEBREW_GERESH.sub("\\1\u05f3", cleaned) if "'" in cleaned or "\u2019" in cleaned else cleaned
    latin = _fold_lookalikes(cleaned) if _LATIN_RE.search(cleaned) else cleaned
    if latin != cleaned:
        swapped = sorted({f"'{a}' ({_script(a)}) as '{b}'" for a, b in zip(cleaned, latin) if a != b})
        changes.append("look-alike letters in Latin words read as Latin: " + ", ".join(swapped[:4]) + (" ..." if len(swapped) > 4 else ""))
    return Normalised(spaced(unicodedata.normalize("NFC", latin)), tuple(changes))


def spaced(text: str) -> str:
    """Words separated by one space: a name pasted from a web page or a spreadsheet keeps no-break spaces,
    runs of spaces and spaces at its ends, which the readings of a name (legal forms of several words,
    'Surname, Given') do not expect."""
    return " ".join(text.split())


def _as_displayed(match: re.Match[str]) -> str:
    """An override lays its text out against the letters' own direction, so a reader reads it
    reversed: Latin letters under a right-to-left override, Hebrew or Arabic under a left-to-right one."""
    mark, inner = match.group(1), match.group(2)
    directions = [unicodedata.bidirectional(ch) for ch in inner]
    ltr = directions.count("L")
    rtl = directions.count("R") + directions.count("AL")
    return inner[::-1] if (ltr > rtl if mark == RLO else rtl > ltr) else match.group(0)


def _fold_lookalikes(text: str) -> str:
    """Letters of another script inside a Latin word, or a word made only of look-alike letters
    in a name written in Latin, as the Latin letters they pass for."""
    table = _lookalike_table()
    if table.keys().isdisjoint(text):
        return text
    words = _WORD_RE.findall(text)
    latin_words = sum(1 for w in words if _LATIN_RE.search(w))
    if not latin_words:
        return text

    def fold(match: re.Match[str]) -> str:
        word = match.group(0)
        foreign = [ch for ch in word if not ch.isascii() and ch.isalpha()]
        if not foreign or any(ch not in table and _script(ch) != "Latin" for ch in foreign):
            return word  # a word of another script that only shares some letters: transliterated later
        if not _LATIN_RE.search(word) and latin_words < len(words) / 2:
            return word  # a whole word of look-alikes counts only in a name written mostly in Latin
        return "".join(table.get(ch, ch) for ch in word)

    return _WORD_RE.sub(fold, text)


@lru_cache(maxsize=1)
def _lookalike_table() -> dict[str, str]:
    """Letter of another script -> the ASCII letter with the same confusables skeleton (the same
    case where the skeleton allows both: Greek 'Ι' is 'I', Cyrillic 'і' is 'i')."""
    import icu

    checker = icu.SpoofChecker()
    by_skeleton: dict[str, list[str]] = {}
    for letter in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        by_skeleton.setdefault(checker.getSkeleton(0, letter), []).append(letter)
    table: dict[str, str] = {}
    for low, high in _LOOKALIKE_RANGES:
        for code in range(low, high + 1):
            ch = chr(code)
            if not ch.isalpha():
                continue
            letters = by_skeleton.get(checker.getSkeleton(0, ch))
            if letters:
                same_case = [x for x in letters if x.isupper() == ch.isupper()]
                table[ch] = (same_case or letters)[0]
    return table


def _script(ch: str) -> str:
    try:
        return unicodedata.name(ch).split(" ")[0].title() if not ch.isascii() else "Latin"
    except ValueError:
        return ""

"""Chinese personal names written in Wade–Giles, read as Hanyu Pinyin.

Lists and users write one Chinese name in both systems: pinyin 'Xu Zhiyong', 'Deng Xiaoping' and
Wade–Giles (Taiwan, Hong Kong, older lists and papers) 'Hsu Chih-yung', 'Teng Hsiao-p'ing'. Their
spellings share too little for an edit distance ('hsu' / 'xu'), so a name that is written in
Wade–Giles is read as pinyin before it is compared and indexed: its given name's syllables, written
apart with a hyphen, are joined as pinyin writes them ('Chih-yung' -> 'zhiyong').

No maintained library reads Wade–Giles back to pinyin, so the syllable table is derived here:
pypinyin's syllables (every reading of every character it knows) are written in Wade–Giles by the
system's published rules (`wade_giles`), and the table read backwards. pypinyin writes Wade–Giles
too (Style.WADEGILES, 0.55), but its table reads -ai as -ei ('hai' as 'hei', 'mai' as 'mei') and 'tie'
as "t'oeh", against the system's tables; these rules agree with it on the other 406 of 418 syllables.
The apostrophe of an aspirate (p', t', k', ch', ts') is often dropped; a syllable written without it
is read as the unaspirated one ('ping' -> 'bing'), which costs one letter in a long joined name.

A name is read as Wade–Giles only when every word of it reads as Chinese syllables (pinyin or
Wade–Giles) and one shows Wade–Giles (WADE_SIGNS, an aspirate's apostrophe, or pinyin syllables written
apart with a hyphen): 'Hsu Chih-yung', 'Mao Tse-tung', 'Chou Chiang', 'Wang Ting-yu'; not 'Cho Min-ho'
nor 'Kim Jong-un', Korean names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin.pinyin_dict import pinyin_dict
from pypinyin.style._tone_convert import to_normal

_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c", "s", "y", "w")
# Pinyin initial -> Wade-Giles initial ("'" marks the aspirate).
_WADE_INITIAL = {
    "b": "p", "p": "p'", "m": "m", "f": "f", "d": "t", "t": "t'", "n": "n", "l": "l", "g": "k", "k": "k'", "h": "h",
    "j": "ch", "q": "ch'", "x": "hs", "zh": "ch", "ch": "ch'", "sh": "sh", "r": "j", "z": "ts", "c": "ts'", "s": "s",
    "y": "y", "w": "w", "": "",
}
_ZERO_INITIAL = {"yi": "i", "you": "yu", "yan": "yen", "ye": "yeh", "yue": "yueh", "yong": "yung", "er": "erh", "e": "o"}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’ʼ‘`-]*[A-Za-z]|[A-Za-z]")
_APOSTROPHES = "'’ʼ‘`"
_ASPIRATE = re.compile(r"(?:ch|ts|tz|[ptk])['’ʼ‘`]")
# Spellings of Wade–Giles syllables that neither pinyin nor the romanisations of Korean write: hs
# (pinyin x), ts and tz (z, c), ss and sz (s), -ih (zhi, shi), -ien (-ian), -ieh, -ueh, -erh, -uei,
# and chi before another letter (ji, qi). A name is read as Wade–Giles only with one of them or an
# aspirate's apostrophe: 'Cho', 'Jung', 'Min-ho' are Wade–Giles syllables too, but Korean names.
WADE_SIGNS = re.compile(r"^(?:hs|ts|tz|ss|sz)|(?:ih|ien|ieh|ueh|erh|uei)$|^chi.")
_SHOWS = re.compile(r"\b(?:hs|ts|tz|ss|sz)|(?:ih|ien|ieh|ueh|erh|uei)\b|\bchi[a-z]|(?:ch|ts|tz|[ptk])['’ʼ‘`]", re.IGNORECASE)  # WADE_SIGNS anywhere: a quick no


def _split(syllable: str) -> tuple[str, str]:
    for initial in _INITIALS:
        if syllable.startswith(initial) and len(syllable) > len(initial):
            return initial, syllable[len(initial):]
    return "", syllable


def wade_giles(pinyin: str) -> str:
    """One pinyin syllable (no tone, ü as 'v' or 'u') in Wade–Giles, the aspirate's apostrophe kept and
    the umlaut dropped, as Latin-only text writes it ('xiao' -> 'hsiao', 'qing' -> "ch'ing")."""
    if pinyin in _ZERO_INITIAL:
        return _ZERO_INITIAL[pinyin]
    initial, final = _split(pinyin.replace("v", "u"))
    if initial in ("z", "c", "s") and final == "i":
        return {"z": "tzu", "c": "tz'u", "s": "ssu"}[initial]
    if initial in ("zh", "ch", "sh", "r") and final == "i":
        final = "ih"
    elif final == "ong":
        final = "ung"
    elif final == "iong":
        final = "iung"
    elif final == "ian":
        final = "ien"
    elif final in ("ie", "ue"):
        final += "h"
    elif final == "e" and initial in ("g", "k", "h"):
        final = "o"
    elif final == "uo" and initial not in ("g", "k", "h", "sh", "w"):
        final = "o"
    elif final == "ui" and initial in ("g", "k"):
        final = "uei"
    return _WADE_INITIAL[initial] + final


@lru_cache(maxsize=1)
def dictionary_readings() -> tuple[str, ...]:
    """Each toned reading pypinyin's dictionary gives its characters, once, in the dictionary's order: some 1,500
    readings of 42,000 characters, so that a table made of the readings is made in a fraction of the time."""
    return tuple(dict.fromkeys(reading for readings in pinyin_dict.values() for reading in readings.split(",")))


@lru_cache(maxsize=1)
def tables() -> tuple[frozenset[str], dict[str, str]]:
    """Pinyin's syllables, and each Wade–Giles spelling (with and without the apostrophe) -> its pinyin."""
    pinyin = frozenset(to_normal(reading, v_to_u=False).replace("v", "u") for reading in dictionary_readings()) - {"ê", "m", "n", "ng", "hm", "hng"}
    reading: dict[str, tuple[int, str]] = {}
    for syllable in sorted(pinyin):
        written = wade_giles(syllable)
        for spelling, rank in ((written, 0), (written.replace("'", ""), 1)):
            if spelling not in reading or reading[spelling][0] > rank:
                reading[spelling] = (rank, syllable)
    return pinyin, {spelling: syllable for spelling, (_, syllable) in reading.items()}


def _syllables(word: str) -> list[str] | None:
    """A word's hyphened pieces in pinyin, or None when one is no Wade–Giles syllable."""
    _, reading = tables()
    out = []
    for piece in word.split("-"):
        found = reading.get(_apostrophe(piece)) or reading.get(_plain(piece))
        if found is None:
            return None
        out.append(found)
    return out


def _apostrophe(text: str) -> str:
    for mark in _APOSTROPHES[1:]:
        text = text.replace(mark, "'")
    return text


def _plain(text: str) -> str:
    for mark in _APOSTROPHES:
        text = text.replace(mark, "")
    return text


@lru_cache(maxsize=1 << 14)
def pinyin_run(text: str) -> bool:
    """Whether the letters are one or more pinyin syllables written together ('xiaobo')."""
    pinyin, _ = tables()
    return not text or any(text[:n] in pinyin and pinyin_run(text[n:]) for n in range(min(6, len(text)), 0, -1))


@lru_cache(maxsize=1 << 14)
def plain(text: str) -> str:
    """A run of pinyin syllables written in Wade–Giles without its apostrophes, as Taiwan's passports and most Latin
    text write it ('qichang' and 'jizhang' -> 'chichang'); '' where the letters are no pinyin run. A name read from
    Wade–Giles (as_pinyin) cannot tell an aspirate its apostrophe left: compared so, it need not."""
    pinyin, _ = tables()
    for n in range(min(6, len(text)), 0, -1):
        head = text[:n]
        if head in pinyin:
            rest = plain(text[n:]) if n < len(text) else ""
            if rest or n == len(text):
                return _plain(wade_giles(head)) + rest
    return ""


def _pinyin_apart(pieces: list[str]) -> bool:
    """A word of pinyin syllables written apart with a hyphen, which pinyin never does and Taiwan's names do ('Ting-yu',
    王定宇 Dingyu): Korean given names so written hold a syllable pinyin lacks ('Jong-un', 'Min-ho'). Session 50, tune
    half: cross-script pool +2 true ('Wang Ting-yu' / 王定宇), Korean pairs +1 ('Cheng Pei-pei' / 정페이페이), nothing lost."""
    pinyin, _ = tables()
    return len(pieces) > 1 and all(piece in pinyin for piece in pieces)


def as_pinyin(name: str) -> tuple[str, list[str]]:
    """The name (casefolded) with its Wade–Giles words written in pinyin, and what was rewritten
    ('hsiao-p'ing -> xiaoping'); unchanged, with [], unless every word of it reads as Chinese
    syllables and one shows Wade–Giles (WADE_SIGNS, an aspirate's apostrophe, or _pinyin_apart)."""
    folded = name.replace("ü", "u").replace("ê", "e")
    if not folded.isascii() or not (_SHOWS.search(folded) or "-" in folded):
        return name, []
    rewritten: list[tuple[int, int, str]] = []
    shown = False
    for match in _WORD.finditer(folded):
        word = match.group(0)
        syllables = _syllables(word)
        pieces = [_plain(piece) for piece in word.split("-")]
        if syllables is None:
            if not all(piece and pinyin_run(piece) for piece in pieces):
                return name, []  # a word that is no Chinese syllable: another language's name
            continue
        shown = shown or _ASPIRATE.search(word) is not None or any(WADE_SIGNS.search(piece) for piece in pieces) or _pinyin_apart(pieces)
        joined = "".join(syllables)
        if joined != "".join(pieces):
            rewritten.append((match.start(), match.end(), joined))
    if not shown or not rewritten:
        return name, []
    out, notes, last = [], [], 0
    for start, end, joined in rewritten:
        out.append(folded[last:start] + joined)
        notes.append(f"{folded[start:end]} -> {joined}")
        last = end
    out.append(folded[last:])
    return "".join(out), notes

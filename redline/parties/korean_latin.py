"""Korean personal names in Latin letters, read one way whatever the romanisation.

Lists write one Korean name in McCune–Reischauer (North Korea's lists and the UN's: 'Pak Pong Ju',
'Ri Pyong Chol', 'O Kuk Ryol', with or without its apostrophes and breves: "U'n-so'ng", 'Ŭn-sŏng'),
in Revised Romanisation (South Korea since 2000: 'Bak Bong-ju', 'Ri Byeong-cheol', 'O Guk-ryeol')
and in the spellings families use ('Park', 'Lee', 'Byung', 'Young', 'Oh'). They differ in the
letters of a sound, not in the sound: the plain stops are k t p ch in one and g d b j in the other,
the vowels ㅓ and ㅡ are ŏ ŭ, o' u', eo eu, or o u in the families' spellings. A name in one is read in
one spelling of them all (`one_way`): stops unvoiced, ㅓ and ㅡ as o and u, and u closed by n, ng or l as o
(the families' 'Byung', 'Hyun', 'Chul'), l as r, doubled letters once;
two spellings of one name read alike. Distinct syllables that read alike (정 jeong and 종 jong) are
the price, paid only by names that are wholly Korean syllables and carry a Korean family name.

No library reads Latin Korean back (ICU and the Korean romanisation packages go from Hangul), so the
rules are written here from the two systems' published tables.
"""

from __future__ import annotations

import re
from functools import lru_cache

from redline.parties.scripts import FIRST_GROUP, korean_surnames

# One syllable as both systems and the families' spellings write it: an initial, a vowel with its
# glide, a final (rk for 'Park', h for 'Oh' and 'Ahn').
_SYLLABLE = (
    r"(?:kk|tt|pp|ss|jj|tch|ch|sh|rh|[kgndtrlmbpsjh])?"
    r"(?:[yw])?(?:ae|eo|eu|oe|oi|ui|oo|ee|ou|a|e|i|o|u)"
    r"(?:ng|rk|lk|[kgntdlrmpbh])?"
)
_KOREAN_WORD = re.compile(f"(?:{_SYLLABLE})+")
_ONE_SYLLABLE = re.compile(_SYLLABLE)
_WORD = re.compile(r"[a-z][a-z'’ʼ‘`ŏŭ-]*[a-z]|[a-z]")
_MARKS = str.maketrans({"ŏ": "o", "ŭ": "u", "'": "", "’": "", "ʼ": "", "‘": "", "`": ""})
# Applied in order to a word, its marks dropped.
_ONE_WAY = (
    ("rh", "r"), ("ee", "i"), ("oo", "u"), ("wu", "u"), ("ou", "o"), ("eo", "o"), ("eu", "u"), ("oi", "oe"),
    ("ng", "N"),  # kept whole while g is read as k
    ("tch", "ch"), ("jj", "ch"), ("j", "ch"), ("kk", "k"), ("g", "k"), ("tt", "t"), ("d", "t"), ("pp", "p"),
    ("b", "p"), ("ss", "s"), ("sh", "s"), ("l", "r"),
    ("N", "ng"),
)
_FAMILY_U = re.compile(r"u(?=(?:ng|n|r)(?:[^aeiouyw]|$))")  # 'Jung', 'Hyun', 'Chul': the families' u for ㅓ closing a syllable
_FINAL_H = re.compile(r"(?<=[aeiou])h(?=[^aeiouy]|$)")  # 'Oh', 'Ahn'
_FINAL_RK = re.compile(r"rk$")  # 'Park'
_DOUBLED = re.compile(r"(.)\1+")


def one_syllable(word: str) -> bool:
    """Whether a Latin word is one syllable as Korean romanisations (and mostly Chinese ones) write it: 'soon',
    'gwang', 'il'; not 'diaz', 'mary'."""
    return bool(_ONE_SYLLABLE.fullmatch(word))


def spelling(word: str) -> str:
    """A Latin Korean word in the one spelling (see the module's text): 'Byeong-cheol' and
    'Pyong-chol' -> 'pyong-chor'."""
    text = word.lower().translate(_MARKS)
    for written, read in _ONE_WAY:
        text = text.replace(written, read)
    text = _FAMILY_U.sub("o", _FINAL_RK.sub("k", _FINAL_H.sub("", text)))
    return _DOUBLED.sub(FIRST_GROUP, text)


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    return frozenset(spelling(s) for s in korean_surnames())


def _korean_words(name: str) -> tuple[list[re.Match[str]], list[str]] | None:
    """The words of a name (casefolded) and their one spelling, or None unless every word is Korean syllables and one
    is a Korean family name."""
    if not name.translate(_MARKS).isascii():
        return None
    words = list(_WORD.finditer(name))
    if not words:
        return None
    for match in words:
        if not all(_KOREAN_WORD.fullmatch(piece.translate(_MARKS)) for piece in match.group(0).split("-")):
            return None
    read = [spelling(m.group(0)) for m in words]
    return (words, read) if any(word in _surnames() for word in read) else None


@lru_cache(maxsize=4096)
def korean_name(name: str) -> bool:
    """Whether a name (casefolded) is a Korean name in Latin letters, in any romanisation ('lee jong-ho', 'ri chang
    ho'), whether or not one_way rewrites it."""
    return _korean_words(name) is not None


def one_way(name: str) -> tuple[str, list[str]]:
    """The name (casefolded) with its words in the one spelling, and what was rewritten; unchanged,
    with [], unless every word is Korean syllables and one is a Korean family name."""
    found = _korean_words(name)
    if found is None:
        return name, []
    words, read = found
    out, notes, last = [], [], 0
    for match, word in zip(words, read):
        out.append(name[last:match.start()] + word)
        if word != match.group(0):
            notes.append(f"{match.group(0)} -> {word}")
        last = match.end()
    out.append(name[last:])
    return ("".join(out), notes) if notes else (name, [])

"""Hong Kong family names in their Cantonese romanisation, read as pinyin.

Lists write a Hong Kong person's name as Hong Kong writes it ('LAU, Emily', 'LAM Cheng Yuet-ngor',
'CHAN Kwok-ki'); other lists, papers and users write the same family name in pinyin ('LIU, Emily'):
劉 is Lau and Liu, 林 Lam and Lin, 張 Cheung and Zhang. The spellings share too little for an edit
distance, so a person's name whose family name is written so is read a second time with that name in
pinyin (names.READINGS); the given name is left as written (Hong Kong writes it in Cantonese too, but
its syllables stand for too many characters to read back).

The family name is the word before a comma, or else the first or the last word. The table holds the
Hong Kong Government's romanisation of common family names (the spellings of the Immigration
Department's identity cards) where it stands for characters of one pinyin: not Wong (王 Wang or 黃
Huang), Tang (鄧 Deng or 唐 Tang), Lo (盧 Lu or 羅 Luo), Chiu (趙 Zhao or 邱 Qiu), Lui, To, Wan, Ko, Hung,
Tsui, Tso, Shum; nor a spelling that is a pinyin syllable or an English or Korean name of its own (Lee,
Cheng, Kong, Chung, Law, Man, Hui, Lai). No maintained library reads Cantonese romanisation back to
characters or pinyin (PyCantonese reads Jyutping, not the Hong Kong Government's spellings).
"""

from __future__ import annotations

import re

SURNAMES = {
    "chan": "chen", "cheung": "zhang", "leung": "liang", "lau": "liu", "ng": "wu", "ho": "he", "tsang": "zeng",
    "yip": "ye", "kwok": "guo", "lam": "lin", "choi": "cai", "fung": "feng", "mak": "mai", "yeung": "yang",
    "tse": "xie", "chow": "zhou", "siu": "xiao", "tam": "tan", "au": "ou", "poon": "pan", "kwan": "guan",
    "sze": "shi", "yuen": "yuan", "koo": "gu", "kwong": "kuang", "mok": "mo", "cheuk": "zhuo", "suen": "sun",
    "yiu": "yao", "luk": "lu", "fok": "huo", "tung": "dong", "kan": "jian", "pang": "peng", "tong": "tang",
}
_WORD = re.compile(r"[a-z]+")


def as_pinyin(name: str) -> tuple[str, list[str]]:
    """The name (casefolded) with a Hong Kong family name written in pinyin, and what was rewritten
    ('lau -> liu'); unchanged, with [], when its family name is none of SURNAMES."""
    if not name.isascii():
        return name, []
    words = list(_WORD.finditer(name))
    if len(words) < 2:
        return name, []
    comma = name.find(",")
    places = [m for m in words if m.end() <= comma][:1] if comma > 0 else [words[0], words[-1]]
    for match in places:
        pinyin = SURNAMES.get(match.group(0))
        if pinyin:
            return name[:match.start()] + pinyin + name[match.end():], [f"{match.group(0)} -> {pinyin}"]
    return name, []

"""Native scripts to Latin forms, for name analysis (`names.py`).

A word in a non-Latin script becomes one or more Latin tokens, each marked `loose` when its
romanisation is uncertain (abjads, Hangul, Burmese, kana): such a token is compared with Latin
spellings on a consonant-class key (`consonant_key`) as well as letter by letter.

- Abjads (Arabic, Persian, Urdu, Hebrew): letter tables below, consonants kept and long-vowel
  letters written as vowels; the zero-width non-joiner joins a word; Persian final heh before
  it is the vowel e; joined articles and Hebrew prefixes come off.
- Hangul: ICU's Hangul-Latin (Revised Romanisation) by syllable; a person's name splits into
  family name (one syllable, or two for compound family names) and given-name syllables, the
  family name written as it usually is in Latin (`hangul.yaml`).
- Burmese: split into syllables (the rule of sylbreak, Ye Kyaw Thu) and each syllable written in
  the conventional spelling of Burmese names (onset + medials + rhyme tables in `burmese.yaml`).
- Chinese person names: family name (compound family names too, `han_surnames.yaml`) + given
  name, with pypinyin; companies are segmented in `names.py`.
- Any other script: ICU's BGN/PCGN transforms where CLDR has one, else anyascii.

The tables are compact and cite their sources; CLDR's rule files (Unicode-3.0 licence) were read
for the BGN/PCGN letter values, ICU (PyICU) runs its built-in transforms.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources
from operator import itemgetter
from typing import Any

import yaml
from anyascii import anyascii
from pypinyin import lazy_pinyin

from redline.parties.wade_giles import dictionary_readings

# A match's first group, as re.sub's replacement: re calls it from C, where the template r"\1" costs a Python call
# (re._subx) at every substitution, a microsecond or more, on the words of every comparison.
FIRST_GROUP = itemgetter(1)

Piece = tuple[str, str, bool | str]  # (latin word, kind hint, loose: False, True, or SOUND)
# A loose piece from a script that spells by sound (SOUND_SPELLED): compared on sound_key too.
SOUND = "sound"
# Loose pieces spelt by sound in a script whose readings are its own (Token.spelt): Burmese writes no final a foreign name
# ends on; a Korean name's syllable in Hangul keeps its vowel in Latin; kana voice a stop as the Latin spelling does.
BURMESE, HANGUL, KANA = "burmese", "hangul", "kana"
SPELT_BY = (BURMESE, HANGUL, KANA)

_SPLIT_RE = re.compile(r"[^\w?]+")


def _marks() -> str:
    """Every combining mark, as regex ranges: Burmese and Indic vowel signs are not \\w."""
    ranges: list[list[int]] = []
    for code in range(0x300, 0x10000):
        if unicodedata.category(chr(code)).startswith("M"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(f"{chr(a)}-{chr(b)}" if a != b else chr(a) for a, b in ranges)


# Words of any script: letters, digits and combining marks (and the joiners).
WORD_SPLIT = re.compile(r"[^\w?\u200c\u200d" + _marks() + "]+")
ZWNJ = "\u200c"

# Consonant-class key: one letter per class, vowels and the glides v/w/y dropped (a vav or a yod
# is a vowel as often as a consonant), voiced and voiceless stops together (Korean g/k, b/p,
# d/t; Arabic qaf written q, k or g), sibilants together (ts/tz/z, sh/s), l with r (Japanese and
# Korean write one letter for both); j (dj) a class of its own. Chosen on the tune half of the
# name-pair sets: l/r together gains 0.17 F1 on Japanese and Korean for 0.01 on Arabic and Hebrew;
# dropping h was no better; j with g and k scored 0.01 more on Hebrew, Arabic and Japanese but made
# Kim Jong Un's 'jeong' the 'kwang' of Kim Kwang Yon, and j with g alone lost 0.05 on Korean.
# v with b (Arabic fa, Korean and Japanese b for v) gained 0.02 F1 on Arabic, Korean and Japanese
# but lost Persian's waw (Javad, Parviz) and Chinese w for v; with w before a vowel as b too,
# cross-script categories lost 0.02: v stays a glide. dzh (Russian 'Джихад' Jihad), jh (John, "ג'ון"
# jon) and dge (Bridge, "ברידג'") are j: Hebrew +0.002, Russian +0.006, Japanese +0.004 F1.
_DIGRAPHS = (
    ("dzh", "j"), ("tsch", "k"), ("tsh", "k"), ("shch", "s"), ("sch", "s"), ("tch", "k"), ("ch", "k"), ("kh", "k"), ("gh", "k"), ("dj", "j"), ("jh", "j"),
    ("sh", "s"), ("zh", "s"), ("ts", "s"), ("tz", "s"), ("dz", "s"), ("th", "t"), ("dh", "t"),
    ("ph", "b"), ("ck", "k"), ("x", "ks"),
)
_LETTER_CLASS = str.maketrans(
    "bpfdtgkqcxjszhlrmnaeiouywv",
    "bbbttkkkkkjssh" + "rrmn" + "\0" * 8,
)
_LIQUID_CLASS = str.maketrans(
    "bpfdtgkqcxjszhlrmnaeiouywv",
    "bbbttkkkkkjssh" + "lrmn" + "\0" * 8,
)
# 'Abdelhalim', 'Abdulhamid', 'Abdolreza': the article of 'Abd al-' names is not a consonant of
# the name, and the Arabic-script side writes it as a separate 'al' (scripts._abjad).
_ABD_AL = re.compile(r"^abd[aeiou]l(?=[a-z]{3})")
_SOFT_C = re.compile(r"c(?=[eiy])")  # 'Cecilia', 'Mercedes'
_SOFT_DG = re.compile(r"dg(?=[eiy])")  # 'Bridge', 'Hodges'
_SILENT_H = re.compile(r"^w(h)|o(h)n")  # 'Whitlam' (Russian 'Уитлэм'), 'John' and 'Kohn' ("ג'ון", 'ဂျွန်')
_DIGRAPH_RE = re.compile("|".join(d for d, _ in _DIGRAPHS))
_DIGRAPH_MAP = dict(_DIGRAPHS)
_REPEATS = re.compile(r"(.)\1+")
# A final h no digraph ends (not kh, sh, th...), dropped before the key is made, so that 'Talhah' and 'Talha' are one
# key ('tlh') as a final heh or ta marbuta after a ha is ('طلحة' tlhh).
_FINAL_H = re.compile(r"(?<=..)(?<![cdgkjpstz])h$")


@lru_cache(maxsize=1 << 16)
def consonant_key(text: str) -> str:
    """'khamenei' -> 'kmn', 'mohammed' -> 'mhmt', 'omar' -> '_mr': how a Latin spelling compares
    with a loose romanisation. A spelling's final h is dropped (Persian final heh, 'Abdullah',
    'Sarah'); '_' marks a word that starts with a vowel or a glide."""
    return _key(text, _LETTER_CLASS)


# A Burmese glottal stop in a foreign name's reading (burmese.foreign.rhymes in scripts.yaml): the final the Latin
# spelling writes there, a stop or an s, or none.
GLOTTAL = "ʔ"
_VOWEL_LETTERS = frozenset("aeiouyw")  # a Burmese rhyme ends so when open (aw)
_GLOTTAL_MARK = "Q"  # the glottal stop inside a consonant key: a capital, which no key class is
_GLOTTAL_BETWEEN_LIKE = re.compile(rf"([a-z_]){_GLOTTAL_MARK}\1")


@lru_cache(maxsize=4096)
def _glottal_pattern(loose: str) -> re.Pattern[str]:
    key = _key(loose.replace(GLOTTAL, _GLOTTAL_MARK), _LETTER_CLASS)
    # A stop read as none between two letters of one class leaves one letter: the key writes a repeat once.
    key = _GLOTTAL_BETWEEN_LIKE.sub(lambda m: f"{m[1]}(?:[tkbs]{m[1]})?", re.escape(key))
    return re.compile(key.replace(_GLOTTAL_MARK, "[tkbs]?"))


def glottal_agrees(loose: str, latin: str) -> bool:
    """A foreign name's reading from Burmese with glottal stops (GLOTTAL) has the consonants of a Latin spelling, or of
    its sound_key, each stop read as the final the spelling writes or as none ('khariʔjeʔ' Chris Jack, 'meʔdemwan'
    Matt Damon)."""
    pattern = _glottal_pattern(loose)
    return bool(pattern.fullmatch(consonant_key(latin)) or pattern.fullmatch(sound_key(latin)))


@lru_cache(maxsize=1 << 16)
def liquid_key(text: str) -> str:
    """consonant_key with l and r apart ('clara' -> 'klr', 'kara' -> 'kr'): abjads, Cyrillic and
    Devanagari write the two letters apart; only the sound-spelled scripts have one for both."""
    return _key(text, _LIQUID_CLASS)


def _key(text: str, classes: dict[int, Any]) -> str:
    text = _ABD_AL.sub("abd", _SOFT_C.sub("s", _SOFT_DG.sub("j", text)))
    text = _SILENT_H.sub(lambda m: m.group(0).replace("h", ""), text) if "h" in text else text
    body = text[:-1] if _FINAL_H.search(text) else text
    key = _DIGRAPH_RE.sub(lambda m: _DIGRAPH_MAP[m.group(0)], body).translate(classes).replace("\0", "")
    key = _REPEATS.sub(FIRST_GROUP, "".join(ch for ch in key if ch.isalpha() and ch.isascii()))
    # A word that starts with a letter the key drops (a vowel or a glide: Omar, Ould, Yusuf, Walid)
    # says so: every script writes that start (alif, ayn, waw, yod, ieung, a/wo/yi in pinyin), and
    # 'Erison' is then not 'Rison'. Tune half: F1 +0.006 to +0.016 on every loose script, Japanese
    # precision 0.891 -> 0.907, Arabic 0.845 -> 0.852, cross-script unchanged.
    return "_" + key if text[:1] in "aeiouyvw" else key


# Letters of a loose romanisation read another way, when the Latin spelling shows that way (loose_readings): the dh
# of ذ, ض, ظ as z (session 33); the j of ج and ג' as g, the b of ב and the f of ف as v (session 34, tune half of the
# name pairs at 0.65: j as g, Hebrew +8 true, Arabic +7 true and +1 false, Hindi-Urdu +1 false, larger pool
# cross-script +1 true; b as v, Hebrew +10 true and +2 false (hard negatives), Arabic unchanged; f as v, Arabic +18
# true and +1 false (Vaz / فواز Fawaz), Russian +1 true, Ukrainian-Russian +1 false); the th of ث as the s of Persian,
# Urdu and Turkish spellings (session 35: larger pool cross-script +2, 'غیاث' Ghiass, 'وثيق' Wassiq; nothing else moved);
# a Hebrew v (ב read v after a vowel letter) as the b of a foreign name ('גיבס' givs, Gibbs), and ז' (zh) as the French j
# and soft g ('ז'אן' Jean, 'מונז'' Monge) (session 36, with _COMMON_LETTERS: third-party Hebrew +17 true, Arabic +2,
# Hindi-Urdu +1, Russian +1, no hard negative of any script matched).
_OTHER_LETTERS = (("dh", "z"), ("j", "g"), ("b", "v"), ("f", "v"), ("th", "s"), ("v", "b"), ("zh", "j"), ("zh", "g"), ("dzh", "g"))
# ... and letters most words have, read so only against a Latin spelling (never for the index): a Hebrew ח (h, not of a
# digraph) as the Spanish j ('חואן' Juan), a yod as the German and Slavic j ('ינס' Jens, 'יוזף' Josef).
# A French or Portuguese ç written c without its mark between vowels, before a, o or u: 'Faycal' (Fayçal) / 'فيصل'; not a
# hard c after a consonant ('Vasco', 'Marco').
_CEDILLA_LOST = re.compile(r"(?<=[aeiouy])c(?=[aou])")
_COMMON_LETTERS = ((re.compile(r"(?<![cdgkstz'])h"), "j"), (re.compile("y"), "j"))


def loose_readings(loose: str, latin: str | None = None, common: bool = True) -> list[str]:
    """Other readings of a loose romanisation that a Latin spelling (when given, one that can show
    them) may have made: an s and h written apart (اسحاق as'haq: 'Eshaq', 'Ishaq' read sh), a
    Russian kh for an Arabic h ('Джихад' dzhikhad, Jihad), the z of Persian, Urdu and Turkish spellings for
    the dh the Arabic ذ, ض and ظ are read ('فضل' fdhl: Fazal as well as Fadl, Fadhl; 'كاظم' Kazim, Kadhim, Kathim),
    the Egyptian g for the Arabic ج ('جمال' jmal: Gamal as well as Jamal; 'رجب' Ragab) and an English soft g for the
    Hebrew ג' ('ג'רלד' jrld, Gerald) and the Russian дж ('Джордано' dzhordano, Giordano; session 55, tune half of the
    Russian name pairs: +5 true, no false), a v for the Hebrew ב read b (unpointed, the letter is both: 'ראובן' Reuven) and
    for the ف by which Arabic writes a foreign v ('فاسكو' fasko, Vasco), the s of Persian and Urdu spellings for the
    ث read th ('واثق' wthiq: Wasiq as well as Wathiq), a French ç written c without its mark ('فيصل' fisl: Faycal),
    a final ta marbuta said t before the
    next word ('نصرة الإسلام' Nusrat ul-Islam), and a French ch for sh ('الشريعة' Charia, 'شكري'
    Choukri, 'מישל' Michelle). `common=False` leaves out the readings most words have (a final a, an
    sh), for the index: looked up for every query word, they cost 0.6 ms a query."""
    out = []
    if "'" in loose:
        out.append(loose.replace("'", ""))
    if "kh" in loose and (latin is None or "h" in latin.replace("kh", "")):
        out.append(loose.replace("kh", "h"))
    for letters, read in _OTHER_LETTERS:
        if letters in loose and (latin is None or read in latin):
            out.append(loose.replace(letters, read))
    if "s" in loose and latin is not None and _CEDILLA_LOST.search(latin):
        out.append(loose.replace("s", "c"))
    if not common:
        return out
    for letter, read in _COMMON_LETTERS:
        if read in (latin or "") and letter.search(loose):
            out.append(letter.sub(read, loose))
    if loose.endswith("a") and (latin is None or latin.endswith("t")):
        out.append(loose + "t")
    if "sh" in loose and (latin is None or "ch" in latin):
        out.append(loose.replace("sh", "ch"))
    return out


# Letters a script that spells by sound (SOUND_SPELLED) writes for a foreign sound it lacks, read back where the Latin
# spelling has that sound (score._skeleton_similarity, as loose_readings for the abjads): Hangul ㅈ j for a z
# ('Zeroual' 제루알 jelual, 'Zachary' 재커리) and ㅊ ch for ts ('Tsatsos' 차초스 chachoseu); kana and Hangul j for a soft
# g ('Magic' マジック majikku, 'Giles' 자일스) and s for th ('Nathan' ネイサン neisan, 'Ethel' 에설). Session 36, tune half
# of the name pairs at 0.65: z and ts, Korean +17 true, +1 false (F1 0.840 -> 0.861), Chinese +1 true; soft g and th
# (after the test read), Japanese +8, Korean +3, Burmese +1, Chinese +1 true, Japanese +1 false. Not the Spanish j as
# h: Chinese h is its own ('Li De Ju' met 霍利 huo li); nor j as a hard g (김정은 jeong is no 'Kwang'). Session 41, tune
# half of the name pairs at 0.65, nothing false: pinyin zh for a j ('Jenner' 詹納 zhan na) and h for a kh ('Mokhtar'
# 穆赫塔爾, 'Mikhalkova' ミハルコワ), Chinese +2, Japanese +1 true; Chinese and Burmese n for an m before a labial ('Bembo'
# 本博, 'Ambrose' 安布羅斯, 'Tampa' တန်ပါ), Chinese +5, Korean +1, Burmese +1 true. Tried: w for v, nothing moved.
# Session 43: j for the s of an English -sion, -sia ('Hikvision' ハイクビジョン haikubijon, 하이크비전; 'Asia' アジア).
# Session 48: pinyin x for an s ('Sean' 肖恩 xiaoen, 'Sharpe' 夏普; no other romanisation here writes x) and 约 yue for
# a jo ('Johnston' 约翰斯顿), tune half of the name pairs: Chinese +3, larger cross-script pool +1 true, nothing false.
_SOUND_LETTERS = (("j", "z", re.compile("z")), ("ch", "ts", re.compile("t[sz]")), ("j", "g", re.compile("g[eiy]")), ("s", "th", re.compile("th")),
                  ("zh", "j", re.compile("j")), ("h", "kh", re.compile("kh")), ("nb", "mb", re.compile("mb")), ("np", "mp", re.compile("mp")),
                  ("j", "s", re.compile("s(?=i[aeiou])")), ("yue", "jo", re.compile("jo")), ("x", "s", re.compile("s")))
# Chinese and Burmese write a Latin n closing a syllable as ng ('Conti' 康提 kang ti, 'Monte' 蒙特 meng te, 'Loudoun'
# လူးဒေါင်း): read n where the Latin spelling has no ng (session 41, tune half: Chinese +3, Burmese +4 true). Not Korean,
# which writes n and ng apart (ㄴ, ㅇ) and whose romanisation its eo and eu mark ('Yeongjo' is no 'Injo', which the
# reading without that guard matched). Nor pinyin j for a hard k or g ('霍金' Hawking): Korean and Japanese +2 true,
# +3 false.
_KOREAN_VOWELS = re.compile("e[ou]")
_VOWEL_RUNS = re.compile("[aeiou]+")


def sound_readings(loose: str, latin: str | None = None, burmese: bool = False) -> list[str]:
    """Other readings of a romanisation from a script that spells by sound, where the Latin spelling shows them: 'jelual'
    read 'zelual' against 'zeroual'; every reading when no spelling is given (the index's look-up). `burmese`: the
    romanisation is Burmese's (Token.spelt), which has readings of its own."""
    out = [loose.replace(letters, read) for letters, read, shown in _SOUND_LETTERS if letters in loose and (latin is None or shown.search(latin))]
    if "ng" in loose and (latin is None or "ng" not in latin) and not _KOREAN_VOWELS.search(loose):
        out.append(loose.replace("ng", "n"))
    # Burmese writes a foreign t with its aspirate ထ ht ('Tribune' ထရူဘီနီ htarubini) and the ai of a foreign name with the
    # rhyme ိုင် aing of its own names ('Cyclone' ဆိုင်ကလုန်း saingkalon, 'Hlaing'); no other romanisation here writes
    # either (read for Burmese only since session 49, Token.spelt). Session 48, tune half of the name pairs at 0.65:
    # Burmese +15 true, +2 false (ai: 'Al-Qaeda' against another party's name in Burmese); nothing else moved. The t in a run of syllables only: a Burmese name's syllable ထွန်း
    # Htun meets Tun by its own rule, its vowel too (score._skeleton_similarity: Tun is not Than). Session 49: and the
    # first ရ, which a Burmese word says y (ရန်ကုန် Yangon), as the r a Latin spelling begins with ('Rio Tinto' ရီယိုတင်တို
    # yiyotinto, 'Roche' ရိုချီ): Burmese +13 true, +2 false ('Reiss' / ရော့စ် Ross, by consonants), no Korean or Japanese
    # pair moved (they write a foreign r as r: 라이언, ライアン Ryan).
    if not burmese:
        return out
    if "ht" in loose and (latin is None or "ht" not in latin) and len(_VOWEL_RUNS.findall(loose)) > 1:
        out.append(loose.replace("ht", "t"))
    if "aing" in loose and (latin is None or "ng" not in latin):
        out.append(loose.replace("aing", "ai"))
    if loose.startswith("y") and latin is not None and latin.startswith("r"):
        out.append("r" + loose[1:])
    return out


# Scripts that spell a foreign name by its sound, syllable by syllable, with a vowel after every
# consonant: they drop an English r after a vowel ('Purvis' 普维斯 puweisi, 'Carter' 카터, 'Norton'
# နော်တန်) and write v as b (Korean, Japanese, Burmese). Abjads write that r and omit short vowels,
# so one key cannot serve both: see sound_key.
SOUND_SPELLED = frozenset({"HAN", "HANGUL", "KANA", "MYANMAR"})
_POST_VOCALIC_R = re.compile(r"(?<=[aeiou])r+(?=[^aeiouy]|$)")
# A final th is s in these scripts ('Smith' 史密斯 shimisi, スミス sumisu, 스미스; 'Roth' 罗斯, 'Keith' 基思):
# tune half, Chinese F1 +0.006, Japanese +0.003, Korean +0.004, nothing lost.
_FINAL_TH = re.compile(r"(?<=\w\w)th$")
# English letters that are not said, which these scripts do not write: gh before t ('Leighton' 레이턴, 'Wright' 赖特) and
# the k of an initial kn ('Knight' ナイト); and Hangul's ch (ㅊ) for a tz as for a ts (_SOUND_LETTERS: 'Fritz' 프리츠).
# Session 48, tune half of the name pairs at 0.65: Korean +3, Japanese +2, Burmese +1 true, nothing false.
_SILENT = re.compile(r"gh(?=t)|^k(?=n)")


@lru_cache(maxsize=1 << 16)
def sound_key(text: str) -> str:
    """A Latin spelling's consonant key as a sound-spelled script writes it: r after a vowel
    dropped, v as b, a final th as s ('purvis' -> 'bs', 'marcus' -> 'mks', 'steven' -> 'stbn'; consonant keys 'brs',
    'mrks', 'stn'). Meant to be compared with the consonant_key of a token romanised from a
    SOUND_SPELLED script (Token.sound), beside the consonant key, never with an abjad's: in
    score._skeleton_similarity, and as a second key of the index (NameIndex.sounds). Tune half of
    the name-pair sets at 0.65 (session 21): Chinese F1 0.685 -> 0.769, Korean 0.764 -> 0.808,
    Japanese 0.824 -> 0.870, Burmese 0.321 -> 0.358, abjads unchanged, cross-script category
    0.822 -> 0.831. Without v as b (session 20, at 0.75): Chinese 0.743 not 0.745, Korean 0.784
    not 0.806, Japanese 0.844 not 0.850."""
    return consonant_key(_FINAL_TH.sub("s", _SILENT.sub("", _POST_VOCALIC_R.sub("", text))).replace("v", "b"))


# The vowels an abjad's romanisation writes (its long vowels ا و ي, and alif or ayn as 'a'), by
# class, and the Latin letters that may spell each class: a Latin spelling that has none of them
# where the abjad writes one is another name with the same consonants ('miyuki' / ميوكو miuku,
# 'aco' / أوكو auku, 'hamadeh' / حميدة hmida), while short vowels, unwritten, cost nothing. An
# English a may be said ei (ميسون, 'Мэйсон' Mason), an o a (فاولز Fowles), a v is a vav: tune half,
# with a as a only, Arabic precision 0.909 (F1 0.861) but Russian 0.874 and 'Мэйсон' lost; as here,
# Arabic 0.901 (F1 0.857), Russian 0.876, Hindi-Urdu 0.925.
_WRITTEN_VOWEL = {"a": "A", "e": "I", "i": "I", "o": "U", "u": "U"}
_LATIN_VOWEL = {"a": "AI", "e": "AI", "i": "I", "o": "UA", "u": "U", "y": "I", "w": "U", "v": "U"}


# A Latin name that ends in a, i, o, u or y ends in a vowel the abjad writes (ا ى ي و, or a final
# heh, ة, ה: h): 'Anisa' is not أنس anas, 'Sunday' not ساند. Tune half (name pairs, at 0.65): Arabic
# precision 0.901 -> 0.917 (F1 0.857 -> 0.865), Hindi-Urdu 0.925 -> 0.928, Russian 0.876 -> 0.879, no
# true pair lost; the converse (a written final vowel that the Latin spelling lacks: بكري / Bekir) lost
# Hindi's deleted schwa ('केरल' keral, کیرلا) for two more Arabic negatives, and is not made.
_MAY_END_IN_VOWEL = frozenset("aiueoh")
_FINAL_LATIN_VOWEL = frozenset("aiouy")
_WRITTEN_FINAL_LONG = frozenset("iu")  # ya and waw written at a word's end
_LATIN_ENDS_OPEN = frozenset("aeiouyhw")  # ... read as a vowel, y or w ('Ali', 'Hayy', 'Abou', 'Marwah')


@lru_cache(maxsize=1 << 16)
def vowels_agree(written: str, latin: str) -> bool:
    """Whether the vowels a loose romanisation writes appear, in order, among a Latin spelling's
    vowels. The first letter is the word's seat (alif, ayn, vav: any vowel or none), a final e is
    Persian's heh or Urdu's bari ye (often unwritten in Latin), and a run of one class is one vowel
    ('siiiiitshi' Seiichi). A final Latin vowel must be written (_FINAL_LATIN_VOWEL)."""
    body = written[1:-1] if written.endswith("e") else written[1:]
    want: list[str] = []
    before = None
    for ch in body:
        cls = _WRITTEN_VOWEL.get(ch)
        if cls and cls != before:
            want.append(cls)
        before = cls
    if len(written) > 2 and written[-1] not in _MAY_END_IN_VOWEL and latin[-1:] in _FINAL_LATIN_VOWEL:
        return False
    have = [_LATIN_VOWEL[ch] for ch in latin if ch in _LATIN_VOWEL]
    i = 0
    for cls in want:
        while i < len(have) and cls not in have[i]:
            i += 1
        if i == len(have):
            return False
        i += 1
    return True


def final_vowel_read(written: str, latin: str) -> bool:
    """Whether a long vowel an abjad writes at a word's end (ya, waw) is read at the Latin spelling's end,
    as a vowel, y or w ('علي' Ali, 'حي' Hayy, 'أبو' Abou): 'khamnii' (خامنئي) is not 'Hemin'."""
    return len(written) <= 2 or written[-1] not in _WRITTEN_FINAL_LONG or latin[-1:] in _LATIN_ENDS_OPEN


@lru_cache(maxsize=1)
def _syllable_vowels() -> tuple[re.Pattern[str], dict[str, str]]:
    classes: dict[str, str] = _tables()["burmese"]["vowel_classes"]
    return re.compile("|".join(sorted(classes, key=len, reverse=True))), classes


@lru_cache(maxsize=1 << 16)
def syllable_vowels_agree(syllable: str, latin: str) -> bool:
    """Whether a Burmese syllable's reading and a Latin word begin their vowels in one class (scripts.yaml
    burmese.vowel_classes: 'te' is Tay, 'kyaw' Ko, but 'so' is no Thet); true where either writes no vowel."""
    pattern, classes = _syllable_vowels()
    ours, theirs = pattern.search(syllable), pattern.search(latin)
    return not ours or not theirs or classes[ours.group()] == classes[theirs.group()]


_NUCLEUS = re.compile("[aeiouwy]+")


@lru_cache(maxsize=1 << 16)
def hangul_vowels_agree(syllable: str, latin: str) -> bool:
    """Whether a Hangul syllable's reading and a Latin word of one syllable (read as korean_latin reads Korean names)
    write one vowel (scripts.yaml hangul.vowel_renderings: 'su' is su or so, never se); true where a vowel is not in
    the table or either writes none."""
    ours, theirs = _NUCLEUS.search(syllable), _NUCLEUS.search(latin)
    renderings: dict[str, list[str]] = _tables()["hangul"]["vowel_renderings"]
    return not ours or not theirs or ours.group() not in renderings or theirs.group() in renderings[ours.group()]


@lru_cache(maxsize=1)
def _slavic_latin_letters() -> tuple[re.Pattern[str], tuple[tuple[re.Pattern[str], str], ...]]:
    table = _tables()["slavic_latin"]
    return re.compile(table["marks"]), tuple((re.compile(pattern), latin) for pattern, latin in table["letters"])


def slavic_latin(text: str) -> tuple[str, list[str]]:
    """A person's name (casefolded) written in a Slavic Latin alphabet or in ISO 9 and its kin, read as English spellings
    write its letters (scripts.yaml slavic_latin), and its words so written: 'mušfig jarošovec' -> 'mushfig yaroshovets';
    unchanged, with [], when no word has a marked letter."""
    marks, letters = _slavic_latin_letters()
    if not marks.search(text):
        return text, []
    read = text
    for pattern, latin in letters:
        read = pattern.sub(latin, read)
    return read, [word for word, spelt in zip(WORD_SPLIT.split(text), WORD_SPLIT.split(read)) if word != spelt]


@lru_cache(maxsize=1)
def _tables() -> dict[str, Any]:
    return yaml.safe_load(resources.files("redline.parties").joinpath("scripts.yaml").read_text("utf-8"))


_GERESH = re.compile("([גזצץת])['\u05f3]")
_GERESH_LETTERS = {"ג": "\u062c", "ז": "\u0698", "צ": "\u0686", "ץ": "\u0686", "ת": "\u062b"}


def mark_geresh(text: str) -> str:
    """A Hebrew letter with a geresh is another sound (ג' j, ז' zh, צ' ch, ת' th): written here as
    the Arabic-script letter for it, before apostrophes are dropped."""
    if "'" not in text and "\u05f3" not in text:
        return text
    return _GERESH.sub(lambda m: _GERESH_LETTERS[m.group(1)], text)


def join_zwnj(text: str) -> str:
    """The zero-width non-joiner joins a Persian word; a heh before it is the vowel e."""
    if ZWNJ not in text:
        return join_arabic(text)
    return join_arabic(text.replace("\u0647" + ZWNJ, "\u06c0").replace(ZWNJ, ""))


def script_of(ch: str) -> str:
    """Unicode script of a letter, by its character name ('ARABIC', 'HEBREW', 'HANGUL', 'MYANMAR'...)."""
    if "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f":
        return "HANGUL"
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return ""
    first = name.split(" ")[0]
    if first == "CJK":
        return "HAN"
    if first in ("HIRAGANA", "KATAKANA") or name.startswith("KATAKANA-HIRAGANA"):
        return "KANA"
    return first


def word_script(word: str) -> str:
    for ch in word:
        if ch.isalpha():
            return script_of(ch)
    return ""


def romanise_word(word: str, person: bool) -> list[Piece]:
    """One word, written in one non-Latin script (no Han), -> Latin pieces."""
    script = word_script(word)
    if script in ("ARABIC", "HEBREW"):
        return _abjad(word, script, person)
    if script == "HANGUL":
        return _hangul_words(word, person)
    if script == "MYANMAR":
        # A person's name is written syllable by syllable in Latin (Min Aung Hlaing); other names
        # as words (Tatmadaw, Yangon), and Burmese writes no spaces between words.
        if person:
            return [(syllable, "", BURMESE) for syllable in burmese_syllables(word)]
        word, tail = _suffixes(word, _tables()["burmese"]["sector_suffixes"])
        return ([("".join(burmese_syllables(word, foreign=True)), "", BURMESE)] if word else []) + tail
    if script == "KANA":
        return [(w, "", KANA) for w in _latin_words(kana(word))]
    if script == "DEVANAGARI":
        return [(w, "", False) for w in _latin_words(devanagari(word))]
    if script == "CYRILLIC":
        plain = _latin_words(word)
        if not person and plain and all(_vocabulary_form(w) for w in plain):
            # a sector word in any of its cases ('НАЦИОНАЛЬНОГО' national, 'Катиба' katiba, never
            # read as Japanese in Polivanov's system)
            return [(_vocabulary_form(w), "", False) for w in plain]
        place = palladius_place(word)
        if place:
            return [(place, "", False)]
        japanese = polivanov(word)
        if japanese:
            return [(japanese, "", False)]
    if script == "CYRILLIC" and _SERBIAN.search(word):
        return [(w, "", False) for w in _latin_words(_icu("Serbian-Latin/BGN", word))]  # 'Шешељ' Seselj
    translit = _BGN.get(script)
    text = _icu(translit, word) if translit else word
    if script == "CYRILLIC" and not person:
        return [(_vocabulary_form(w), "", False) if _vocabulary_form(w) else (w, "", _loose_cyrillic(w)) for w in _latin_words(text)]
    return [(w, "", script == "CYRILLIC" and _loose_cyrillic(w)) for w in _latin_words(text)]


# Russian case endings in Latin letters (anyascii, as _latin_words writes them) and the endings of
# the forms vocab.yaml holds: 'natsionalnogo' is 'natsionalnyy' or 'natsionalny', 'ministerstva'
# 'ministerstvo', 'tekhnologiy' 'tekhnologii'. Adjectives first, longest first; a noun's ending
# is tried only on words of six or more letters.
_RUSSIAN_ENDINGS = (
    ("ogo", ("yy", "y", "iy", "aya", "oe")), ("ego", ("iy", "yy", "y")), ("omu", ("yy", "y", "iy")),
    ("ykh", ("yy", "y", "aya", "ye")), ("ikh", ("iy", "ie")), ("ymi", ("yy", "y")), ("oy", ("yy", "y", "aya", "oe")),
    ("ym", ("yy", "y")), ("uyu", ("aya",)), ("ye", ("yy", "y", "aya", "oe")), ("ie", ("iy",)),
    ("ami", ("", "a", "o", "iya", "ie")), ("akh", ("", "a", "o", "iya", "ie")), ("ov", ("", "a", "y")),
    ("iy", ("ii", "iya", "ie")), ("iya", ("ii", "ie")), ("ii", ("iya", "ie")), ("ia", ("iya",)),
    ("om", ("", "o")), ("ya", ("iya", "ie")), ("a", ("", "o", "y")), ("y", ("", "a", "i")), ("u", ("", "a", "o")), ("e", ("", "a", "o")),
)


@lru_cache(maxsize=1)
def _vocabulary_spellings() -> frozenset[str]:
    """Every spelling vocab.yaml holds that a Cyrillic word may be read as (_vocabulary_form): made once, not per word."""
    from redline.parties.names import vocabulary  # names.py imports this module

    vocab = vocabulary()
    return frozenset(vocab.canonical.keys() | vocab.generic | vocab.admin_levels.keys() | vocab.place_variants.keys() | vocab.spelled_out.keys())


@lru_cache(maxsize=4096)
def _vocabulary_form(latin: str) -> str:
    """A transliterated Cyrillic word as the spelling vocab.yaml holds for it, in any case ('rossii' Russia too, not read
    as a Japanese name in Polivanov's spelling); '' when it holds none."""
    known = _vocabulary_spellings()
    if latin in known:
        return latin
    if len(latin) < 5:
        return ""
    for ending, forms in _RUSSIAN_ENDINGS:
        if latin.endswith(ending) and len(latin) - len(ending) >= 4:
            stem = latin[: -len(ending)]
            found = next((stem + form for form in forms if stem + form in known), "")
            if found:
                return found
    return ""


def _loose_cyrillic(latin: str) -> bool:
    """A Cyrillic word is also compared on consonant classes when its key has three or more:
    Russian writes foreign names by sound ('Мэйсон' Mason, 'Уитлэм' Whitlam, 'Джордано'
    Giordano) and a Latin-script name may come from any transliteration family. Tune half of
    the Russian name pairs: F1 0.851 -> 0.869 (precision 0.984 -> 0.948); every Cyrillic word
    loose: precision 0.886 (short keys such as Orlov's 'rr' meet too many names)."""
    return len(consonant_key(latin).lstrip("_")) >= 3


_SERBIAN = re.compile("[ђјљњћџЂЈЉЊЋЏ]")
_BGN = {
    "GREEK": "Greek-Latin/BGN",
    "GEORGIAN": "Georgian-Latin/BGN",
    "ARMENIAN": "Armenian-Latin/BGN",
    "ETHIOPIC": "Amharic-Latin/BGN",
    "THAANA": "Maldivian-Latin/BGN",
}


def _latin_words(text: str) -> list[str]:
    return [w for w in _SPLIT_RE.split(anyascii(text).lower().replace("'", "")) if w]


@lru_cache(maxsize=None)
def _transliterator(tid: str) -> Any:
    import icu

    return icu.Transliterator.createInstance(tid)


def _icu(tid: str, text: str) -> str:
    return _transliterator(tid).transliterate(text)


@lru_cache(maxsize=1 << 14)
def simplified(run: str) -> str:
    """Traditional Han characters (and Japanese kyujitai: 會社) as simplified ones (ICU's Traditional-Simplified)."""
    return _icu("Traditional-Simplified", run)


# ---------------------------------------------------------------- abjads


def _abjad(word: str, script: str, person: bool) -> list[Piece]:
    table = _tables()["abjad"]
    if any("\u05d0" <= ch <= "\u05ea" for ch in word):
        script = "HEBREW"  # a Hebrew word may start with a letter mark_geresh wrote in Arabic script
    word = "".join(ch for ch in word if not unicodedata.combining(ch) and ch not in "\u0640")  # harakat, tatweel
    if ZWJ in word:  # 'حبيب الله' joined by join_arabic: one name, as Latin writes it (Habibullah)
        head, tail = word.split(ZWJ, 1)
        if tail == "الدين":  # 'شهاب الدين' as names.arabic_parts reads Shahabuddin: shahab + din
            return [(_abjad_letters(head, script), "", True), ("din", "", True)]
        return [(_abjad_letters(head, script) + table["joined_words"][tail], "", True)]
    special = _abjad_word("words", word)
    if special:
        return [(special, "", True)]
    pieces: list[Piece] = []
    sector = _abjad_word("sector_words", word)
    if sector and not person:
        return [(sector, "generic", False)]
    if script == "HEBREW":
        for _ in range(2):
            if person or len(word) < 4 or word[0] not in "הו":
                break
            word = word[1:]  # the article ha- or the conjunction ve- written joined to the word
            sector = table["sector_words"].get(word)
            if sector:
                return [(sector, "generic", False)]
    else:
        if word.startswith("عبد") and len(word) > 4:
            rest = word[3:]
            if rest in ("الله", "لله"):
                return [("abdullah", "", True)]
            # 'عبدالحميد' one word, as Latin often writes it too (Abdelhamid): abd + the name,
            # the article left to the consonant key (consonant_key reads 'abdel', 'abdul' as abd)
            named = _abjad(rest, script, person)
            return [("abd", "", True)] + (named[1:] if len(named) > 1 and named[0][0] == "al" else named)
        for father in ("أبو", "ابو"):
            if word.startswith(father + "ال") and len(word) > len(father) + 3:
                # 'أبواليزيد' one word, as 'Abou el Yazid' is three: abu, the article, the name
                return [("abu", "", True)] + _abjad(word[len(father):], script, person)
        for prefix in ("وال", "بال", "فال", "لل", "ال"):
            if word.startswith(prefix) and len(word) > len(prefix) + 1:
                pieces.append(("al", "", True))  # the article (with a joined 'and', 'by', 'for')
                word = word[len(prefix):]
                break
        sector = _abjad_word("sector_words", word)
        if sector and not person:
            return pieces + [(sector, "generic", False)]
        adjective = None if person else arabic_nisbas().get(word) or arabic_nisbas().get(word.translate(_ARABIC_FOLD))
        if adjective:
            return [(adjective, "", False)]  # 'المصري' Egyptian, its article no word of the name
    text = _abjad_letters(word, script)
    if text:
        pieces.append((text, "", True))
    return pieces


# Letters Arabic-script writing varies without changing the word: Persian and Urdu keyboards write ya and kaf their way
# (ی ک for ي ك), an alif may lose its hamza (أ إ آ), a final ta marbuta is written as its heh (ة ه, ۀ).
_ARABIC_FOLD = str.maketrans({"ی": "ي", "ى": "ي", "ک": "ك", "ۀ": "ه", "ة": "ه", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})


def _abjad_word(table: str, word: str) -> str | None:
    """A word of scripts.yaml's abjad `table` ('words', 'sector_words'), as spelt there or with its letters folded
    (_ARABIC_FOLD: 'الاسلامی' and 'شبکة' are 'الاسلامي' and 'شبكة')."""
    found: str | None = _tables()["abjad"][table].get(word)
    return found if found is not None else _folded_abjad(table).get(word.translate(_ARABIC_FOLD))


@lru_cache(maxsize=None)
def _folded_abjad(table: str) -> dict[str, str]:
    folded: dict[str, str] = {}
    for word, value in _tables()["abjad"][table].items():
        folded.setdefault(word.translate(_ARABIC_FOLD), value)
    return folded


@lru_cache(maxsize=1)
def arabic_nisbas() -> dict[str, str]:
    """The nisba of a country in Arabic script, without its article -> the English adjective
    (scripts.yaml, abjad.countries and abjad.nisbas): 'مصري', 'مصرية' -> 'egyptian'."""
    import icu

    table = _tables()["abjad"]
    arabic = icu.Locale("ar")
    out: dict[str, str] = {}
    for code, english in table["countries"].items():
        native = "".join(ch for ch in str(icu.Locale("", code.upper()).getDisplayCountry(arabic)) if not unicodedata.combining(ch))
        name = native.removeprefix("ال")
        stem = name[:-1] if name.endswith(("ا", "ة", "ى")) else name
        nisba = stem if stem.endswith("ي") else stem + "ي"  # ليبيا Libya: ليبي
        out[nisba] = out[nisba + "ة"] = english
    for nisba, english in table["nisbas"].items():
        out[nisba] = out[nisba + "ة"] = english
    for nisba, english in list(out.items()):
        out.setdefault(nisba.translate(_ARABIC_FOLD), english)
    return out


_DIGRAPH_SECOND = re.compile(r"[sktgdzcpj]$")


def _abjad_letters(word: str, script: str) -> str:
    letters: dict[str, str] = _tables()["abjad"]["hebrew" if script == "HEBREW" else "arabic"]
    out = ""
    for i, ch in enumerate(word):
        nxt = word[i + 1] if i + 1 < len(word) else ""
        if ch == "ב" and i and (not nxt or word[i - 1] in "איעה"):
            # bet after a vowel letter or at the end: Aviv, Yaakov, Steve; after a vav it is b as
            # often (רוברט Robert, ג'ייקובס Jacobs): Hebrew tune F1 0.859 -> 0.866, precision 0.963 -> 0.968
            latin = "v"
        elif i == 0 and ch in "ויوي":
            latin = "v" if ch == "ו" else "w" if ch == "و" else "y"
        elif ch == "ו" and nxt == "ו":
            latin = "v"
        else:
            latin = letters.get(ch, "")
        if latin.startswith("h") and ch != "\u06be" and _DIGRAPH_SECOND.search(out):
            out += "'"  # s then h is two letters (صحراوي Sahraoui), not sh; ھ after k is kh (لکھنا Lakhna)
        out += latin
    return out


ZWJ = "\u200d"
_JOINED_AFTER = re.compile(r"(\S)\s+(الله|الدين|زاده)(?=\s|$)")


def join_arabic(text: str) -> str:
    """'حبيب الله', 'شهاب الدين', 'آخوند زاده': the second word is part of the name (Habibullah,
    Shahabuddin, Akhundzada). Allah written with Urdu's heh goal (اللہ: ثناء اللہ, Sanaullah) is read as
    Arabic writes it first."""
    if "للہ" in text:
        text = text.replace("للہ", "لله")
    if "الله" not in text and "الدين" not in text and "زاده" not in text:
        return text
    return _JOINED_AFTER.sub(lambda m: m.group(1) + ZWJ + m.group(2), text)


# ---------------------------------------------------------------- Hangul


def _hangul_words(word: str, person: bool) -> list[Piece]:
    """A Hangul word; a company's sector words come off its end ('삼성전자' -> samseong electronics)."""
    tail: list[Piece] = []
    if not person:
        word, tail = _suffixes(word, _tables()["hangul"]["sector_suffixes"])
    return ([(_hangul(word), "", SOUND)] if word else []) + tail


def _suffixes(word: str, suffixes: dict[str, str]) -> tuple[str, list[Piece]]:
    """Sector words written joined to the end of a name -> (the rest, their canonical words)."""
    tail: list[Piece] = []
    while word:
        found = next((s for s in sorted(suffixes, key=len, reverse=True) if word.endswith(s)), None)
        if not found:
            break
        tail.insert(0, (suffixes[found], "generic", False))
        word = word[: -len(found)]
    return word, tail


def _hangul(word: str) -> str:
    """Hangul by syllable; a foreign name's final ㅓ is its '-er' ('파커' Parker, '제니퍼'
    Jennifer: Korean writes English -er, -or, -ar with that vowel and no r)."""
    latin = "".join(_hangul_syllable(s) for s in word)
    return latin + "r" if word and _FINAL_EO.match(word[-1]) else latin


def _final_eo() -> re.Pattern[str]:
    # Hangul syllables with the vowel ㅓ (index 4) and no final consonant: 0xAC00 + 588 * lead + 28 * 4
    return re.compile("[" + "".join(chr(0xAC00 + 588 * lead + 28 * 4) for lead in range(19)) + "]")


_FINAL_EO = _final_eo()


@lru_cache(maxsize=4096)
def _hangul_syllable(syllable: str) -> str:
    latin = anyascii(_icu("Hangul-Latin", syllable)).lower().replace("-", "").replace("'", "")
    # a final ㅅ is said t (Revised Romanisation; '에렛' Ehret), which ICU's jamo letters write s
    return latin[:-1] + "t" if "\uac00" <= syllable <= "\ud7a3" and (ord(syllable) - 0xAC00) % 28 == 19 else latin


def korean_surnames() -> list[str]:
    """Korean family names as they are usually written in Latin (scripts.yaml, hangul)."""
    table = _tables()["hangul"]
    return [*table["surnames"].values(), *table["compound_surnames"].values()]


def korean_person(words: list[str]) -> list[Piece] | None:
    """A Korean name written family name first ('김정은', '김 정은') -> family + given syllables;
    None when the words do not look like one."""
    read = _korean_parts(words)
    if read is None:
        return None
    table = _tables()["hangul"]
    family, given = read
    spelt: dict[str, str] = table["given_syllables"]
    pieces: list[Piece] = [(table["compound_surnames"].get(family) or table["surnames"][family], "", HANGUL)]
    return pieces + [(spelt.get(s) or _given_syllable(s), "", HANGUL) for s in given]


def _korean_parts(words: list[str]) -> tuple[str, str] | None:
    """Hangul words read as a Korean name -> its family name and given name, in Hangul; None when they do not look
    like one."""
    table = _tables()["hangul"]
    joined = "".join(words)
    if not (2 <= len(joined) <= 5) or len(words) > 3:
        return None
    if len(words) > 1 and len(words[0]) > 2:
        return None
    if joined[:2] in table["compound_surnames"] and len(joined) >= 3:
        return joined[:2], joined[2:]
    if joined[0] in table["surnames"] and len(joined) <= 4:
        return joined[0], joined[1:]
    return None


def korean_name_shaped(words: list[str]) -> bool:
    """Whether Hangul words read as a Korean name (korean_person) are shaped as one: a given name of one or two
    syllables, and, written apart, the family name as the first word ('로리 페티' Lori Petty is neither, '김 정은' both)."""
    read = _korean_parts(words)
    return read is not None and len(read[1]) <= 2 and (len(words) == 1 or words[0] == read[0])


def _given_syllable(syllable: str) -> str:
    latin = _hangul_syllable(syllable)
    return "k" + latin[1:] if latin.startswith("g") else latin  # Korean names write an initial giyeok k (Kwang, Kyung)


# ---------------------------------------------------------------- Burmese

_MY_CONSONANT = "\u1000-\u1021"
_MY_BREAK = re.compile(
    rf"(?<!\u1039)[{_MY_CONSONANT}](?![\u103a\u1039])|[\u1023-\u102a\u103f\u104c-\u104f\u1040-\u1049]"
)


_MY_KILLED_TAIL = re.compile("(?:[\u1000-\u1021]\u103a)$")


def burmese_syllables(word: str, foreign: bool = False) -> list[str]:
    """Burmese written without spaces -> one Latin token per syllable ('min', 'aung', 'hlaing');
    `foreign`: the word may be a foreign name written in Burmese, read with the foreign-name
    spellings of scripts.yaml (burmese.foreign)."""
    word = re.sub(r"([\u1000-\u1021])\u1039", "\\1\u103a", word)  # a stacked consonant closes its syllable
    word = word.replace("\u1037\u103a", "\u103a")  # the creaky tone written before the asat (န့်) would split the syllable
    starts = [m.start() for m in _MY_BREAK.finditer(word)]
    if not starts or starts[0] != 0:
        starts = [0] + starts
    syllables = [word[a:b] for a, b in zip(starts, starts[1:] + [len(word)])]
    out = []
    inside: dict[str, str] = _tables()["burmese"]["independent_inside"]
    for i, syllable in enumerate(syllables):
        toneless = syllable.rstrip("\u1038")
        if i and not foreign and toneless in inside:
            out.append(inside[toneless])
            continue
        latin = _burmese_syllable(syllable, "first" if foreign and i == 0 else "foreign" if foreign else "")
        if latin:
            out.append(latin)
    return out


@lru_cache(maxsize=4096)
def _burmese_syllable(syllable: str, mode: str = "") -> str:
    """One syllable; `mode` 'foreign' inside a foreign name, 'first' at its start, '' a Burmese name."""
    table = _tables()["burmese"]
    foreign: dict[str, Any] = table["foreign"] if mode else {}
    creaky = "\u1037" in syllable
    syllable = syllable.replace("\u1037", "").replace("\u1038", "")  # tone marks
    if creaky and mode:
        # A foreign name writes a syllable closed by a stop with the creaky tone and no final ('Walcott' ဝဲလ်ကော့, 'Laptop'
        # လက်တော့): a glottal stop, as a killed stop is (burmese.foreign.rhymes). Session 49, tune half of the Burmese
        # pairs at 0.65: +5 true, +1 false ('Tweet' / တွစ်တာ Twitter, two t read as one), nothing else moved.
        latin = _burmese_syllable(syllable, mode)
        return latin + GLOTTAL if latin[-1:] in _VOWEL_LETTERS else latin
    if not syllable:
        return ""
    if "\u1040" <= syllable[0] <= "\u1049":
        return str(ord(syllable[0]) - 0x1040) + _burmese_syllable(syllable[1:], mode) if len(syllable) > 1 else str(ord(syllable[0]) - 0x1040)
    head, rest = syllable[0], syllable[1:]
    if head in table["independent"]:
        return table["independent"][head] + (_burmese_rhyme(rest, foreign) if rest else "")
    onset = (foreign.get("onsets_first" if mode == "first" else "onsets") or {}).get(head) or table["onsets"].get(head)
    if onset is None:
        return anyascii(syllable).lower()
    medials = ""
    while rest and rest[0] in "\u103b\u103c\u103d\u103e":
        medials += rest[0]
        rest = rest[1:]
    special = (foreign.get("medials") or {}).get(head + medials.replace("\u103d", ""))
    if special:
        return special + ("w" if "\u103d" in medials else "") + _burmese_rhyme(rest, foreign)
    if "\u103e" in medials:  # ha-htoe: aspirated sonorant, or 'sh' after ya and ra
        onset = "sh" if head in "ယရ" or head == "လ" and "\u103b" in medials else "h" + onset
    if "\u103b" in medials or "\u103c" in medials:
        onset = {"k": "ky", "kh": "ch", "g": "gy", "p": "py", "ph": "phy", "b": "by", "m": "my", "l": "ly"}.get(onset, onset + "y")
    if "\u103d" in medials:
        if not mode and rest in table["wa_rhymes"]:  # a Burmese name's, not a foreign one's (ကွန်ဂရက် Congress)
            return onset + table["wa_rhymes"][rest]
        onset += "w"
    return (onset + _burmese_rhyme(rest, foreign)) or ""


def _burmese_rhyme(rest: str, foreign: dict[str, Any] | None = None) -> str:
    """A syllable's vowel and final; a foreign name's final consonants are written as killed
    consonants after it ('ဖော့်စ်' Forbes: pho + s, 'မိုးလ်' Moore: mo + l), each its onset letter."""
    table = _tables()["burmese"]
    rhyme = (foreign or {}).get("rhymes", {}).get(rest)
    rhyme = table["rhymes"].get(rest) if rhyme is None else rhyme
    if rhyme is not None:
        return rhyme
    killed = _MY_KILLED_TAIL.search(rest)
    if killed and killed.start() > 0 or killed and len(rest) > 2:
        finals = "".join(table["onsets"].get(ch, "") for ch in killed.group(0)[::2])
        return _burmese_rhyme(rest[: killed.start()], foreign) + finals
    return anyascii(rest).lower()


# ---------------------------------------------------------------- Chinese person names


_JAPANESE_FORMS = ("株式会社", "有限会社", "合同会社")
_KANA_RE = re.compile(r"[\u3040-\u30ff]")


def is_japanese(text: str) -> bool:
    """Han text is read as Japanese when kana or a Japanese legal form (in any form of its characters: 株式會社) is
    written with it."""
    return bool(_KANA_RE.search(text)) or any(form in simplified(text) for form in _JAPANESE_FORMS)


@lru_cache(maxsize=1)
def _kakasi() -> Any:
    import pykakasi

    return pykakasi.kakasi()


@lru_cache(maxsize=4096)
def japanese_words(run: str) -> tuple[tuple[str, str], ...]:
    """Kanji (and kana) -> (Hepburn word, kind hint) pairs, as pykakasi's dictionary splits and
    reads them; long vowels written short, as names are in Latin ('shinzou' shinzo, 'toushiba'
    toshiba); a company's sector words ('重工業' heavy industries) as their canonical word."""
    sector: dict[str, str] = _tables()["japanese_sector_words"]
    words: list[tuple[str, str]] = []
    for item in _kakasi().convert(run):
        if item["orig"] in sector:
            words.extend((word, "generic") for word in sector[item["orig"]].split())
            continue
        for word in _latin_words(item["hepburn"]):
            words.append((re.sub(r"ou|oo", "o", word).replace("uu", "u"), ""))
    return tuple(words)


_KANA_COMBOS = re.compile("(ッ?(?:" + "|".join(("ティ", "ディ", "トゥ", "ドゥ", "ウィ", "ウェ", "ウォ", "テュ", "デュ")) + "))")
_KANA_COMBO_LATIN = {"ティ": "ti", "ディ": "di", "トゥ": "tu", "ドゥ": "du", "ウィ": "wi", "ウェ": "we", "ウォ": "wo", "テュ": "tyu", "デュ": "dyu"}
_LONG_VOWEL = re.compile(r"([aeiou])\1+")
_FINAL_LONG_A = re.compile("[アァカガサザタダナハバパマヤャラワ]ー$")
_N_LABIAL = re.compile("n(?=[bpm])")  # ン before b, p, m is m in Hepburn (Kempu, Rommeru)


@lru_cache(maxsize=4096)
def kana(word: str) -> str:
    """Kana -> Hepburn as foreign and Japanese names are written in Latin, long vowels short
    ('マッカーサー' makkasa, 'ヴァンデンバーグ' vandenbagu): pykakasi's Hepburn, which doubles the
    consonant after a small tsu and joins small vowels (フェ fe), and the loanword syllables it
    splits (ティ ti, ディ di, ウィ wi); ン before b, p and m is m, as in traditional Hepburn."""
    out = []
    for part in _KANA_COMBOS.split(_icu("Hiragana-Katakana", word).replace("ー", "")):
        if not part:
            continue
        combo = _KANA_COMBO_LATIN.get(part.lstrip("ッ"))
        if combo:
            out.append(combo[0] + combo if part.startswith("ッ") else combo)
            continue
        doubled = part.endswith("ッ")
        out.append("".join(item["hepburn"] for item in _kakasi().convert(part.rstrip("ッ"))) + ("\0" if doubled else ""))
    text = "".join(out)
    text = re.sub("\0(.)", lambda m: m.group(1) * 2, text).replace("\0", "")
    text = _N_LABIAL.sub("m", _LONG_VOWEL.sub(FIRST_GROUP, text))
    # a final long a is an English -er, -or, -ar ('デッカー' Decker, 'マッカーサー' MacArthur)
    return text + "r" if _FINAL_LONG_A.search(_icu("Hiragana-Katakana", word)) else text


def _in_jis(text: str) -> bool:
    """Every character is one Japanese writes (JIS X 0208): '科大讯飞' has simplified Chinese ones."""
    try:
        text.encode("shift_jis")
    except UnicodeEncodeError:
        return False
    return True


def japanese_form(run: str) -> str:
    """Kanji as a Japanese dictionary knows them: a Japanese name written in simplified Chinese
    characters (as Chinese lists write Japanese firms: '日本电磁测器' Nihon Denji Sokki, '东芝'
    Toshiba) is read after ICU's Simplified-Traditional, whose forms pykakasi reads; a run Japanese
    writes as it is stays as it is."""
    return run if _in_jis(run) else _icu("Simplified-Traditional", run)


def japanese_person(run: str) -> list[Piece] | None:
    """A Japanese name in kanji: four characters (two for the family name, two given) where a
    Chinese name has two or three; pykakasi knows the readings of names. A foreign name written
    by sound in Chinese ('麥克弗森' McPherson) is not one."""
    if len(run) != 4 or run[:2] in _tables()["han_surnames"]["compound"] or not _in_jis(run) or han_transcription(run):
        return None
    return [(w, "", False) for w, _ in japanese_words(run)]


def han_person(run: str) -> list[Piece] | None:
    """'陈全国' -> 'chen' 'quanguo': a Chinese person's name, family name first. None when the
    run is not 2-4 characters or does not start with a known family name."""
    table = _tables()["han_surnames"]
    foreign = han_transcription(run)
    if foreign:
        return [(foreign, "", SOUND)]
    if not 2 <= len(run) <= 4:
        return None
    if len(run) == 2 and _all_transcription(run):
        # '吉娜' Geena or a Chinese name: read as family + given name, each also compared on
        # consonant classes, as a transcription is. Read as one word ('雷納' Rayner) the tune half
        # of the Chinese pairs gained 0.03 F1, but 'Dan Lin' no longer met '林丹'.
        return [(_pinyin(ch), "", SOUND) for ch in run]
    if run[:2] in table["compound"] and len(run) >= 3:
        family, given = run[:2], run[2:]
    elif run[0] in table["single"]:
        family, given = run[0], run[1:]
    else:
        return None
    return [(_pinyin(family), "", False), (_pinyin(given), "", False)]


@lru_cache(maxsize=1)
def han_countries() -> dict[str, str]:
    """Country names as Chinese writes them -> the English name ('中国' china, '俄罗斯' russia,
    '朝鲜' north korea): CLDR's display names in Chinese (zh, zh_Hant, simplified), as ICU holds them,
    and rigour's English names of the same territories. A Chinese organisation's name says its
    country in Chinese, and its Latin name in English, never in pinyin ('zhongguo')."""
    import icu
    from rigour.territories import get_territory

    english = icu.Locale("en")
    out: dict[str, str] = {}
    for region in icu.Locale.getISOCountries():
        territory = get_territory(region.lower())
        name = territory.name if territory else str(icu.Locale("", region).getDisplayCountry(english))
        latin = " ".join(_latin_words(name))
        for locale in ("zh", "zh_Hant"):
            native = simplified(str(icu.Locale("", region).getDisplayCountry(icu.Locale(locale))))
            if len(native) >= 2 and not native.isascii() and latin:
                out.setdefault(native, latin)
            if native.startswith("中国") and native.endswith(_SAR):
                # '中国香港特别行政区' Hong Kong SAR: names write the city alone ('香港...有限公司')
                out.setdefault(native[2: -len(_SAR)], latin.removesuffix(" sar"))
    return out


_SAR = "特别行政区"  # special administrative region


_HAN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_HAN_UNITS = {"十": 10, "百": 100, "千": 1000}
_HAN_ORDINAL = re.compile("第([〇零一二三四五六七八九两十百千]+)")


def han_ordinal(text: str) -> tuple[str, int] | None:
    """'第十四研究所' -> ('14th', 3): an ordinal written with Chinese numerals at the start of
    `text`, as Latin names write it ('14th Research Institute'), and how many characters it took."""
    match = _HAN_ORDINAL.match(text)
    if not match:
        return None
    total, digit = 0, 0
    for ch in match.group(1):
        if ch in _HAN_UNITS:
            total += (digit or 1) * _HAN_UNITS[ch]
            digit = 0
        else:
            digit = digit * 10 + _HAN_DIGITS[ch]  # '二〇二' read digit by digit
    number = total + digit
    if not number:
        return None
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}", match.end()


def _pinyin(run: str) -> str:
    """Pinyin without tones, ü written u as names are in Latin (吕 Lu, 略 lue), never pypinyin's v."""
    return "".join(lazy_pinyin(run, v_to_u=True)).replace("ü", "u")


@lru_cache(maxsize=1)
def _transcription_chars() -> frozenset[str]:
    return frozenset(_tables()["han_transcription"].replace(" ", ""))


def _all_transcription(run: str) -> bool:
    return set(simplified(run)) <= _transcription_chars()


# The separator Chinese writes between the parts of a foreign name ('萨拉·泰什' Sarah Teich,
# '阿不都·哈克' Abdul Haq): a Chinese name never has one, so the runs beside it are spelt by sound.
NAME_DOTS = "\u00b7\u2027\u2022\u30fb\uff65"
_PINYIN_INITIAL = re.compile(r"^(zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(.*)$")


@lru_cache(maxsize=4096)
def han_transcription(run: str, marked: bool = False) -> str:
    """A foreign name written by sound in Chinese characters ('戈德史密斯' Goldsmith) -> its
    pinyin with the initials as the transcription table uses them ('gedeshimisi'), compared on
    consonant classes as a loose romanisation, or the given name it conventionally stands for
    ('约翰' john); '' when the run is not one: a character outside the transcription table
    (scripts.yaml, han_transcription), or two characters that start with a family name. A run
    `marked` as a part of a foreign name (beside a NAME_DOT) is read so whatever its characters."""
    plain = simplified(run)
    given: dict[str, str] = _tables()["han_given_names"]
    if plain in given:
        return given[plain]
    if not marked and (len(run) < 2 or not _all_transcription(run) or len(run) == 2 and run[0] in _tables()["han_surnames"]["single"]):
        return ""
    initials: dict[str, str] = _tables()["han_transcription_initials"]
    readings: dict[str, str] = _tables()["han_transcription_readings"]
    out = []
    for char, syllable in zip(plain, lazy_pinyin(plain, v_to_u=True)):
        syllable = readings.get(char, syllable).replace("ü", "u")
        if syllable == "er":
            out.append("r")
            continue
        initial, rest = _PINYIN_INITIAL.match(syllable).groups()  # type: ignore[union-attr]
        out.append(initials.get(initial or "", initial or "") + re.sub("ng$", "n", rest))
    return "".join(out)


# ---------------------------------------------------------------- Devanagari

_NUKTA, _VIRAMA, _LABIALS = "\u093c", "\u094d", ("p", "ph", "b", "bh", "m")


@lru_cache(maxsize=4096)
def devanagari(word: str) -> str:
    """'कांजिरापल्ली' -> 'kanjirapalli', 'जलगाँव' -> 'jalganv': Hindi as Latin writes it, the
    inherent vowel dropped where Hindi does not say it (scripts.yaml, devanagari)."""
    table = _tables()["devanagari"]
    consonants, signs, independent = table["consonants"], table["vowel_signs"], table["independent"]
    # syllables as [consonant, vowel, inherent vowel?, nasal]
    syllables: list[list[Any]] = []
    chars = unicodedata.normalize("NFD", word)
    i = 0
    while i < len(chars):
        ch = chars[i]
        if i + 1 < len(chars) and chars[i + 1] == _NUKTA and ch + _NUKTA in consonants:
            ch, i = ch + _NUKTA, i + 1
        i += 1
        if ch in consonants:
            syllables.append([consonants[ch], "a", True, ""])
        elif ch in independent:
            syllables.append(["", independent[ch], False, ""])
        elif not syllables:
            continue
        elif ch in signs:
            syllables[-1][1:3] = [signs[ch], False]
        elif ch == _VIRAMA:
            syllables[-1][1:3] = ["", False]
        elif ch in "\u0902\u0901":  # anusvara, chandrabindu
            syllables[-1][3] = "n"
        elif ch == "\u0903":  # visarga
            syllables[-1][3] = "h"
    if len(syllables) > 1 and syllables[-1][2] and not syllables[-1][3]:
        syllables[-1][1] = ""
    for k in range(len(syllables) - 2, 0, -1):
        before, this, after = syllables[k - 1], syllables[k], syllables[k + 1]
        if this[2] and not this[3] and before[1] and not before[3] and after[0] and after[1]:
            this[1] = ""
    out = []
    for k, (consonant, vowel, _, nasal) in enumerate(syllables):
        if nasal == "n" and (k + 1 < len(syllables) and syllables[k + 1][0] in _LABIALS):
            nasal = "m"
        out.append(consonant + vowel + nasal)
    return "".join(out)


# ---------------------------------------------------------------- Japanese names in Cyrillic


# Endings of Slavic and Georgian names that Polivanov's syllables can also spell (Мосиенко,
# Анисимова, Сиротина, Миндадзе): such a word is never read as Japanese.
_SLAVIC_ENDINGS = ("енко", "ова", "ева", "ина", "ая", "ия", "дзе", "юра", "ура", "юк", "ха", "ся", "тя")


@lru_cache(maxsize=4096)
def polivanov(word: str) -> str:
    """'Хигути' -> 'higuchi': a Japanese name in the Polivanov system, back to Hepburn; '' when
    the word is not one (scripts.yaml, polivanov)."""
    table = _tables()["polivanov"]
    lowered = word.lower()
    if len(lowered) < 5 or lowered[-1] not in "аиуэеояюё" or lowered.endswith(_SLAVIC_ENDINGS) or not any(m in lowered for m in table["markers"]):
        return ""
    syllables: dict[str, str] = table["syllables"]
    out, i, count = [], 0, 0
    while i < len(lowered):
        doubled = i + 1 < len(lowered) and lowered[i] == lowered[i + 1] and lowered[i] in "кстп"
        if doubled:  # a doubled consonant is a small tsu (Хаттори Hattori)
            i += 1
        for size in (3, 2, 1):
            chunk = lowered[i:i + size]
            if len(chunk) == size and chunk in syllables:
                latin = syllables[chunk]
                out.append(latin[0] + latin if doubled else latin)
                i += size
                count += 1
                break
        else:
            return ""
    return "".join(out) if count >= 3 else ""


# ---------------------------------------------------------------- Chinese names in Cyrillic

_TONE = re.compile(r"\d")
_VOWELS = re.compile("[aeiou]")
_VOWEL_START = frozenset("аоэуеёюяи")
PALLADIUS_WORDS = (2, 3)  # words of a Chinese person's name in Cyrillic: the family name and the given name, or its syllables
_CYRILLIC_WORD = re.compile("[а-яё]+")


@lru_cache(maxsize=1)
def _palladius() -> tuple[dict[str, str], int]:
    """Palladius's Cyrillic syllables, the Russian system for Chinese, -> pinyin ('цюань' quan, 'чжэн' zheng), as pypinyin
    writes each syllable of its dictionary (Style.CYRILLIC); of the one spelling two syllables share, 'ло', luo (the
    family name 罗) rather than the interjection lo. ü is written u, as Latin writes names (_pinyin). With the longest
    spelling's length."""
    from pypinyin import Style
    from pypinyin.style import convert

    table: dict[str, str] = {}
    for reading in dictionary_readings():
        cyrillic = _TONE.sub("", convert(reading, Style.CYRILLIC, True))
        latin = convert(reading, Style.NORMAL, True).replace("ü", "u").replace("v", "u")
        if _VOWELS.search(latin) and len(latin) > len(table.get(cyrillic, "")):  # not the interjections n, ng, hm
            table[cyrillic] = latin
    return table, max(map(len, table))


@lru_cache(maxsize=1)
def _han_family_names() -> frozenset[str]:
    table = _tables()["han_surnames"]
    return frozenset(_pinyin(name) for name in (*table["single"], *table["compound"]))


@lru_cache(maxsize=4096)
def palladius_syllables(word: str) -> tuple[str, ...]:
    """A Cyrillic word as Palladius's syllables read in pinyin ('цюаньго' -> quan, guo), or () when it is not made of them;
    the hard sign parts two syllables ('чжэнъюн' zheng yong). Of two readings, the one with fewer syllables that begin
    with a vowel after the first: Chinese syllables mostly begin with a consonant ('синань' is xi nan, not xing an)."""
    read: tuple[str, ...] = ()
    for part in word.split("ъ"):
        syllables = _palladius_part(part)
        if not syllables:
            return ()
        read += syllables
    return read


def _palladius_part(word: str) -> tuple[str, ...]:
    table, longest = _palladius()
    best: list[tuple[tuple[int, int], tuple[str, ...]] | None] = [None] * (len(word) + 1)
    best[0] = ((0, 0), ())
    for start in range(len(word)):
        found = best[start]
        if found is None:
            continue
        (vowels, count), read = found
        for end in range(start + 1, min(len(word), start + longest) + 1):
            latin = table.get(word[start:end])
            if latin is None:
                continue
            cost = (vowels + (start > 0 and word[start] in _VOWEL_START), count + 1)
            known = best[end]
            if known is None or cost < known[0]:
                best[end] = (cost, (*read, latin))
    last = best[-1]
    return last[1] if last is not None and word else ()


# A Russian adjective's endings, taken off a Chinese place's name in Cyrillic ('Синьцзянский', of Xinjiang).
_RUSSIAN_ADJECTIVE = re.compile("ь?ск(?:ий|ая|ое|ого|ому|ом|ой|ую|ие|их|им|ими)$")


@lru_cache(maxsize=4096)
def palladius_place(word: str) -> str:
    """A Chinese place written in Cyrillic by Palladius's system, or as its adjective, as its pinyin when the vocabulary
    holds the place ('Чжэцзян' zhejiang, 'Ханчжоу' hangzhou, 'Синьцзянский' xinjiang); '' otherwise."""
    from redline.parties.names import vocabulary  # names.py imports this module

    lowered = word.lower()
    for stem in dict.fromkeys((lowered, _RUSSIAN_ADJECTIVE.sub("", lowered))):
        read = "".join(palladius_syllables(stem))
        if read in vocabulary().places:
            return read
    return ""


def palladius_as_pinyin(name: str) -> tuple[str, list[str]]:
    """A Chinese person's name written in Cyrillic by Palladius's system (casefolded) with its words in pinyin, and what
    was rewritten ('чэнь цюаньго' -> 'chen quanguo'); unchanged, with [], unless it is two or three Cyrillic words, each
    made of Palladius's syllables, the first or the last a Chinese family name (han_surnames). A second reading
    (names.READINGS): 'Ли Анна' is still compared as written, and Korean names in Cyrillic are not made of the syllables
    ('Ким', 'Ын')."""
    words = list(_CYRILLIC_WORD.finditer(name))
    if not PALLADIUS_WORDS[0] <= len(words) <= PALLADIUS_WORDS[1] or _CYRILLIC_WORD.sub("", name).strip(" ,-"):
        return name, []
    read = ["".join(palladius_syllables(match.group(0))) for match in words]
    if not all(read) or not ({read[0], read[-1]} & _han_family_names()):
        return name, []
    out, last = [], 0
    for match, word in zip(words, read):
        out.append(name[last:match.start()] + word)
        last = match.end()
    out.append(name[last:])
    return "".join(out), [f"{match.group(0)} -> {word}" for match, word in zip(words, read)]

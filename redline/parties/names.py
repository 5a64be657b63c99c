"""Name analysis: one raw name in any script -> weighted, classified tokens.

Pipeline: Unicode NFKC and casefold -> drop noise ("BENEFICIARY:") -> legal forms out (rigour's
org-type database for Latin, Cyrillic, Hebrew... and vocab.yaml for CJK) -> Han text segmented
against our vocabulary and transliterated with pypinyin; other scripts with anyascii ->
tokens expanded from abbreviations and translated generic words to one canonical form ->
each token classed (distinctive word, generic sector word, place, number, initial,
patronymic, stop word) and weighed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import Stemmer
from anyascii import anyascii
from nicknames import NickNamer
from pypinyin import lazy_pinyin
from rapidfuzz.distance import OSA
from rigour.names import extract_org_types, remove_org_types
from rigour.text.normalize import Cleanup, Normalize

from redline.infra.domains import known_site
from redline.parties import cantonese, han_translation, korean_latin, wade_giles
from redline.parties.normalise import normalise
from redline.parties.slips import SlipReader
from redline.parties.vocab_file import VocabularyError, load_vocabulary_file
from redline.parties.scripts import FIRST_GROUP, NAME_DOTS, SOUND, SPELT_BY, WORD_SPLIT, Piece, consonant_key, han_countries, han_ordinal, han_person, han_transcription, is_japanese, japanese_form, japanese_person, japanese_words, join_zwnj, korean_name_shaped, korean_person, mark_geresh, palladius_as_pinyin, romanise_word, simplified, slavic_latin, word_script

WORD, GENERIC, PLACE, NUMBER, INITIAL, PATRONYMIC, STOP, ADMIN = (
    "word", "generic", "place", "number", "initial", "patronymic", "stop", "admin",
)
# ADMIN: an administrative level in a public body's name ("prefecture", "municipal"): below a
# sector word, so that a level never decides, above a stop word, so that it is still seen.
WEIGHTS = {WORD: 1.0, NUMBER: 1.0, PATRONYMIC: 0.5, PLACE: 0.35, GENERIC: 0.3, INITIAL: 0.3, ADMIN: 0.15, STOP: 0.08}

LEGAL_FORM_TOKENS = frozenset(
    """psc co corp corporation company companies ltd limited inc incorporated llc plc gmbh ag sa sas sarl srl
    spa bv nv oy ab asa kg ooo oao zao pao ao jsc ojsc cjsc pjsc llp lp pte pty sdn bhd fze fzco fzc fzllc
    kk doo ad dd sro ltda sac eirl pvt coltd colimited cvba scs snc sca se kft zrt nyrt tov pp chp fzco
    establishment est liability sarlu sasu eurl
    fgup gup mup fsue fgu fgbu fku fkp nao prat pjs saca
    fse njsc nak anstalt spr sapi asbl sae too
    sal eood ead pat zat wll spc sti osoo zhshs jshs""".split()
)
# fgup ... prat: Russian and Ukrainian state and public forms that rigour's org types leave as words (ФГУП,
# ГУП, МУП, ФГУ, ФГБУ, ФКУ, ФКП, НАО, ПрАТ; FSUE, the English FGUP), the forms of the Russian Civil Code.
# pjs: Iran's 'P.J.S.' (public joint stock, سهامی عام); saca: Venezuela's 'S.A.C.A.' (sociedad anónima de capital abierto).
# fse: federal state enterprise (ФГП); njsc and nak: Ukraine's national joint-stock company (НАК); anstalt:
# Liechtenstein's establishment; spr and sapi: Mexico's S.P.R. (sociedad de producción rural) and S.A.P.I. (sociedad
# anónima promotora de inversión), asbl: Belgium's and Luxembourg's A.S.B.L. (association sans but lucratif), sae:
# Egypt's and Spain's S.A.E. (société anonyme égyptienne, sociedad anónima española), which rigour's org types leave
# as initials; too: Kazakhstan's TOO (ТОО, товарищество с ограниченной ответственностью, a limited liability
# partnership: 'TOO KAZSTANEX' / 'KAZSTANEX LIMITED LIABILITY PARTNERSHIP'); sal: Lebanon's S.A.L. written without
# dots (60 listed parties carried it as a distinctive word); eood, ead: Bulgaria's single-owner limited and joint-stock
# companies (ЕООД, ЕАД); pat, zat: Ukraine's public and closed joint-stock companies (ПАТ, ЗАТ); wll: the Gulf's
# With Limited Liability; spc: Oman's single person company; osoo: Kyrgyzstan's limited liability company (ОсОО, 'OSOO
# KARGOLAYN'), zhshs and jshs: Kazakhstan's (ЖШС, the Kazakh of ТОО), which rigour's org types leave as words.
# A legal form written with a dot after each letter ('P.J.S.C.', 'S.A.C.A.', 'S.A.L.', 'C.A.') is one word: rigour's
# org types read 'p.j.s.c.' as 'j.s.c.' and 's.a.c.a.' as 's.a' with the rest left as initials. Three letters or
# more that are no legal form, and do not end a longer name, are the organisation's acronym written with dots, one
# word too ('C.T.R.', 'D.E.S. International'); two stay initials ('I.V. Gorynin').
DOTTED_FORMS = {form: form for form in LEGAL_FORM_TOKENS} | {"sal": "sa", "ca": "ca"}  # S.A.L. (Lebanon), C.A. (compañía anónima)
DOTTED_ACRONYM_MIN = 3
_OPENERS = frozenset("(\"«“‘'[")
_CLOSERS = frozenset(")\"»”’']")
_BEFORE_AN_ACRONYM = frozenset({"the", "of"})
_PUNCTUATION = " .,;:\"'()«»“”‘’-"  # what may stand around a name's words
# Letters written apart in an organisation's name ('I A C INTERNATIONAL INC.', 'T N K FABRICS'): one word, its
# acronym, after the legal forms are read ('SP Z O O', 'P J S C'); not the Spanish and Italian 'and' between two
# ('G Y G INTERNACIONAL', 'HENAO M E HIJOS').
_SPACED_LETTERS = re.compile(r"(?<![^\W\d_])[^\W\d_](?: [^\W\d_])+(?![^\W\d_])")


def _joined_letters(found: re.Match[str]) -> str:
    letters = found.group(0).split()
    between = letters if len(letters) == 2 else letters[1:-1]  # where a 'y' or 'e' would be 'and'
    return found.group(0) if any(letter in "ye" for letter in between) else "".join(letters)


_DOTTED_RE = re.compile(r"(?<![\w.])(?:[a-z]\.){2,}(?:[a-z](?![\w.]))?")
TRUNCATED_MIN = 3  # letters of a word cut short with a dot ('Airc.', 'Instr.'): 'Co.' and 'St.' are other things
_TRUNCATED_RE = re.compile(rf"(?<![\w.])([^\W\d_]{{{TRUNCATED_MIN},}})\.(?![\w.])")
# Long legal-form words, recognised even when misspelled ("LIABIvLITY"): one edit in eight or more letters.
LONG_LEGAL_WORDS = tuple(w for w in LEGAL_FORM_TOKENS if len(w) >= 8)
_GLUED_RE = re.compile(r"^([a-z]{3,})(\d+)$|^(\d+)([a-z]{3,})$")

_NO_MARKS = Normalize.CASEFOLD | Normalize.NFKD
WRITTEN_FORMS = frozenset({"company", "corporation"})  # legal forms a name may write inside itself ('Syrian Company for ...')
_HANGUL_RE = re.compile(r"[\uac00-\ud7a3]")
_HAN_RE = han_translation.HAN_RUN
_NON_LATIN_RE = re.compile(r"[^\x00-\u024f]")
_SPLIT_RE = re.compile(r"[^\w?]+")
_BRACKETED_RE = re.compile(r"\(([^()]{2,40})\)")
_APOSTROPHES = re.compile(r"['’`ʼ‘]")
# A French or Italian article or preposition elided before a vowel ("d'Investissement", "l'Union", "dell'Energia"),
# written out; in organisations' names only (D'Souza, D'Alema are persons' names written so).
_ELISION = re.compile(r"(?<![^\W\d_])(d|l|dell)['’](?=[aeiouhàâéèêîôû])")
_ELIDED = {"d": "de ", "l": "le ", "dell": "della "}  # stop words
_POSSESSIVE = re.compile(r"(?<=[^\W\d_]{3})['’]s\b")  # an English possessive, after a word of three letters or more (not Ra's)
# The Islamic State's 'IS-' before its province's name ('IS-Khorasan', 'IS-Somalia'), which rigour would read as the
# Danish legal form I/S: the group's name (vocab abbreviations isis). Not 'IS Bank' (Turkish İş), written apart.
_IS_PROVINCE = re.compile(r"^is\s*-\s*(?=[^\W\d_]{3})")
# Words rigour's table of legal forms also holds ('in' as Inc., 'at' as the Ukrainian АТ): a legal form at a name's
# start or end, the word inside it ('Islamic State in Iraq', 'University at Buffalo'), marked there so that the table
# does not read it (_KEPT: letters no word ends with, taken off after). Read as Inc., 'ISIS in the Islamic Sahel' gave
# its acronym the letter I and spelt ISIS by itself (session 38's test read: 'Sahel Company' met it at 0.67).
_INNER_FORM_WORD = re.compile(r"(?<=\w )(in|at)(?= \w)")
_KEPT = "qxq"
# An organisation's name that begins with the English article ('The National Key Laboratory ...'): the article says
# nothing, and as a stop word it would pair with another 'the' inside the other name ('... of the Korean People's Army').
_LEADING_ARTICLE = re.compile(r"^the\s+(?=\S)")


def rebuilt(obj: Any) -> tuple[type, tuple[Any, ...]]:
    """A dataclass's pickled form, (class, field values): the same from the source and from the mypyc build
    (redline/native.py), which pickle slots each their own way, so that a cache written by one loads in the other."""
    return type(obj), tuple(getattr(obj, f.name) for f in fields(obj))


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # canonical form, used for comparison
    kind: str
    weight: float
    source: str  # the spelling in the name, for explanations
    abjad: bool = False  # transliterated from a script that omits vowels
    sound: bool = False  # romanised from a script that spells by sound (scripts.SOUND_SPELLED): compared on sound_key too
    slavic: bool = False  # a word of a person's name with an East Slavic mark: compared on names.east_slavic too
    # The script that spelt it by sound, where that script's readings are its own (scripts.BURMESE: no final consonant a
    # foreign name ends on; HANGUL: a Korean name's syllable, whose vowel its Latin spellings keep; KANA: a stop voiced
    # as the Latin spelling voices it); '' for any other.
    spelt: str = ""

    def __repr__(self) -> str:
        return f"{self.text}:{self.kind}"

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return rebuilt(self)


# One empty set for every name without acronyms: CPython makes a new empty frozenset each time (216 bytes a name,
# some 10 MB a field over the lists' names, measured in the screener cache).
_NONE: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class AnalysedName:
    original: str
    tokens: tuple[Token, ...]
    legal_forms: tuple[str, ...]
    public_body: bool = False  # a body of the state, named by place and kind ("Urumqi Public Security Bureau")
    normalised: tuple[str, ...] = ()  # what normalise.normalise changed in the raw name
    person: bool = False  # analysed as a person's name
    reading: str = ""  # the second reading (READINGS) that rewrote it, '' for the name as written
    acronyms: frozenset[str] = _NONE  # an organisation's words that are its own acronym (_own_acronym)
    acronym_forms: tuple[str, ...] = ()  # the letters its legal forms may give its acronym, in the order tried (_acronym_forms)
    truncated: frozenset[str] = _NONE  # an organisation's words the vocabulary lacks, written cut short with a dot ('Airc.')
    syllables: tuple[tuple[int, int], ...] = ()  # a person's given name of two syllables hyphened ('Il-soon'): its tokens' places

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return rebuilt(self)

    @property
    def key(self) -> str:
        """Order-free identity of the name, for grouping the same party across lists."""
        return " ".join(sorted(t.text for t in self.tokens if t.kind != STOP))


@dataclass(frozen=True)
class Vocabulary:
    canonical: dict[str, str]  # spelling -> canonical token
    generic: frozenset[str]
    places: frozenset[str]
    stopwords: frozenset[str]
    patronymic_suffixes: tuple[str, ...]
    patronymic_suffixes_in_full_names: tuple[str, ...]
    patronymic_endings: tuple[tuple[str, str], ...]  # Belarusian ending -> the Russian one ('auna' -> 'ovna')
    han_words: dict[str, str]  # Han/Hangul/Kana word -> canonical generic token
    han_admin_levels: dict[str, str]  # an administrative level's one Han character -> its level ('市' city)
    han_conjunctions: frozenset[str]  # a Han character that joins two words of an organisation's name as 'and' ('与')
    han_conjunctions_between_words: frozenset[str]  # ... only between two words the vocabulary reads ('和')
    han_max: int
    former_pattern: re.Pattern[str]
    noise_prefixes: tuple[str, ...]
    noise_suffixes: tuple[str, ...]
    annotations: re.Pattern[str]
    admin_levels: dict[str, str]  # spelling -> canonical administrative level
    admin_peoples: frozenset[str]
    public_body_words: frozenset[str]
    public_body_units: frozenset[str]
    armed_formations: frozenset[str]
    organisation_forms: frozenset[str]
    not_sectors: frozenset[str]  # generic words that are no sector: form and ownership
    place_variants: dict[str, str]  # spelling -> canonical place name
    countries_abroad: frozenset[str]  # the place_variants that are a country's name in another language
    latin_folds: tuple[tuple[str, str], ...]  # spelling -> the one it is folded to, in order
    vowel_readings: tuple[tuple[tuple[re.Pattern[str], str], ...], ...]  # see loose_vowels
    consonant_readings: tuple[tuple[tuple[re.Pattern[str], str], ...], ...]  # see loose_consonants
    ending_readings: tuple[tuple[re.Pattern[str], str], ...]  # see loose_endings
    east_slavic_reading: tuple[tuple[re.Pattern[str], str], ...]  # see east_slavic
    east_slavic_marks: re.Pattern[str]  # a word that marks a person's name as East Slavic (Token.slavic)
    east_slavic_french: tuple[re.Pattern[str], tuple[tuple[re.Pattern[str], str], ...]]  # see east_slavic_french
    russian_adjective_endings: tuple[str, ...]  # see word_stem
    russian_stems: dict[str, str]  # a Russian spelling (generic or russian_words) without its ending -> its word (russian_inflected)
    russian_word_ending: re.Pattern[str]  # the endings russian_inflected takes off a word
    land_endings: frozenset[str]  # '-istan': a people's name made a land's (score._stem)
    no_loose_consonants: re.Pattern[str]  # words not read with loose consonants (loose_consonants)
    ezafe: re.Pattern[str]  # the Persian ezafe '-ye' hyphened to a word: dropped from organisations' names
    joined_and: re.Pattern[str]  # '&' written 'and' inside a word ('impandexp'): see _split_joined_and
    phrases: dict[tuple[str, ...], str]  # several words read as one in organisations' names ('torgovyy dom')
    spelled_out: dict[str, str]  # an abbreviation read as several words in organisations' names ('npo')
    russian_initials: dict[str, tuple[str, ...]]  # an English word -> the letters its Russian word gives an acronym ('plant' -> 'z')
    glued_parts: frozenset[str]  # the parts Russian firms glue into one name ('surgut|nefte|gas|bank'), for its acronym
    spelled_out_re: re.Pattern[str]  # any of them, as a word
    legal_form_spellings: dict[str, str]  # a legal form's word as lists misspell it -> as rigour's org types write it
    legal_form_spellings_re: re.Pattern[str]  # any of them, as a word
    person_titles: frozenset[str]  # 'mullah', 'haji', 'dr': stop words in persons' names
    leading_titles: frozenset[str]  # rigour's 'sir', 'lord', 'general': stop words before a person's first name
    person_particles: frozenset[str]  # 'ur' of 'Shams ur-Rahman': stop words in persons' names
    person_abbreviations: dict[str, str]  # a name as lists abbreviate it in persons' names -> the name ('mg' -> 'maung')
    short_forms: dict[str, frozenset[str]]  # a given name -> its short forms, and a short form -> its names ('nacho' / 'ignacio')
    person_syllables: frozenset[str]  # stop words that are names in persons' names ('to', 'an': Korean syllables)
    second_elements: tuple[tuple[str, str], ...]  # joined ending -> the word it is ('uddin' -> 'din'), longest first
    abd_not_split: re.Pattern[str]  # the rest of a joined 'abd' name that keeps it whole (Abdullah)
    abd_surname_endings: tuple[str, ...]
    abd_spellings: frozenset[str]  # 'abed', 'abid': 'abd' written with a vowel, read so before another word ('Abed Allah')
    bracket_qualifiers: frozenset[str]  # a bracket that says which of two parties, not another name ('(Offshore)')
    slips: SlipReader  # a long vocabulary word as a typist may slip on it ('copmany'), in organisations' names


def _marker_pattern(marker: str) -> str:
    """A former-name marker as a pattern, with an optional bracket around it: a whole word at its start ('aka', not
    'Bakaka') and, where it ends in a letter, at its end ('aka', not 'Akatsuki'). One joined to the name it marks by a
    hyphen ('ex-') marks it only after another name or inside a bracket: 'Smith Ltd ex-Jones Ltd', but 'Ex-Im Bank',
    'EX-CLE', 'Impex-Don' and 'Alex-Trans' are each one name."""
    if marker.endswith("-"):
        start = r"(?:(?<=\s)\(?|\()\b"
    else:
        start = r"\(?\b" if marker[0].isalnum() else r"\(?"
    end = r"\)?(?=\s|$)" if marker[-1].isalnum() else ""
    return start + re.escape(marker) + end


# Where each reading sits in loose_spellings' answer: the vowel readings, the ending, then the consonant readings.
LOOSE_ENDING = 3
LOOSE_CONSONANTS = 4


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    source = resources.files("redline.parties").joinpath("vocab.yaml")
    raw = load_vocabulary_file(source.read_text("utf-8"), str(source))
    canonical: dict[str, str] = {}
    for target, spellings in (*raw["abbreviations"].items(), *raw["russian_words"].items()):
        for spelling in spellings:
            canonical[spelling] = target
    russian = {spelling for spellings in raw["russian_words"].values() for spelling in spellings}
    generic: set[str] = set()
    for target, spellings in raw["generic"].items():
        generic.add(target)
        for spelling in spellings or []:
            canonical.setdefault(spelling, target)
            generic.add(spelling)
    # Spellings that expand to a generic word are generic too.
    generic |= {s for s, t in canonical.items() if t in generic}
    places = set(raw["places"]) | (_country_words() - set(raw["territory_words_not_places"]))
    han_words = {k: v for k, v in raw["han_generic"].items()}
    former = tuple(sorted(raw["former_markers"], key=len, reverse=True))
    spelled_out = dict(raw["spelled_out"]) | {
        form: words for key in ("russian_compound_words", "english_compound_words") for words, forms in raw[key].items() for form in forms
    }
    legal_form_spellings = {spelling: word for word, spellings in raw["legal_form_spellings"].items() for spelling in spellings}
    place_variants = {s: place for place, spellings in raw["place_variants"].items() for s in spellings or []}
    taken = canonical.keys() | generic | places | place_variants.keys() | set(raw["stopwords"]) | set(raw["territory_words_not_places"])
    abroad = _country_names_abroad(raw["country_name_languages"], places, taken)
    place_variants |= abroad
    admin_levels = {s: level for level, spellings in raw["admin_levels"].items() for s in [level, *(spellings or [])]}
    if len(raw["vowel_readings"]) != LOOSE_ENDING:
        raise VocabularyError(f"{source}: vowel_readings must hold {LOOSE_ENDING} readings (loose_spellings' layout)")
    return Vocabulary(
        canonical=canonical,
        generic=frozenset(generic),
        places=frozenset(places),
        stopwords=frozenset(raw["stopwords"]),
        patronymic_suffixes=tuple(raw["patronymic_suffixes"]),
        patronymic_suffixes_in_full_names=tuple(raw["patronymic_suffixes_in_full_names"]),
        patronymic_endings=tuple(raw["patronymic_endings"].items()),
        han_words=han_words,
        han_admin_levels=dict(raw["han_admin_levels"]),
        han_conjunctions=frozenset(raw["han_conjunctions"]),
        han_conjunctions_between_words=frozenset(raw["han_conjunctions_between_words"]),
        han_max=max(len(k) for k in han_words),
        former_pattern=re.compile("|".join(_marker_pattern(m) for m in former), re.IGNORECASE),
        noise_prefixes=tuple(sorted(raw["noise_prefixes"], key=len, reverse=True)),
        noise_suffixes=tuple(raw["noise_suffixes"]),
        annotations=re.compile(
            r"\(\s*(?:" + "|".join(re.escape(a) for a in raw["annotations"]) + r")\s*:?\s*\)", re.IGNORECASE
        ),
        admin_levels=admin_levels,
        admin_peoples=frozenset(raw["admin_peoples"]),
        public_body_words=frozenset(raw["public_body_words"]),
        public_body_units=frozenset(raw["public_body_units"]),
        armed_formations=frozenset(raw["armed_formations"]),
        organisation_forms=frozenset(raw["organisation_forms"]),
        not_sectors=frozenset(raw["not_sectors"]) | frozenset(raw["organisation_forms"]),
        place_variants=place_variants,
        countries_abroad=frozenset(abroad),
        latin_folds=tuple((a, b) for a, b in raw["latin_folds"]),
        vowel_readings=tuple(tuple((re.compile(a), b) for a, b in reading) for reading in raw["vowel_readings"]),
        consonant_readings=tuple(tuple((re.compile(a), b) for a, b in reading) for reading in raw["consonant_readings"]),
        ending_readings=tuple((re.compile(a), b) for a, b in raw["ending_readings"]),
        east_slavic_reading=tuple((re.compile(a), b) for a, b in raw["east_slavic_reading"]),
        east_slavic_marks=re.compile(raw["east_slavic_marks"]),
        east_slavic_french=(re.compile(raw["east_slavic_french"]["marks"]), tuple((re.compile(a), b) for a, b in raw["east_slavic_french"]["reading"])),
        russian_adjective_endings=tuple(raw["russian_adjective_endings"]),
        russian_stems=_russian_stems(canonical, generic | russian, re.compile(raw["russian_inflections"]["spelling"])),
        russian_word_ending=re.compile(raw["russian_inflections"]["word"]),
        land_endings=frozenset(raw["land_endings"]),
        no_loose_consonants=re.compile("|".join(raw["no_loose_consonants"])),
        ezafe=re.compile(raw["ezafe"]),
        joined_and=re.compile("|".join(re.escape(a) for a in raw["joined_and"])),
        phrases={tuple(phrase.split()): word for word, phrases in (raw.get("phrases") or {}).items() for phrase in phrases},
        spelled_out=spelled_out,
        russian_initials={word: tuple(letters) for word, letters in raw["russian_initials"].items()},
        glued_parts=frozenset(raw["glued_parts"]),
        spelled_out_re=_any_word(spelled_out),
        legal_form_spellings=legal_form_spellings,
        legal_form_spellings_re=_any_word(legal_form_spellings),
        person_titles=frozenset(raw["person_titles"]) | frozenset(filter(None, map(title_spelling, raw["person_titles"]))),
        leading_titles=_rigour_person_titles() | frozenset(raw["leading_ranks"]),
        person_particles=frozenset(raw["person_particles"]),
        person_abbreviations={s: name for name, spellings in raw["person_abbreviations"].items() for s in spellings},
        short_forms=_both_ways(raw["short_forms"]),
        person_syllables=frozenset(raw["person_syllables"]),
        second_elements=tuple(sorted(
            ((ending, word) for word, endings in raw["arabic_second_elements"].items() for ending in endings),
            key=lambda pair: len(pair[0]), reverse=True,
        )),
        abd_not_split=re.compile(raw["abd_not_split"]),
        abd_surname_endings=tuple(raw["abd_surname_endings"]),
        abd_spellings=frozenset(raw["abd_spellings"]),
        bracket_qualifiers=frozenset(raw["bracket_qualifiers"]),
        slips=_slip_reader(canonical | spelled_out, generic | {word for key in _WORD_KINDS for word in raw[key]}, places, place_variants,
                           admin_levels, legal_form_spellings, raw["legal_form_words"], raw["stopwords"]),
    )


_WORD_KINDS = ("armed_formations", "organisation_forms", "public_body_words", "public_body_units")  # words, as generic ones are


def _slip_reader(canonical: dict[str, str], words_meant: set[str], places: set[str], place_variants: dict[str, str],
                 admin_levels: dict[str, str], legal_form_spellings: dict[str, str], legal_form_words: list[str],
                 stopwords: list[str]) -> SlipReader:
    """The vocabulary's single words as spelt -> as read: what a slip in an organisation's name is read back to."""
    legal = {*LEGAL_FORM_TOKENS, *legal_form_spellings, *legal_form_spellings.values(), *legal_form_words}
    readings = {word: word for word in (*words_meant, *legal, *canonical.values())} | canonical | admin_levels | legal_form_spellings
    words = {word: reading for word, reading in readings.items() if word.isascii() and word.isalpha()}
    # A word cut short ('internatl') is no spelling a slip is read to: 'internal' is not international.
    targets = {word: reading for word, reading in words.items() if " " in reading or len(word) >= len(reading) - 2}
    # Places are names, known but never read through a slip: a name one letter from a place is often another
    # ('Ivanov' / 'Ivanovo', 'Marina' / 'Mariana').
    # The international forms have no namesake one vowel off ('Compeny', 'Limeted'); a national form's word may ('Otkrytie',
    # a bank's name, is no slip of 'otkrytoe', open).
    return SlipReader(targets, frozenset(words) | places | frozenset(place_variants) | frozenset(stopwords), frozenset(legal), LEGAL_FORM_TOKENS)


RUSSIAN_STEM_MIN = 5  # letters a stem keeps: 'sistem' of 'sistemy', not a stem that many words begin with


def _russian_stems(canonical: dict[str, str], spelt: set[str], ending: re.Pattern[str]) -> dict[str, str]:
    """The stems of the vocabulary's Latin spellings `spelt` (its generic words' and Russian words') with a Russian
    ending, each to its word; a stem two words share is left out."""
    words: dict[str, set[str]] = {}
    for spelling, word in canonical.items():
        if spelling in spelt and spelling.isascii() and spelling.isalpha() and (found := ending.search(spelling)):
            stem = spelling[: found.start()]
            if len(stem) >= RUSSIAN_STEM_MIN:
                words.setdefault(stem, set()).add(word)
    return {stem: next(iter(found)) for stem, found in words.items() if len(found) == 1}


def russian_inflected(word: str, vocab: Vocabulary) -> str | None:
    """The vocabulary's word that a Russian word in another case or gender spells ('upravleniya' -> management), if any."""
    found = vocab.russian_word_ending.search(word)
    return vocab.russian_stems.get(word[: found.start()]) if found else None


def _any_word(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern that finds any of these words, whole (not inside another word), the longest where two begin alike."""
    return re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?![^\W_])")


_DOUBLED_CONSONANT = re.compile(r"([b-df-hj-np-tv-z])\1")


def title_spelling(word: str) -> str:
    """A title as transliterations write it one way: a doubled consonant once, 'ou' as 'u' ('Moullah', 'Mulah' and
    'Mullah'; 'Hajj' and 'Haj'); '' under four letters. Vowels stay: 'Sayeed' is a name (Saeed), not the title Sayed."""
    return _DOUBLED_CONSONANT.sub(FIRST_GROUP, word.replace("ou", "u")) if len(word) >= 4 else ""


def _rigour_person_titles() -> frozenset[str]:
    """rigour's single-word person prefixes ('Mr', 'Dr.', 'Herr', 'Sir', 'Lord', 'General'), as
    analysed words: titles where they lead a name, as rigour reads them, and names elsewhere ('Sarah Lord')."""
    from rigour.names import prefix  # noqa: F401 - the list lives in rigour's compiled core
    from rigour._core import person_name_prefixes_list

    words = (anyascii(p).lower().strip(".") for p in person_name_prefixes_list())
    return frozenset(w for w in words if w.isalpha() and w != "the")


_ABD_JOINED = re.compile(r"^abd([aeiou]{1,2})([a-z]{3,})$")


@lru_cache(maxsize=1 << 16)
def arabic_parts(word: str) -> tuple[str, ...]:
    """A Latin word that joins the parts of an Arabic theophoric name -> those parts, as the name is
    written apart: 'abdulrahman', 'abdurrahman', 'abdelkader' -> 'abd' + the name (the article,
    written -ul-, -el-, -ol- or assimilated -ur-r-, is no part of it), 'nuruddin', 'nureddine' ->
    'nur' 'din', 'shamsurrahman' -> 'shams' 'rahman'; a joined ending alone ('Ansar Eddine') is the
    element. Abdullah and surnames formed from one (Abdullaev) stay whole (vocab.yaml)."""
    vocab = vocabulary()
    joined = _ABD_JOINED.match(word)
    if joined and not vocab.abd_not_split.match(joined.group(2)) and not word.endswith(vocab.abd_surname_endings):
        rest = joined.group(2)
        if rest[0] == "l" or rest[0] == rest[1]:
            rest = rest[1:]  # abdul-aziz, abdel-kader; abdur-rahman, abdus-salam (the sun letters)
        if len(rest) >= 3:
            return ("abd", *arabic_parts(rest))
    for ending, element in vocab.second_elements:
        if word.endswith(ending):
            head = word[: -len(ending)]
            if not head:
                return (element,)
            if len(head) >= 3:
                return (head, element)
            break
    article = _JOINED_ARTICLE.match(word)
    if article and vocab.canonical.get(article.group(1), article.group(1)) in vocab.generic:
        return article.groups()  # 'hizbul', 'jaishul': a sector word and the article written joined (Hizb-ul-, Jaish ul)
    rest = after_article(word)
    if rest in vocab.canonical or rest in vocab.generic:
        # 'alkhayriyah', 'alislami': the article written joined to a word the vocabulary spells (al-Khayriyah, al-Islami)
        return ("al", rest)
    return (word,)


_JOINED_ARTICLE = re.compile(r"^([a-z]{3,})(ul|ud|ur)$")
_BEFORE_A_NAME = frozenset({"st"})  # an abbreviation that is a word only before a name ('St Petersburg', saint)
_ARTICLE_BEFORE = re.compile(r"^(al|el)([a-z]{4,})$")


def after_article(word: str) -> str:
    """What follows the Arabic article written joined to a word ('alqaida' -> 'qaida'), '' where none does."""
    article = _ARTICLE_BEFORE.match(word)
    return article.group(2) if article else ""


_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """A Latin spelling with the romanisation variants of vocab.yaml's latin_folds undone and
    doubled letters written once: 'mansour' and 'manssor' -> 'mansur', 'mansor'."""
    for spelling, folded in vocabulary().latin_folds:
        if spelling in text:
            text = text.replace(spelling, folded)
    return _DOUBLED.sub(FIRST_GROUP, text)


@lru_cache(maxsize=1 << 16)
def loose_vowels(text: str) -> tuple[str, ...]:
    """A Latin spelling folded (fold) and read with its short vowels and diphthong written one way,
    once for each of vocab.yaml's vowel_readings: 'morshed' and 'murshid' -> 'murshid', 'deif' and
    'dayf' -> 'daif' (Persian and Arabic romanisations of one name)."""
    return tuple(_read(fold(text), reading) for reading in vocabulary().vowel_readings)


@lru_cache(maxsize=1 << 16)
def loose_endings(text: str) -> str:
    """A Latin spelling with its final vowel written one way (vocab.yaml's ending_readings), then read as
    loose_vowels' first reading: 'fatemeh' and 'fatima' -> 'fatima', 'musse' and 'moosa' -> 'musa'. The
    ending is read before the fold, whose kh -> h would make a final consonant an ending ('rostekh', Ростех,
    is not 'roste')."""
    vocab = vocabulary()
    return _read(fold(_read(text, vocab.ending_readings)), vocab.vowel_readings[0])


@lru_cache(maxsize=1 << 16)
def loose_consonants(text: str) -> tuple[str, ...]:
    """loose_vowels, with the Latin spellings of one consonant written one way before the fold, once for
    each of vocab.yaml's consonant_readings: 'jawlani' and 'golani' -> 'gulani', 'uthman' and 'osman' ->
    'usman', 'petroff' and 'petrov' -> 'pitruv'. None for a word that vocab.yaml's no_loose_consonants
    marks as another romanisation's (Korean 'eo', 'eu')."""
    vocab = vocabulary()
    if vocab.no_loose_consonants.search(text):
        return ()
    out: list[str] = []
    for consonants in vocab.consonant_readings:
        spelt = _read(text, consonants)
        # Most words have none of these consonants: their vowel readings are loose_vowels' (cached).
        out.extend(loose_vowels(text) if spelt == text else (_read(fold(spelt), vowels) for vowels in vocab.vowel_readings))
    return tuple(out)


_ENGLISH_STEMMER = Stemmer.Stemmer("english")  # Snowball's English stemmer compiled (PyStemmer): 13x snowballstemmer's pure Python, the same stems


@lru_cache(maxsize=1 << 16)
def word_stem(text: str) -> str:
    """A word's stem, for words derived one from another: a Russian adjective's ending off when five
    letters or more are left (vocab.yaml's russian_adjective_endings: 'voronezhskiy', 'novosibirskoe'),
    then Snowball's English stemmer ('managing' and 'management' -> 'manag')."""
    for ending in vocabulary().russian_adjective_endings:  # longest first
        if text.endswith(ending):
            if len(text) - len(ending) >= 5:
                text = text[: -len(ending)]
            break
    return _ENGLISH_STEMMER.stemWord(text)


# A Russian adjective's linking syllable between a name's stem and -sk- ('Yaltinskaya' of Yalta, 'Penzenskiy' of Penza).
_ADJECTIVE_LINKS = ("in", "en")
# A name with a Russian family name's ending: Petrova and Petrovskaya, Ivanov and Ivanovskiy are two names.
_FAMILY_NAME_ENDING = re.compile("(?:ov|ev|in|yn)a?$")


@lru_cache(maxsize=1 << 16)
def adjective_of(adjective: str, name: str) -> bool:
    """Whether `adjective` is a Russian adjective made from the name `name` of four letters or more, by its ending
    (vocab.yaml's russian_adjective_endings) off: 'minskii' of Minsk (a city's own -sk), 'tulskiy' of Tula, 'yaltinskaya'
    of Yalta and 'grodnenskaya' of Grodno (a final vowel off, a linking -in- or -en- in); never of a name with a family
    name's ending ('Petrova' / 'Petrovskaya'). word_stem reads only stems of five letters or more ('voronezhskiy'), and
    not a place's final vowel."""
    if len(name) < 4 or "sk" not in adjective or _FAMILY_NAME_ENDING.search(name):
        return False
    ending = next((e for e in vocabulary().russian_adjective_endings if adjective.endswith(e)), "")
    if len(ending) < 3:  # -sk is a city's own, not an adjective's (Omsk, Novosibirsk)
        return False
    stem = adjective[: -len(ending)]
    names = {name, name[:-2] if name.endswith("sk") else name[:-1] if name[-1] in "aeiouy" else name}
    return stem in names or stem.endswith(_ADJECTIVE_LINKS) and stem[:-2] in names


# The letters a Russian word of a Latin root writes otherwise than English beyond what fold reads one way (c and k,
# x and ks): kh for ch ('mekhanika', mechanics), z between vowels for s ('fizika', physics).
_COGNATE_LETTERS = ((re.compile("kh"), "ch"), (re.compile("(?<=[aeiou])z(?=[aeiou])"), "s"))


@lru_cache(maxsize=1 << 16)
def cognate_of(russian: str, english: str) -> bool:
    """Whether a Russian word of a Latin or Greek root is this English word (cognate): one stem, or one the other and a
    letter ('akadem' / 'academi'), of five letters or more; never a family name ('Petrovskaya' is not 'Petrova')."""
    if _FAMILY_NAME_ENDING.search(english):
        return False
    read, stem = cognate(russian), fold(word_stem(english))
    short, long_ = (read, stem) if len(read) <= len(stem) else (stem, read)
    return len(short) >= COGNATE_MIN and long_.startswith(short) and len(long_) - len(short) <= 1


COGNATE_MIN = 5  # letters of the shorter stem


@lru_cache(maxsize=1 << 16)
def cognate(word: str) -> str:
    """A Russian word of a Latin or Greek root, as the lists romanise it, spelt as its English word's stem is for
    comparison: its case or gender ending off (vocab.yaml's russian_inflections, five letters or more left, or a
    compound's linking -o), _COGNATE_LETTERS read, then stemmed and folded ('kreditov' -> 'kredit' as 'credit',
    'fiziki' -> 'fisik' as 'physics', 'optiko' -> 'optik' as 'optical')."""
    found = vocabulary().russian_word_ending.search(word)
    if found and found.start() >= 5:
        word = word[: found.start()]
    elif word.endswith("o") and len(word) >= 6:
        word = word[:-1]
    return fold(word_stem(_read(word, _COGNATE_LETTERS)))


@lru_cache(maxsize=1 << 16)
def east_slavic(text: str) -> str:
    """A Latin spelling of an East Slavic name read as its Russian form, its vowels as classes (vocab.yaml's
    east_slavic_reading): 'oleh', 'aleh' and 'oleg' -> 'AlIg'; 'hryhorovych' and 'grigorievich' -> 'grIgArvIch'."""
    return _read(text, vocabulary().east_slavic_reading)


@lru_cache(maxsize=1 << 16)
def east_slavic_french(text: str) -> str:
    """A Latin spelling of an East Slavic name in the French family read as east_slavic reads its English spelling
    (vocab.yaml's east_slavic_french): 'prigojine' and 'prigozhin' -> 'prIgAshIn'; '' for a word that shows no French
    spelling, or that is a run of pinyin syllables ('dingyou' has the French ou)."""
    marks, reading = vocabulary().east_slavic_french
    return east_slavic(_read(text, reading)) if marks.search(text) and not wade_giles.pinyin_run(text) else ""


def loose_spellings(text: str) -> tuple[str, ...]:
    """Every loose reading of a Latin word, in a fixed order (loose_vowels, loose_endings, then
    loose_consonants, '' where that word has none), so that two words are compared reading by reading
    with one look-up each."""
    consonants = loose_consonants(text) or ("",) * (len(vocabulary().consonant_readings) * len(vocabulary().vowel_readings))
    return (*loose_vowels(text), loose_endings(text), *consonants)


def _read(text: str, reading: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    for pattern, replacement in reading:
        letters = pattern.pattern
        if letters.isalpha():  # a plain spelling ('dj', 'th'): str.replace, several times faster than re.sub
            text = text.replace(letters, replacement)
        elif not (letters[0].isalpha() and letters[0] not in text):  # 'e(?!ng)' needs an e
            text = pattern.sub(replacement, text)
    return _DOUBLED.sub(FIRST_GROUP, text)


COUNTRY_NAME_MIN = 5  # letters of a country's name in another language read as the country (vocab.yaml)


def _country_names_abroad(languages: list[str], places: set[str], taken: set[str]) -> dict[str, str]:
    """A country's one-word name in each of `languages` -> its English name, folded, where that is one word of `places`
    (vocab.yaml country_name_languages): CLDR's names as ICU ships them; none that `taken` holds, nor one that two
    countries share."""
    import icu

    english = icu.Locale("en")
    locales = [icu.Locale(language) for language in languages]
    found: dict[str, set[str]] = defaultdict(set)
    for code in icu.Locale.getISOCountries():
        region = icu.Locale("", code)
        own = _SPLIT_RE.split(anyascii(region.getDisplayCountry(english)).lower())
        if len(own) != 1 or own[0] not in places:
            continue
        for locale in locales:
            words = [w for w in _SPLIT_RE.split(anyascii(region.getDisplayCountry(locale)).lower().replace("'", "")) if w]
            if len(words) == 1 and len(words[0]) >= COUNTRY_NAME_MIN and words[0] != own[0] and words[0] not in taken:
                found[words[0]].add(own[0])
    return {word: next(iter(countries)) for word, countries in found.items() if len(countries) == 1}


@lru_cache(maxsize=1)
def _country_words() -> frozenset[str]:
    from rigour.territories import get_territories

    words: set[str] = set()
    for territory in get_territories():
        for name in (territory.name, getattr(territory, "full_name", None) or ""):
            for part in _SPLIT_RE.split(anyascii(name).lower()):
                if len(part) > 2:
                    words.add(part)
    return frozenset(words)


# Second readings of a person's name, each with the note the explanation gives: a Chinese name
# written in Wade-Giles read as pinyin ('Hsu Chih-yung' as 'xu zhiyong'), a Korean name in any
# romanisation read in one spelling ('Park Bong-ju' and 'Pak Pong Ju' as 'pak pong chu'), a Hong Kong
# family name read as pinyin ('LAU, Emily' as 'liu, emily'), a Chinese name in Cyrillic read as pinyin ('Чэнь Цюаньго' as
# 'chen quanguo'), a name in a Slavic Latin alphabet or ISO 9 read as English spells its letters ('Jarošovec' as
# 'yaroshovets').
KOREAN = "korean"  # AnalysedName.reading of a Korean name read one way (korean_latin)
WADE_GILES = "wade-giles"  # AnalysedName.reading of a Chinese name in Wade-Giles read as pinyin (wade_giles)
HANGUL_SOUNDS = "hangul-sounds"  # AnalysedName.reading of a name in Hangul read as a foreign name's sounds, not a Korean name


def _korean_in_hangul(text: str) -> tuple[str, list[str]]:
    """A person's name in Hangul read as a Korean name (scripts.korean_person) though not shaped as one, to be read as
    sounds too: a foreign name may begin with a Korean family name's syllable ('로리 페티' Lori Petty, 로 Ro; '나르세스'
    Narses, 나 Na and a given name of three syllables)."""
    if not _HANGUL_RE.search(text):
        return text, []  # most names: asked of every person's name, listed or screened
    words = [w for w in WORD_SPLIT.split(text) if w]
    if all(word_script(w) == "HANGUL" for w in words) and korean_person(words) and not korean_name_shaped(words):
        return text, [text]
    return text, []


READINGS: dict[str, tuple[str, Callable[[str], tuple[str, list[str]]]]] = {
    WADE_GILES: ("Wade-Giles read as pinyin: ", wade_giles.as_pinyin),
    KOREAN: ("Korean romanisations read one way: ", korean_latin.one_way),
    "cantonese": ("a Hong Kong family name read as pinyin: ", cantonese.as_pinyin),
    "palladius": ("Chinese in Cyrillic (Palladius) read as pinyin: ", palladius_as_pinyin),
    HANGUL_SOUNDS: ("a name in Hangul read as a foreign name's sounds: ", _korean_in_hangul),
    "slavic-latin": ("a Slavic Latin alphabet's letters read as English spells them: ", slavic_latin),
}


def second_reading(name: str) -> AnalysedName | None:
    """A person's name analysed in the first of READINGS that reads it otherwise, or None (most names:
    no second analysis)."""
    for reading, (_, read_as) in READINGS.items():
        if read_as(name.casefold())[1]:
            read = analyse(name, person=True, reading=reading)
            return read if read.tokens != analyse(name, person=True).tokens else None
    return None


TRANSLATION = "translation"  # AnalysedName.reading of a Chinese name read in translation (han_translation)
_TRANSLATION_NOTE = "Chinese words read in translation (CC-CEDICT): "


def reading_note(name: AnalysedName) -> str:
    """What the second reading that rewrote `name` read, for the explanation."""
    prefix = _TRANSLATION_NOTE if name.reading == TRANSLATION else READINGS[name.reading][0]
    return next(note for note in name.normalised if note.startswith(prefix))


def translated(raw: str, other: str) -> AnalysedName | None:
    """An organisation's name written in Chinese, read in translation against a name written in Latin
    (han_translation): None when `raw` has no Chinese word whose gloss is in `other`."""
    if han_translation.has_chinese(other):
        return None
    canonical = vocabulary().canonical
    text = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", other).casefold())
    return translated_by(raw, han_translation.LatinWords.of_name(text, lambda word: canonical.get(word, word)))


def translated_by(raw: str, latin: han_translation.LatinWords) -> AnalysedName | None:
    """`raw` read in translation with the Latin words `latin`, or None when no word of it is read."""
    if not han_translation.has_chinese(raw):
        return None
    text, read = han_translation.translate(raw, latin, _kept_han_word, vocabulary().generic)
    if not read:
        return None
    name = analyse(text)
    return replace(name, original=raw, normalised=(*name.normalised, _TRANSLATION_NOTE + ", ".join(read)), reading=TRANSLATION)


def _kept_han_word(word: str) -> bool:
    """A Chinese word the analysis reads itself (a legal form, a sector word, a country), in simplified or traditional
    characters (網絡 as 网络): never translated."""
    plain = simplified(word)
    return plain in vocabulary().han_words or plain in han_countries()


def readings(raw: str, person: bool) -> list[AnalysedName]:
    """Each name a string carries (split_alternatives), analysed, and a person's name once more in its
    second reading, an organisation's once more by the short name it ends with (short_name): what the
    index holds of a listed name, and what a pair comparison compares."""
    out = []
    for name in split_alternatives(raw):
        out.append(analyse(name, person=person))
        read = second_reading(name) if person else short_name(name)
        if read is not None:
            out.append(read)
        if not person and (long := without_bracketed_alias(name)):
            out.append(analyse(long))
        if not person and (spelt := spelt_out(name)):
            out.extend(analyse(part) for part in spelt)
    return out


# An acronym (two to six capitals) before the name it stands for in brackets: 'MZKT (Minsk Wheel Tractor Plant)'; not a
# brand before its owner's name ('WEARFORM (MNC GROUP INTERNATIONAL, INC.)').
_SPELT_OUT_RE = re.compile(r"^\s*([A-Z]{2,6})\s*\(([^()]+\s[^()]+)\)\s*$")


def spelt_out(name: str) -> tuple[str, str] | None:
    """An organisation's acronym and the name it stands for in brackets after it ('FSB (Federal Security Service)',
    'ADF (Allied Democratic Forces)'), each a name of its own, as short_name reads 'Long Name
    (SHORT)'; None for any other name, and for a bracket that is a note (vocab annotations: 'Romeo (Call sign)')."""
    found = _SPELT_OUT_RE.match(name)
    if not found or vocabulary().annotations.search(name):
        return None
    return found.group(1), found.group(2).strip()


_BRACKET_END_RE = re.compile(r"\(([^()]{2,60})\)\s*$")


def without_bracketed_alias(name: str) -> str:
    """An organisation's name before the alias in brackets it ends with ('China North Industries Group Corporation
    Limited (Norinco Group)', 'Second Academy of Natural Science Foreign Affairs Bureau (SANS FAB)'), or '': the
    name another list gives without it ('Semiconductor Manufacturing International (Tianjin) Corporation (SMIC
    Tianjin)': a name and its place). A bracket holding a qualifier (vocab bracket_qualifiers) or no word of a name
    (only places, sector words, a legal form) qualifies the name instead ('Revolutionary Guard Corps (Libya)', 'X SAL
    (Offshore)', 'X (Group)'): never dropped."""
    found = _BRACKET_END_RE.search(name)
    if not found or not name[: found.start()].strip() or _SPLIT_RE.sub("", found.group(1).casefold()) in vocabulary().bracket_qualifiers:
        return ""
    inner = analyse(found.group(1)).tokens
    if not _names_a_party(inner):
        return ""
    return name[: found.start()].strip()


_SHORT_NAME_RE = re.compile(r"\(([A-Z0-9][A-Z0-9&.\- ]{1,14})\)?\s*$")


def without_short_name(name: str) -> str:
    """The name before the short name it ends with (short_name), or '' when it ends with none."""
    found = _short_name(name)
    return name[:found[0]].strip() if found else ""


def short_name(name: str) -> AnalysedName | None:
    """The short name in capitals an organisation's name ends with, in brackets ('Second Academy of Natural
    Science Foreign Affairs Bureau (SANS FAB)'), as a name of its own; None when there is none, or when it
    holds no distinctive word (a legal form, a place: '(LLC)', '(HK)'). Not a merge key of the clusters
    (graph.py reads split_alternatives): two parties may share a short name."""
    found = _short_name(name)
    return found[1] if found else None


def _short_name(name: str) -> tuple[int, AnalysedName] | None:
    """Where the short name `name` ends with starts, and the short name analysed (short_name)."""
    found = _SHORT_NAME_RE.search(name)
    if not found or sum(ch.isalpha() for ch in found.group(1)) < 2:
        return None
    short = analyse(found.group(1))
    return (found.start(), short) if _names_a_party(short.tokens) else None


def _names_a_party(tokens: tuple[Token, ...]) -> bool:
    """Whether a bracket's words hold a word of a name, not only a legal form, sector words or places."""
    return any(t.kind == WORD and t.text not in LEGAL_FORM_TOKENS for t in tokens)


@lru_cache(maxsize=1 << 18)  # the build asks for every listed name several times (merge keys, bare rows, index)
def split_alternatives(raw: str) -> tuple[str, ...]:
    """A name string that carries former names or aliases ("X f.k.a. Y", "X; Y") -> every name in it."""
    vocab = vocabulary()
    raw = normalise(raw).text  # as analyse reads it, before any reading splits or reorders it
    text = _drop_repeated_acronyms(vocab.annotations.sub(" ", raw)).strip()
    lowered = text.lower()
    for marker in vocab.noise_prefixes:
        if lowered.startswith(marker):
            text = text[len(marker):].strip(" :;,-")
            lowered = text.lower()
    for marker in vocab.noise_suffixes:
        at = lowered.find(marker)
        if at > 0:
            text = text[:at].strip(" ,;:-")
            lowered = text.lower()
    text = _BIRTH_NOTE.sub("", text)
    inner = _INNER_BRACKET.match(text)
    former = vocab.former_pattern.match(inner.group(2)) if inner else None
    if inner and former and inner.group(2)[former.end():].strip(" )"):
        # an alias in brackets inside the name ('PEARL (A.K.A. NEI-CHIEN CHU) LI': Pearl Li, a.k.a. Nei-Chien Chu); not
        # a note before the alias ('Abu Bakr (previously listed as) Abu Bakar')
        text = f"{inner.group(1)} {inner.group(3)} {inner.group(2)}"
    # A list's one alias field may hold several, separated by ';' (the UN's ALIAS_NAME: 'Qasim Soleimani;
    # Qasem Sulaimani; Kasim Soleimani'): each is a name.
    parts = [_trim_part(one) for part in vocab.former_pattern.split(text) for one in part.split(";")]
    return tuple(p for p in parts if p) or (raw.strip(),)


# A bracket inside a name that goes on after it ('PEARL (A.K.A. NEI-CHIEN CHU) LI', BIS Denied Persons List).
_INNER_BRACKET = re.compile(r"^(.*?\S)\s*(\([^()]+\))\s*([^()\s][^()]*)$")


# A branch's name: the company's, then the branch's city and the word for a branch ('X Co., Ltd. Shanghai Branch',
# 'X - Dubai Branch', 'X (Hamburg Representative Office)'; Chinese 'X公司深圳分公司').
_BRANCH_RE = re.compile(r"[\s,;:(\-–—]*\b(?:branch(?:\s+office)?|representative\s+office|rep\.?\s+office|liaison\s+office)\W*$", re.IGNORECASE)
_HAN_BRANCH_RE = re.compile(r"(?<=公司).{0,6}分公司$")
_BRANCH_PUNCTUATION = " ,;:()-–—"


def query_names(raw: str) -> tuple[str, ...]:
    """Each name a query carries (split_alternatives), then the further names they are read as (derived_names)."""
    names = split_alternatives(raw)
    return names + tuple(derived_names(names))


def derived_names(names: tuple[str, ...]) -> dict[str, str]:
    """The further names a query's names are read as, each with what the explanation says of it: for a branch's name
    the company's (a branch has no legal person of its own, so a listed company's branch is that company; never applied
    to listed names, where it would join a listed branch to its company); a name without the alias in brackets it ends
    with (without_bracketed_alias), as a listed name is read (readings); a web or e-mail address as its site's name
    (site_name)."""
    derived: dict[str, str] = {}
    for read, note in (
        (_without_branch, "a branch's name, read as its company's"),
        (without_bracketed_alias, "read without the alias in brackets"),
        (site_name, SITE_NAME),
    ):
        for name in names:
            found = read(name)
            if found and found not in names:
                derived.setdefault(found, note)
    return derived


SITE_NAME = "a web or e-mail address, read as its site's name"  # derived_names' note of a site_name
# A web address, host name or e-mail address typed as a name, as a cloud or CDN provider knows its customers: the host.
_WEB_ADDRESS = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:[^\s@/]+@)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)\.?(?::\d+)?(?:[/?#]\S*)?$", re.IGNORECASE)


def site_name(name: str) -> str | None:
    """The name a web or e-mail address gives its site: the registrable domain's first label, with the public suffix
    and any 'www' or mailbox off ('www.dahuasecurity.com' -> 'dahuasecurity', 'https://hikvision.com.cn/en/' ->
    'hikvision', 'info@sensetime.com' -> 'sensetime'); None for any other name, or a host of no known suffix."""
    found = _WEB_ADDRESS.match(name.strip())
    site = known_site(found.group(1)) if found else None
    return site.split(".")[0] if site else None


def _without_branch(name: str) -> str | None:
    """The company's name in a branch's name, its city and the word for a branch off; None when it names no branch
    (a name that merely ends in the word, 'Olive Branch', has no city before it)."""
    if _HAN_BRANCH_RE.search(name):
        return _HAN_BRANCH_RE.sub("", name)
    match = _BRANCH_RE.search(name)
    if match is None:
        return None
    head = name[: match.start()]
    places = vocabulary().places
    cut = max(head.rfind(" - "), head.rfind(","), head.rfind("("))
    if cut > 0 and all(word.casefold() in places for word in head[cut:].strip(_BRANCH_PUNCTUATION).split()):
        company = head[:cut]  # 'X Co., Ltd. - Shenzhen', 'X (Hamburg'
    else:
        words = head.split()
        city = _trailing_place(words)
        if not city or city == len(words):
            return None
        company = " ".join(words[:-city])
    return company.strip(_BRANCH_PUNCTUATION) or None


def _trailing_place(words: list[str]) -> int:
    """How many of the last words name one place: 2 for a place of two words ('Hong Kong'), 1, or 0."""
    vocab = vocabulary()
    last = tuple(word.strip(_BRANCH_PUNCTUATION).casefold() for word in words[-2:])
    if len(last) == 2 and vocab.phrases.get(last) in vocab.places:
        return 2
    return 1 if last and last[-1] in vocab.places else 0


# A birth date a customer record writes after the name ('Rami Makhlouf born 1969', 'X (DOB: 10 Jul 1969)', 'X, b.
# 1969'): no part of the name (screen it with --birth-date). Ends with a year, so 'Max Born' keeps his name.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_BIRTH_NOTE = re.compile(
    r"[\s,;(]+(?:born|b\.|dob|d\.o\.b\.?|date of birth)[\s:.]*"
    rf"(?:(?:\d{{1,2}}[\s./-]+)?(?:{_MONTH}[\s./-]+)?(?:\d{{1,2}}[\s./-]+)?(?:1[89]|20)\d\d|(?:1[89]|20)\d\d(?:[./-]\d{{1,2}}){{0,2}})\)?\s*$",
    re.IGNORECASE,
)


def _trim_part(part: str) -> str:
    """One name of a split string, without the quotes and punctuation around it; a final apostrophe
    after a Hebrew letter stays: it is a geresh typed on a Latin keyboard (לינץ' is Lynch)."""
    trimmed = part.strip(" ,;:()\"'")
    if trimmed and "\u05d0" <= trimmed[-1] <= "\u05ea" and part.rstrip(" ,;:()\"").endswith("'"):
        return trimmed + "'"
    if trimmed.count("(") > trimmed.count(")") and part.rstrip(" ,;:\"'").endswith(")"):
        return trimmed + ")"  # its own bracket closes: 'China Telecom (Group)'
    return trimmed


def _drop_repeated_acronyms(text: str) -> str:
    """'China Communications Construction Company (CCCC)', 'Chengdu JOUAV Co (JOUAV)', 'China National Chemical
    Corporation (ChemChina)': a bracketed acronym, word or contraction (_contracted) that the name already spells
    out says nothing more."""

    def keep(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        before = _SPLIT_RE.split(text[: match.start()].lower())
        words = [w for w in before if w]
        initials = "".join(w[0] for w in words)
        lowered = inner.lower().replace(" ", "")
        if lowered in words or (len(lowered) >= 2 and lowered.isalpha() and lowered in initials):
            return " "
        if _contracted(inner.lower(), words):
            return " "
        return match.group(0)

    return _BRACKETED_RE.sub(keep, text)


CONTRACTED_PIECE = 3  # letters of a word's beginning that a contracted short name keeps ('Info', 'Chem')


def _contracted(inner: str, words: list[str]) -> bool:
    """A bracketed short name made of the name's words cut short ('China Marine Information Electronics Company
    (China Marine Info Elec)', 'China National Chemical Corporation (ChemChina)'): each of its words, or each piece
    of its one word (two pieces at least), begins a word of the name."""
    begins = {word[:size] for word in words for size in range(CONTRACTED_PIECE, len(word) + 1)}
    pieces = inner.split()
    if len(pieces) > 1:
        return all(piece in begins for piece in pieces)
    return _pieces(inner, begins) >= 2


def _pieces(text: str, begins: set[str]) -> int:
    """How many beginnings of words `text` is written as, end to end (the most), or 0 when it is not. Solved from
    the end, each position once: trying every cut anew took 0.7 s for one bracket of 40 letters."""
    n = len(text)
    most = [0] * (n + 1)  # most[i]: the pieces text[i:] is written as, 0 when none; most[n] ends a piece
    for start in range(n - CONTRACTED_PIECE, -1, -1):
        for end in range(start + CONTRACTED_PIECE, n + 1):
            if (end == n or most[end]) and text[start:end] in begins:
                most[start] = max(most[start], 1 + most[end])
    return most[0]


def skeleton(text: str) -> str:
    """Consonant-class key: how a Latin spelling compares with a loose romanisation (abjads,
    Hangul, Burmese, kana); see scripts.consonant_key."""
    return consonant_key(text)


def _han_segments(run: str, vocab: Vocabulary, japanese: bool = False, marked: bool = False) -> list[Piece]:
    """Segment a Han run by longest match on known words; each stretch between them is one word.
    Returns (romanised token, kind-hint, loose) triples; the hint is 'generic', 'place' or ''.
    A run `marked` as part of a foreign name (scripts.NAME_DOTS) reads each stretch by sound, and
    no city in it (阿布 is Abu, not Abu Dhabi)."""
    out: list[Piece] = []
    rest = ""
    i = 0
    countries = {} if japanese else han_countries()  # '中国' china (a Japanese name says 日本 Nippon)
    longest = max(vocab.han_max, max(map(len, countries), default=0))
    # The vocabulary's Han words are simplified (集團 is 集团, 會社 is 会社); a Japanese run is read by pykakasi as written.
    plain = simplified(run)
    if not japanese or len(plain) != len(run):
        run = plain

    def flush() -> None:
        # What is not a known word is the name itself, in one token ('科大讯飞' kedaxunfei): written
        # apart in Latin it still meets it as a compound, and a half of it does not meet another firm.
        # A foreign name written by sound ('哈德森技术公司' Hudson, '赛博勒克斯公司' Cyberlux) is read
        # as the transcription table reads it and compared on consonant classes, as a person's is
        # (scripts.han_transcription). Tune half, cross-script category: 0.795 -> 0.805.
        nonlocal rest
        if rest and japanese:
            out.extend((word, hint, False) for word, hint in japanese_words(japanese_form(rest)))  # read and split by pykakasi
        elif rest:
            foreign = han_transcription(rest, marked)
            placed = None if foreign or marked else _han_place_and_level(rest, vocab, bool(out) and out[-1][1] == "place")
            out.extend(placed or [(foreign, "", SOUND) if foreign else ("".join(lazy_pinyin(rest)), "", False)])
        rest = ""

    while i < len(run):
        if not (japanese or marked) and (run[i] in vocab.han_conjunctions or run[i] in vocab.han_conjunctions_between_words and not rest
                                         and out and out[-1][1] == "generic" and _han_word_at(plain, i + 1, vocab)):
            flush()
            out.append(("and", "", False))
            i += 1
            continue
        ordinal = han_ordinal(run[i:i + 8]) if run[i] == "第" else None
        if ordinal:  # '第十四研究所' the 14th Research Institute
            flush()
            out.append((ordinal[0], "", False))
            i += ordinal[1]
            continue
        for size in range(min(longest, len(run) - i), 1, -1):
            chunk = plain[i:i + size]
            if chunk in countries:
                flush()
                out.extend((word, "place", False) for word in countries[chunk].split())
                i += size
                break
            if chunk in vocab.han_words:
                flush()
                out.append((vocab.han_words[chunk], "generic", False))
                i += size
                break
            if size <= 3 and not marked:
                romanised = "".join(lazy_pinyin(chunk))
                if romanised in vocab.places and romanised not in vocab.stopwords:  # 阿布 Abu is no place
                    flush()
                    out.append((romanised, "place", False))
                    i += size
                    break
        else:
            rest += run[i]
            i += 1
    flush()
    return out


def _han_word_at(run: str, start: int, vocab: Vocabulary) -> bool:
    """Whether a word the vocabulary reads (vocab.yaml han_generic) begins at `start` of a simplified Han run."""
    return any(run[start:start + size] in vocab.han_words for size in range(2, vocab.han_max + 1))


def _han_place_and_level(rest: str, vocab: Vocabulary, after_place: bool) -> list[Piece] | None:
    """Han characters that end with an administrative level's (vocab.yaml han_admin_levels) after a place's name: the place
    and its level ('乌鲁木齐市' wulumuqi, city); the level alone right after a place ('北京' then '市'); None otherwise."""
    level = vocab.han_admin_levels.get(rest[-1])
    if level is None:
        return None
    if len(rest) == 1:
        return [(level, "generic", False)] if after_place else None
    place = "".join(lazy_pinyin(rest[:-1]))
    return [(place, "place", False), (level, "generic", False)] if place in vocab.places or place in vocab.place_variants else None


def _transliterate(text: str, vocab: Vocabulary, person: bool = False, as_korean: bool = True) -> list[Piece]:
    """Text in any script -> (latin word, kind hint, loose) triples in order. A person's name
    in Hangul or Han is read family name first (scripts.korean_person, unless not `as_korean`; scripts.han_person)."""
    text = join_zwnj(text)
    if person and as_korean and _HANGUL_RE.search(text):
        words = [w for w in WORD_SPLIT.split(text) if w]
        if all(word_script(w) == "HANGUL" for w in words):
            korean = korean_person(words)
            if korean:
                return korean
    pieces: list[Piece] = []
    pos = 0
    japanese = _HAN_RE.search(text) is not None and is_japanese(text)
    for match in _HAN_RE.finditer(text):
        pieces.extend(_plain_pieces(text[pos:match.start()], person))
        run = match.group(0)
        beside = text[match.start() - 1:match.start()] + text[match.end():match.end() + 1]
        marked = not japanese and any(ch in NAME_DOTS for ch in beside)
        named = (japanese_person(run) or (None if japanese else han_person(run))) if person and not marked else None
        pieces.extend(named or _han_segments(run, vocab, japanese, marked))
        pos = match.end()
    pieces.extend(_plain_pieces(text[pos:], person))
    return pieces


def _plain_pieces(text: str, person: bool = False) -> list[Piece]:
    out: list[Piece] = []
    for word in WORD_SPLIT.split(text):
        if not word:
            continue
        if _NON_LATIN_RE.search(word):
            out.extend(romanise_word(word, person))
        elif not word.isascii():
            # Latin letters with diacritics compare as their base letters ('Šešelj', 'Seselj').
            out.extend((w, "", False) for w in _SPLIT_RE.split(anyascii(word).lower()) if w)
        else:
            out.append((word, "", False))
    return out


@lru_cache(maxsize=1 << 18)  # building the screener asks for most listed names more than once
def analyse(raw: str, person: bool = False, reading: str = "", slips: bool = True) -> AnalysedName:
    """Analyse one name. `person` switches on patronymic and initial handling; `reading` (one of
    READINGS) reads a person's name in another way, a second reading callers take besides the name as
    written (second_reading); `slips`: an organisation's words one slip from a vocabulary word read as it
    (_slips_read), unless that leaves the name no word of its own; a legal form's word is read so either way."""
    vocab = vocabulary()
    cleaned = normalise(raw)  # controls undone, look-alike letters folded: see normalise.py
    text = unicodedata.normalize("NFKC", cleaned.text).casefold()
    written = _NONE if person else frozenset(form for form in WRITTEN_FORMS if form in text)
    notes = list(cleaned.changes)
    if person and reading:
        note, read_as = READINGS[reading]
        text, read = read_as(text)
        if read:
            notes.append(note + ", ".join(read))
        else:
            reading = ""
    if not person:
        text = _POSSESSIVE.sub("", text)  # "Iran's Headquarters" is Iran's, as "Iranian Headquarters" is Iranian
        text = _ELISION.sub(lambda found: _ELIDED[found.group(1)], text)  # "Groupe d'Investissement" is 'de Investissement' ('GIF')
        text = _IS_PROVINCE.sub("isis ", _LEADING_ARTICLE.sub("", text))
    text = _APOSTROPHES.sub("", mark_geresh(text)).replace("?", "").replace("״", '"').replace("׳", "'")
    legal_forms: list[str] = []
    cut: frozenset[str] = _NONE
    read_slips = False
    dotted: set[str] = set()  # acronyms written with dots ('C.T.R.'): words as they are, never read as vocabulary
    if not person:
        ezafe = vocab.ezafe.findall(text)
        if ezafe:  # 'melli-ye sakhteman' -> 'melli sakhteman'
            text = vocab.ezafe.sub(" ", text)
            notes.append(f"the Persian ezafe {ezafe[0]!r} dropped")
        if "." in text:
            text = _legal_forms_spelt(text, vocab)  # dotted forms whole, before their letters are joined ('s.a. de c.v.')
            text = _DOTTED_RE.sub(lambda match: _dotted_form(match, dotted), text)
            cut = frozenset(_TRUNCATED_RE.findall(text))
        said = len(notes)
        text = _slips_read(text, vocab, notes, forms_only=not slips)
        read_slips = len(notes) > said
        text = _spelled_out(_legal_forms_spelt(text, vocab), vocab, notes)  # and as slips were read
        text = _INNER_FORM_WORD.sub(rf"\1{_KEPT}", text)
        found = extract_org_types(text)
        if found:
            legal_forms.extend(form for _, form in found)
            text = remove_org_types(text)
        if text.isascii():
            # A form rigour writes with diacritics, written without them ('Garantex Europe OU' for OÜ):
            # the same table, its forms' marks dropped (NFKD, then marks deleted) as ASCII text has none.
            found = extract_org_types(text, normalize_flags=_NO_MARKS, cleanup=Cleanup.Strong)
            if found:
                legal_forms.extend(form for _, form in found)
                text = remove_org_types(text, normalize_flags=_NO_MARKS, cleanup=Cleanup.Strong)
        text = text.replace(_KEPT, "")
        for form, canonical in vocab.han_words.items():
            # Hangul and kana legal forms are not Han, so segmenting would not see them.
            if canonical == "company" and not _HAN_RE.search(form) and form in text:
                legal_forms.append(form)
                text = text.replace(form, " ")
        text = _SPACED_LETTERS.sub(_joined_letters, text)
    rare_forms = [form for form in legal_forms if form not in LEGAL_FORM_TOKENS]
    tokens: list[Token] = []
    pieces = _split_glued(_transliterate(text, vocab, person, as_korean=reading != HANGUL_SOUNDS))
    if person and not reading and palladius_as_pinyin(text)[1]:
        # A Chinese name in Cyrillic is compared as pinyin in its second reading; as written, its words are not read
        # loosely on consonant classes ('Чэнь Цюаньго' tsyuango met 'CHEN, Shusheng' at 0.84).
        pieces = [(word, hint, False) for word, hint, _ in pieces]
    if not person:
        pieces = _split_joined_and(_spelled_out_pieces(pieces, vocab, notes), vocab, notes)
    phrased = pieces if person or not vocab.phrases else _phrases(pieces, vocab.phrases)
    for n, (word, hint, abjad) in enumerate(phrased):
        if person and not abjad and (  # a loose romanisation may spell a title by chance (Hebrew 'מר' mr)
            word in vocab.person_titles or title_spelling(word) in vocab.person_titles or word in vocab.person_particles
            or word in vocab.leading_titles and all(t.kind == STOP for t in tokens)
        ):
            tokens.append(_token(word, STOP, word, False))
            continue
        if word in dotted and word not in vocab.place_variants and word not in vocab.places:  # 'H.K.' is Hong Kong, as 'HK' is
            tokens.append(_token(word, WORD, word, False))
            continue
        canonical = _patronymic(vocab.person_abbreviations.get(word) or vocab.canonical.get(word, word), vocab) if person else (
            vocab.place_variants.get(word) or vocab.canonical.get(word) or vocab.canonical.get(_RUSSIAN_IA.sub("ya", word))
            or russian_inflected(word, vocab) or word)
        if word in _BEFORE_A_NAME and n == len(phrased) - 1:
            canonical = word  # 'VALTEX-ST', 'ELIX ST': no saint at a name's end
        if not person and (
            canonical in LEGAL_FORM_TOKENS
            or hint == "generic" and canonical in {"company", "corporation", "limited"}
            or _misspelled_legal_word(canonical, vocab)
        ):
            legal_forms.append(canonical)
            continue
        kind = WORD if canonical == ORGANISATION_KUNYA and not person and not tokens else _classify(canonical, hint, person, vocab)
        tokens.append(_token(canonical, kind, word, bool(abjad), abjad == SOUND or abjad in SPELT_BY, spelt=abjad if abjad in SPELT_BY else ""))
    if not person and not any(t.kind in (WORD, NUMBER) for t in tokens):
        # A name that is only a country's name in another language ('Singapur', 'Германия') is read as written: it is
        # the country's English name beside a name's own words ('Gazprombank (Schweiz)').
        tokens = [_rekind(t, WORD, t.source) if t.source in vocab.countries_abroad else t for t in tokens]
    if rare_forms and not any(t.kind in (WORD, NUMBER) for t in tokens):
        # Short, rare forms read at the start ("STG Group", "SA Trading") are more likely the name.
        tokens = [_token(f, WORD, f, False) for f in rare_forms if f.isalpha()] + tokens
        legal_forms = [f for f in legal_forms if f not in rare_forms]
    if not tokens and legal_forms:
        # A name that is nothing but a legal form word ("The Company") keeps its words.
        tokens = [Token(f, WORD, WEIGHTS[WORD], f) for f in legal_forms]
        legal_forms = []
    if person and tokens and all(t.kind == STOP for t in tokens):
        # A name that is nothing but a title ('Mufti', 'Imam') is that person's name.
        tokens = [_rekind(t, _classify(t.text, "", person, vocab)) for t in tokens]
    if person and len(tokens) >= 2:
        tokens = _particles_as_names(tokens, text, vocab)
    if person and len(tokens) >= 3:
        tokens = _short_patronymics(tokens, vocab)
    if person and any(t.kind == PATRONYMIC or vocab.east_slavic_marks.search(t.text) for t in tokens if not t.abjad):
        tokens = [_token(t.text, t.kind, t.source, t.abjad, t.sound, True) if t.kind in (WORD, PATRONYMIC) and not t.abjad else t for t in tokens]
    body = not person and not legal_forms and any(t.text in vocab.public_body_words for t in tokens)
    if body:
        tokens = _admin_levels(tokens, vocab)
    forms = _acronym_forms(tuple(legal_forms), written) if legal_forms and not person else ()
    acronyms = _NONE if person else frozenset(t.text for t in tokens if _own_acronym(t, tokens, forms)) or _NONE
    # A word the vocabulary knows ('Academy.', 'Center.') is whole: its dot ends the name's sentence.
    truncated = (frozenset(t.source for t in tokens if t.kind == WORD and t.source in cut) or _NONE) if cut else _NONE
    syllables = _hyphened_syllables(text, tokens) if person and "-" in text else ()
    if slips and read_slips and not any(t.kind in (WORD, NUMBER, PLACE) for t in tokens):
        # A name all of sector words once its slips are read is a name as written ('Incorporated Electonics Systems',
        # a listed firm): its misspelt word is what names it. With a place it is named ('SHIRAZ ELECTONIC INDUSTRIES').
        # A legal form's word is still read through its slip: it never names the firm ('OTVETSTVNNOSTYU M-FINANS').
        return analyse(raw, person, reading, slips=False)
    return AnalysedName(raw, tuple(tokens), tuple(legal_forms), body, tuple(notes), person, reading, acronyms, forms, truncated, syllables)


# A kunya opening an organisation's name ('Abu Sayyaf Group', 'Abu Dhabi ...'), or a person's name screened as an
# organisation's, is a word of the name, not the particle it is inside a person's: 'Abou Sami' is no 'SAMI', the
# acronym of a Belarusian state authority (session 39, after its test read; tune: 'Abu Baqer' / 'BAJER S.R.L.' 0.62).
ORGANISATION_KUNYA = "abu"
_SLIP_WORD = re.compile(r"(?<!\w)[a-z]{6,}(?!\w)")  # a Latin word


def _slips_read(text: str, vocab: Vocabulary, notes: list[str], forms_only: bool) -> str:
    """Words one slip from a vocabulary word read as it, but never a word of a legal form rigour's org types read as
    written ('Aktsionerne Tovarystvo' is Ukrainian, not a slip of the Russian 'aktsionernoe')."""
    if not any(_slip_of(word, vocab, forms_only) for word in _SLIP_WORD.findall(text)):
        return text  # most names: no slip, and the legal forms are read once, after
    formal = {word for found, _ in extract_org_types(text) for word in found.split()}
    return _SLIP_WORD.sub(lambda found: found.group(0) if found.group(0) in formal else _slip_read(found.group(0), vocab, notes, forms_only), text)


def _slip_of(word: str, vocab: Vocabulary, forms_only: bool) -> str:
    """The vocabulary word `word` is a slip of, as spelt; '' when none. Pinyin syllables one letter apart are other
    syllables ('hangyuan' / 'hangyun' shipping)."""
    spelt = vocab.slips.read(word, forms_only)
    return "" if not spelt or wade_giles.pinyin_run(word) and wade_giles.pinyin_run(spelt) else spelt


def _slip_read(word: str, vocab: Vocabulary, notes: list[str], forms_only: bool) -> str:
    spelt = _slip_of(word, vocab, forms_only)
    if not spelt:
        return word
    notes.append(f"{word!r} read as {spelt!r}, one letter off")
    return spelt


# A Russian adjective's -ая or -ия written -aia, -iia (ALA-LC, older English spellings: 'SUDOKHODNAIA KOMPANIIA') for
# the -aya, -iya the vocabulary spells.
_RUSSIAN_IA = re.compile(r"(?<=[a-z]{4}[ai])ia$")


_HYPHENED = re.compile(r"(?<![\w-])([^\W\d_]{1,6})-([^\W\d_]{1,6})(?![\w-])")


def _hyphened_syllables(text: str, tokens: list[Token]) -> tuple[tuple[int, int], ...]:
    """The places of the two tokens of each word of two syllables joined by a hyphen ('Il-soon', 'Kwang-kyu'): a
    Korean or Chinese given name, whose syllables are one name in that order (score rule syllable_order_cap)."""
    vocab = vocabulary()  # 'Al-Dib', 'Ben-Nir': an article or 'son of' before a name is no syllable; after one it is ('Ok-bin')
    groups = {(a, b) for a, b in _HYPHENED.findall(text)
              if korean_latin.one_syllable(a) and korean_latin.one_syllable(b) and a not in vocab.stopwords and a not in vocab.person_particles}
    if not groups:
        return ()
    return tuple((i, i + 1) for i in range(len(tokens) - 1) if (tokens[i].source, tokens[i + 1].source) in groups)


@lru_cache(maxsize=1024)
def _acronym_forms(legal_forms: tuple[str, ...], written: frozenset[str]) -> tuple[str, ...]:
    """The first letter or two of each legal form taken out of an organisation's name, and its Russian word's (vocab
    russian_initials: company, kompaniya, k), which its acronym may spell ('ZISCO', Zarand Iranian Steel Company:
    score._initials_run); '+' before those of a form the name writes out ('Company'), which may stand inside the
    acronym ('SCIT', Syrian Company for Information Technology). Shortest first, in one fixed order, the order they are
    tried in: a set's order follows the process's hash seed ('NICO' / 'NATIONAL IRANIAN OIL COMPANY' scored 0.85 or 0.75
    as +c or +co came first), and words spell what they can before a form does."""
    russian = vocabulary().russian_initials
    pieces = {(form, form[:size]) for form in legal_forms if form[:1].isalpha() for size in (1, 2)}
    pieces |= {(form, letters) for form in legal_forms for letters in russian.get(form, ())}  # 'kompaniya': k
    return tuple(sorted({("+" if form in written else "") + letters for form, letters in pieces}, key=lambda f: (len(f), f)))


def _own_acronym(token: Token, tokens: list[Token], forms: tuple[str, ...] = ()) -> bool:
    """An organisation's word that spells the initials of its other words in a row: the name said again
    ('Chinese Academy of Sciences (CAS)', 'Islamic State in the Greater Sahara (ISGS)'; score's rule repeated_word);
    or, the name's first word, the first letter or two of some of the words after it in order, a legal form's letters
    among them ('AVIC Aviation Industry Corporation of China': AV-I-C; 'CETC China Electronics Technology Group
    Corporation', its group unspelt). Not so elsewhere in the name: a word in the middle of a name that another
    name's acronym resembles is that name's own word ('... Corporation 29 (KACETC 29) Research Institute' is no CETC)."""
    if not 3 <= len(token.text) <= OWN_ACRONYM_MAX or not token.text.isalpha():
        return False
    others = [t for t in tokens if t is not token and t.kind != STOP]
    if token.text in initials(others):
        return True
    return len(others) >= 2 and tokens[0] is token and _spells_from(token.text, [t.source for t in others], forms, True)


OWN_ACRONYM_MAX = 6  # letters of a word read as the name's own acronym by its words' first letters or two


def _spells_from(letters: str, words: list[str], forms: tuple[str, ...], first: bool) -> bool:
    """_own_acronym's reading: `letters` spelt by the first letter or two of `words` in order, some skipped (never the
    first), and by one legal form's letters (_acronym_forms) once."""
    if not letters:
        return True
    for i, word in enumerate(words[:1] if first else words):
        for size in (1, 2):
            if len(word) > size and letters.startswith(word[:size]) and _spells_from(letters[size:], words[i + 1 :], forms, False):
                return True
    return not first and any(
        letters.startswith(form.lstrip("+")) and _spells_from(letters[len(form.lstrip("+")) :], words, (), False) for form in forms
    )


def initials(tokens: Iterable[Token]) -> str:
    """The first letters of a name's words, particles aside: an acronym's plain reading (_own_acronym,
    index._initials; score._initials_run reads more)."""
    return "".join(t.source[:1].lower() for t in tokens if t.kind != STOP)


def _patronymic(word: str, vocab: Vocabulary) -> str:
    """A Belarusian patronymic as the Russian one ('mikalaeuna' -> 'mikalaevna', vocab.yaml)."""
    if len(word) > 6:
        for ending, russian in vocab.patronymic_endings:
            if word.endswith(ending):
                return word[: -len(ending)] + russian
    return word


def _dotted_form(match: re.Match[str], acronyms: set[str]) -> str:
    """A legal form written with dots as its one word, or an acronym written so (added to `acronyms`)."""
    letters = match.group(0).replace(".", "")
    form = DOTTED_FORMS.get(letters)
    if not form and _dotted_acronym(match, letters):
        form = letters
        acronyms.add(letters)
    return f" {form} " if form else match.group(0)


def _dotted_acronym(match: re.Match[str], letters: str) -> bool:
    """Letters with dots that are the organisation's acronym: three or more, the whole name or inside it; at the end of
    a longer name they are more often a legal form no table holds ('Telecom Egypt S.A.E.'), unless quoted or in
    brackets ('"G.A.M.M.A."', two letters so too: '(H.K.)'), after 'the' or 'of' ('of the D.P.R.K.'), or after a
    legal form alone ('OOO A.T.O.M.A.'). Two letters elsewhere stay initials ('I.V. Gorynin')."""
    before, after = match.string[: match.start()], match.string[match.end():]
    if before.rstrip()[-1:] in _OPENERS and (after.lstrip()[:1] in _CLOSERS or not after.strip()):
        return True  # a quote left open at the name's end too ('Enterprise "GAMMA', as the lists' names may be cut)
    if len(letters) < DOTTED_ACRONYM_MIN:
        return False
    words = before.strip(_PUNCTUATION).split()
    if not words or after.strip(_PUNCTUATION):
        return True  # the whole name, or inside it
    return words[-1] in _BEFORE_AN_ACRONYM or all(word.strip(_PUNCTUATION) in LEGAL_FORM_TOKENS for word in words)


def _short_patronymics(tokens: list[Token], vocab: Vocabulary) -> list[Token]:
    """'Ilyich' in 'Vladimir Ilyich Lenin': a short patronymic ending, read only after a first word."""
    return [
        _rekind(t, PATRONYMIC)
        if i and t.kind == WORD and len(t.text) >= 6 and t.text.endswith(vocab.patronymic_suffixes_in_full_names)
        else t
        for i, t in enumerate(tokens)
    ]


def _admin_levels(tokens: list[Token], vocab: Vocabulary) -> list[Token]:
    """In a public body's name, administrative levels ("regional", "prefecture") are one class of
    interchangeable words, and so is a people named just before one ("Uyghur Autonomous Region")."""
    out = list(tokens)
    for i, t in enumerate(tokens):
        level = vocab.admin_levels.get(t.text) or vocab.admin_levels.get(t.source)
        if level and t.kind != NUMBER:
            out[i] = _rekind(t, ADMIN, level)
            if i > 1 and tokens[i - 1].text in vocab.admin_peoples:
                out[i - 1] = _rekind(tokens[i - 1], ADMIN)
    return out


def _split_glued(pieces: list[Piece]) -> list[Piece]:
    """'valfajr2' -> 'valfajr' '2': a vessel's or company's number written against its name.
    'Abed' or 'Abid' before another word -> 'abd' ('Abed Allah', 'Abid Hamid': vocab abd_spellings).
    A vocabulary word that stands for several ('公安局' public security office) -> each of them."""
    out: list[Piece] = []
    abd_spellings = vocabulary().abd_spellings
    for i, (word, hint, abjad) in enumerate(pieces):
        if word in abd_spellings and i + 1 < len(pieces) and pieces[i + 1][0].isalpha():
            out.append(("abd", hint, abjad))
            continue
        glued = _GLUED_RE.match(word)
        if glued:
            out.extend((part, hint, abjad) for part in glued.groups() if part)
        elif " " in word:
            out.extend((part, hint, abjad) for part in word.split())
        elif not abjad and len(word) >= 5 and word.isalpha():
            out.extend((part, hint, abjad) for part in arabic_parts(word))
        else:
            out.append((word, hint, abjad))
    return out


def _legal_forms_spelt(text: str, vocab: Vocabulary) -> str:
    """Legal forms as lists and users spell them (vocab.yaml legal_form_spellings) written as rigour's org types read them."""
    return vocab.legal_form_spellings_re.sub(lambda m: vocab.legal_form_spellings[m.group(0)], text)


def _spelled_out(text: str, vocab: Vocabulary, notes: list[str]) -> str:
    """'npo splav' -> 'scientific production association splav': an institution's abbreviation (vocab.yaml's
    spelled_out) read as the words it stands for, as the lists write the same body's name in full; before
    legal forms are read (rigour's org types take NPO for a non-profit organisation)."""

    def words(match: re.Match[str]) -> str:
        notes.append(f"{match.group(0)} read as {vocab.spelled_out[match.group(0)]}")
        return vocab.spelled_out[match.group(0)]

    return vocab.spelled_out_re.sub(words, text)


def _spelled_out_pieces(pieces: list[Piece], vocab: Vocabulary, notes: list[str]) -> list[Piece]:
    """A word of another script read as an abbreviation or compound of vocab.yaml's spelled_out ('НПО' npo, 'ЧВК' chvk,
    'судостроительная' sudostroitelnaya): the words it stands for, as _spelled_out reads them written in Latin letters
    (in the text, before other scripts are romanised)."""
    out: list[Piece] = []
    for word, hint, loose in pieces:
        words = vocab.spelled_out.get(word)
        if words is None:
            out.append((word, hint, loose))
            continue
        notes.append(f"{word} read as {words}")
        out.extend((part, hint, False) for part in words.split())
    return out


def _split_joined_and(pieces: list[Piece], vocab: Vocabulary, notes: list[str]) -> list[Piece]:
    """'impandexp' -> 'imp' 'exp': a list's '&' written 'and' between two vocabulary words (vocab.yaml's
    joined_and), read as 'imp&exp' is. A word whose parts are not both vocabulary words keeps its letters."""
    out: list[Piece] = []
    for word, hint, abjad in pieces:
        if not abjad and len(word) >= 7:
            for match in vocab.joined_and.finditer(word):
                left, right = word[:match.start()], word[match.end():]
                if _vocabulary_word(left, vocab) and _vocabulary_word(right, vocab):
                    out.extend(((left, hint, abjad), (right, hint, abjad)))
                    notes.append(f"'{word}' read as '{left}&{right}' (an '&' written '{match.group(0)}' inside a word)")
                    break
            else:
                out.append((word, hint, abjad))
        else:
            out.append((word, hint, abjad))
    return out


def _vocabulary_word(word: str, vocab: Vocabulary) -> bool:
    return len(word) >= 2 and word.isalpha() and word not in vocab.stopwords and (word in vocab.canonical or word in vocab.generic)


def _phrases(pieces: list[Piece], phrases: dict[tuple[str, ...], str]) -> list[Piece]:
    """Words that name one thing together ('torgovyy dom', 'trading house', 'islamic republic of iran') ->
    that one word."""
    sizes = sorted({len(phrase) for phrase in phrases}, reverse=True)
    out: list[Piece] = []
    i = 0
    while i < len(pieces):
        for size in sizes:
            words = tuple(word for word, _, _ in pieces[i:i + size])
            if len(words) == size and words in phrases:
                out.append((phrases[words], "", False))
                i += size
                break
        else:
            out.append(pieces[i])
            i += 1
    return out


def _both_ways(shorts_of: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    """Each name's short forms, and each short form's names."""
    related: dict[str, set[str]] = {}
    for name, shorts in shorts_of.items():
        for short in shorts:
            related.setdefault(name, set()).add(short)
            related.setdefault(short, set()).add(name)
    return {name: frozenset(others) for name, others in related.items()}


@lru_cache(maxsize=1)
def _nicknames() -> dict[str, frozenset[str]]:
    """Each English given name's short forms and each short form's full names, from the nicknames package's
    hand-curated table (carltonnorthern/nicknames, Apache-2.0)."""
    return _both_ways(NickNamer().nickname_lookup)


_THEOPHORIC = re.compile(r"[aou]ll?ah?")  # the -ullah of 'Ghodratollah', 'Asadullah', 'Hizbullah'


def nickname(a: str, b: str) -> bool:
    """Whether one of two person's names is the other's short form, English ('larry' / 'lawrence') or another
    language's (vocab.yaml's short_forms: 'nacho' / 'ignacio'), or a Persian and Arabic name of God's attribute
    without its -ullah ('ghodrat' / 'ghodratollah', 'shafiq' / 'shafiqullah'; not 'abdul' / 'abdullah': abd is no
    name alone)."""
    if b in _nicknames().get(a, ()) or b in vocabulary().short_forms.get(a, ()):
        return True
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return without_theophoric(long) == short


def without_theophoric(name: str) -> str:
    """A name of God's attribute without its -ullah ('ghodratollah' -> 'ghodrat'), '' when it has none or is
    Abdullah's kind (abd is no name alone)."""
    found = _THEOPHORIC.search(name, 4)
    if found is None or found.end() != len(name) or name.startswith("abd"):
        return ""
    return name[: found.start()]


def _misspelled_legal_word(word: str, vocab: Vocabulary) -> bool:
    if len(word) < 8 or word in vocab.canonical or word in vocab.generic:
        return False
    return any(abs(len(word) - len(form)) <= 1 and OSA.distance(word, form, score_cutoff=1) <= 1 for form in LONG_LEGAL_WORDS)


@lru_cache(maxsize=None)
def _token(
    text: str, kind: str, source: str, abjad: bool, sound: bool = False, slavic: bool = False, spelt: str = ""
) -> Token:
    """One shared Token per spelling and class: fewer objects in memory and in the index cache."""
    return Token(text, kind, WEIGHTS[kind], source, abjad, sound, slavic, spelt)


_FAMILY_NAME_FIRST = re.compile(r"^\s*([^\s,]+)\s*,")


def _particles_as_names(tokens: list[Token], text: str, vocab: Vocabulary) -> list[Token]:
    """A person's particle ('abu', 'bin', 'de') with no name after it as the name is said is a name: the last word
    ('Tariq Bin', 'Gelshat Kolayevich Abu'), or, in a name written family name first, that family name before its comma
    ('ABU, Ibrahim'; in 'HAMMAM, Yahya Abu' the particle is said before Hammam). Read as a particle, the name lost its
    family name, and 'Tariq Bin' matched 'Tariq Hassan' (session 55). A letter is an initial ('JULIA A'); Arabic writes
    'son' last for Junior ('... ديلوس رييس الإبن', Delos Reyes Jr.)."""
    if "," not in text:
        end = len(tokens) - 1
    elif (first := _FAMILY_NAME_FIRST.match(text)) and first.group(1) == tokens[0].source:
        end = 0
    else:
        return tokens
    said = tokens[end]
    if said.kind != STOP or len(said.text) < 2 or said.abjad or said.text not in vocab.stopwords or not any(t.kind == WORD for t in tokens):
        return tokens  # most names: asked of every person's name, listed or screened
    return [*tokens[:end], _rekind(said, WORD), *tokens[end + 1:]]


def _rekind(t: Token, kind: str, text: str = "") -> Token:
    """`t` as another kind of word (and, given, another text), its source and script flags kept: one shared Token."""
    return _token(text or t.text, kind, t.source, t.abjad, t.sound, t.slavic, t.spelt)


def _classify(token: str, hint: str, person: bool, vocab: Vocabulary) -> str:
    if any(ch.isdigit() for ch in token):
        return NUMBER
    if hint in (GENERIC, PLACE):
        return hint
    if token in vocab.stopwords and not (person and token in vocab.person_syllables):
        return STOP
    if len(token) == 1:
        return INITIAL  # a person's initial, or a company's letter ("G&G", "B-Finance")
    if person:
        if token.endswith(vocab.patronymic_suffixes) and len(token) > 6:
            return PATRONYMIC
        return WORD
    if token in vocab.generic:
        return GENERIC
    if token in vocab.places:
        return PLACE
    return WORD

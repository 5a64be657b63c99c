"""The screener: a query -> ranked parties, each with its listings, `via` path and explanation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from redline.parties.graph import Party
from redline.parties.index import NameEntry, NameIndex
from redline.parties.han_translation import STEM, LatinWords, base, has_chinese
from redline.parties.names import ADMIN, GENERIC, PLACE, SITE_NAME, STOP, WORD, AnalysedName, Token, analyse, derived_names, readings, second_reading, split_alternatives, translated, translated_by, vocabulary
from redline.parties.normalise import normalise
from redline.parties.scripts import script_of
from redline.parties.ownership import DEFAULT_RULES, OwnershipRule, applicable
from redline.parties.score import (
    MATCH_THRESHOLD,
    RARE_MAX_DF,
    REVIEW_BAND,
    SECTOR_CONFLICT,
    SET_AT,
    SOUND_KEYS,
    WRITTEN,
    NameComparison,
    Pair,
    Rarity,
    EVERYDAY_ZIPF,
    Similarities,
    compare,
    everyday_word,
    kunyas,
    needing,
    ofac_style_score,
    short_acronym,
)

# MATCH_THRESHOLD (imported from here by the API, the CLI and other domains) lives in score.py, beside the rules set from it.
CANDIDATES = 48
# Letters of a listed word that a query writes joined to a sector word, read apart (Screener._joined_sector_word).
JOINED_WORD_MIN = 4

# One name in each script the name analysis treats apart: its first use in a process loads that script's tables and
# libraries (a kana name pykakasi's dictionaries, 0.7 s; a Han one CC-CEDICT, about 1 s). Screener.warm screens them where a process
# that forks (a server's parent, a batch's pool) holds the lists, so that no worker's first such name loads them again.
WARM_NAMES = ("Huawei Technologies Co., Ltd.", "华为技术有限公司", "戈德史密斯", "ミツビシ", "三菱商事株式会社",
              "삼성전자", "Газпром нефть", "شركة النفط الوطنية", "גולדשמיט", "ဗမာ့ စီးပွားရေး", "Ελληνική Εταιρεία",
              "भारत हेवी इलेक्ट्रिकल्स", "บริษัท ไทย", "Ivanov Ivan Ivanovich")

# Query schema -> party schemata it can be (LegalEntity and unknown are compatible with all).
COMPATIBLE = {
    "Person": {"Person", "LegalEntity"},
    "Company": {"Company", "Organization", "LegalEntity", "PublicBody"},
    "Organization": {"Company", "Organization", "LegalEntity", "PublicBody"},
    "Vessel": {"Vessel", "LegalEntity"},
    "Airplane": {"Airplane", "LegalEntity"},
}
# What the query's facts do to a name score; each one that fires is named in the explanation.
# A factor is given as the score a name needs before it to still match (score.needing, as
# score.RULES): hand-set in the first engine (bb22e07) at SET_AT, kept because
# benchmarks/parties_accuracy.py lost nothing, and set so that its decision stays where it was when
# the threshold moves.
SCHEMA_MISMATCH = needing(SET_AT / 0.6)  # a company asked, a person found: an exact name lands at 0.8 of the threshold, for review
COUNTRY_MISMATCH = needing(SET_AT / 0.9)  # lists and counterparties disagree on countries often: a nudge, not a veto (a name of 0.83 still matches)
BIRTH_YEAR_MISMATCH = needing(SET_AT / 0.7)  # beyond a year either side: an exact name falls below the threshold (0.7 at 0.75)
BIRTH_YEAR_AGREES = REVIEW_BAND  # the same birth year lifts a name capped or nudged just below the threshold into a match
# A bare name from a names-only list has no facts: when the query gives some, the row can neither
# confirm nor clear them, so it stays visible below the match threshold, for review.
BARE_NAME_CAP = MATCH_THRESHOLD - REVIEW_BAND
# A weak alias (the list's own "low quality" a.k.a.: a nickname, a kunya, a part of a name) is not
# matchable in FollowTheMoney's model. Redline keeps it, but only a query that is the weak alias
# whole is a match through it; anything less stays below the threshold, for review.
WEAK_ALIAS_CAP = MATCH_THRESHOLD - REVIEW_BAND
# A query that is one name spelt by sound (a foreign name in Chinese or Burmese characters, in kana, in
# Hangul), met only on its consonant classes: against every listed name, many sound alike ('စိုးဝင်း' Soe
# Win met 'Yu Son', 'Sernia' and 'Abu Zayna' at 0.663; '科格拉蒂' Cogolati met 'Khalid'), so such a hit is
# shown for review, never a match. Screening only: a pair comparison (compare_names) asks about two names,
# not about the lists, and keeps the key's score (session 26: the rule in the pair score cost the third-party
# Chinese pairs 0.805 -> 0.239 F1; here the generated script cases lose their false matches). Session 52: also one
# word of an abjad or of Cyrillic met only on its consonants ('кросс' met 'CACHIROS', 'исидро' 'ASADULLAH, Syed',
# 'في' 'ANAIA' at 0.663): of 1,050 people's names in Arabic, Burmese, Chinese, Hebrew, Japanese, Korean and Russian
# (the third-party pairs' tune half, 150 a script, screened), those with a match their Latin name does not have
# 144 -> 111 (Arabic 23 -> 3, Russian 14 -> 2, Hebrew 12 -> 11); the generated screening cases unchanged. And a query
# in Hangul, Burmese or Hebrew whose every name is met only on consonant keys (_names_heard_only: 'Harold Ramis' in Hangul met
# 'HUERTA RAMOS, Manuel' at 0.79, 'Sarah Carter' 'Sher Qadir' at 0.85): benchmarks/parties_script_alerts.py, tune half,
# alerts their Latin names do not raise per 1,000 names, Korean 393 -> 167, Burmese 607 -> 453, no other script moved,
# no confirmed alert lost; with Hebrew too, Hebrew 15 -> 4 such alerts of 150 names (the 4 its Latin names confirm
# kept). The lists write no name in these three scripts; not for Chinese or Arabic, which they write: their generated
# screening cases (Chinese renderings of Western names, 'يوسف المداني' / Yusuf Al-Madani) are met on keys too (script
# recall 0.52 -> 0.42 with every script capped so). Session 53: and a query in Burmese with a name met on keys and at most
# one met otherwise (_syllables_heard): a Burmese name is syllables, and one syllable alike, exact or not, with others
# heard alike, is what unrelated names share ('Hokkaido' ဟိုကိုင်းဒိုး met 'RI CHANG HO' at 0.85: 'ho' = 'ho', 'kaing' ~
# 'chang'; 'Khyber' 'CHIT, Khaing Pa Pa'). Tune half: Burmese names' alerts their Latin names do not raise 240 -> 27
# per 1,000, the ones they confirm kept (13); 2,500 tune names screened, 20 false matches fewer, none lost or gained
# otherwise; generated screening cases unchanged; 15 listed Myanmar people written in Burmese by hand still match. Not
# for Hebrew (an abjad, met on keys word by word: its confirmed alerts went too) nor Hangul (a DPRK name's given name is
# met on keys beside an exact family name).
ONE_SOUND_WORD_CAP = MATCH_THRESHOLD - REVIEW_BAND
# A query of one name ('Suheil', 'KAROL') found among a listed person's several names (or a names-only
# row's, whose schema is unknown): many people carry a given name or a family name, so such a hit is shown
# for review, never a match ('Suheil', an alias of Suhail Al-Abdullah, matched Suheil HASSAN at 0.81).
# Screening only, as ONE_SOUND_WORD_CAP.
# Session 32: so is a query of one name against a listed name of that one name (titles and particles aside), when more
# than RARE_MAX_DF listed parties carry it ('Sheikh Mansur' / the kunya 'ABU MANSUR', 1.0): generated tune screening
# one false match fewer (the alias 'al-Hassan' had matched Hassan Dahir Aweys), nothing else moved. Session 46: and a
# listed name of one such name found within a longer query ('John X' / the alias 'John', 0.74): everyday tune people
# one false alert fewer, generated cases and the screening probe unchanged.
ONE_NAME_CAP = MATCH_THRESHOLD - REVIEW_BAND
# An organisation's name that meets a listed one on a single word, an everyday English word, while either has
# words besides ('Sprint' / 'METAL SPRINT', 'Orange S.A.' / 'ORANGE VOLUNTEERS', 'SWAN a.s.' / 'Swan Energy
# Company Limited'): the lists carry the word rarely, the world's firms often, so the name alone cannot say it is
# the listed firm. Shown for review unless the query's country is one of the party's. Screening only, as
# ONE_NAME_CAP: a pair comparison (compare_names) asks about two names, not about a customer; the lists' own
# aliases share such words as one firm's names ('DART AIRLINES' / 'DART, LLC'), and as a cap in the pair score
# the rule cost the larger tune pool 0.848 -> 0.823 company F1 (session 32). Basis, session 32: the everyday
# benchmark (benchmarks/parties_everyday.py, tune half, 2,000 AS holders) and the generated tune screening cases.
EVERYDAY_WORD_CAP = MATCH_THRESHOLD - REVIEW_BAND
# A firm's name that meets a listed one only as an acronym of three letters ('SDI INC' / 'Specialized Depository
# Infinitum', 'D.S.I.' / 'Dalian Sunny Industries'): some 17,000 three-letter acronyms name the world's firms, so the
# letters alone cannot say it is the listed firm. Shown for review unless the query's country is one of the party's
# ('CJSC "UCB"' of Russia / 'UNITED CREDIT BUREAU' stays a match). Screening only, as EVERYDAY_WORD_CAP: the lists' own
# aliases are often such acronyms (frozen tune acronyms, 22 true pairs). Basis, session 34: everyday firms tune half, seven
# of 39 false alerts rested on three letters.
# Session 46: so do three letters written as a word inside a longer listed name that goes on with a word of its own
# ('EMC' / 'EMC SUD LIMITED', 'OST LLC' / 'LLC VEST-OST', matches through rule rare_word_whole; score.short_acronym).
SHORT_ACRONYM_CAP = MATCH_THRESHOLD - REVIEW_BAND


@dataclass
class Query:
    name: str
    schema: str | None = None
    country: str | None = None
    birth_date: str | None = None
    identifiers: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, [])}


@dataclass
class Hit:
    party: Party
    score: float
    comparison: NameComparison
    query_name: str
    listed_name: str
    adjustments: list[str]
    via: list[dict[str, Any]]
    match: bool
    ofac_score: float
    listed_forms: tuple[str, ...] = ()  # the legal forms of the listed name met


class Screener:
    def __init__(self, parties: list[Party], snapshots: list[dict[str, Any]], rules: tuple[OwnershipRule, ...] = DEFAULT_RULES) -> None:
        self.parties = parties
        self.snapshots = snapshots
        self.rules = rules
        entries: list[NameEntry] = []
        weak: list[bool] = []
        for p, party in enumerate(parties):
            seen: set[tuple[Token, ...]] = set()
            for listed in sorted(party.names, key=lambda name: name in party.weak_names):  # strong names first
                for analysed in readings(listed, party.is_person):  # a person's Wade-Giles as pinyin, Korean one way
                    if informative(analysed) and analysed.tokens not in seen:  # spellings that analyse alike: once
                        seen.add(analysed.tokens)
                        entries.append(NameEntry(analysed, p))
                        weak.append(listed in party.weak_names)
        self.index = NameIndex(entries)
        # Rule word_rarity: how many listed parties carry each word (names of unlisted parties, reached
        # only through a relation, are not counted: the lists are what a word is rare in).
        words: list[set[str]] = [set() for _ in parties]
        for entry in entries:
            words[entry.party].update(t.text for t in entry.name.tokens if t.kind != STOP)
            if entry.name.person:
                words[entry.party].update(kunyas(entry.name.tokens))
        self.weak = frozenset(n for n, is_weak in enumerate(weak) if is_weak)
        self.sectors: list[frozenset[str]] = [frozenset() for _ in parties]
        spelt: list[frozenset[str]] = [frozenset() for _ in parties]  # rule rare_spelling: sector words as written ('=tejarat')
        for entry in entries:
            self.sectors[entry.party] |= {t.text for t in entry.name.tokens if t.kind == GENERIC}
            spelt[entry.party] |= {WRITTEN + t.source for t in entry.name.tokens if t.kind == GENERIC and t.source != t.text}
        self.rarity = Rarity.of((w for p, w in zip(parties, words) if p.listed),
                                (s | w for p, s, w in zip(parties, self.sectors, spelt) if p.listed))
        self.rarity = replace(self.rarity, everyday=everyday_words(self.rarity.df))
        self.similar = Similarities()

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("similar", None)  # keyed by the tokens' ids: a loaded screener starts its own
        state.pop("_words", None)  # rebuilt from the index on a Chinese query
        state.pop("_starts", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.similar = Similarities()

    def warm(self) -> None:
        """Load every script's tables and libraries now (WARM_NAMES), as a person's name and as any party's, and
        wordfreq's English word frequencies (rule rare_combination reads them: score._synonyms)."""
        for name in WARM_NAMES:
            for schema in (None, "Person"):
                self.screen(Query(name=name, schema=schema), limit=1)
        everyday_words(("trade",))

    def screen(self, query: Query, limit: int = 5, threshold: float = MATCH_THRESHOLD, on: date | None = None) -> list[Hit]:
        on = on or date.today()
        best: dict[int, Hit] = {}
        cleaned = normalise(query.name)  # as a reader sees it: the explanation says what changed
        typed = split_alternatives(cleaned.text)
        derived = derived_names(typed)
        if query.schema != "Person":
            for site in [name for name, note in derived.items() if note == SITE_NAME]:
                split = self._joined_sector_word(site)
                if split:
                    derived.setdefault(split, "a site's name read as a listed name's word and a sector word joined")
        names = typed + tuple(derived)
        forms: set[str] = set()  # the legal forms the query's names carry: it names an organisation
        for variant, read in self._query_readings(names, query.schema):
            analyses = self._analyse_query(variant, query.schema) if read is None else {True: read}
            if False in analyses:
                forms.update(analyses[False].legal_forms)
            seen: set[int] = set()
            memos = {person: self.similar.rows(analysed.tokens) for person, analysed in analyses.items()}
            # Names that compare alike (the same words, read the same way) are compared once.
            compared: dict[tuple[Any, ...], NameComparison] = {}
            either = next(iter(analyses))
            for analysed in self._generating(analyses):
                for n in self.index.candidates(analysed, CANDIDATES):
                    if n in seen:
                        continue
                    seen.add(n)
                    entry = self.index.entries[n]
                    party = self.parties[entry.party]
                    person = party.is_person if party.is_person in analyses else either
                    name = entry.name
                    key = (person, name.person, name.public_body, *map(id, name.tokens))
                    comparison = compared.get(key)
                    if comparison is None:
                        comparison = compared[key] = compare(analyses[person], name, memos[person], self.rarity)
                    self._offer(best, n, comparison, variant)
            for rows in memos.values():
                self.similar.count(rows)
        if query.schema != "Person":
            for variant in names:
                self._screen_translated(variant, best)
        unlisted = _unlisted_scripts(query.name)
        for index, hit in best.items():
            self._qualify(hit, query, self.sectors[index], forms, unlisted)
            if cleaned.changes:
                hit.adjustments.insert(0, cleaned.note())
            if hit.query_name in derived:
                hit.adjustments.append(f"{derived[hit.query_name]} ({hit.query_name})")
        hits = []
        # Between hits of one score: the party whose sector words the query writes alike, then whose legal form it writes
        # ('PETROM GMBH INTERNATIONAL TRADE' and 'PETROM INTERNACIONAL TRADE, S.L.' are two firms).
        ranked = sorted(best.values(), key=lambda h: (
            -h.score, -_written_alike(h.comparison), not (forms and forms.intersection(h.listed_forms)), -len(h.party.listings), h.party.id,
        ))
        for hit in ranked:
            hit.via = self._via(hit.party, on)
            if not hit.party.listed and not hit.via:
                continue  # an unlisted name with no listed relation is not a hit
            hit.match = hit.score >= threshold and (hit.party.listed or any(v["rule"] for v in hit.via))
            hit.ofac_score = ofac_style_score(hit.query_name, hit.listed_name)
            hits.append(hit)
            if len(hits) == limit:
                break
        return hits

    def _joined_sector_word(self, site: str) -> str | None:
        """A site's name (names.site_name) that no listed name writes, and that is a listed word of JOINED_WORD_MIN
        letters or more followed by a sector word, written as the two ('dahuatech', 'sensetimegroup': a host name has
        no spaces); None when it is not so. Not a name as typed: 'Silvertech SARL' and 'Foratelecom' are firms of their
        own, whose one word 'SILVER TECHNOLOGY' and 'FORA-BANK' do not write (tune half of the everyday firms)."""
        generic = vocabulary().generic
        out = site  # a host's label: lower-case ASCII letters, digits and hyphens
        for token in analyse(site).tokens:
            text = token.text
            if token.kind != WORD or len(text) < JOINED_WORD_MIN + 2 or text in self.index.vocab:
                continue
            for i in range(len(text) - 2, JOINED_WORD_MIN - 1, -1):
                if text[i:] in generic and text[:i] in self.index.vocab:
                    out = out.replace(token.source, f"{text[:i]} {text[i:]}", 1)
                    break
        return out if out != site else None

    def _offer(self, best: dict[int, Hit], n: int, comparison: NameComparison, variant: str) -> None:
        """Keep the comparison with name entry `n` as its party's hit if it is the party's best yet."""
        if comparison.score <= 0:
            return
        entry = self.index.entries[n]
        score, notes = comparison.score, []
        if n in self.weak and score < 1.0:
            score = min(score, WEAK_ALIAS_CAP)
            notes = ["a weak alias (the list's low-quality a.k.a.): only the whole alias is a match, for review"]
        current = best.get(entry.party)
        if current is None or score > current.score:
            best[entry.party] = Hit(self.parties[entry.party], score, comparison, variant, entry.name.original, notes, [], False, 0.0,
                                    entry.name.legal_forms)

    def _screen_translated(self, variant: str, best: dict[int, Hit]) -> None:
        """An organisation's name in Chinese, read in translation against each listed organisation name in
        Latin (names.translated: '人权观察' Human Rights Watch), found by the name read with every listed word."""
        finder = translated_by(variant, self._listed_words()) if has_chinese(variant) else None
        if finder is None:
            return
        words = [t.text for t in finder.tokens]
        derived = [other for word in words if len(word) >= STEM for other in self._by_start().get(word[:STEM], ()) if other != word]
        found = self.index.candidates(finder, CANDIDATES)
        if derived:  # '革命' read 'revolution' finds 'revolutionary' too
            found = list(dict.fromkeys(found + self.index.candidates(analyse(" ".join(words + derived)), CANDIDATES)))
        for n in found:
            listed = self.index.entries[n].name
            read = None if listed.person else translated(variant, listed.original)
            if read is not None:
                self._offer(best, n, compare(read, listed, None, self.rarity), variant)

    def _listed_words(self) -> LatinWords:
        """Every word of the listed names: what a Chinese name may be read as."""
        words = self.__dict__.get("_words")
        if words is None:
            words = self.__dict__["_words"] = LatinWords.of({base(text): text for text in self.index.vocab if text.isalpha()})
        return words

    def _by_start(self) -> dict[str, list[str]]:
        """The listed words by their first STEM letters: the words derived from one another."""
        starts = self.__dict__.get("_starts")
        if starts is None:
            starts = self.__dict__["_starts"] = {}
            for text in self._listed_words().by_base.values():
                if len(text) >= STEM:
                    starts.setdefault(text[:STEM], []).append(text)
        return starts

    @staticmethod
    def _thin_tie(hit: Hit, query: Query, rarity: Rarity) -> None:
        """EVERYDAY_WORD_CAP and SHORT_ACRONYM_CAP: a firm's hit that rests on one everyday word, or only on an acronym of
        three letters, is for review unless the query's country is the party's."""
        if hit.party.is_person or hit.score <= min(EVERYDAY_WORD_CAP, SHORT_ACRONYM_CAP):
            return
        if query.country and query.country.upper() in {c.upper() for c in hit.party.countries}:
            return
        if (word := everyday_word(hit.comparison, rarity)) and hit.score > EVERYDAY_WORD_CAP:
            hit.score = EVERYDAY_WORD_CAP
            said = f"the one word the names share, '{word}', is an everyday word that many firms carry"
        elif (letters := short_acronym(hit.comparison)) and hit.score > SHORT_ACRONYM_CAP:
            hit.score = SHORT_ACRONYM_CAP
            said = f"the names share only the three letters '{letters.upper()}', which many firms' names spell"
        else:
            return
        hit.adjustments.append(f"{said}, and no country given is the party's: for review, not a match")

    @staticmethod
    def _organisation_named(hit: Hit, forms: set[str]) -> None:
        """A query of no schema that names an organisation (a legal form, or for a ship or an aircraft a sector
        word the listed name lacks) found a person, a ship or an aircraft: as a company asked (SCHEMA_MISMATCH)."""
        kind = hit.party.schema
        if kind not in ("Person", "Vessel", "Airplane"):
            return
        said = sorted(forms) if kind == "Person" else sorted(forms | {t.source for t in hit.comparison.query_unmatched if t.kind == GENERIC})
        if said:
            hit.score *= SCHEMA_MISMATCH
            hit.adjustments.append(f"a {kind}, while the query names an organisation ({', '.join(said)})")

    @staticmethod
    def _query_readings(names: tuple[str, ...], schema: str | None) -> list[tuple[str, AnalysedName | None]]:
        """Each name the query carries (names.query_names), and a person's name once more in its second reading
        (names.second_reading)."""
        readings: list[tuple[str, AnalysedName | None]] = []
        for variant in names:
            readings.append((variant, None))
            read = second_reading(variant) if schema in (None, "LegalEntity", "Person") else None
            if read is not None:
                readings.append((variant, read))
        return readings

    @staticmethod
    def _analyse_query(name: str, schema: str | None) -> dict[bool, AnalysedName]:
        """The query analysed as a person name, an organisation name, or both when unknown."""
        if schema == "Person":
            return {True: analyse(name, person=True)}
        if schema in (None, "LegalEntity"):
            return {False: analyse(name), True: analyse(name, person=True)}
        return {False: analyse(name)}

    @staticmethod
    def _generating(analyses: dict[bool, AnalysedName]) -> list[AnalysedName]:
        """The analyses that generate candidates: one when the person and organisation readings
        hold the same words and the organisation reading found no sector word or place."""
        if len(analyses) == 2:
            org, person = analyses[False], analyses[True]
            if {t.text for t in org.tokens} == {t.text for t in person.tokens} and not any(
                t.kind in (GENERIC, PLACE) for t in org.tokens
            ):
                return [person]
        return list(analyses.values())

    def _qualify(self, hit: Hit, query: Query, sectors: frozenset[str], forms: set[str], unlisted: frozenset[str]) -> None:
        party = hit.party
        if query.schema in (None, "LegalEntity"):
            self._organisation_named(hit, forms)
        said = {t.text for t in hit.comparison.query_unmatched if t.kind == GENERIC} if sectors else None
        if said:
            sectors = sectors - {p.listed.text for p in hit.comparison.pairs}
            if sectors and not said & sectors and not any("sector" in p for p in hit.comparison.penalties):
                # The query names a sector that none of this party's names has, and they name another.
                hit.score *= SECTOR_CONFLICT
                hit.adjustments.append(f"sector words differ from the party's other names ({', '.join(sorted(said))} vs {', '.join(sorted(sectors))})")
        if query.schema and query.schema in COMPATIBLE and party.schema not in COMPATIBLE[query.schema]:
            hit.score *= SCHEMA_MISMATCH
            hit.adjustments.append(f"a {party.schema}, not a {query.schema}")
        if query.country and party.countries and query.country.upper() not in {c.upper() for c in party.countries}:
            hit.score *= COUNTRY_MISMATCH
            hit.adjustments.append(f"country {query.country.upper()} not among {', '.join(sorted(party.countries)).upper()}")
        if query.birth_date and party.birth_years:
            year = query.birth_date[:4]
            near = {str(int(y) + d) for y in party.birth_years if y.isdigit() for d in (-1, 0, 1)}
            if year in party.birth_years:
                hit.score = min(1.0, hit.score + BIRTH_YEAR_AGREES)
                hit.adjustments.append(f"birth year {year} agrees")
            elif year not in near:
                hit.score *= BIRTH_YEAR_MISMATCH
                hit.adjustments.append(f"birth year {year} differs from {', '.join(sorted(party.birth_years))}")
        asked = [fact for fact, given in (("birth date", query.birth_date), ("country", query.country),
                 ("schema", query.schema not in (None, "LegalEntity"))) if given]
        if asked and hit.score > BARE_NAME_CAP and party.bare:
            hit.score = BARE_NAME_CAP
            hit.adjustments.append(f"a bare name from a names-only list cannot confirm the {' or '.join(asked)} asked for: for review, not a match")
        if hit.score > ONE_SOUND_WORD_CAP and _one_word_by_sound(hit.comparison):
            hit.score = ONE_SOUND_WORD_CAP
            hit.adjustments.append("one name spelt by sound or read from another script, met only on its consonants, as many listed names would be: for review, not a match")
        if hit.score > ONE_SOUND_WORD_CAP and unlisted and _names_heard_only(hit.comparison):
            hit.score = ONE_SOUND_WORD_CAP
            hit.adjustments.append("every name written in Hangul, Burmese or Hebrew, met only on its consonants, as many listed names would be: for review, not a match")
        if hit.score > ONE_SOUND_WORD_CAP and MYANMAR in unlisted and _syllables_heard(hit.comparison):
            hit.score = ONE_SOUND_WORD_CAP
            hit.adjustments.append("a name written in Burmese met on one syllable at most but on consonants, as many listed names would be: for review, not a match")
        if hit.score > ONE_NAME_CAP and party.schema in ("Person", "LegalEntity") and _one_name_of_many(hit.comparison, self.rarity):
            hit.score = ONE_NAME_CAP
            hit.adjustments.append("one name of a person's several, as many people's: for review, not a match")
        self._thin_tie(hit, query, self.rarity)
        wanted = {i.replace(" ", "").upper() for i in query.identifiers} if query.identifiers else None
        if wanted and wanted & party.identifiers:
            hit.score = 1.0
            hit.adjustments.append("identifier agrees: " + ", ".join(sorted(wanted & party.identifiers)))

    def _via(self, party: Party, on: date) -> list[dict[str, Any]]:
        via = []
        seen: set[tuple[str, int]] = set()
        for edge in party.edges:
            other = self.parties[edge.other]
            if not other.listed or edge.relation == "parent of" or (edge.relation, edge.other) in seen:
                continue
            seen.add((edge.relation, edge.other))
            programs = {listing.program_id for listing in other.listings}
            rule = applicable(self.rules, programs, edge.percentage, on) if edge.relation == "subsidiary of" else None
            via.append(
                {
                    "relation": edge.relation,
                    "id": other.id,
                    "caption": other.caption,
                    "percentage": edge.percentage,
                    "rule": rule.id if rule else None,
                    "lists": [listing.to_dict() for listing in other.listings],
                }
            )
        return via


def _one_name_of_many(comparison: NameComparison, rarity: Rarity) -> bool:
    """One name found, and the only name on one side (ONE_NAME_CAP): a query of one name among the listed name's names
    besides, or as all of it; or a listed name of one name within the query's ('John X' / the alias 'John'). As all of
    a listed name, only when more than RARE_MAX_DF listed parties carry it ('Sheikh Mansur' and the kunya 'ABU
    MANSUR', titles and particles aside, are many people's name; 'Mudacumura' is one man's)."""
    names = [p for p in comparison.pairs if p.query.kind == WORD]
    if len(names) != 1 or len(comparison.pairs) != 1:
        return False
    common = rarity.df.get(names[0].listed.text, 0) > RARE_MAX_DF
    if comparison.query_unmatched:
        return common and not comparison.listed_unmatched
    if comparison.listed_unmatched:
        return any(t.kind == WORD for t in comparison.listed_unmatched)
    return common


_NOT_NAMES = (STOP, GENERIC, PLACE)  # a query's words that name no one: the sound caps (ONE_SOUND_WORD_CAP) count its other words


def _names_met(comparison: NameComparison) -> list[Pair]:
    """The pairs that meet the query's names."""
    return [p for p in comparison.pairs if p.query.kind not in _NOT_NAMES]


def _names_left(comparison: NameComparison) -> bool:
    """Whether a name of the query is left unmet."""
    return any(t.kind not in _NOT_NAMES for t in comparison.query_unmatched)


def _one_word_by_sound(comparison: NameComparison) -> bool:
    """The query's only name, spelt by sound or read from a script compared on consonants (an abjad, Cyrillic), found
    only through a consonant key (ONE_SOUND_WORD_CAP)."""
    pairs = comparison.pairs
    return (len(pairs) == 1 and pairs[0].how in SOUND_KEYS and (pairs[0].query.sound or pairs[0].query.abjad)
            and not _names_left(comparison))


MYANMAR = "MYANMAR"  # scripts.script_of's name of Burmese letters
_UNLISTED_SCRIPTS = frozenset({"HEBREW", MYANMAR, "HANGUL"})  # no list writes a name in them: met only through readings


def _unlisted_scripts(name: str) -> frozenset[str]:
    """Which of Hebrew, Burmese and Hangul a query writes a letter of (scripts.script_of)."""
    return frozenset(script_of(ch) for ch in name if not ch.isascii() and ch.isalpha()) & _UNLISTED_SCRIPTS


def _names_heard_only(comparison: NameComparison) -> bool:
    """Every name of the query found only through a consonant key (of a query in an unlisted script, _unlisted_scripts)."""
    pairs = _names_met(comparison)
    return len(pairs) >= 2 and all(p.how in SOUND_KEYS for p in pairs) and not _names_left(comparison)


def _syllables_heard(comparison: NameComparison) -> bool:
    """A name of the query met on a consonant key, and at most one other met otherwise (of a query in Burmese, ONE_SOUND_WORD_CAP)."""
    pairs = _names_met(comparison)
    heard = sum(p.how in SOUND_KEYS for p in pairs)
    return heard > 0 and len(pairs) - heard < 2


def informative(name: AnalysedName) -> bool:
    """Whether a listed name can be screened against: not empty, and not one sector word or
    place alone (an alias "Group" found in a list says nothing about who is listed)."""
    words = [t for t in name.tokens if t.kind != STOP]
    return len(words) >= 2 or any(t.kind not in (GENERIC, PLACE, ADMIN) for t in words)


def explain(hit: Hit) -> str:
    party = hit.party
    text = f"'{hit.query_name}' against '{hit.listed_name}': {hit.comparison.explain()}"
    if hit.adjustments:
        text += "; " + "; ".join(hit.adjustments)
    if party.listed:
        lists = sorted({f"{l.program} ({l.authority or 'no authority named'})" for l in party.listings})
        text += ". Listed on " + ", ".join(lists)
    for v in hit.via:
        listed_on = sorted({l["program"] for l in v["lists"]})
        share = f" ({v['percentage']:g}% owned)" if v["percentage"] is not None else ""
        text += f". {v['relation'].capitalize()} {v['caption']}{share}, which is listed on {', '.join(listed_on)}"
        if v["rule"]:
            text += f"; the {v['rule']} rule applies"
        elif v["relation"] == "subsidiary of":
            text += "; ownership share unknown, so no 50% rule is applied: review"
    return text + "."


def hit_to_dict(hit: Hit) -> dict[str, Any]:
    return {
        "id": hit.party.id,
        "caption": hit.party.caption,
        "schema": hit.party.schema,
        "score": round(hit.score, 4),
        "match": hit.match,
        "ofac_score": hit.ofac_score,
        "matched_name": hit.listed_name,
        "lists": [listing.to_dict() for listing in hit.party.listings],
        "via": hit.via,
        "explanation": explain(hit),
    }


def _written_alike(comparison: NameComparison) -> int:
    """Sector words two names write alike, not only read alike ('telecom' / 'telecom' rather than 'telecom' /
    'communications'): between hits of one score, the party whose sector words the query writes ranks first."""
    return sum(p.query.kind == GENERIC and p.query.source == p.listed.source for p in comparison.pairs)


def everyday_words(listed_words: Iterable[str]) -> frozenset[str]:
    """The listed words (of letters) that are everyday English words: wordfreq's Zipf frequency at least EVERYDAY_ZIPF."""
    from wordfreq import zipf_frequency

    return frozenset(w for w in listed_words if w.isalpha() and zipf_frequency(w, "en") >= EVERYDAY_ZIPF)

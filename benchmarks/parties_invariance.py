"""Decisions that a rewrite of one name should not change: the category pairs with one side rewritten as officers, lists
and spreadsheets write names (case, spaces, punctuation, hyphens, accents, legal forms spelt out, abbreviations, a leading
'The', acronyms with dots, Muhammad shortened, the Arabic article joined, surname last; Arabic letters typed the Persian
way, a ta marbuta as heh, an alif without hamza, traditional Chinese characters), and how many decisions
each rewrite flips: for Redline at its product threshold and for nomenklatura's logic-v2 and name-based at their best
tune-half thresholds, on the same pairs.

    REDLINE_DATA=/work/shared/data REDLINE_HOME=<a store with the lists> .venv/bin/python benchmarks/parties_invariance.py [--json out.json]

A metamorphic test (session 38): no label is needed, only that the rewrite keeps the name. Positives whose decision falls
from match to none are 'lost', negatives that rise to a match 'gained'. Tune half (frozen sets and the larger pool) by
default; `--split test` counts the frozen test half, for a session's end.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))

from benchmarks.eval_split import HALVES  # noqa: E402
from benchmarks.pair_scoring import BASELINES, Pair, best_threshold, nomenklatura_scorer, redline_scorer  # noqa: E402
from benchmarks.parties_names_eval import _check_lists, category_pairs  # noqa: E402
from redline.parties.score import MATCH_THRESHOLD  # noqa: E402

SETS = ("company_variants", "person_variants", "cross_script", "gov_bodies", "must_not_match")
PERSON, ORGANISATION = "person", "organisation"
_FULLWIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}
_LEGAL_FORMS = ((r"\bCo\.,? Ltd\.?", "Company Limited"), (r"\bLLC\b", "Limited Liability Company"), (r"\bLtd\.?(?=\s|$)", "Limited"),
                (r"\bInc\.?(?=\s|$)", "Incorporated"), (r"\bJSC\b", "Joint Stock Company"), (r"\bCorp\.?(?=\s|$)", "Corporation"))
_ABBREVIATIONS = (("International", "Intl"), ("Corporation", "Corp."), ("Company", "Co."), ("Limited", "Ltd"), ("Technology", "Tech"),
                  ("Technologies", "Tech"), ("Manufacturing", "Mfg"), ("Industrial", "Indl"), ("Industries", "Inds"), ("Engineering", "Eng."),
                  ("Association", "Assn"), ("Development", "Dev."), ("Management", "Mgmt"), ("Services", "Svcs"), ("Electronics", "Elec."),
                  ("Research", "Res."), ("Institute", "Inst."), ("University", "Univ."), ("National", "Natl"), ("Department", "Dept"))
_MUHAMMAD = re.compile(r"\b(?:Mohammed|Mohammad|Muhammad|Mohamed|Muhammed)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Rewrite:
    name: str
    says: str
    apply: Callable[[str], str]
    only: str | None = None  # PERSON or ORGANISATION: the pairs it applies to

    def applies_to(self, schema: str | None) -> bool:
        """Whether it rewrites a name of this schema ('Person', or any other for an organisation)."""
        return self.only is None or (self.only == PERSON) == (schema == "Person")


def _each_case(pattern: str, replacement: str) -> Callable[[str], str]:
    return lambda text: re.sub(pattern, replacement, text, flags=re.IGNORECASE)


def _legal_forms_spelt(text: str) -> str:
    for pattern, spelt in _LEGAL_FORMS:
        text = re.sub(pattern, spelt, text, flags=re.IGNORECASE)
    return text


_FORM_AT_END = re.compile(r"[\s,]+(?:Co\.,? Ltd\.?|Company Limited|LLC|Ltd\.?|Limited|Inc\.?|JSC|OJSC|PJSC|CJSC|OOO|OAO|ZAO|AO|PAO|"
                          r"GmbH|S\.?A\.?|LLP|PLC|Corp\.?|Corporation|FZE|FZCO|Pte\.? Ltd\.?|Sdn\.? Bhd\.?)$", re.IGNORECASE)
_OTHER_FORM = (("LLC", "Ltd"), ("Ltd", "LLC"), ("Limited", "LLC"), ("JSC", "LLC"), ("Inc", "Ltd"), ("Corporation", "Ltd"), ("GmbH", "Ltd"))


def _legal_form_changed(text: str) -> str:
    """The legal form at the end written as another (an LLC as a Ltd): a query seldom knows the exact form."""
    found = _FORM_AT_END.search(text)
    if found is None:
        return text
    form = found.group(0).strip(" ,.")
    for old, new in _OTHER_FORM:
        if form.lower().startswith(old.lower()):
            return f"{text[: found.start()]} {new.upper() if text.isupper() else new}"
    return text


def _abbreviated(text: str) -> str:
    for word, short in _ABBREVIATIONS:
        text = re.sub(rf"\b{word}\b", short, text, flags=re.IGNORECASE)
    return text


def _dotted_acronyms(text: str) -> str:
    # Only in a name written in mixed case, where a word in capitals is an acronym ('SJ Semiconductor').
    return text if text.isupper() else re.sub(r"\b([A-Z]{2,5})\b", lambda found: ".".join(found.group(1)) + ".", text)


_HAN = re.compile("[\u4e00-\u9fff]")


def _traditional(text: str) -> str:
    import icu

    return str(icu.Transliterator.createInstance("Simplified-Traditional").transliterate(text))


def _given_first(text: str) -> str:
    surname, _, given = text.partition(",")
    return f"{given.strip()} {surname.strip()}" if given.strip() else text


_PATRONYMIC = re.compile(r"[A-Za-z]+(?:ovich|evich|ovych|evych|ovna|evna|ivna|ichna)", re.IGNORECASE)


def _patronymic_dropped(text: str) -> str:
    """A patronymic among the given names left out: after 'Surname,' any, else never the first or last word (a
    Belarusian surname ends so too: 'Kazakevich')."""
    surname, comma, given = text.partition(",")
    words = given.split() if comma else text.split()
    kept = [w for n, w in enumerate(words) if not _PATRONYMIC.fullmatch(w) or not comma and n in (0, len(words) - 1)]
    if len(kept) == len(words):
        return text
    return f"{surname}, {' '.join(kept)}" if comma else " ".join(kept)
_CAPITALS_LAST = re.compile(r"^(.+?)\s+([A-Z][A-Z'-]+)$")


def _surname_first(text: str) -> str:
    """'Given SURNAME' (the surname in capitals, last) as 'SURNAME Given', without a comma."""
    found = _CAPITALS_LAST.match(text)
    return f"{found.group(2)} {found.group(1)}" if found and not found.group(1).isupper() else text


_ABD = re.compile(r"\b(Abd|Abdul|Abdel|Abd[ -]al|Abd[ -]el)[ -](?=[A-Za-z]{3})", re.IGNORECASE)
_BIN = re.compile(r"\s+(?:bin|ibn|ben|b\.)\s+", re.IGNORECASE)
_SHORT_GIVEN = re.compile(r"^([^,]+),\s*([A-Za-z]{2,4})[ -]([A-Za-z]{2,4})$")


def _abd_joined(text: str) -> str:
    """'Abd al-Rahman', 'Abdul Rahman' written as one word: 'Abdulrahman'."""
    return _ABD.sub(lambda found: "Abdul" if found.group(1)[0].isupper() and not found.group(1).isupper() else "ABDUL", text)


def _given_syllables_joined(text: str) -> str:
    """A given name of two short syllables written as one word ('KIM, Jong Un' / 'KIM, Jongun')."""
    found = _SHORT_GIVEN.match(text)
    return f"{found.group(1)}, {found.group(2)}{found.group(3).lower() if not found.group(2).isupper() else found.group(3)}" if found else text


_LONG_LATIN_WORD = re.compile(r"[A-Za-z]{6,}")
_VOWEL_SWAP = str.maketrans("aeiouAEIOU", "eaeuoEAEUO")


def _typo(edit: Callable[[str, int], str]) -> Callable[[str], str]:
    """One edit in the middle of the name's longest Latin word (six letters or more): a typist's slip."""

    def apply(text: str) -> str:
        words = list(_LONG_LATIN_WORD.finditer(text))
        if not words:
            return text
        word = max(words, key=lambda found: len(found.group()))
        return text[: word.start()] + edit(word.group(), len(word.group()) // 2) + text[word.end():]

    return apply


def _vowel_changed(word: str, middle: int) -> str:
    at = next((n for n in range(middle, len(word)) if word[n] in "aeiouAEIOU"), None)
    return word if at is None else word[:at] + word[at].translate(_VOWEL_SWAP) + word[at + 1:]


_U = re.compile(r"(?<![oO])[uU]")
_DOUBLED = re.compile(r"([A-Za-z])\1")
_ICAO = (("ya", "ia"), ("yu", "iu"), ("Ya", "Ia"), ("Yu", "Iu"), ("YA", "IA"), ("YU", "IU"))
# ü, ö and ø as German spelling and ICAO passports transcribe them ('Müller' as 'Mueller'), in either case
_UMLAUTS = (("ü", "ue"), ("ö", "oe"), ("ø", "oe"), ("Ü", "UE"), ("Ö", "OE"), ("Ø", "OE"))


def _replace_all(text: str, replacements: tuple[tuple[str, str], ...]) -> str:
    for old, new in replacements:
        text = text.replace(old, new)
    return text


REWRITES = (
    Rewrite("lower", "lower case", str.lower),
    Rewrite("upper", "upper case", str.upper),
    Rewrite("title", "title case", str.title),
    Rewrite("spaces", "runs of spaces, spaces at the ends", lambda t: f"  {t.replace(' ', '   ')} "),
    Rewrite("nbsp", "no-break spaces", lambda t: t.replace(" ", "\u00a0")),
    Rewrite("zero_width", "a zero-width space before each word", lambda t: t.replace(" ", " \u200b")),
    Rewrite("fullwidth", "fullwidth letters (a name in ASCII)", lambda t: t.translate(_FULLWIDTH) if t.isascii() else t),
    Rewrite("no_dots_commas", "dots and commas removed", lambda t: re.sub(r"[.,]", "", t)),
    Rewrite("hyphen_space", "hyphens as spaces", lambda t: t.replace("-", " ")),
    Rewrite("hyphen_none", "hyphens removed (words joined)", lambda t: t.replace("-", "")),
    Rewrite("no_accents", "accents and marks removed", lambda t: "".join(c for c in unicodedata.normalize("NFD", t) if not unicodedata.combining(c))),
    Rewrite("and", "'&' and 'and' swapped", lambda t: t.replace("&", " and ") if "&" in t else re.sub(r"\band\b", "&", t, flags=re.IGNORECASE)),
    Rewrite("no_apostrophes", "apostrophes removed", lambda t: re.sub(r"['’‘`]", "", t)),
    Rewrite("legal_spelt", "legal forms spelt out (Co., Ltd. as Company Limited)", _legal_forms_spelt, ORGANISATION),
    Rewrite("legal_dropped", "the legal form at the end left out", lambda t: _FORM_AT_END.sub("", t) or t, ORGANISATION),
    Rewrite("legal_changed", "the legal form at the end written as another (LLC as Ltd)", _legal_form_changed, ORGANISATION),
    Rewrite("abbreviated", "words abbreviated (Intl, Corp., Mfg, Tech)", _abbreviated, ORGANISATION),
    Rewrite("the", "'The' before the name", lambda t: t if t.lower().startswith("the ") else f"The {t}", ORGANISATION),
    Rewrite("dotted", "acronyms written with dots (S.J.)", _dotted_acronyms, ORGANISATION),
    Rewrite("muhammad_short", "Muhammad shortened (Mohd)", lambda t: _MUHAMMAD.sub("Mohd", t), PERSON),
    Rewrite("article_joined", "the Arabic article joined (al-X as alX)", _each_case(r"\b(al)[- ](?=\w{3})", r"\1"), PERSON),
    Rewrite("given_first", "'Surname, Given' as 'Given Surname'", _given_first, PERSON),
    Rewrite("surname_first", "'Given SURNAME' as 'SURNAME Given', no comma", _surname_first, PERSON),
    Rewrite("abd_joined", "Abd al- and Abdul joined to the name after ('Abdulrahman')", _abd_joined, PERSON),
    Rewrite("bin_dropped", "bin, ibn, ben left out", lambda t: _BIN.sub(" ", t), PERSON),
    Rewrite("q_k", "q written k (Qasim as Kasim)", lambda t: t.replace("q", "k").replace("Q", "K"), PERSON),
    Rewrite("j_dj", "j written dj (Jamal as Djamal)", lambda t: re.sub(r"\bJ", "Dj", re.sub(r"\bJ(?=[A-Z])", "DJ", t)), PERSON),
    Rewrite("given_joined", "a given name of two short syllables joined ('Jong Un' as 'Jongun')", _given_syllables_joined, PERSON),
    Rewrite("patronymic_dropped", "a patronymic left out (Russian, Ukrainian, Belarusian)", _patronymic_dropped, PERSON),
    # Transliteration families of one sound (Russian passports since 2013 write я ю as ia iu; French writes u as ou)
    Rewrite("doubled_single", "doubled letters written once (Hassan as Hasan)", lambda t: _DOUBLED.sub(r"\1", t), PERSON),
    Rewrite("ks_x", "ks written x (Aleksandr as Alexandr)", _each_case(r"ks", "x"), PERSON),
    Rewrite("kh_h", "kh written h", lambda t: t.replace("kh", "h").replace("Kh", "H").replace("KH", "H"), PERSON),
    Rewrite("ou_u", "u written ou (Yusuf as Yousouf)", lambda t: _U.sub(lambda u: "ou" if u.group() == "u" else "OU" if t.isupper() else "Ou", t), PERSON),
    Rewrite("ee_oo", "ee and oo written i and u (Raheem as Rahim)", lambda t: t.replace("ee", "i").replace("oo", "u").replace("EE", "I").replace("OO", "U"), PERSON),
    Rewrite("y_ending", "a closing -ey or -iy written -ei or -y", lambda t: re.sub(r"iy\b", "y", re.sub(r"ey\b", "ei", t, flags=re.IGNORECASE), flags=re.IGNORECASE), PERSON),
    Rewrite("icao", "ya and yu written ia and iu (ICAO passports)", lambda t: _replace_all(t, _ICAO), PERSON),
    Rewrite("umlauts", "ü, ö, ø written ue, oe (German spelling, ICAO passports)", lambda t: _replace_all(t, _UMLAUTS)),
    # A typist's slip in the longest word
    Rewrite("typo_dropped", "a letter left out", _typo(lambda w, m: w[:m] + w[m + 1:])),
    Rewrite("typo_swapped", "two letters swapped", _typo(lambda w, m: w[: m - 1] + w[m] + w[m - 1] + w[m + 1:])),
    Rewrite("typo_doubled", "a letter typed twice", _typo(lambda w, m: w[:m] + w[m] + w[m:])),
    Rewrite("typo_vowel", "a vowel changed", _typo(_vowel_changed)),
    # Letters a script varies without changing the word (the native side of the cross-script pairs)
    Rewrite("persian_letters", "Arabic ya and kaf typed the Persian way (ی ک)", lambda t: t.replace("ي", "ی").replace("ك", "ک")),
    Rewrite("ta_marbuta", "Arabic ta marbuta written as heh (ة as ه)", lambda t: t.replace("ة", "ه")),
    Rewrite("hamza", "Arabic alif without its hamza (أ إ آ as ا)", lambda t: re.sub("[أإآ]", "ا", t)),
    Rewrite("traditional", "Chinese characters in their traditional forms", lambda t: _traditional(t) if _HAN.search(t) else t),
)


def flips(pairs: list[Pair], systems: dict[str, tuple[Callable[[str, str, str | None], float], float]],
          rewrites: tuple[Rewrite, ...] = REWRITES) -> dict[str, dict[str, object]]:
    """Per rewrite: pairs it changed, and per system positives lost and negatives gained, with Redline's examples."""
    before = {name: [score(p.a, p.b, p.schema) >= at for p in pairs] for name, (score, at) in systems.items()}
    out: dict[str, dict[str, object]] = {}
    for rewrite in rewrites:
        applicable = [
            (n, p, written) for n, p in enumerate(pairs)
            if rewrite.applies_to(p.schema)
            for written in (rewrite.apply(p.b),) if written != p.b
        ]
        row: dict[str, object] = {"says": rewrite.says, "pairs": len(applicable), "positives": sum(p.label for _, p, _ in applicable)}
        for name, (score, at) in systems.items():
            lost, gained = [], []
            for n, p, written in applicable:
                now = score(p.a, written, p.schema) >= at
                if now != before[name][n]:
                    (lost if before[name][n] else gained).append({"set": p.set, "label": p.label, "a": p.a, "b": p.b, "rewritten": written})
            row[name] = {"lost": len(lost), "gained": len(gained), **({"examples": lost + gained} if name == "redline" else {})}
        out[rewrite.name] = row
        print(f"  {rewrite.name}: {len(applicable)} pairs", file=sys.stderr)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=HALVES, default="tune")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--examples", type=int, default=0, help="Redline's flipped pairs to print per rewrite")
    ap.add_argument("--only", help="rewrites to run, by name, comma-separated (default all)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    chosen = tuple(r for r in REWRITES if not args.only or r.name in args.only.split(","))
    if args.only and len(chosen) != len(set(args.only.split(","))):
        ap.error(f"--only: unknown rewrite; known: {', '.join(r.name for r in REWRITES)}")
    _check_lists(False)
    frozen = [p for p in category_pairs(None) if p.set in SETS]
    pool = [p for p in category_pairs(None, pool=True) if p.set.split(":")[-1] in SETS] if args.split == "tune" else []
    pairs = [p for p in (*frozen, *pool) if p.split == args.split]
    systems = {"redline": (redline_scorer(), MATCH_THRESHOLD)}
    if not args.no_baselines:
        tune = [p for p in frozen if p.split == "tune"]
        for name in BASELINES:
            score = nomenklatura_scorer(name)
            systems[name] = (score, best_threshold([p.label for p in tune], [score(p.a, p.b, p.schema) for p in tune]))
    result = flips(pairs, systems, chosen)
    print(f"\n### Decisions flipped by a rewrite of one name ({args.split} half: {len(pairs)} pairs)\n")
    print("Thresholds: " + ", ".join(f"{name} ≥ {at:.2f}" for name, (_, at) in systems.items()) + "\n")
    print("| rewrite | pairs changed | " + " | ".join(f"{name} lost / gained" for name in systems) + " |")
    print("|---|---:|" + "---:|" * len(systems))
    for name, row in result.items():
        cells = " | ".join(f"{row[system]['lost']} / {row[system]['gained']}" for system in systems)  # type: ignore[index]
        print(f"| {row['says']} | {row['pairs']} | {cells} |")
    for name, row in result.items():
        for example in row["redline"]["examples"][: args.examples]:  # type: ignore[index]
            print(f"{name}: {example['set']} label {example['label']}: {example['a']!r} / {example['rewritten']!r} (was {example['b']!r})")
    if args.json:
        args.json.write_text(json.dumps({"split": args.split, "thresholds": {n: at for n, (_, at) in systems.items()}, "rewrites": result}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()

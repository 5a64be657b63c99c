"""One Russian name in the transliteration families that passports, lists, libraries and chats use: do two of them
match, and do two people's names still not?

    REDLINE_DATA=/work/shared/data REDLINE_HOME=<a store with the lists> .venv/bin/python benchmarks/parties_transliteration.py [--split tune|test] [--no-baselines] [--examples N] [--json out.json]

Names: Russian given names, patronymics and family names from the third-party Ukrainian–Russian name parts
(REDLINE_DATA/names/pairs/names_translator_uk_ru_name_parts.csv, the Russian side; never copied), put together as one
person's name of one gender (a given name, a patronymic and a family name, in a fixed seeded draw). Each name is written
in Latin letters by two schemes of iuliia (pinned in the dev extra, MIT; none of its tables is Redline's): the listed side
by a scheme the lists use (BGN/PCGN, Wikipedia, ICAO 9303 passports, MVD 782), the query by one of thirteen (the
French-family passports of MVD 310 FR: 'Tchemezov', 'Prigojine'; the scientific and ISO 9 ones: 'Čemezov', 'Xruščev';
ALA-LC, BS 2979, UNGEGN, Telegram's informal one: 'Scerbakov'; ...), family name first or last as lists write it, the
query without its patronymic one time in two.
Negatives, one per positive, both sides written as the positive's are: a sibling (the same patronymic and family name,
another given name of the same gender, the nearest in spelling) or a namesake (the same given name and patronymic, the
nearest other family name of the same gender class), never one spelling's variant of the other (three letters or more
apart once ё, й, ь and ъ are read one way, and not beginning with the same four letters: 'Prokop' is a
form of 'Prokopiy', 'Permyakov' / 'Pervakov' may be a slip).

Half: a salted hash of the family name (benchmarks/eval_split.py), so no family name sits in both halves. Redline at its
product threshold, logic-v2 and name-based at their best thresholds on the tune half; per query scheme.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after PYTHONPATH: another engine checkout can be measured

from benchmarks.eval_split import HALVES, data_root, split_of  # noqa: E402
from benchmarks.pair_scoring import BASELINES, Pair, nomenklatura_scorer, redline_scorer, score_all  # noqa: E402
from benchmarks.parties_names_eval import _check_lists, print_failures, print_table, report  # noqa: E402

PARTS = "names/pairs/names_translator_uk_ru_name_parts.csv"
SET = "transliteration"
SEED = 20261208
PER_SCHEME = 50  # names a query scheme writes, per half
LISTED_SCHEMES = ("BGN_PCGN", "WIKIPEDIA", "ICAO_DOC_9303", "MVD_782")
QUERY_SCHEMES = ("BGN_PCGN", "WIKIPEDIA", "ICAO_DOC_9303", "MVD_782", "MVD_310", "MVD_310_FR", "ALA_LC", "BS_2979", "GOST_779",
                 "SCIENTIFIC", "UNGEGN_1987", "TELEGRAM", "YANDEX_MONEY")
_FEMALE_FAMILY = ("ова", "ева", "ёва", "ина", "ына", "ая")
_MALE_FAMILY = ("ов", "ев", "ёв", "ин", "ын", "ий", "ый", "ой")
_FEMALE_FAMILY_UKRAINIAN = ("на",)  # Наконечна (Наконечний)
_VARIANT_LETTERS = str.maketrans({"ё": "е", "й": "и", "ь": None, "ъ": None})
NEGATIVE_MIN_EDITS = 3  # letters apart, and no first four letters shared: never a variant or a short form of the name
VARIANT_PREFIX = 4


def _gender_of_given(word: str) -> str:
    return "f" if word.endswith(("а", "я")) else "m"


def _gender_of_patronymic(word: str) -> str:
    return "f" if word.endswith("на") else "m" if word.endswith("ич") else ""


def _gender_of_family(word: str) -> str:
    """'f', 'm', or '' for a family name of either (Шевченко, Мельник)."""
    return "f" if word.endswith(_FEMALE_FAMILY + _FEMALE_FAMILY_UKRAINIAN) else "m" if word.endswith(_MALE_FAMILY) else ""


def _parts() -> dict[str, list[str]]:
    """The Russian name parts by kind, one word of Cyrillic letters each, sorted."""
    out: dict[str, set[str]] = defaultdict(set)
    with open(data_root() / PARTS, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            word = row["name_b"].strip()
            if row["is_match"] == "1" and row["name_part"] in ("first", "patronymic", "last") and len(word) >= 3 and word.isalpha() \
                    and all("а" <= c.lower() <= "я" or c.lower() == "ё" for c in word):
                out[row["name_part"]].add(word)
    return {kind: sorted(words) for kind, words in out.items()}


def _nearest(word: str, others: list[str]) -> str | None:
    """The word of `others` nearest `word` in spelling that is no variant of it (NEGATIVE_MIN_EDITS)."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    mine = word.lower().translate(_VARIANT_LETTERS)
    plain = [other.lower().translate(_VARIANT_LETTERS) for other in others]
    found = process.extract(mine, plain, scorer=Levenshtein.distance, limit=200)
    near = [(distance, index) for _, distance, index in found if distance >= NEGATIVE_MIN_EDITS and plain[index][:VARIANT_PREFIX] != mine[:VARIANT_PREFIX]]
    return others[min(near)[1]] if near else None


def _written(scheme: str, given: str, patronymic: str, family: str, family_first: bool) -> str:
    """The name in `scheme`, family name first as lists write it ('PRIGOJINE, Evguenii Viktorovitch') or last; without
    its patronymic when that is ''."""
    import iuliia

    latin = [getattr(iuliia, scheme).translate(w) for w in (given, patronymic, family) if w]
    return f"{latin[-1].upper()}, {' '.join(latin[:-1])}" if family_first else " ".join(latin)


def cases() -> list[Pair]:
    """Positives and negatives of both halves (see the module's docstring), in a fixed order."""
    parts = _parts()
    family_by_half: dict[str, list[str]] = defaultdict(list)
    for word in parts["last"]:
        family_by_half[split_of(SET, word.lower())].append(word)
    rng = random.Random(SEED)
    out: list[Pair] = []
    for half in HALVES:
        families = family_by_half[half]
        drawn = rng.sample(families, min(len(families), 4 * PER_SCHEME * len(QUERY_SCHEMES)))
        made = 0
        for family in drawn:
            if made == PER_SCHEME * len(QUERY_SCHEMES):
                break
            gender = _gender_of_family(family) or rng.choice("mf")
            givens = [w for w in parts["first"] if _gender_of_given(w) == gender]
            given = rng.choice(givens)
            patronymic = rng.choice([w for w in parts["patronymic"] if _gender_of_patronymic(w) == gender])
            query, listed = QUERY_SCHEMES[made % len(QUERY_SCHEMES)], rng.choice(LISTED_SCHEMES)
            query_first, listed_first = rng.random() < 0.5, rng.random() < 0.5
            asked = patronymic if rng.random() < 0.5 else ""  # a query often has no patronymic ('Evgueni Prigojine')
            a = _written(query, given, asked, family, query_first)
            b = _written(listed, given, patronymic, family, listed_first)
            if a.lower() == b.lower():
                continue
            if made % 2:
                other = _nearest(given, [w for w in givens if w != given])
                negative = other and _written(listed, other, patronymic, family, listed_first)
            else:
                other = _nearest(family, [w for w in families if w != family and _gender_of_family(w) in (gender, "")])
                negative = other and _written(listed, given, patronymic, other, listed_first)
            if not negative:
                continue
            ref = f"{query}>{listed}"
            out.append(Pair(query.lower(), half, 1, a, b, "Person", ref))
            out.append(Pair(query.lower(), half, 0, a, negative, "Person", ref))
            made += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=(*HALVES, "all"), default="tune", help="the half the figures and failures are shown for (thresholds always from tune)")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--examples", type=int, default=0, help="Redline failures shown per query scheme (tune half only)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    import redline
    from redline.parties.screening import MATCH_THRESHOLD

    print(f"engine: {Path(redline.__file__).parent}", file=sys.stderr)
    _check_lists(False)
    pairs = cases()
    print(f"{SET}: {len(pairs)} pairs", file=sys.stderr)
    systems = {"redline": redline_scorer()}
    if not args.no_baselines:
        systems |= {b: nomenklatura_scorer(b) for b in BASELINES}
    scores = score_all(pairs, systems)
    rep: dict[str, Any] = report(pairs, scores, args.split, MATCH_THRESHOLD)
    print_table(f"one Russian name in two transliteration schemes, per query scheme ({args.split} half)", rep)
    if args.examples and args.split != "test":
        print_failures(pairs, scores["redline"], args.split, MATCH_THRESHOLD, args.examples, label=lambda p: p.ref)
    if args.json:
        args.json.write_text(json.dumps({"split": args.split, **rep}, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()

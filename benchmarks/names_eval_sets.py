"""Labelled name pairs per script, from third-party data this project did not write.

Source: `$REDLINE_DATA/names/` (see its PROVENANCE.md). Every row there is a positive pair. The
hard negatives are built here: a positive's source-side name paired with the native form of a
DIFFERENT name of the same set and half whose native spelling is the closest available (same
script, close skeleton) while the two source-side names are far apart (so that a second
transliteration of the same name is never labelled a non-match).

The cases are written once to `benchmarks/data/names_eval_cases.csv` as references into the data
files (file, row, column), never as copied text, together with a manifest of the files' sha256.
The half of a case is `eval_split.split_of(set, group)`, where the group is the source-side name
(or the Wikidata entity), so a name and its variants never sit in both halves.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from anyascii import anyascii
from rapidfuzz import fuzz, process, utils

from benchmarks.eval_split import HALVES, SALT, data_root, split_of
from redline.store.snapshots import file_sha256

HERE = Path(__file__).parent
CASES_FILE = HERE / "data" / "names_eval_cases.csv"
MANIFEST_FILE = HERE / "data" / "names_eval_manifest.json"
CASE_COLUMNS = ["set", "split", "label", "file", "row_a", "col_a", "row_b", "col_b"]
PER_HALF = 500  # positives per set and half (as many hard negatives); fewer when the data has fewer
SEED = 20261203
ANCHOR_FAR = 70  # token_sort_ratio of the two source-side names must stay below this for a negative

# set name -> (data file, the reading of it; see _positives)
SETS: dict[str, tuple[str, str]] = {
    "hebrew": ("pairs/amazon_wikidata_person_fullnames_en_he.csv", "pairs"),
    "korean": ("pairs/amazon_wikidata_person_fullnames_en_ko.csv", "pairs"),
    "arabic": ("pairs/amazon_wikidata_person_name_tokens_en_ar_ru_ja_zh.csv", "tokens:ar"),
    "russian": ("pairs/amazon_wikidata_person_name_tokens_en_ar_ru_ja_zh.csv", "tokens:ru"),
    "japanese": ("pairs/amazon_wikidata_person_name_tokens_en_ar_ru_ja_zh.csv", "tokens:ja"),
    "chinese": ("pairs/amazon_wikidata_person_name_tokens_en_ar_ru_ja_zh.csv", "tokens:zh"),
    "burmese": ("pairs/alt_transliteration_dict_en_my.csv", "burmese"),
    "ukrainian_russian": ("pairs/names_translator_uk_ru_name_parts.csv", "uk_ru"),
    "hindi_urdu": ("labels/wikidata_2015_labels_en_hi_ur.csv", "hi_ur"),
}
PERSON_SETS = {"hebrew", "korean", "arabic", "russian", "japanese", "chinese", "ukrainian_russian"}
_TOKEN = re.compile(r"^[a-z][a-z' -]*[a-z]$")


@dataclass(frozen=True)
class Side:
    row: int
    col: str


@dataclass(frozen=True)
class Positive:
    group: str
    a: Side
    b: Side
    anchor: str  # source-side text (for the far-apart test)
    native: str  # the other side's text (for the close-skeleton search)


@dataclass(frozen=True)
class PairCase:
    set: str
    split: str
    label: int
    file: str
    a: Side
    b: Side

    def key(self) -> str:
        return f"{self.set}|{self.file}|{self.a.row}:{self.a.col}|{self.b.row}:{self.b.col}"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _flat(text: str) -> str:
    return utils.default_process(anyascii(unicodedata.normalize("NFKC", text)))


def _positives(reading: str, rows: list[dict[str, str]]) -> list[Positive]:
    out: list[Positive] = []
    if reading == "pairs":
        for i, r in enumerate(rows):
            if r["script_a"] == "Latn" and r["name_a"].strip() and r["name_b"].strip():
                out.append(Positive(_flat(r["name_a"]), Side(i, "name_a"), Side(i, "name_b"), r["name_a"], r["name_b"]))
    elif reading.startswith("tokens:"):
        lang = reading.split(":", 1)[1]
        for i, r in enumerate(rows):
            # count >= 2: the cleaner subset (PROVENANCE: alignment noise); plain letter tokens only
            if r["lang_b"] == lang and int(r["count"]) >= 2 and _TOKEN.match(r["name_a"]) and len(r["name_a"]) >= 3:
                out.append(Positive(r["name_a"], Side(i, "name_a"), Side(i, "name_b"), r["name_a"], r["name_b"]))
    elif reading == "burmese":
        for i, r in enumerate(rows):
            name = r["name_a"].strip()
            # proper names only: capitalised, not an acronym, some letters; Burmese as written (no syllable spaces)
            if (r["script_a"], r["script_b"]) == ("Latn", "Mymr") and name[:1].isupper() and not name.isupper() and len(name) >= 3:
                out.append(Positive(name.lower(), Side(i, "name_a"), Side(i, "name_b_nospace"), name, r["name_b_nospace"]))
    elif reading == "uk_ru":
        for i, r in enumerate(rows):
            if r["name_a"] != r["name_b"] and r["name_a"].strip():
                out.append(Positive(r["name_a"].strip().lower(), Side(i, "name_a"), Side(i, "name_b"), r["name_a"], r["name_b"]))
    elif reading == "hi_ur":
        by_entity: dict[str, dict[str, int]] = defaultdict(dict)
        for i, r in enumerate(rows):
            by_entity[r["entity_id"]][r["lang"]] = i
        for entity, langs in by_entity.items():
            if "hi" in langs and "ur" in langs:
                hi, ur = langs["hi"], langs["ur"]
                out.append(Positive(entity, Side(hi, "name"), Side(ur, "name"), rows[hi]["name"], rows[ur]["name"]))
    else:
        raise ValueError(reading)
    return out


def build(root: Path | None = None, per_half: int = PER_HALF, seed: int = SEED) -> list[PairCase]:
    root = root or data_root() / "names"
    cases: list[PairCase] = []
    cache: dict[str, list[dict[str, str]]] = {}
    for set_name, (file, reading) in SETS.items():
        if file not in cache:
            cache[file] = read_rows(root / file)
        rows = cache[file]
        positives = _positives(reading, rows)
        for half in HALVES:
            pool = [p for p in positives if split_of(set_name, p.group) == half]
            rng = random.Random(f"{seed}|{set_name}|{half}")
            chosen = rng.sample(pool, min(per_half, len(pool)))
            natives = [p.native for p in pool]
            for p in chosen:
                cases.append(PairCase(set_name, half, 1, file, p.a, p.b))
                negative = _hard_negative(p, pool, natives)
                if negative is not None:
                    cases.append(PairCase(set_name, half, 0, file, p.a, negative.b))
    return cases


def _hard_negative(p: Positive, pool: list[Positive], natives: list[str]) -> Positive | None:
    """The pool's positive whose native side is closest to p's, among those of another group
    whose source-side name is far from p's."""
    found = process.extract(p.native, natives, scorer=fuzz.ratio, limit=40)
    anchor = _flat(p.anchor)
    for _, _, index in found:
        other = pool[index]
        if other.group == p.group or other.native == p.native:
            continue
        if fuzz.token_sort_ratio(anchor, _flat(other.anchor)) >= ANCHOR_FAR:
            continue
        if _same_stem(anchor, _flat(other.anchor)) or _same_stem(anchor, _flat(other.native)):
            continue  # Svirskyi / Svirskaya, Iosypovych / Iosipovna: one name in two genders, not a non-match
        return other
    return None


def _same_stem(a: str, b: str) -> bool:
    """The same word up to a gender or patronymic ending: a common start of at least 4 letters
    that leaves at most 4 letters of the shorter word."""
    if " " in a or " " in b:
        return False
    common = len(os.path.commonprefix([a, b]))
    return common >= max(4, min(len(a), len(b)) - 4)


def write(cases: list[PairCase], root: Path | None = None) -> None:
    root = root or data_root() / "names"
    with CASES_FILE.open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle, lineterminator="\n")
        w.writerow(CASE_COLUMNS)
        for c in cases:
            w.writerow([c.set, c.split, c.label, c.file, c.a.row, c.a.col, c.b.row, c.b.col])
    MANIFEST_FILE.write_text(json.dumps(manifest(cases, root), indent=1, sort_keys=True) + "\n", encoding="utf-8")


def manifest(cases: list[PairCase], root: Path) -> dict[str, object]:
    files = sorted({c.file for c in cases})
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c in cases:
        counts[c.set][f"{c.split}_{'pos' if c.label else 'neg'}"] += 1
    test_keys = sorted(c.key() for c in cases if c.split == "test")
    return {
        "salt": SALT,
        "seed": SEED,
        "per_half": PER_HALF,
        "files_sha256": {f: file_sha256(root / f) for f in files},
        "counts": {s: dict(v) for s, v in counts.items()},
        "test_cases_sha256": hashlib.sha256("\n".join(test_keys).encode()).hexdigest(),
    }


def load() -> list[PairCase]:
    with CASES_FILE.open(newline="", encoding="utf-8") as handle:
        return [
            PairCase(r["set"], r["split"], int(r["label"]), r["file"], Side(int(r["row_a"]), r["col_a"]), Side(int(r["row_b"]), r["col_b"]))
            for r in csv.DictReader(handle)
        ]


def check(cases: list[PairCase], root: Path | None = None) -> list[str]:
    """Problems with the committed cases against the data and the frozen rule (empty: all good)."""
    root = root or data_root() / "names"
    frozen = json.loads(MANIFEST_FILE.read_text(encoding="utf-8"))
    problems = []
    now = manifest(cases, root)
    for key in ("salt", "test_cases_sha256", "files_sha256", "counts"):
        if now[key] != frozen[key]:
            problems.append(f"{key} differs from {MANIFEST_FILE.name}")
    return problems


def texts(cases: list[PairCase], root: Path | None = None) -> list[tuple[str, str]]:
    root = root or data_root() / "names"
    cache: dict[str, list[dict[str, str]]] = {}
    out = []
    for c in cases:
        if c.file not in cache:
            cache[c.file] = read_rows(root / c.file)
        rows = cache[c.file]
        out.append((rows[c.a.row][c.a.col], rows[c.b.row][c.b.col]))
    return out


def group_of(case: PairCase, rows: list[dict[str, str]]) -> str:
    """The group key of a case's source side (the split is drawn on it)."""
    reading = SETS[case.set][1]
    r = rows[case.a.row]
    if reading == "pairs":
        return _flat(r["name_a"])
    if reading == "hi_ur":
        return r["entity_id"]
    return r["name_a"].strip().lower()

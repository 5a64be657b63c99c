"""The benchmark's evaluation-set builder on a few small real lists: labelled, sane, non-overlapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.parties_common import SourceEntity, build_cases, hard_cases, names_of, norm
from redline.parties.sources.registry import discover

SMALL = ("lists/us_dod_1260h", "lists/us_misc_opensanctions_repo")


@pytest.fixture(scope="module")
def small(data_dir: Path) -> list[SourceEntity]:
    entities = []
    for rel in SMALL:
        root = Path(data_dir) / rel
        if not root.exists():
            pytest.skip(f"{rel} not in REDLINE_DATA")
        for reader, path in discover(root):
            for e in reader.read(path):
                entities.append(SourceEntity(e.to_dict(), reader.info.name, path.name))
    return entities


def test_sets_are_labelled_and_disjoint(small: list[SourceEntity]) -> None:
    eval_entities, cases = build_cases(small, seed=1, per_category=15)
    generated = [c for c in cases if not c.category.startswith("hard_")]
    cats = {c.category for c in generated}
    assert {"script", "typo", "legal_form"} <= cats, cats
    assert any(not c.positive for c in generated), "no negatives generated"
    for c in cases:
        assert c.query.strip()
        assert c.split in ("tune", "test")
        if c.positive:
            assert c.expect_entities or c.expect_names, c
        else:
            assert not c.expect_entities and not c.expect_names, c
    positives = {norm(c.query) for c in cases if c.positive}
    negatives = {norm(c.query) for c in cases if not c.positive}
    assert not positives & negatives
    # Held-out names are gone from the entities the evaluation screener is built from.
    remaining = {norm(n) for e in eval_entities for n in names_of(e.data)}
    for c in generated:
        if c.category in ("script", "alias_related", "alias_unrelated", "cross_list"):
            assert norm(c.query) not in remaining, c.query
    # A generated negative is never a listed name.
    listed = {norm(n) for e in small for n in names_of(e.data)}
    for c in generated:
        if not c.positive:
            assert norm(c.query) not in listed, c.query
    # Perturbed positives differ from their base name but still point at a listed name.
    for c in generated:
        if c.category in ("typo", "order", "legal_form", "abbreviation"):
            assert c.expect_names <= listed and norm(c.query) not in c.expect_names, c


def test_builder_is_deterministic(small: list[SourceEntity]) -> None:
    a = [(c.query, c.category) for c in build_cases(small, seed=5, per_category=10)[1]]
    b = [(c.query, c.category) for c in build_cases(small, seed=5, per_category=10)[1]]
    assert a == b


def test_hard_cases_file() -> None:
    cases = hard_cases()
    assert 60 <= len(cases) <= 120
    assert sum(c.positive for c in cases) >= 30 and sum(not c.positive for c in cases) >= 25
    assert len({c.query for c in cases}) == len(cases)


def test_names_eval_split_is_frozen(data_dir: Path) -> None:
    """The committed third-party name cases still match the data, the salt and the manifest, every
    case sits in the half its group hashes to, and no group has cases in both halves."""
    from benchmarks import names_eval_sets as ne
    from benchmarks.eval_split import split_of

    root = Path(data_dir) / "names"
    if not root.is_dir():
        pytest.skip("names data not in REDLINE_DATA")
    cases = ne.load()
    assert ne.check(cases, root) == []
    rows = {f: ne.read_rows(root / f) for f in {c.file for c in cases}}
    halves: dict[tuple[str, str], set[str]] = {}
    for c in cases:
        group = ne.group_of(c, rows[c.file])
        assert c.split == split_of(c.set, group), c
        halves.setdefault((c.set, group), set()).add(c.split)
        a, b = rows[c.file][c.a.row][c.a.col], rows[c.file][c.b.row][c.b.col]
        assert a.strip() and b.strip(), c
        ra, rb = rows[c.file][c.a.row], rows[c.file][c.b.row]
        if c.set == "hindi_urdu":
            assert (ra["lang"], rb["lang"]) == ("hi", "ur") and (ra["entity_id"] == rb["entity_id"]) == bool(c.label), c
        else:
            assert (c.a.row == c.b.row) == bool(c.label), c
    assert all(len(h) == 1 for h in halves.values())
    assert {c.set for c in cases} == set(ne.SETS)


def test_generated_cases_are_frozen() -> None:
    """The committed generated cases keep the frozen split: each case in the half its group hashes
    to, one half per group, labels consistent, held-out queries marked for removal."""
    from benchmarks.eval_split import split_of
    from benchmarks.parties_common import load_generated

    cases = load_generated()
    assert len(cases) >= 1000
    halves: dict[str, set[str]] = {}
    for c in cases:
        assert c.split == split_of("generated", c.group()), c
        halves.setdefault(c.group(), set()).add(c.split)
        assert c.positive == bool(c.expect_entities or c.expect_names), c
        if c.category in ("script", "alias_related", "alias_unrelated"):
            assert c.drop.startswith("name:"), c
        if c.category == "cross_list":
            assert c.drop.startswith("entity:"), c
    assert all(len(h) == 1 for h in halves.values())
    assert {c.split for c in cases} == {"tune", "test"}


def test_category_cases_are_frozen() -> None:
    """The committed category pairs keep the frozen split (by the first entity; the second entity of
    a negative from the same half), positives are one entity's names, negatives two entities'."""
    from benchmarks.category_sets import load
    from benchmarks.eval_split import split_of

    pairs = load()
    sets = {p.set for p in pairs}
    assert sets == {"company_variants", "person_variants", "cross_script", "gov_bodies", "must_not_match", "acronyms", "company_aliases"}
    for p in pairs:
        ea, eb = p.ref.split("|", 1)
        assert p.split == split_of(p.set, ea) == split_of(p.set, eb), p
        assert (ea == eb) == bool(p.label), p
        assert p.a.strip() and p.b.strip() and p.a != p.b, p
    assert not any(p.label for p in pairs if p.set == "must_not_match")
    for s in sets:
        assert {p.split for p in pairs if p.set == s} == {"tune", "test"}


def test_the_larger_tune_pool_holds_no_test_entity_and_no_frozen_pair() -> None:
    """benchmarks/data/parties_category_pool.csv: engine work reads it instead of the test half, so every
    entity of it is in the tune half of its set, and none of its pairs is a frozen one."""
    from benchmarks.category_sets import POOL_FILE, load
    from benchmarks.eval_split import split_of

    frozen = {(p.set, p.a, p.b) for p in load()}
    pool = load(POOL_FILE)
    assert len(pool) > 5000
    for p in pool:
        assert p.set.startswith("pool:"), p
        name = p.set.removeprefix("pool:")
        ea, eb = p.ref.split("|", 1)
        assert p.split == "tune" == split_of(name, ea) == split_of(name, eb), p
        assert (ea == eb) == bool(p.label), p
        assert (name, p.a, p.b) not in frozen, p


def test_everyday_holders_and_their_adjudications(data_dir: Path) -> None:
    from benchmarks.eval_split import split_of
    from benchmarks.parties_everyday import SET_NAME, holder_of, holders, load_labels

    assert holder_of(1, "IRONNET-AS IRONNET Oy, FI").name == "IRONNET Oy"  # type: ignore[union-attr]
    assert holder_of(2, "BDHS-AS - Bozeman Deaconess Health Services, US").name == "Bozeman Deaconess Health Services"  # type: ignore[union-attr]
    assert holder_of(3, "RADAR WISP LTDA, BR").name == "RADAR WISP LTDA"  # type: ignore[union-attr]
    assert holder_of(4, "Polibrás Brasil Software Ltda, BR").country == "br"  # type: ignore[union-attr]
    assert holder_of(5, "EQUINIX-CLOUD-EXCHANGE Equinix (Germany) GmbH, EU").country is None  # type: ignore[union-attr]
    for record in ("-Reserved AS-, ZZ", "-Private Use AS-, ZZ", "UK-AS, EU", "eg-auc, EG", "no country here"):
        assert holder_of(6, record) is None, record
    drawn = {h.key: h for h in holders("tune", 2000)}
    assert len(drawn) == 2000 and all(split_of(SET_NAME, str(asn)) == "tune" for asn in drawn)
    labels = load_labels()
    assert labels and {v for v in labels.values()} <= {"true", "false", "unsure"}
    for asn, _ in labels:  # every adjudicated alert is a holder of the frozen draw, in either half
        assert asn in drawn or split_of(SET_NAME, str(asn)) == "test"


def test_everyday_people_and_their_adjudications(data_dir: Path) -> None:
    from benchmarks.eval_split import split_of
    from benchmarks.parties_everyday import PEOPLE_LABELS_FILE, PEOPLE_SET, load_labels, people

    drawn = {p.name for p in people("tune", 2000)}
    assert len(drawn) == 2000 and all(split_of(PEOPLE_SET, name) == "tune" for name in drawn)
    assert people("tune", 10) == people("tune", 2000)[:10]  # one frozen order
    labels = load_labels(PEOPLE_LABELS_FILE)
    assert labels and set(labels.values()) <= {"true", "false", "unsure"}
    assert all(name in drawn or split_of(PEOPLE_SET, str(name)) == "test" for name, _ in labels)


def test_the_shape_count_tells_names_within_one_another_from_names_that_each_keep_a_word() -> None:
    from benchmarks.parties_shapes import shape

    shared, own, score = shape("KORVAN, Bashir Salim Hadi", "KORVAN, Yusuf Salim Hadi", "Person", None)
    assert (shared, own) == (3, True) and score < 0.65  # brothers' names: a word of its own each
    shared, own, score = shape("Salim Hadi KORVAN", "KORVAN, Bashir Salim Hadi", "Person", None)
    assert (shared, own) == (3, False) and score >= 0.65
    assert shape("Norvalis Trading", "Ostrava Holding", None, None)[:2] == (0, True)

"""A screen-file run on several workers loads each script's tables once, in the process that forks them, and
writes what one worker writes."""

from __future__ import annotations

import csv
from pathlib import Path

from redline.context import get_context
from redline.parties import batch, han_translation
from redline.parties.snapshots import import_paths

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "lists"
NAMES = ("Beijing Testsec Surveillance Technology Co., Ltd", "Plain Bakery", "Hangzhou Hikvision Digital Technology",
         "Nobody Particular Ltd")


def test_workers_share_the_tables_their_parent_loaded_and_write_what_one_worker_writes(
        redline_home: Path, data_dir: Path, tmp_path: Path) -> None:
    results, _ = import_paths(get_context().store, [FIXTURES / "uk_fcdo", data_dir / "lists" / "us_dod_1260h"])
    assert results and all(r.status == "imported" for r in results), results
    book = tmp_path / "book.csv"
    rows = 2 * batch.CHUNK + 1  # three chunks: a pool of two
    with book.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([("id", "name"), *((i, NAMES[i % len(NAMES)]) for i in range(rows))])
    han_translation._dictionary.cache_clear()  # read on every Chinese name (pykakasi's load sits behind caches of its own)

    pooled = batch.screen_csv(book, tmp_path / "pooled.csv", resume=False, progress=False, workers=2, record=False)

    # Latin names only: without the start, nothing here would have read the Chinese dictionary
    assert han_translation._dictionary.cache_info().currsize == 1
    alone = batch.screen_csv(book, tmp_path / "alone.csv", resume=False, progress=False, workers=1, record=False)
    assert pooled["rows"] == alone["rows"] == rows and pooled["matches"] == alone["matches"] > 0
    assert (tmp_path / "pooled.csv").read_text(encoding="utf-8") == (tmp_path / "alone.csv").read_text(encoding="utf-8")


def test_rows_asking_alike_are_dealt_to_one_worker_and_every_row_once() -> None:
    header = ["id", "name", "country"]
    rows = [(i + 2, [str(i), NAMES[i % len(NAMES)], "CN" if i % 3 else ""]) for i in range(60)]
    shares = batch._dealt(header, rows, 3)
    assert sorted(place for share in shares for place in share) == list(range(60))
    asked = {}
    for worker, share in enumerate(shares):
        for place in share:
            assert asked.setdefault(tuple(rows[place][1][1:]), worker) == worker  # one query, one worker
    assert len(asked) == 2 * len(NAMES) and sum(1 for share in shares if share) > 1

"""Every CSV Redline writes neutralises cells a spreadsheet would evaluate: the media bank export
too, where a contributor or content id is whatever a partner sent."""

from __future__ import annotations

import csv
from pathlib import Path

from redline.csvio import FORMULA_STARTS, PLAIN_NUMBER, SKIPPED_LEAD
from redline.media.banks import SignalRecord, add_signals, create_bank, export_bank
from redline.store import Store

PDQ = "f" * 64


def test_bank_export_neutralises_partner_supplied_cells(store: Store, tmp_path: Path) -> None:
    create_bank(store, "shared")
    add_signals(store, "shared", [SignalRecord("pdq", PDQ, "=HYPERLINK(\"http://x\")", [], "@member", "2024-05-01")])
    out = tmp_path / "export.csv"
    assert export_bank(store, "shared", out) == 1
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    cells = [cell for row in rows for cell in row]
    assert "'=HYPERLINK(\"http://x\")" in cells and "'@member" in cells
    for cell in cells:
        if cell and cell[0] != "'" and not PLAIN_NUMBER.fullmatch(cell):
            assert cell[0] not in FORMULA_STARTS and cell.lstrip(SKIPPED_LEAD)[:1] not in FORMULA_STARTS, cell

"""Moved: the running enforcement counts behind `redline media report` live in redline.reports.counts,
and the transparency report for a closed period (Regulation (EU) 2021/784 Art. 7(3), GIFCT hash-sharing
counts; HTML, CSV, PDF) is `redline report media --from DATE --to DATE` (redline.reports.media).
This module keeps the old import path working."""

from redline.reports.counts import LEDGER_KINDS, counts, parse_since, to_csv_rows
from redline.reports.period import ReportError

__all__ = ["LEDGER_KINDS", "ReportError", "counts", "parse_since", "to_csv_rows"]

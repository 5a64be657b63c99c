from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.parties_cpu import build_screener
from redline.parties.screening import Screener


@pytest.fixture(scope="session")
def screener(data_dir: Path) -> Screener:
    """A subset of the real lists that holds every required example, read straight from REDLINE_DATA
    (the screener benchmarks/parties_cpu.py times)."""
    return build_screener(data_dir)

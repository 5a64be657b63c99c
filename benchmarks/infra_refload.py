"""Reference data load time: cold compile of every file vs the cached compiled form (keyed by SHA-256).
Run: .venv/bin/python benchmarks/infra_refload.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from redline.config import load_settings
from redline.infra.reference import load_reference


def main() -> None:
    infra = load_settings().data("infra")
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        ref = load_reference(infra, Path(tmp))
        cold = time.perf_counter() - t
        assert not ref.from_cache
        t = time.perf_counter()
        ref = load_reference(infra, Path(tmp))
        warm = time.perf_counter() - t
        assert ref.from_cache
    print(f"files: {len(ref.sources)} sources, {ref.table.segments} address segments")
    print(f"baseline: cold compile (parse every file, flatten, hash) : {cold:6.2f} s")
    print(f"cached compiled form (hash check + npz + json)          : {warm:6.2f} s  (ratio {cold / warm:,.0f}x)")


if __name__ == "__main__":
    main()

"""Modules compiled with mypyc by `make setup` (scripts/build_native.py), and the guard that keeps an
old build from shadowing an edited source.

A compiled module sits beside its source as `<name>.cpython-*.so`, which Python imports before the
`.py`; `<name>.native` holds the sha256 of the source it was built from. While the two agree the
compiled module runs (the same code, about 1.26 times less CPU a screening: docs/benchmarks-parties.md,
"Compiled scoring, session 24"); once the source is edited the source runs, with a warning, until the
next `make setup`.
REDLINE_NATIVE=0 in the environment runs the sources (for a profiler that sees inside them).
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The scorer of every comparison a screening makes: most of a screening's CPU.
COMPILED = ("redline.parties.score",)
STAMP_SUFFIX = ".native"


def source_of(module: str, root: Path = ROOT) -> Path:
    return root.joinpath(*module.split(".")).with_suffix(".py")


def digest(source: Path) -> str:
    return hashlib.sha256(source.read_bytes()).hexdigest()


def builds(source: Path) -> list[Path]:
    """The compiled modules beside `source`, for any Python version."""
    return sorted(source.parent.glob(f"{source.stem}.*.so")) + sorted(source.parent.glob(f"{source.stem}__mypyc.*.so"))


def fresh(source: Path) -> bool:
    """Whether a build of `source` for this Python is there and was made from it as it is now."""
    stamp = source.with_suffix(STAMP_SUFFIX)
    built = any(source.with_name(source.stem + suffix).exists() for suffix in importlib.machinery.EXTENSION_SUFFIXES)
    return built and stamp.exists() and stamp.read_text(encoding="ascii").strip() == digest(source)


def compiled(module: str) -> bool:
    """Whether `module`, as imported, is the compiled build."""
    loaded = sys.modules.get(module)
    return loaded is not None and str(getattr(loaded, "__file__", "")).endswith(".so")


def guard(module: str, root: Path = ROOT) -> None:
    """Call before `module` is first imported: when a build of it is there but stale (or for
    another Python), import its source instead, so that an edit is never shadowed by an old build."""
    source = source_of(module, root)
    if module in sys.modules or not builds(source):
        return
    if os.environ.get("REDLINE_NATIVE") != "0":
        if fresh(source):
            return
        print(f"redline: the compiled {module} was built from another {source.name}; running the source "
              "(slower) until `make setup` rebuilds it", file=sys.stderr)
    spec = importlib.util.spec_from_file_location(module, source)
    assert spec is not None and spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[module] = loaded
    try:
        spec.loader.exec_module(loaded)
    except BaseException:
        del sys.modules[module]
        raise
    parent, _, name = module.rpartition(".")
    if parent in sys.modules:
        setattr(sys.modules[parent], name, loaded)

"""Modules compiled with mypyc by `make setup` (scripts/build_native.py), and the guard that keeps an
old build from shadowing an edited source.

The modules are compiled together, as one group: each sits beside its source as `<name>.cpython-*.so`, which Python
imports before the `.py`, their shared code in GROUP's library, and `<name>.native` holds the sha256 of the source it
was built from. The group's code reaches into the classes of its modules directly (a name's tokens, read in every
comparison), so the modules run compiled together or not at all: while every stamp agrees with its source the builds
run (the same code, about 1.26 times less CPU a screening with the scorer alone compiled: docs/benchmarks-parties.md,
"Compiled scoring, session 24"; "The Keep measured against the issue's own engine; name analysis compiled with the
scorer, session 51"); once any source is edited every source runs, with a warning, until the next `make setup`.
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
# The scorer of every comparison a screening makes, and the analysis of names whose tokens it reads: most of a
# screening's CPU. A module before those that import it (guard loads the sources in this order).
COMPILED = ("redline.parties.names", "redline.parties.score")
GROUP = "redline.parties.compiled"  # the shared library of their code: redline/parties/compiled__mypyc.*.so
STAMP_SUFFIX = ".native"


def source_of(module: str, root: Path = ROOT) -> Path:
    return root.joinpath(*module.split(".")).with_suffix(".py")


def digest(source: Path) -> str:
    return hashlib.sha256(source.read_bytes()).hexdigest()


def builds(source: Path) -> list[Path]:
    """The compiled modules beside `source`, for any Python version (with a library of shared code named after it, as
    mypyc writes for a module compiled alone)."""
    return sorted(source.parent.glob(f"{source.stem}.*.so")) + sorted(source.parent.glob(f"{source.stem}__mypyc.*.so"))


def group_builds(root: Path = ROOT) -> list[Path]:
    """The group's library of shared code, for any Python version."""
    return builds(source_of(GROUP, root))


def fresh(source: Path) -> bool:
    """Whether a build of `source` for this Python is there and was made from it as it is now."""
    stamp = source.with_suffix(STAMP_SUFFIX)
    built = any(source.with_name(source.stem + suffix).exists() for suffix in importlib.machinery.EXTENSION_SUFFIXES)
    return built and stamp.exists() and stamp.read_text(encoding="ascii").strip() == digest(source)


def compiled(module: str) -> bool:
    """Whether `module`, as imported, is the compiled build."""
    loaded = sys.modules.get(module)
    return loaded is not None and str(getattr(loaded, "__file__", "")).endswith(".so")


def guard(modules: tuple[str, ...] = COMPILED, root: Path = ROOT) -> None:
    """Call before any of `modules` (one group compiled together) is first imported: when a build of them is there but
    one is stale (or for another Python), import every source instead, so that an edit is never shadowed by an old
    build, nor a build left reaching into a source's classes."""
    sources = [source_of(module, root) for module in modules]
    if any(module in sys.modules for module in modules) or not any(builds(source) for source in sources):
        return
    if os.environ.get("REDLINE_NATIVE") != "0":
        stale = [source.name for source in sources if not fresh(source)]
        if not stale:
            return
        print(f"redline: the compiled {', '.join(modules)} were built from another {', '.join(stale)}; running the "
              "sources (slower) until `make setup` rebuilds them", file=sys.stderr)
    for module, source in zip(modules, sources):
        _import_source(module, source)


def _import_source(module: str, source: Path) -> None:
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

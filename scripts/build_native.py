"""Compile redline.native.COMPILED with mypyc, in place, as one group, and stamp each build with its source's hash.

    .venv/bin/python scripts/build_native.py          # run by `make setup`
    .venv/bin/python scripts/build_native.py --clean  # remove the builds: the sources run

mypyc (part of mypy, a pinned dev dependency) compiles the modules as written, checked by mypy's
types, to C extensions with the same behaviour; the build and its generated C go to a temporary
folder, only the extensions (each beside its source, with its stamp, and the group's library of shared
code, redline.native.GROUP) are written into the tree (all ignored by git).
A type error or a missing compiler stops the build with an error: nothing stale is left behind.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from redline.native import COMPILED, GROUP, STAMP_SUFFIX, builds, digest, group_builds, source_of  # noqa: E402


def clean() -> None:
    for module in COMPILED:
        source = source_of(module)
        for path in [*builds(source), source.with_suffix(STAMP_SUFFIX)]:
            path.unlink(missing_ok=True)
    for path in group_builds():
        path.unlink(missing_ok=True)


def build() -> None:
    from mypyc.build import mypycify
    from setuptools import setup

    clean()
    headers = Path(sysconfig.get_paths()["include"], "Python.h")
    if not headers.exists():
        raise SystemExit(f"error: {headers} is missing: install this Python's headers (Debian: python3-dev) to compile the scorer")
    sources = [source_of(module) for module in COMPILED]
    hashes = {source: digest(source) for source in sources}
    with tempfile.TemporaryDirectory(prefix="redline-native-") as work:
        os.chdir(ROOT)  # mypy names each module from its path under the project root
        # The modules they import are read for their types, not checked (scripts.py and index.py are not compiled).
        options = ["--ignore-missing-imports", "--follow-imports=silent"]
        extensions = mypycify([*options, *(str(source.relative_to(ROOT)) for source in sources)], opt_level="3", target_dir=work,
                              group_name=GROUP)
        os.chdir(work)  # away from the project's pyproject.toml, which setup() would read
        setup(name="redline-native", ext_modules=extensions, script_args=["-q", "build_ext", "--build-lib", "lib", "--build-temp", "tmp"])
        for built in Path(work, "lib").rglob("*.so"):
            shutil.copyfile(built, ROOT / built.relative_to(Path(work, "lib")))
        os.chdir(ROOT)
    for source, sha in hashes.items():
        if digest(source) != sha:
            raise SystemExit(f"error: {source} changed during the build; run it again")
        source.with_suffix(STAMP_SUFFIX).write_text(sha + "\n", encoding="ascii")
        print(f"compiled {source.relative_to(ROOT)} with mypyc")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clean", action="store_true", help="remove the builds and their stamps")
    args = parser.parse_args()
    if args.clean:
        clean()
    else:
        build()


if __name__ == "__main__":
    main()

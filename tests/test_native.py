"""The scorer and name analysis compiled by mypyc (redline/native.py): used only while every build matches its source,
and analysing and scoring exactly as the sources do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from redline import native
from redline.parties import names, score

CASES = Path(__file__).resolve().parent.parent / "benchmarks" / "data" / "parties_category_cases.csv"
SOURCES = [native.source_of(module) for module in native.COMPILED]

# Each pair of the category cases analysed and scored (with and without a rarity table), as JSON: run once with the
# builds and once with REDLINE_NATIVE=0, the sources.
SCORING_SCRIPT = """
import csv, json, sys
from redline.parties import names, score
with open(sys.argv[1], encoding="utf-8", newline="") as fh:
    rows = [r for r in csv.DictReader(fh) if r["set"] != "cross_script"][:300]
    fh.seek(0)
    rows += [r for r in csv.DictReader(fh) if r["set"] == "cross_script"][:100]
pairs = [(names.analyse(r["a"], r["schema"] == "Person"), names.analyse(r["b"], r["schema"] == "Person")) for r in rows]
rarity = score.Rarity.of([[t.text for t in n.tokens] for pair in pairs for n in pair])
out = [[names.__file__, score.__file__]]
for a, b in pairs:
    out.append([repr(a), repr(b)])
    for table in (None, rarity):
        found = score.compare(a, b, rarity=table)
        out.append([found.score, found.explain()])
print(json.dumps(out))
"""


def run_python(script: str, native_flag: str, *args: str, data: bytes = b"") -> bytes:
    env = {**os.environ, "REDLINE_NATIVE": native_flag, "PYTHONHASHSEED": "0"}  # sets print in one order in both
    return subprocess.run([sys.executable, "-c", script, *args], input=data, env=env, capture_output=True, check=True).stdout


@pytest.mark.skipif(not all(native.fresh(source) for source in SOURCES), reason="no build of the sources as they are now (make setup builds one)")
@pytest.mark.skipif(os.environ.get("REDLINE_NATIVE") == "0", reason="REDLINE_NATIVE=0 runs the sources")
def test_fresh_builds_are_the_modules_in_use() -> None:
    assert native.compiled("redline.parties.score") and score.__file__.endswith(".so")
    assert native.compiled("redline.parties.names") and names.__file__.endswith(".so")


@pytest.mark.skipif(not native.compiled("redline.parties.score"), reason="the scorer in use is its source")
def test_the_builds_analyse_and_score_exactly_as_their_sources() -> None:
    built, plain = (json.loads(run_python(SCORING_SCRIPT, flag, str(CASES))) for flag in ("1", "0"))
    assert [path.endswith(".so") for path in built[0]] == [True, True]
    assert [path.endswith(".py") for path in plain[0]] == [True, True]
    assert len(built) == len(plain) > 1000
    assert built[1:] == plain[1:]


def test_a_stale_build_is_not_imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    package = tmp_path / "stalepkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "mod.py").write_text("WHERE = 'source'\n")
    (package / "mod.cpython-311-x86_64-linux-gnu.so").write_bytes(b"not a build of this source")
    (package / "mod.native").write_text("0" * 64 + "\n")
    sys.path.insert(0, str(tmp_path))
    try:
        import stalepkg  # noqa: F401

        native.guard(("stalepkg.mod",), root=tmp_path)
        assert sys.modules["stalepkg.mod"].WHERE == "source"
        assert "built from another mod.py" in capsys.readouterr().err
    finally:
        sys.path.remove(str(tmp_path))
        for name in ("stalepkg.mod", "stalepkg"):
            sys.modules.pop(name, None)


def test_one_stale_build_of_a_group_runs_every_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A fresh build beside a stale one would reach into the other's source classes as if they were its own."""
    package = tmp_path / "grouppkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in ("first", "second"):
        source = package / f"{name}.py"
        source.write_text("WHERE = 'source'\n")
        (package / f"{name}{native.importlib.machinery.EXTENSION_SUFFIXES[0]}").write_bytes(b"not a build of this source")
    (package / "first.native").write_text(native.digest(package / "first.py") + "\n")  # fresh
    (package / "second.native").write_text("0" * 64 + "\n")  # stale
    sys.path.insert(0, str(tmp_path))
    try:
        import grouppkg  # noqa: F401

        native.guard(("grouppkg.first", "grouppkg.second"), root=tmp_path)
        assert sys.modules["grouppkg.first"].WHERE == "source"
        assert sys.modules["grouppkg.second"].WHERE == "source"
        assert "built from another second.py" in capsys.readouterr().err
    finally:
        sys.path.remove(str(tmp_path))
        for name in ("grouppkg.first", "grouppkg.second", "grouppkg"):
            sys.modules.pop(name, None)


def test_a_build_stamped_with_its_source_is_fresh(tmp_path: Path) -> None:
    source = tmp_path / "mod.py"
    source.write_text("X = 1\n")
    assert not native.fresh(source)
    (tmp_path / f"mod{native.importlib.machinery.EXTENSION_SUFFIXES[0]}").write_bytes(b"")
    source.with_suffix(native.STAMP_SUFFIX).write_text(native.digest(source) + "\n")
    assert native.fresh(source)
    source.write_text("X = 2\n")
    assert not native.fresh(source)


PICKLE_SCRIPT = """
import pickle, sys
from redline.parties import names, score
listed = names.analyse("Hangzhou Hikvision Digital Technology")
comparison = score.compare(listed, names.analyse("Hikvision Digital"), rarity=score.Rarity.of([["hikvision", "digital"], ["digital"]]))
if sys.argv[1] == "dump":
    sys.stdout.buffer.write(pickle.dumps((comparison.rarity[0], comparison, score.RULES["lone_word"], listed)))
else:
    rarity, loaded, rule, name = pickle.loads(sys.stdin.buffer.read())
    assert (loaded.score, loaded.explain()) == (comparison.score, comparison.explain())
    assert rarity == comparison.rarity[0] and rule == score.RULES["lone_word"]
    assert name == listed and name.tokens == listed.tokens and type(name.tokens[0]) is type(listed.tokens[0])
    print(score.__file__)
"""


@pytest.mark.skipif(not native.compiled("redline.parties.score"), reason="the scorer in use is its source")
@pytest.mark.parametrize("writer_native", ["0", "1"])
def test_what_the_source_pickles_the_build_loads_and_back(writer_native: str) -> None:
    """A screener cache written by one (a stale build runs the source) must load in the other."""

    reader_native = "0" if writer_native == "1" else "1"
    dumped = run_python(PICKLE_SCRIPT, writer_native, "dump")
    loaded_by = run_python(PICKLE_SCRIPT, reader_native, "load", data=dumped).decode().strip()
    assert loaded_by.endswith(".py" if reader_native == "0" else ".so")

"""The scorer compiled by mypyc (redline/native.py): used only while it matches its source, and
scoring exactly as the source does."""

from __future__ import annotations

import csv
import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from redline import native
from redline.parties import score
from redline.parties.names import analyse

CASES = Path(__file__).resolve().parent.parent / "benchmarks" / "data" / "parties_category_cases.csv"
SOURCE = native.source_of("redline.parties.score")


def load_source() -> ModuleType:
    spec = importlib.util.spec_from_file_location("redline_parties_score_source", SOURCE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


@pytest.mark.skipif(not native.fresh(SOURCE), reason="no build of score.py as it is now (make setup builds one)")
@pytest.mark.skipif(os.environ.get("REDLINE_NATIVE") == "0", reason="REDLINE_NATIVE=0 runs the source")
def test_a_fresh_build_is_the_scorer_in_use() -> None:
    assert native.compiled("redline.parties.score") and score.__file__.endswith(".so")


@pytest.mark.skipif(not native.compiled("redline.parties.score"), reason="the scorer in use is its source")
def test_the_compiled_scorer_scores_exactly_as_its_source() -> None:
    source = load_source()
    with CASES.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["set"] != "cross_script"][:300]
        fh.seek(0)
        rows += [r for r in csv.DictReader(fh) if r["set"] == "cross_script"][:100]
    names = [(analyse(r["a"], r["schema"] == "Person"), analyse(r["b"], r["schema"] == "Person")) for r in rows]
    words = [[t.text for t in n.tokens] for pair in names for n in pair]
    tables = score.Rarity.of(words), source.Rarity.of(words)
    assert tables[0].factors == tables[1].factors
    for a, b in names:
        for rarity_c, rarity_s in ((None, None), tables):
            compiled, plain = score.compare(a, b, rarity=rarity_c), source.compare(a, b, rarity=rarity_s)
            assert (compiled.score, compiled.explain()) == (plain.score, plain.explain()), (a.raw, b.raw)


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

        native.guard("stalepkg.mod", root=tmp_path)
        assert sys.modules["stalepkg.mod"].WHERE == "source"
        assert "built from another mod.py" in capsys.readouterr().err
    finally:
        sys.path.remove(str(tmp_path))
        for name in ("stalepkg.mod", "stalepkg"):
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
from redline.parties import score
from redline.parties.names import analyse
comparison = score.compare(analyse("Hangzhou Hikvision Digital Technology"), analyse("Hikvision Digital"),
                           rarity=score.Rarity.of([["hikvision", "digital"], ["digital"]]))
if sys.argv[1] == "dump":
    sys.stdout.buffer.write(pickle.dumps((comparison.rarity[0], comparison, score.RULES["lone_word"])))
else:
    rarity, loaded, rule = pickle.loads(sys.stdin.buffer.read())
    assert (loaded.score, loaded.explain()) == (comparison.score, comparison.explain())
    assert rarity == comparison.rarity[0] and rule == score.RULES["lone_word"]
    print(score.__file__)
"""


@pytest.mark.skipif(not native.compiled("redline.parties.score"), reason="the scorer in use is its source")
@pytest.mark.parametrize("writer_native", ["0", "1"])
def test_what_the_source_pickles_the_build_loads_and_back(writer_native: str) -> None:
    """A screener cache written by one (a stale build runs the source) must load in the other."""

    def run(native_flag: str, mode: str, data: bytes = b"") -> bytes:
        env = {**os.environ, "REDLINE_NATIVE": native_flag}
        return subprocess.run([sys.executable, "-c", PICKLE_SCRIPT, mode], input=data, env=env,
                              capture_output=True, check=True).stdout

    reader_native = "0" if writer_native == "1" else "1"
    loaded_by = run(reader_native, "load", run(writer_native, "dump")).decode().strip()
    assert loaded_by.endswith(".py" if reader_native == "0" else ".so")

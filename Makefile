VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: setup run test bench benchmarks-md clean

setup: $(VENV)/.installed $(VENV)/.native

$(VENV)/.installed: pyproject.toml constraints.txt scripts/system-deps.sh
	./scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -c constraints.txt -e '.[dev]'
	touch $@

# The scorer and name analysis compiled with mypyc (redline/native.py); rebuilt when a source changes.
$(VENV)/.native: $(VENV)/.installed redline/parties/score.py redline/parties/names.py redline/native.py scripts/build_native.py
	$(PY) scripts/build_native.py
	touch $@

run: setup
	$(VENV)/bin/redline parties import --if-changed --keep-going
	$(VENV)/bin/redline parties status
	$(VENV)/bin/redline parties screen-file examples/counterparties.csv -o examples/counterparties.hits.csv --no-resume --show 50

benchmarks-md:
	python3 scripts/benchmarks_md.py

test: setup
	$(VENV)/bin/pytest -q -m "not slow"

bench: setup
	$(VENV)/bin/pip install -q -c constraints.txt -e ".[dev,bench]"
	$(PY) -m benchmarks.parties_speed && $(PY) -m benchmarks.parties_accuracy && $(PY) -m benchmarks.media_hashing && $(PY) -m benchmarks.media_index && $(PY) -m benchmarks.media_robustness && $(PY) -m benchmarks.media_vpdq

clean:
	-$(PY) scripts/build_native.py --clean
	rm -rf $(VENV) .pytest_cache

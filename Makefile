# Two commands on a fresh machine: `make demo` and `make test`.
# Only python3 (3.11+) and make are assumed; everything else goes into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install benchmark clean studio course lint check

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip "setuptools>=77" wheel
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m compileall -q toolkit
	$(BIN)/mentoring-toolkit demo

# The apps in the browser for a sample client (code hidden); Ctrl-C stops it.
studio: $(STAMP)
	$(BIN)/mentoring-toolkit studio --client sample_data/northwind

# The course as a static offline HTML site, executed with outputs.
course: $(STAMP)
	$(BIN)/mentoring-toolkit course --out course-site

# One test worker more than the machine has cores: the browser and studio tests spend part of their time waiting
# for a page or a kernel, and the extra worker keeps the cores busy meanwhile (override: make test WORKERS=2).
WORKERS ?= $(shell $(PYTHON) -c 'import os; print((os.cpu_count() or 1) + 1)')

# The toolkit's own modules compiled ahead (only the changed ones; compileall writes even where
# PYTHONDONTWRITEBYTECODE is set): otherwise every kernel the tests start compiles them again.
test: $(STAMP)
	$(BIN)/python -m compileall -q toolkit
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadfile --no-loadscope-reorder

# The lint and type gate (CI runs it before the tests): ruff's chosen rules, mypy over toolkit/.
lint: $(STAMP)
	$(BIN)/ruff check toolkit tests benchmarks
	$(BIN)/mypy

# The edit loop: the gate, then every test that is neither slow nor a browser test (under a minute).
check: lint
	$(BIN)/python -m compileall -q toolkit
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder -q -m "not slow and not browser"

benchmark: $(STAMP)
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis

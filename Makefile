# Two commands for users: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo tour test fuzz lint typecheck pytest docs bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# A week at a Shanghai service desk, through the public API (examples/week.py).
demo: $(STAMP)
	$(BIN)/python examples/week.py

# A tour of every package, one vignette each (examples/demo.py).
tour: $(STAMP)
	$(BIN)/python examples/demo.py

# Lint first (a second), then mypy and the docs build beside pytest: pytest keeps both cores
# busy, but its workers wait at the end and in the process tests, and the two take a minute
# together when run in turn. Their few lines of output land among pytest's dots.
test: lint
	$(MAKE) --no-print-directory -j3 typecheck pytest docs

# The long random search: every property, stateful and fuzz test (pytest marker `property`)
# with fresh random seeds and 20x CI's examples (hypothesis profile `fuzz`, tests/conftest.py).
# CI stays derandomized; what this finds becomes an explicit @example or regression test.
# Narrow it with FUZZ_ARGS, e.g. `make fuzz FUZZ_ARGS=tests/fuzz`.
FUZZ_ARGS ?= tests
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -m property --no-header -q $(FUZZ_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy --strict

# The suite runs on one worker process per core (pytest-xdist; `worksteal` hands the long tests
# left at the end to whichever worker is free). Coverage follows the workers into their
# processes (`patch = ["subprocess"]` in pyproject.toml) and `combine` merges what each wrote.
# `make pytest PYTEST_WORKERS=0` runs the suite in one process.
PYTEST_WORKERS ?= auto
pytest: $(STAMP)
	@# On CI the PostgreSQL adapter tests must run: install the server when it is missing.
	@if [ "$$CI" = "true" ]; then scripts/install_postgres.sh; fi
	@# ... and the HTML report's browser test needs Debian's chromium and chromedriver.
	@if [ "$$CI" = "true" ]; then scripts/install_chromium.sh; fi
	rm -f .coverage .coverage.*
	$(BIN)/coverage run -m pytest -n $(PYTEST_WORKERS) --dist worksteal
	$(BIN)/coverage combine --quiet
	$(BIN)/coverage report

docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir $(VENV)/site

bench: $(STAMP)
	@for f in benchmarks/*_bench.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .coverage .coverage.* .mypy_cache .ruff_cache .pytest_cache .hypothesis

# Two commands for a newcomer:  make demo   and   make test
# Both create a virtual environment in .venv on first use (only Python 3.11+ needed).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_DB ?= demo.db

.PHONY: demo test test-postgresql lint bench clean cli-spec

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## Import the bundled CQC report into demo.db and print the progress table.
demo: $(BIN)/.installed
	$(BIN)/cpft-tracker --db $(DEMO_DB) import --example
	$(BIN)/cpft-tracker --db $(DEMO_DB) progress
	@echo 'To try the commands in README.md on this plan, in this shell:' >&2
	@echo '  export PATH="$(abspath $(BIN)):$$PATH" CPFT_TRACKER_DB="$(abspath $(DEMO_DB))"' >&2

## Run the whole test suite, one pytest-xdist worker a core (each test file on one worker, in
## the order conftest.py puts them: the longest first).
## TEST_WORKERS=0 runs it in this one process (serially), TEST_WORKERS=4 on four workers.
TEST_WORKERS ?= auto
test: $(BIN)/.installed
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

## The whole suite again with every test's plan in PostgreSQL: a private server the tests start,
## one a worker (PostgreSQL 15 binaries needed; docs/postgresql.md). .ci/run runs it after make test.
test-postgresql: $(BIN)/.installed
	CPFT_TEST_BACKEND=postgresql $(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

## Style and types.
lint: $(BIN)/.installed
	$(BIN)/ruff check cpft_tracker tests bench
	$(BIN)/ruff format --check cpft_tracker tests bench
	$(BIN)/mypy cpft_tracker

## After changing a command's options or arguments: rewrite cpft_tracker/cli/spec.py, the
## commands' click parameters as read from their typer declarations (tests/test_cli_spec.py).
cli-spec: $(BIN)/.installed
	$(BIN)/python -c 'from cpft_tracker.cli.spec_writer import write_spec; write_spec()'
	$(BIN)/ruff format --quiet cpft_tracker/cli/spec.py

## The benchmark (see bench/README.md); writes bench/RESULTS.md.
bench: $(BIN)/.installed
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm build *.egg-info

# Two commands set up a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench schema

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## Install, migrate, load demo data into an empty database, serve GraphiQL on 127.0.0.1:8000.
run: $(VENV)/.installed-app
	$(BIN)/python -m app seed-demo
	$(BIN)/python -m app serve

## Install what the tests need and run the whole suite.
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n 2

## Print the performance figures (see bench/README.md).
bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.queries_per_request
	$(BIN)/python -m bench.available_slots
	$(BIN)/python -m bench.job_lag
	$(BIN)/python -m bench.fanout
	$(BIN)/python -m bench.hostile

schema: $(VENV)/.installed-app
	$(BIN)/python -m app export-schema

# Two commands set up a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test bench schema .chromium .postgresql .redis .wrk

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# GraphiQL's pinned assets (served by the app itself) and the client tests' Node tools.
web/node_modules/.installed: web/package-lock.json
	npm ci --prefix web --no-audit --no-fund --loglevel=error
	touch $@

# The browser test drives Debian's Chromium (no browser download).
.chromium:
	command -v chromium >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null)

# The PostgreSQL tests start their own server from Debian's binaries (pytest-postgresql).
.postgresql:
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql >/dev/null)

# The Redis tests start their own redis-server (pytest-redis).
.redis:
	command -v redis-server >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq redis-server >/dev/null)

## Install, migrate, load demo data into an empty database, serve GraphiQL on 127.0.0.1:8000.
run: $(VENV)/.installed-app web/node_modules/.installed
	$(BIN)/python -m app seed-demo
	$(BIN)/python -m app serve

## Install what the tests need and run the whole suite.
test: $(VENV)/.installed-test web/node_modules/.installed .chromium .postgresql .redis
	$(BIN)/python -m pytest -n 2

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

# The list benchmark loads the server with wrk (Debian's package).
.wrk:
	command -v wrk >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk >/dev/null)

## Print the performance figures (see README: Measured).
bench: $(VENV)/.installed-bench .wrk .postgresql .redis
	$(BIN)/python -m bench.queries_per_request
	$(BIN)/python -m bench.available_slots
	$(BIN)/python -m bench.job_lag
	$(BIN)/python -m bench.fanout --profile
	$(BIN)/python -m bench.hostile
	$(BIN)/python -m bench.list_vs_raw --profile
	$(BIN)/python -m bench.scale_out

schema: $(VENV)/.installed-app
	$(BIN)/python -m app export-schema

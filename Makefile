# Two commands set up a fresh machine: `make run` and `make test` (CI: `make check test`).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test check bench lock schema .chromium .postgresql .redis .wrk

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Every dependency from a lock, each checked against its hash (see README: Locked versions);
# then the project itself, built by the locked setuptools (no isolated build fetching its own).
# app.txt serves `make run`; dev.txt adds the tests, the static checks and the benches.
$(VENV)/.installed-%: requirements/%.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $<
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check  # a dependency added to pyproject.toml but not locked fails here
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
	GRAPHIQL_DEMO_SIGN_IN=true $(BIN)/python -m app serve

## Static checks: types (mypy --strict over app, tests and bench) and ruff (lint, imports, format).
check: $(VENV)/.installed-dev
	$(BIN)/python -m mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Install what the tests need and run the whole suite.
test: $(VENV)/.installed-dev web/node_modules/.installed .chromium .postgresql .redis
	$(BIN)/python -m pytest -n 2

# The list benchmark loads the server with wrk (Debian's package).
.wrk:
	command -v wrk >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk >/dev/null)

## Print the performance figures (see README: Measured).
bench: $(VENV)/.installed-dev .wrk .postgresql .redis
	$(BIN)/python -m bench.queries_per_request
	$(BIN)/python -m bench.available_slots
	$(BIN)/python -m bench.job_lag
	$(BIN)/python -m bench.fanout --profile
	$(BIN)/python -m bench.messages
	$(BIN)/python -m bench.webhooks
	$(BIN)/python -m bench.hostile
	$(BIN)/python -m bench.list_vs_raw --profile
	$(BIN)/python -m bench.list_reads
	$(BIN)/python -m bench.scale_out

## Re-resolve the locks after a change to pyproject.toml's dependencies (other pins are kept);
## `make lock UPGRADE=1` moves every pin to the newest release the ranges allow.
LOCK := $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command 'make lock' $(if $(UPGRADE),--upgrade)
# Needs only the locked uv: a dependency just added to pyproject.toml is not installed yet.
$(BIN)/uv: requirements/app.txt | $(BIN)/python
	awk '/^uv==/ {p = 1; print; next} p && /^    / {print; next} {p = 0}' requirements/app.txt > $(VENV)/uv.txt
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(VENV)/uv.txt
lock: $(BIN)/uv
	$(LOCK) pyproject.toml requirements/tools.in -o requirements/app.txt
	$(LOCK) pyproject.toml requirements/tools.in --all-extras -c requirements/app.txt -o requirements/dev.txt

schema: $(VENV)/.installed-app
	$(BIN)/python -m app export-schema

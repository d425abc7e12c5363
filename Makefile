# newsdesk — two commands set everything up on a fresh machine:
#   make run    the monitoring service + status page/API on http://127.0.0.1:8000 (SQLite under ./data)
#   make test   the whole suite (lint, types, unit, integration, PostgreSQL)
# Both are idempotent: the virtualenv is (re)built only when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/newsdesk up

lint: install
	$(BIN)/ruff check newsdesk tests bench
	$(BIN)/ruff format --check newsdesk tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -m "not slow"

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

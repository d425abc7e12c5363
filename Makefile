# newsdesk — two commands set everything up on a fresh machine:
#   make run    the monitoring service + status page/API on http://127.0.0.1:8000 (SQLite under ./data)
#   make test   the whole suite (lint, types, unit, integration, PostgreSQL)
# Both are idempotent: the virtualenv is (re)built only when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install system browser run test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Pango and fonts for the PDF reports (WeasyPrint): installed with apt-get when missing.
system:
	@ldconfig -p | grep -q libpangoft2-1.0 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
			libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core >/dev/null; }

# Debian's Chromium for the end-to-end tests (Playwright drives it through executablePath;
# no browser is downloaded). Installed with apt-get when missing; needs root or sudo.
browser:
	@test -x /usr/bin/chromium || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-noto-core >/dev/null; }
	@test -x /usr/bin/chromium && echo "chromium: $$(/usr/bin/chromium --version 2>/dev/null)"

run: install system
	$(BIN)/newsdesk up

lint: install
	$(BIN)/ruff check newsdesk tests bench
	$(BIN)/ruff format --check newsdesk tests bench
	$(BIN)/mypy

test: lint system browser
	$(BIN)/python -m pytest -m "not slow"

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# CP Conference Bot. `make run` serves the bot; `make test` runs every check. Both set up what they need first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help run test lint typecheck pytest package playground lock clean chromium node bench pictures pages pin-images

help:
	@echo "make run      start the bot (local mode without MicrosoftAppId; see .env.example)"
	@echo "make test     lint, type-check and run the whole test suite (installs what it needs)"
	@echo "make package  write the Teams app package to build/cp-conference-bot.zip (needs PUBLIC_BASE_URL with an app id)"
	@echo "make pages    bundle the meeting tab's browser code (TeamsJS) into bot/web/pages/static/"
	@echo "make playground  open the Microsoft 365 Agents Playground on http://127.0.0.1:56150 against a running bot"
	@echo "make lock     re-pin requirements/*.txt (with hashes) from pyproject.toml"
	@echo "make pin-images  pin the Dockerfile's base images to their tags' current digests (Docker and its registry)"
	@echo "make pictures redraw the README's card pictures in docs/ (a test says when they are out of date)"
	@echo "make bench    benchmarks against Microsoft's sample and the bare limit; writes bench/RESULTS.md (~17 min)"

run: $(VENV)/.runtime-installed pages
	$(BIN)/python app.py

# The meeting tab's browser code: TeamsJS and ours, bundled into one file the bot serves (no CDN).
PAGES_BUNDLE := bot/web/pages/static/meeting-tab.js
pages: $(PAGES_BUNDLE)

$(PAGES_BUNDLE): bot/web/pages/src/meeting-tab.js node_modules/.installed
	node_modules/.bin/esbuild $< --bundle --minify --format=iife --target=es2020 --legal-comments=none \
		--log-level=warning --outfile=$@

test: $(VENV)/.dev-installed node_modules/.installed chromium pages lint typecheck pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy

pytest: $(VENV)/.dev-installed node_modules/.installed chromium pages
	$(BIN)/python -m pytest

# Not part of `make test`: about 20 minutes, and the figures depend on the machine.
bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench

pictures: $(VENV)/.dev-installed node_modules/.installed chromium pages
	$(BIN)/python -m tests.support.draw_pictures

package: $(VENV)/.runtime-installed
	$(BIN)/python -m bot package

# The Microsoft 365 Agents Playground, a local Teams client, pointed at `make run` (start that first).
playground: node_modules/.installed
	TEAMSAPPTESTER_BROWSER=none node -r ./tests/e2e/loopback-preload.cjs \
		node_modules/@microsoft/m365agentsplayground/cli.js \
		--app-endpoint http://127.0.0.1:$${PORT:-3978}/api/messages --channel-id msteams --port 56150 \
		--service-url http://127.0.0.1:56150/_connector --disable-telemetry

# Every requirement pinned with its hashes, so an install takes exactly the files that were locked (supply chain).
LOCK := $(BIN)/pip-compile -q --no-strip-extras --no-header --no-emit-index-url --no-emit-find-links --generate-hashes \
	--allow-unsafe
pin-images:
	$(PYTHON) tools/pin_images.py

lock: $(VENV)/.dev-installed
	$(LOCK) --output-file requirements/runtime.txt pyproject.toml
	$(LOCK) --extra dev --output-file requirements/dev.txt pyproject.toml

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "CP Conference Bot needs Python 3.11 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.runtime-installed: $(BIN)/python requirements/runtime.txt pyproject.toml
	$(BIN)/python -m pip install -q --require-hashes -r requirements/runtime.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	@touch $@

$(VENV)/.dev-installed: $(BIN)/python requirements/dev.txt pyproject.toml
	$(BIN)/python -m pip install -q --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	@touch $@

node:
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || { \
		echo "Installing Node.js from Debian's packages"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }

node_modules/.installed: package.json package-lock.json | node
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Chromium from Debian's packages"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

clean:
	rm -rf $(VENV) node_modules build .mypy_cache .ruff_cache .pytest_cache

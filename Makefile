# gbo: every target installs what it needs (virtualenv, Python packages, npm assets,
# Debian's Chromium for browser tests) and is safe to run on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NPM_STAMP := node_modules/.installed-stamp

.PHONY: demo test lint bench venv npm system-packages docs clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The CPU build of torch first, so nothing pulls a multi-GB CUDA build.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

$(NPM_STAMP): package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $(NPM_STAMP)

npm: $(NPM_STAMP)

# Debian packages the tests drive for real: Chromium (browser tests), PostgreSQL (the review
# app's tests on PostgreSQL), LibreOffice Calc (ODS conversion of the spreadsheets) and a
# Java 17 runtime (the Spark backend's equivalence test and the Spark benchmark).
DEBIAN_PACKAGES := chromium postgresql libreoffice-calc-nogui openjdk-17-jre-headless
system-packages:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: venv npm
	$(BIN)/gbo demo

lint: venv
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

test: lint npm system-packages
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder --durations=30

bench: venv npm system-packages
	$(BIN)/python -m benchmarks

docs: venv
	$(BIN)/python -m gbo.docs_reference

clean:
	rm -rf runs demo-data bench-data test-artifacts

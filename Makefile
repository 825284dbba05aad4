# Yujing — the two commands: `make run` (demo county on http://127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test lint install migrate demo bench screens clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "需要 Python 3.11 或更高版本 (Python >= 3.11 is required)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@-$(BIN)/python scripts/check_runtime.py
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "预警 Yujing: http://$(HOST):$(PORT)/  (Ctrl-C 停止)"
	$(BIN)/python manage.py runserver --noreload --nostatic $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r src -ll
	$(BIN)/python manage.py makemigrations --check --dry-run

test: lint
	$(BIN)/python -m pytest

# the README's screenshots (docs/screens/), taken by the browser journeys
screens: install
	YUJING_SCREENS=docs/screens $(BIN)/python -m pytest -q tests/e2e

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var/static

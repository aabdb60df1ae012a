# Two commands: `make run` (set up and serve on SQLite) and `make test` (set up and run the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: setup run test check fmt e2e system-packages messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

# axe-core for the accessibility checks of the browser tests, pinned by tests/e2e/axe/package-lock.json (npm registry).
AXE := tests/e2e/axe/node_modules/.installed
$(AXE): tests/e2e/axe/package.json tests/e2e/axe/package-lock.json
	npm ci --prefix tests/e2e/axe --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

system-packages:
	@bash scripts/system-packages.sh

messages: $(VENV)/.installed
	@$(PY) manage.py compilemessages --locale vi --ignore '.venv/*' -v 0

setup: system-packages $(VENV)/.installed $(AXE) messages

run: setup
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_demo_cases
	@bash scripts/run-dev.sh

check: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/mypy admission workflows portal notifications demo config
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run -v 1

test: check
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest

e2e: setup
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest -m e2e

fmt: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 .test-media staticfiles tests/e2e/axe/node_modules

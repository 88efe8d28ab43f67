# Handje: `make run` serves the app, `make test` runs every check on SQLite and PostgreSQL.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HANDJE_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
export HANDJE_TEST_POSTGRES_URL
# Written by a PostgreSQL test run that passed; .ci/run checks that it exists.
POSTGRES_MARKER := var/test-results/postgres-passed

.PHONY: run test lint test-sqlite test-postgres chromium messages migration clean

$(BIN)/handje: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: $(BIN)/handje pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/handje ## serve on http://127.0.0.1:8000 (DEMO=1 loads the demo data)
	$(BIN)/handje serve $(if $(DEMO),--demo)

chromium: ## Debian's chromium for the browser tests (installed when we are root)
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "The browser tests need Debian's chromium: run 'sudo apt-get install chromium'."; exit 1; fi; }

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint chromium ## lint, then the whole suite on SQLite and (when reachable) PostgreSQL
	@if command -v node >/dev/null; then node --test tests/service-worker/; fi
	$(MAKE) test-sqlite
	@if $(BIN)/python -m tests.postgres_available; then $(MAKE) test-postgres; \
	  else echo "PostgreSQL at $(HANDJE_TEST_POSTGRES_URL) is not reachable: the PostgreSQL run was skipped."; fi

test-sqlite: $(VENV)/.test-installed
	HANDJE_TEST_DATABASE=sqlite $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.test-installed
	rm -f $(POSTGRES_MARKER)
	HANDJE_TEST_DATABASE=postgres $(BIN)/pytest $(PYTEST_ARGS)
	mkdir -p $(dir $(POSTGRES_MARKER)) && touch $(POSTGRES_MARKER)

messages: $(VENV)/.test-installed ## extract UI strings and update the catalogs
	$(BIN)/pybabel extract -F babel.cfg -o frontend/locales/handje.pot --no-location --omit-header -k t -k Invalid -k Forbidden -k NotAuthenticated -k NotFound -k Conflict -k TooManyRequests -k TooLarge -k Limit:4 -k N_ .
	$(BIN)/pybabel update -i frontend/locales/handje.pot -d frontend/locales -D handje --no-fuzzy-matching --omit-header

migration: $(BIN)/handje ## generate a migration: make migration APP=accounts
	PICCOLO_CONF=backend.piccolo_conf $(BIN)/piccolo migrations new $(APP) --auto

clean:
	rm -rf $(VENV) var/test-results

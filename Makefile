# make run   – set up .venv, migrate, load the food data and demo content once, serve on :8000
# make test  – the same set-up (and Debian's chromium for the browser tests, when root),
#              then the whole test suite (but schemathesis)
# make schemathesis – schemathesis over the whole API schema, signed in (a few minutes)
# make bench-branded – load a million synthetic branded products into PostgreSQL (minutes)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
RUN_ENV := DEBUG=$${DEBUG:-true}
PYTEST_ARGS ?=

.PHONY: run test browser schemathesis setup setup-dev lint format bench bench-branded collectstatic clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

setup: $(VENV)/.runtime

setup-dev: $(VENV)/.dev

run: setup
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py load_usda --if-empty
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: setup-dev browser
	$(PY) -m pytest -m "not schemathesis" $(PYTEST_ARGS)

# The browser tests drive Debian's chromium (Playwright's own download cannot work offline).
# As root on Debian it is installed; elsewhere this says how, and the browser tests are skipped.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "NOTE: chromium is not installed, so the browser tests (tests/e2e) will be skipped."; \
	  echo "      On Debian or Ubuntu: sudo apt-get install chromium  (then run make test again)."; \
	  echo "      Elsewhere: install Chromium so that 'chromium' is on your PATH."; \
	fi

schemathesis: setup-dev
	$(PY) -m pytest -m schemathesis $(PYTEST_ARGS)

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: setup-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup-dev
	$(PY) bench/run.py

# A million branded products into PostgreSQL (BRANDED_DB, migrated, SR28 loaded): many
# minutes, and the products stay for the search benchmark. See docs/benchmarks.md.
BRANDED_DIR ?= /tmp/fdc-branded-1m
BRANDED_DB ?= postgres://postgres@127.0.0.1:5432/mgsite_million
bench-branded: setup-dev
	test -f $(BRANDED_DIR)/branded_food.csv || $(PY) bench/make_branded.py 1000000 $(BRANDED_DIR)
	$(PY) bench/load_branded.py --path $(BRANDED_DIR) --database-url $(BRANDED_DB)

collectstatic: setup
	DEBUG=false SECRET_KEY=collectstatic-only $(PY) manage.py collectstatic --noinput

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# make run   – set up .venv, migrate, load the food data and demo content once, serve on :8000
# make test  – the same set-up, then the whole test suite (but schemathesis)
# make schemathesis – schemathesis over the whole API schema, signed in (a few minutes)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
RUN_ENV := DEBUG=$${DEBUG:-true}
PYTEST_ARGS ?=

.PHONY: run test schemathesis setup setup-dev lint format bench collectstatic clean

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

test: setup-dev
	$(PY) -m pytest -m "not schemathesis" $(PYTEST_ARGS)

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

collectstatic: setup
	DEBUG=false SECRET_KEY=collectstatic-only $(PY) manage.py collectstatic --noinput

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

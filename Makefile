# make run   – set up .venv, migrate, load the food data and demo content once, serve on :8000
# make test  – the same set-up (and Debian's chromium for the browser tests, when root),
#              then the whole test suite (but schemathesis)
# make pdf-libs – WeasyPrint's system libraries and a font for the PDF reports (as root on
#              Debian; elsewhere it says what to install; `run` and `test` call it)
# make schemathesis – schemathesis over the whole API schema, signed in (a few minutes)
# make worker – a Celery worker with the scheduler embedded; needs CELERY_BROKER_URL (without it
#              `make run` does every job in-process)
# make worker-test – the outbox on real workers with Redis and RabbitMQ, the kill test included
# make bench-branded – load a million synthetic branded products into PostgreSQL (minutes)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
RUN_ENV := DEBUG=$${DEBUG:-true}
PYTEST_ARGS ?=

.PHONY: run test browser pdf-libs schemathesis worker worker-test setup setup-dev lint \
	format bench bench-branded collectstatic clean
# The scheduler's state (when each job last ran; the schedule itself is in mgsite/settings.py).
BEAT_SCHEDULE_FILE ?= var/celerybeat-schedule

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

run: setup pdf-libs
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py load_usda --if-empty
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: setup-dev browser pdf-libs
	$(PY) -m pytest -m "not schemathesis and not worker" $(PYTEST_ARGS)

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

# The PDF reports use WeasyPrint, which needs Pango, HarfBuzz and fontconfig from the system and
# a font (not on PyPI). As root on Debian they are installed; elsewhere this says how, the PDF
# answers 503 and its tests are skipped (the rest of the site needs none of it).
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

pdf-libs: setup
	@if command -v dpkg-query >/dev/null 2>&1; then \
	  missing=$$(for p in $(PDF_PACKAGES); do \
	    dpkg-query -W -f='$${db:Status-Abbrev}' $$p 2>/dev/null | grep -q '^ii' || echo $$p; done); \
	else \
	  missing=""; $(PY) -c "import weasyprint" >/dev/null 2>&1 || missing="libraries"; \
	fi; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing WeasyPrint's system libraries and a font for the PDF reports..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $$missing >/dev/null; \
	else \
	  echo "NOTE: WeasyPrint's system libraries or fonts are missing: PDF reports answer 503"; \
	  echo "      and their tests are skipped (the CSV works)."; \
	  echo "      On Debian or Ubuntu: sudo apt-get install $(PDF_PACKAGES)"; \
	  echo "      On macOS: brew install pango; elsewhere see README.md (PDF reports)."; \
	fi

schemathesis: setup-dev
	$(PY) -m pytest -m schemathesis $(PYTEST_ARGS)

worker: setup
	@if [ -z "$${CELERY_BROKER_URL:-}" ] && ! grep -qs '^CELERY_BROKER_URL=.' .env; then \
	  echo "make worker needs CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/1 or" \
	       "amqp://guest:guest@127.0.0.1:5672//); without it the site runs every job itself."; \
	  exit 2; \
	fi
	mkdir -p $(dir $(BEAT_SCHEDULE_FILE))
	$(RUN_ENV) $(PY) -m celery -A mgsite worker -B --schedule $(BEAT_SCHEDULE_FILE) --loglevel info

# Starts its own workers (tests/outbox/test_worker.py) and prints the kill test's figures.
worker-test: setup-dev
	$(PY) -m pytest -m worker $(PYTEST_ARGS)

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
	rm -rf $(VENV) staticfiles .pytest_cache var

# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MANAGE := $(PY) manage.py

.DEFAULT_GOAL := help
.PHONY: help run test lint format check messages messages-update worker beat totp vendor clean bench bench-data bench-report

help:
	@echo "make run     - install, migrate, load demo data and serve on http://127.0.0.1:$(PORT)"
	@echo "make test    - lint, migration check and the whole test suite"
	@echo "make worker  - a Celery worker (when CELERY_BROKER_URL is set)"
	@echo "make totp    - the current two-factor code of the demo secretariat account"
	@echo "make bench   - page timings on a generated catalogue of 300 goals"
	@echo "make bench-report - the annual report of a Nordic-scale dataset, from enqueue to stored PDF"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

messages: $(VENV)/.installed
	@if command -v msgfmt >/dev/null 2>&1; then $(MANAGE) compilemessages --ignore=.venv -v0; \
	else $(PY) -m pogi.msgfmt locale; fi

messages-update: $(VENV)/.installed
	$(MANAGE) makemessages -l da -l en --ignore=.venv --ignore=tests --ignore=static --no-obsolete

run: messages
	$(MANAGE) migrate --noinput
	$(MANAGE) demo_data
	@echo
	@echo "POGI portal: http://127.0.0.1:$(PORT)/  (English: http://127.0.0.1:$(PORT)/en/)"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: messages
	DJANGO_SETTINGS_MODULE=pogi.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=pogi.settings.test $(MANAGE) check

test: lint check
	$(VENV)/bin/pytest $(PYTEST_ARGS)

worker: messages
	$(VENV)/bin/celery -A pogi worker -l info --concurrency 2

beat: $(VENV)/.installed
	$(VENV)/bin/celery -A pogi beat -l info

# Page timings on a generated catalogue (rolled back afterwards); set DATABASE_URL for PostgreSQL.
bench: messages
	DJANGO_SETTINGS_MODULE=pogi.settings.local DJANGO_DEBUG=false $(MANAGE) migrate --noinput -v0
	DJANGO_SETTINGS_MODULE=pogi.settings.local DJANGO_DEBUG=false $(MANAGE) bench_pages --goals $${GOALS:-300}

# The Nordic-scale dataset (5,000 members, 10 rounds, 1.5 M answers) in its own PostgreSQL database.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pogi_bench
BENCH_BROKER_URL ?= redis://127.0.0.1:6379/0
BENCH_ENV = DJANGO_SETTINGS_MODULE=pogi.settings.local DJANGO_DEBUG=false DATABASE_URL=$(BENCH_DATABASE_URL) \
	CELERY_BROKER_URL=$(BENCH_BROKER_URL) REDIS_URL=$(BENCH_BROKER_URL)

bench-data: messages
	$(PY) -c 'import sys, psycopg; from urllib.parse import urlsplit; u = urlsplit(sys.argv[1]); name = u.path.lstrip("/"); \
		c = psycopg.connect(u._replace(path="/postgres").geturl(), autocommit=True); \
		c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() or c.execute(f"CREATE DATABASE \"{name}\"")' \
		$(BENCH_DATABASE_URL)
	$(BENCH_ENV) $(MANAGE) migrate --noinput -v0
	$(BENCH_ENV) $(MANAGE) bench_dataset --if-empty

bench-report: bench-data
	$(BENCH_ENV) $(MANAGE) bench_report --output bench/report.json

totp: $(VENV)/.installed
	@$(MANAGE) demo_totp

vendor: $(VENV)/.installed
	$(MANAGE) vendor_refresh

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles var

# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MANAGE := $(PY) manage.py

.DEFAULT_GOAL := help
.PHONY: help run test lint typecheck typecheck-baseline format check messages messages-update worker beat totp vendor clean bench bench-data bench-report bench-tools backup restore

help:
	@echo "make run     - install, migrate, load demo data and serve on http://127.0.0.1:$(PORT)"
	@echo "make test    - lint, migration check and the whole test suite"
	@echo "make worker  - a Celery worker (when CELERY_BROKER_URL is set)"
	@echo "make totp    - the current two-factor code of the demo secretariat account"
	@echo "make backup  - database and private uploads with a manifest, into BACKUP_DIR (default var/backups)"
	@echo "make restore - BACKUP=<dir> (default the newest) into an empty DATABASE_URL and PRIVATE_MEDIA_ROOT; FORCE=1 overwrites"
	@echo "make bench   - every page, the deadline crunch and the annual report on the Nordic-scale dataset (bench/results.md)"
	@echo "make bench-report - only the annual report of that dataset, from enqueue to stored PDF"

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
	$(MANAGE) makemessages -l da -l en -l nb -l sv -l fi --ignore=.venv --ignore=tests --ignore=static --no-obsolete

# Links in the emails point at the port the portal is served on, unless SITE_URL says otherwise.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: messages
	$(MANAGE) migrate --noinput
	$(MANAGE) demo_data
	@echo
	@echo "POGI portal: http://127.0.0.1:$(PORT)/  (English: http://127.0.0.1:$(PORT)/en/)"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(MAKE) --no-print-directory typecheck

# mypy (configured in pyproject.toml): services and selectors strict, the rest no worse than mypy-baseline.txt.
STRICT_MODULES_RE := ^[a-z_]+/(services|selectors)(/[a-z_]+)?\.py:
typecheck: $(VENV)/.installed
	@if grep -E '$(STRICT_MODULES_RE)' mypy-baseline.txt; then \
		echo "mypy-baseline.txt: services and selectors must pass strict mypy, never be baselined"; exit 1; fi
	$(VENV)/bin/mypy | $(VENV)/bin/mypy-baseline filter --no-colors

# After fixing baselined errors: rewrite mypy-baseline.txt (it may only shrink; review the diff).
typecheck-baseline: $(VENV)/.installed
	$(VENV)/bin/mypy | $(VENV)/bin/mypy-baseline sync
	@if grep -E '$(STRICT_MODULES_RE)' mypy-baseline.txt; then \
		echo "mypy-baseline.txt: services and selectors must pass strict mypy, never be baselined"; exit 1; fi

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

# The Nordic-scale dataset (5,000 members, 10 rounds, 1.5 M answers) in its own PostgreSQL database.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pogi_bench
BENCH_BROKER_URL ?= redis://127.0.0.1:6379/0
BENCH_ENV = DJANGO_SETTINGS_MODULE=bench.settings.local DJANGO_DEBUG=false DATABASE_URL=$(BENCH_DATABASE_URL) \
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

# Every page under gunicorn with the production settings (DEBUG off), wrk and a locust deadline crunch.
BENCH_CACHE_URL ?= redis://127.0.0.1:6379/2
BENCH_PRODUCTION_ENV = DJANGO_SETTINGS_MODULE=bench.settings.production DJANGO_SECRET_KEY=bench-only-$$(hostname)-not-a-secret-0123456789 \
	SITE_URL=https://127.0.0.1 \
	DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost,testserver DATABASE_URL=$(BENCH_DATABASE_URL) \
	REDIS_URL=$(BENCH_CACHE_URL) CELERY_BROKER_URL=$(BENCH_BROKER_URL) DJANGO_STATIC_ROOT=$(CURDIR)/var/bench-static \
	DJANGO_EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend

$(VENV)/.bench-installed: requirements-bench.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-bench.txt
	touch $@

bench-tools: $(VENV)/.bench-installed
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null; \
		else echo "make bench needs wrk: apt-get install wrk"; exit 1; fi; }

bench: bench-tools bench-report
	$(BENCH_PRODUCTION_ENV) $(MANAGE) collectstatic --noinput -v0
	$(BENCH_PRODUCTION_ENV) $(MANAGE) bench --report bench/report.json --output bench

totp: $(VENV)/.installed
	@$(MANAGE) demo_totp

vendor: $(VENV)/.installed
	$(MANAGE) vendor_refresh

# Backups (docs/production.md): pg_dump custom format (or the SQLite file), a tar of PRIVATE_MEDIA_ROOT and a
# manifest (row counts, SHA-256 of every file) in a timestamped directory. Restore checks the result against it.
backup: $(VENV)/.installed
	$(MANAGE) backup $(if $(BACKUP_DIR),--output-dir "$(BACKUP_DIR)")

restore: $(VENV)/.installed
	$(if $(BACKUP_DIR),BACKUP_DIR="$(BACKUP_DIR)") $(MANAGE) restore $(if $(BACKUP),"$(BACKUP)") $(if $(filter 1 yes true,$(FORCE)),--force)

# Keeps var/backups: a backup is never deleted by a clean-up.
clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
	if [ -d var ]; then find var -mindepth 1 -maxdepth 1 ! -name backups -exec rm -rf {} +; fi

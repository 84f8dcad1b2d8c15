# motcua — two commands: `make run` (demo on SQLite at http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run run-connected test install install-dev lint format check migrate demo bench clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PIP) install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Links in slips, QR codes, mails and SMS use SITE_URL: unless it is set, the address the demo serves.
SITE_URL ?= http://$(HOST):$(PORT)
export SITE_URL

run: install
	mkdir -p var
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo
	@echo "motcua đang chạy tại $(SITE_URL)/  (cán bộ: $(SITE_URL)/staff/)"
	DEBUG=$${DEBUG:-1} $(PY) manage.py run_worker & worker=$$!; \
	DEBUG=$${DEBUG:-1} DIGITISATION_OCR_JOBS=$${DIGITISATION_OCR_JOBS:-1} nice -n 19 $(PY) manage.py run_ocr_worker & ocr=$$!; \
	trap "kill $$worker $$ocr 2>/dev/null" EXIT INT TERM; \
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

# `make run` connected to local fakes of the national portal (:8090), the identity provider (:8092) and VNPay
# (:8093): started in the background with the settings pointing at them, stopped on exit (scripts/run-connected).
run-connected: install
	PY=$(PY) HOST=$(HOST) PORT=$(PORT) scripts/run-connected

# The system packages the tests drive (chromium, poppler, zbar, LibreOffice, fonts): installed when run as root on
# Debian/Ubuntu, otherwise one line names them. No test is skipped for a missing tool.
test: install-dev
	scripts/system-packages
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

# Rewrites the code in the one style of [tool.ruff.format] (pyproject.toml); `lint` then checks the line length.
format: install-dev
	$(VENV)/bin/ruff format .

check: install-dev
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=1 $(PY) manage.py check

bench: install-dev
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf var .pytest_cache .ruff_cache

# Local development and CI entry points. `make run` and `make test` are the
# two commands of the README's quick start.

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/base.txt requirements/dev.txt | sha256sum | cut -c1-16)
DEMO_TENANT ?= demo

.PHONY: install services db run stop status test bench check schema clean

$(STAMP): requirements/base.txt requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

services:
	scripts/ensure_services.sh

db: install services
	psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'notifier'" | grep -q 1 \
		|| createdb -h 127.0.0.1 -U postgres notifier
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py collectstatic --noinput -v 0

run: db
	mkdir -p var
	$(BIN)/python manage.py create_tenant $(DEMO_TENANT) --if-missing >/dev/null
	$(BIN)/python manage.py create_api_key $(DEMO_TENANT) --name "make run" --replace 2>/dev/null | tail -n 1 > var/demo_api_key
	chmod 600 var/demo_api_key
	scripts/local.sh start
	@scripts/first_steps.sh "$$(cat var/demo_api_key)"

bench: run
	$(BIN)/python scripts/bench.py

stop:
	scripts/local.sh stop

status:
	scripts/local.sh status

test: install services
	$(BIN)/python -m pytest

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

schema: install
	$(BIN)/python manage.py spectacular --file var/openapi.yml --validate

clean: stop
	rm -rf var $(VENV)

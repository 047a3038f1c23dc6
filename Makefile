# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format check migrate demo admin serve bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

## run: install, migrate, load the demo charter if the database is empty, serve on $(HOST):$(PORT)
run: $(VENV)/.installed migrate
	$(MANAGE) load_demo --if-empty
	-$(MANAGE) freeze_charter_version --charter charte-paris-2017 --name "Charte 2017" \
		--date 2017-12-14 --public --if-missing
	@echo ""
	@echo "Aucun compte administrateur n'est créé par défaut. Pour en créer un : make admin"
	@echo "Site public : http://$(HOST):$(PORT)/   Administration : http://$(HOST):$(PORT)/admin/"
	@echo ""
	$(MANAGE) runserver $(HOST):$(PORT)

migrate: $(VENV)/.installed
	$(MANAGE) migrate --no-input

## demo: (re)load the demo charter; idempotent
demo: $(VENV)/.installed migrate
	$(MANAGE) load_demo

## admin: create a superuser interactively (no default password exists)
admin: $(VENV)/.installed migrate
	$(MANAGE) createsuperuser

## test: lint, Django checks, migrations check and the whole test suite
test: $(VENV)/.installed lint check
	$(BIN)/pytest -q --create-db

lint: $(VENV)/.installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=config.test $(MANAGE) check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.test $(MANAGE) makemigrations --check --dry-run

clean:
	rm -rf $(VENV) .test-db.sqlite3 .test-media staticfiles

# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format check migrate demo admin serve bench clean serve-prod backup restore messages vnu

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
test: $(VENV)/.installed lint check vnu
	$(BIN)/pytest -q --create-db

## messages: compile locale/fr (the project's French wording of Wagtail's generic strings); needs msgfmt
messages:
	msgfmt --check -o locale/fr/LC_MESSAGES/django.mo locale/fr/LC_MESSAGES/django.po

## vnu: the Nu Html Checker (RGAA 8.2) from npm, cached under .cache/vnu/ (run with java)
VNU_VERSION := 26.9.27
VNU_JAR := .cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar
vnu: $(VNU_JAR)
$(VNU_JAR):
	@command -v npm >/dev/null 2>&1 || (echo "npm absent : apt-get install npm" && exit 1)
	npm install --no-save --ignore-scripts --no-audit --no-fund --prefix .cache/vnu \
		vnu-jar@$(VNU_VERSION)

lint: $(VENV)/.installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=config.test $(MANAGE) check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.test $(MANAGE) makemigrations --check --dry-run

## serve-prod: collectstatic, then gunicorn with config.production (SECRET_KEY, ALLOWED_HOSTS…)
serve-prod: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=config.production $(MANAGE) collectstatic --no-input
	DJANGO_SETTINGS_MODULE=config.production $(BIN)/gunicorn -c config/gunicorn.py config.wsgi

## backup: a zip of the whole database and the media (BACKUP=file.zip to choose the name)
BACKUP ?= sauvegarde-$(shell date +%Y%m%d-%H%M%S).zip
backup: $(VENV)/.installed
	$(MANAGE) backup --output $(BACKUP)

## restore: FILE=sauvegarde.zip into an empty, migrated database (FORCE=1 to replace content)
restore: $(VENV)/.installed
	@test -n "$(FILE)" || (echo "Usage : make restore FILE=sauvegarde.zip" && exit 1)
	$(MANAGE) migrate --no-input
	$(MANAGE) restore $(FILE) $(if $(FORCE),--force,)

## bench: every benchmark target of issue 19 in one run (sizes demo,large,national; PostgreSQL if reachable); BENCH_ARGS="--sizes demo --national-scale 0.1"
bench: $(VENV)/.installed
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .test-db.sqlite3 .test-media staticfiles .cache

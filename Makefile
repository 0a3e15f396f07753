# Everything runs from the project's own virtualenv through .venv/bin/...;
# nothing needs to be activated.

PYTHON ?= python3
PORT ?= 8000
# Extra arguments for pytest, e.g. make test PYTEST_ARGS='-m "not browser" -x'
PYTEST_ARGS ?=

VENV := .venv
BIN := $(VENV)/bin
# Stamped on the files that declare dependencies, so each install is redone
# only when they change: the test tools, the demo, the production profile.
INSTALLED := $(VENV)/.installed
DEMO_INSTALLED := $(VENV)/.installed-demo
PROD_INSTALLED := $(VENV)/.installed-prod
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# makemessages needs Django configured; the test settings are the app's reference site.
I18N_ENV := PYTHONPATH=$(CURDIR) DJANGO_SETTINGS_MODULE=tests.settings

.DEFAULT_GOAL := help
# The production profile's database (make serve-prod); any PostgreSQL URL.
PROD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/wagtail_iln_prod

.PHONY: help install demo serve-prod test lint format messages screenshots clean distclean

help:
	@echo "make demo      install, then run the example site at http://127.0.0.1:$(PORT)/ with its task worker"
	@echo "make serve-prod  the production profile on http://127.0.0.1:$(PORT)/: PostgreSQL, Redis, gunicorn and the task worker"
	@echo "make test      install, then run the whole test suite (SQLite; browser tests skip without Chromium)"
	@echo "              other stacks: nox -l, then nox -s CELL (see CONTRIBUTING.md)"
	@echo "make lint      ruff check and ruff format --check"
	@echo "make format    ruff check --fix and ruff format"
	@echo "make messages  update the fr and es catalogues of wagtail_iln and compile them"
	@echo "make screenshots  the demo's public pages at 1280 and 375 px into docs/screenshots/ (Chromium)"
	@echo "make clean     remove build artefacts, caches and the demo database"
	@echo "make distclean clean, and remove .venv and .nox too"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -e ".[test]"
	touch $@

# The demo needs the app, wagtail-localize, dj-database-url and its task worker: no test tools.
$(DEMO_INSTALLED): setup.cfg pyproject.toml | $(BIN)/python
	@echo "Installing wagtail-iln and what the demo needs into $(VENV) ..."
	@$(PIP_INSTALL) -e ".[demo]"
	@touch $@

$(PROD_INSTALLED): setup.cfg pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -e ".[demo,deploy]"
	touch $@

install: $(INSTALLED)

demo: $(DEMO_INSTALLED)
	@cd example_site && ILN_TASK_BACKEND=database ../$(BIN)/python manage.py migrate --noinput --verbosity 0 \
		&& PORT=$(PORT) ../$(BIN)/python manage.py load_demo \
		&& ../$(BIN)/python serve_demo.py --port $(PORT)

# PostgreSQL at PROD_DATABASE_URL (created when missing) and Redis at 127.0.0.1:6379;
# plain HTTP on the loopback interface only (see docs/deployment.md).
serve-prod: $(PROD_INSTALLED)
	DATABASE_URL=$(PROD_DATABASE_URL) $(BIN)/python example_site/serve_prod.py --port $(PORT)

# python -m puts the repository on sys.path, so tests.settings imports
# however pytest is configured. Without PYTEST_ARGS, the whole suite in two passes:
# the transactional (serial) tests empty the database when they end, so they run
# in a process of their own, as CI runs them.
test: $(INSTALLED)
ifeq ($(strip $(PYTEST_ARGS)),)
	$(BIN)/python -m pytest -m "not serial" && $(BIN)/python -m pytest -m serial
else
	$(BIN)/python -m pytest $(PYTEST_ARGS)
endif

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(INSTALLED)
	mkdir -p wagtail_iln/locale
	cd wagtail_iln && $(I18N_ENV) ../$(BIN)/django-admin makemessages -l fr -l es --no-obsolete --add-location file
	cd wagtail_iln && $(I18N_ENV) ../$(BIN)/django-admin compilemessages

screenshots: $(INSTALLED)
	$(BIN)/python docs/screenshots/make.py

clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache .ci-work test-artifacts
	rm -rf example_site/db.sqlite3 example_site/media example_site/media_private example_site/collected_static
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) .nox

# Covenant — every developer and CI task. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock | sha1sum | cut -c1-12)
SPARK_STAMP := $(VENV)/.spark-$(shell cat requirements-spark.lock | sha1sum | cut -c1-12)
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: help install spark run migrate demo test lint typecheck openapi pytest messages otp clean

help: ## List every target
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned dependencies

# pyspark (~350 MB) is only for bulk matching on Spark and its test, so `make run` skips it.
$(SPARK_STAMP): requirements-spark.lock $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-spark.lock
	@rm -f $(VENV)/.spark-*; touch $(SPARK_STAMP)

spark: $(SPARK_STAMP) ## Install the Spark extra for bulk matching (pyspark; needs a Java 17 runtime)

migrate: install ## Migrate the database (SQLite in var/ unless DATABASE_URL is set)
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

demo: migrate ## Load the demo agreements and accounts (idempotent)
	$(PY) manage.py load_demo

run: demo ## Install, migrate, load the demo, serve on 127.0.0.1:8000 with a task worker
	@bash scripts/run.sh

test: install spark ## Lint, types, migrations check, OpenAPI drift check and the test suite
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py openapi_export --check docs/openapi.json
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest

lint: install ## ruff lint and format check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: install ## mypy on services, selectors, access modules
	$(PY) -m mypy

pytest: install spark ## Only the test suite (pass ARGS=...)
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest $(ARGS)

openapi: install ## Regenerate the committed OpenAPI document docs/openapi.json
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py openapi_export docs/openapi.json

messages: install ## Extract strings into locale/nl and compile them
	$(PY) manage.py makemessages -l nl --no-obsolete --add-location file -i ".venv/*" -i "var/*" -i "test-artifacts/*"
	$(PY) manage.py compilemessages -l nl -i .venv -i var -i test-artifacts

otp: install ## Print the current code of the demo secretariat/committee authenticator
	@$(PY) manage.py demo_otp

clean: ## Remove the virtualenv and the local database
	rm -rf $(VENV) var

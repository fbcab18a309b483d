# Every target creates the virtual environment first, so a fresh clone needs only Python.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DOCS_STAMP := $(VENV)/.docs-stamp

.PHONY: install system-deps bench-deps lint imports format typecheck unit integration-test test docs demo simulator screenshots bench bench-smoke clean

# What the tests need from the system: Debian's Chromium (the inbox's browser tests) and curl
# (the admin API's documented examples), installed with apt-get when missing (sudo unless root).
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(DOCS_STAMP): $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet -e '.[docs]'
	touch $(DOCS_STAMP)

# The documentation site, built strictly (a broken link or reference fails) into site/.
docs: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict --site-dir site

system-deps:
	@missing=""; \
	[ -x $(CHROMIUM) ] || missing="$$missing chromium"; \
	command -v curl >/dev/null || missing="$$missing curl"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing$$missing with apt-get (the browser tests and the docs' curl examples)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

imports: $(STAMP)
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

typecheck: $(STAMP)
	$(PY) -m mypy

unit: $(STAMP) system-deps
	$(PY) -m pytest -q

integration-test: $(STAMP)
	$(PY) -m integration_test

test: lint imports typecheck unit integration-test

demo: $(STAMP)
	$(PY) -m integration_test.demo

# The inbox's screenshot in docs/images/, taken again by its browser test.
screenshots: $(STAMP) system-deps
	NOTIFY_UPDATE_SCREENSHOTS=1 $(PY) -m pytest -q tests/browser -k screenshot

simulator: $(STAMP)
	$(PY) -m notifications_python_client.simulator

# nginx, the fixed-answer server of the async benchmark (without it, a Python server stands in).
bench-deps:
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx; }

bench: $(STAMP) bench-deps
	$(PY) benchmarks/run.py
	$(PY) benchmarks/clients/compare.py
	$(PY) benchmarks/clients/async_compare.py
	$(PY) benchmarks/store_compare.py
	$(PY) benchmarks/bulk_compare.py

# Every benchmark once, briefly, so that none can rot (CI runs this; no timing is asserted).
bench-smoke: $(STAMP)
	$(PY) benchmarks/run.py --quick --output $(VENV)/bench-smoke.json
	$(PY) benchmarks/clients/compare.py --quick --output $(VENV)/bench-smoke-clients.json
	$(PY) benchmarks/clients/async_compare.py --quick --output $(VENV)/bench-smoke-async.json
	$(PY) benchmarks/store_compare.py --quick --output $(VENV)/bench-smoke-store.json
	$(PY) benchmarks/bulk_compare.py --quick --output $(VENV)/bench-smoke-bulk.json

clean:
	rm -rf $(VENV) build dist site *.egg-info .mypy_cache .ruff_cache

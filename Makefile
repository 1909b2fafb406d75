# The two commands of the README:
#   make demo   set up everything, then start the whole stack with demo data
#   make test   set up everything, then run the test suite (embedded default and real servers)
# Only Python 3.11+ is needed up front; what else is missing (the venv module, npm,
# and for the tests Chromium, fonts, PostgreSQL and Redis) comes from Debian's apt.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LISTEN ?= 127.0.0.1
PORT ?= 5000

.PHONY: setup demo run test clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	PYTHON=$(PYTHON) bash scripts/setup-prerequisites
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Browser libraries (Socket.IO client, QR scanner) from the npm registry, pinned
# by package-lock.json and served locally: the meeting hall has no internet.
node_modules/.installed: package.json package-lock.json
	PYTHON=$(PYTHON) bash scripts/setup-prerequisites
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: setup
	$(BIN)/voting run --demo --host $(LISTEN) --port $(PORT)

run: setup
	$(BIN)/voting run --host $(LISTEN) --port $(PORT)

test: setup
	bash scripts/test-prerequisites
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules instance

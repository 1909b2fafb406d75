# The two commands of the README:
#   make demo   set up everything, then start the whole stack with demo data
#   make test   set up everything, then run the test suite (embedded default and real servers)
# Only Python 3.11+, Node.js/npm and (for browser tests) Debian's apt are needed.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup demo run test clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Browser libraries (Socket.IO client, QR scanner) from the npm registry, pinned
# by package-lock.json and served locally: the meeting hall has no internet.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: setup
	$(BIN)/voting run --demo

run: setup
	$(BIN)/voting run

test: setup
	bash scripts/test-prerequisites
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules instance

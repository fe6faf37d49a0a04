# The README's two commands are `make run` and `make test`; the rest are their parts.
VENV ?= .venv
PYTHON ?= python3
export VENV

.PHONY: run test setup lint format clean

run: setup
	scripts/run.sh

test: setup
	scripts/test.sh

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "house needs Python 3.11 or newer ($(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

lint: setup
	$(VENV)/bin/ruff check house tests bench
	$(VENV)/bin/ruff format --check house tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

format: setup
	$(VENV)/bin/ruff format house tests bench
	$(VENV)/bin/ruff check --fix house tests bench

clean:
	rm -rf $(VENV) node_modules test-artifacts .mypy_cache .ruff_cache .pytest_cache

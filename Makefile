# Glassnet: `make serve` to read the site locally, `make test` to prove it.
#
#   make serve   build what is needed and serve the site on http://127.0.0.1:8000
#   make build   the strict build into site/
#   make test    the whole test suite, including the strict build and every lesson
#   make bench   speed against the references that are installed
#   make audit   Lighthouse scores for every page, median of AUDIT_RUNS runs (not in make test)
#   make clean   remove the environment, caches and build output

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Lighthouse's scores move from run to run; the audit keeps each page's median run. Its
# variability guide finds the median of five runs about halves the spread of one.
AUDIT_RUNS ?= 5

# Reproducible output: the sitemap and anything else dated use the last commit's time.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 315532800)
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

DOCS_ENV  := $(VENV)/.installed-docs
TEST_ENV  := $(VENV)/.installed-test
BENCH_ENV := $(VENV)/.installed-bench
NODE_ENV  := node_modules/.installed

.PHONY: serve build test bench audit clean

serve: $(DOCS_ENV) $(NODE_ENV)
	$(BIN)/mkdocs serve --livereload --dev-addr 127.0.0.1:8000

build: $(DOCS_ENV) $(NODE_ENV)
	$(BIN)/mkdocs build --strict

test: $(TEST_ENV) $(NODE_ENV)
	$(BIN)/python -m pytest

bench: $(BENCH_ENV)
	$(BIN)/python benchmarks/run.py

audit: $(DOCS_ENV) $(NODE_ENV)
	$(BIN)/mkdocs build --strict
	$(BIN)/python benchmarks/audit.py --runs $(AUDIT_RUNS)

clean:
	rm -rf $(VENV) node_modules .cache site .pytest_cache .hypothesis

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Each environment installs the package with one set of extras, pinned by constraints.txt.
$(DOCS_ENV): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[docs]'
	touch $@

$(TEST_ENV): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@ $(DOCS_ENV)

$(BENCH_ENV): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[bench]'
	touch $@

$(NODE_ENV): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

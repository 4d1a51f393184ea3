# make demo   run fsrules on the bundled demo county (creates .venv on first use)
# make test   lint, type-check and run the test suite (creates .venv on first use)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
PLUGINS := plugins/fsrules-sichuan-banquet

.PHONY: demo test lint typecheck pytest docs bench clean help chromium

help:
	@echo "make demo   - evaluate the demo county (examples/weixian) and print the findings"
	@echo "make test   - ruff, mypy and pytest"
	@echo "make docs   - regenerate docs/rules.md, docs/cli.md and docs/input-formats.md"
	@echo "make bench  - run benchmarks/bench_county.py (10k, 100k, 1M facts)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "fsrules needs Python >= 3.11; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The bundled plugins are installed as a downstream user would, and tested
# against the current core.
# The live monitor's extra (durable-rules, built from source) is installed
# where it is supported (Python < 3.13), so the live tests run there.
$(STAMP): pyproject.toml $(foreach p,$(PLUGINS),$(p)/pyproject.toml) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[$$($(BIN)/python -c 'import sys; print("dev,dask,live" if sys.version_info < (3, 13) else "dev,dask")')]" $(foreach p,$(PLUGINS),-e $(p))
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/fsrules demo
	$(BIN)/fsrules demo --format summary

test: lint typecheck chromium pytest

# The HTML report's test renders it in headless Chromium (Debian's package);
# a CJK font makes its screenshots legible.
chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei)

lint: $(STAMP)
	$(BIN)/ruff check src rulesets tests examples benchmarks plugins

typecheck: $(STAMP)
	$(BIN)/mypy
	MYPYPATH=src:rulesets:plugins/fsrules-sichuan-banquet/src $(BIN)/mypy --strict -p fsrules_sichuan_banquet

pytest: $(STAMP)
	$(BIN)/python -m pytest
	@for p in $(PLUGINS); do echo "== $$p"; $(BIN)/python -m pytest $$p/tests || exit 1; done

docs: $(STAMP)
	$(BIN)/python -m fsrules._docs

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_county.py

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache

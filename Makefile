# Two commands a newcomer needs (see README):
#   make demo  - set up and run the quickstart story (examples/01_quickstart.py)
#   make test  - set up and run the whole suite: lint, types, tests on 3.11, then 3.12 and 3.13
# Each keeps its own virtual environment and only reinstalls when pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.careroles-installed

.PHONY: demo test lint typecheck unit docs notebooks other-pythons bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet --quiet -e ".[testing,orjson]" --group dev
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/01_quickstart.py

lint: $(STAMP)
	$(BIN)/ruff check src tests examples bench
	$(BIN)/ruff format --check src tests examples bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest -q

docs: $(STAMP)
	$(BIN)/sphinx-build -q -W --keep-going -b html docs docs/_build/html

notebooks: $(STAMP)
	rm -rf build/notebooks && mkdir -p build/notebooks
	for f in examples/[0-9]*.py; do \
	  $(BIN)/jupytext --quiet --to ipynb --output build/notebooks/$$(basename $${f%.py}).ipynb $$f || exit 1; \
	done
	$(BIN)/python -m pytest -q -p no:cacheprovider --nbmake build/notebooks

other-pythons:
	bash scripts/other-pythons.sh

test: lint typecheck unit docs notebooks other-pythons

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --quiet --group bench
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .venv-3.* build dist docs/_build

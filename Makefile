# openturk: `make serve` runs the platform on this machine, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: serve test unit lint bench synth deploy clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(NODE_STAMP): package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) $(NODE_STAMP)

serve: install
	$(BIN)/openturk serve $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy layers functions infra

test: install lint
	$(BIN)/pytest -n 2 --dist loadfile tests

unit: $(STAMP)
	$(BIN)/pytest tests/unit

bench: install
	$(BIN)/python -m bench

synth: install
	$(BIN)/python app.py

deploy: install
	npx cdk deploy --all

clean:
	rm -rf $(VENV) node_modules cdk.out .pytest_cache .ruff_cache .mypy_cache

# ConvScope: every target creates .venv on first use; later runs reinstall only when
# pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: app test lint bench train samples clean

app: $(VENV)/.installed-app
	$(BIN)/streamlit run app/streamlit_app.py --server.port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks

# make train: the digit network; make train IMAGES=path/to/folder: your own classes.
train: $(VENV)/.installed-dev
	$(BIN)/python -m cnn_core.nn.train $(if $(IMAGES),--images $(IMAGES))

samples: $(VENV)/.installed-app
	$(BIN)/python scripts/make_samples.py

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Each install gets a second try: a download cut short fails its hash check (seen once,
# on setuptools, a build dependency pip fetches from PyPI every time).
$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e . || $(BIN)/pip install -e .
	touch $@

# The dev set-up includes everything the app needs, so it satisfies the app target too.
$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e ".[dev,train]" || $(BIN)/pip install -e ".[dev,train]"
	touch $@ $(VENV)/.installed-app

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-artifacts

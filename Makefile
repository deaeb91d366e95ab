# ConvScope: every target creates .venv on first use; later runs reinstall only when
# pyproject.toml or the lock (requirements/constraints.txt) changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# Exact versions every install is constrained to (pip -c): `make lock` writes it from
# pyproject.toml. Platform-only packages it lists (nvidia-*, ...) are ignored elsewhere.
LOCK := requirements/constraints.txt
# The lowest versions pyproject.toml allows, as == pins: `make floors` tests them.
FLOORS := requirements/floors.txt
FLOORS_VENV := .venv-floors
LOCK_VENV := .venv-lock

.PHONY: app test lint bench train samples lock floors flakes clean

app: $(VENV)/.installed-app
	$(BIN)/streamlit run app/streamlit_app.py --server.port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# make flakes: a flake hunt, the AppTests ten times and the browser suite five times, each
# repeat of a test right after the last (pytest-repeat); any failure stops the run (-x).
flakes: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -x -q -p no:cacheprovider --count 10 --repeat-scope session tests/app
	CONVSCOPE_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -x -q -p no:cacheprovider \
	  --count 5 --repeat-scope session tests/e2e

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
$(VENV)/.installed-app: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install -c $(LOCK) -e . || $(BIN)/pip install -c $(LOCK) -e .
	touch $@

# The dev set-up includes everything the app needs, so it satisfies the app target too.
$(VENV)/.installed-dev: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install -c $(LOCK) -e ".[dev,train,timm]" || $(BIN)/pip install -c $(LOCK) -e ".[dev,train,timm]"
	touch $@ $(VENV)/.installed-app

# make lock: re-resolve the lock after editing pyproject.toml, keeping every pin that still
# fits; make lock UPGRADE=1: every package to the newest its range allows;
# make lock UPGRADE=streamlit: that one package only. See docs/dependencies.md.
$(LOCK_VENV)/bin/pip-compile:
	$(PYTHON) -m venv $(LOCK_VENV)
	echo '*' > $(LOCK_VENV)/.gitignore
	$(LOCK_VENV)/bin/pip install pip-tools || $(LOCK_VENV)/bin/pip install pip-tools

lock: $(LOCK_VENV)/bin/pip-compile
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet \
	  --extra dev --extra train --extra timm --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
	  $(if $(filter 1,$(UPGRADE)),--upgrade,$(if $(UPGRADE),--upgrade-package $(UPGRADE))) \
	  --output-file $(LOCK) pyproject.toml

# make floors: a venv of its own with every direct dependency at its floor (torch and
# torchvision at the lock's versions: their floors are not tested here, see
# docs/dependencies.md), then the AppTests and the cnn_core tests on it.
$(FLOORS_VENV)/bin/python:
	$(PYTHON) -m venv $(FLOORS_VENV)
	echo '*' > $(FLOORS_VENV)/.gitignore

$(FLOORS_VENV)/.installed: pyproject.toml $(LOCK) $(FLOORS) | $(FLOORS_VENV)/bin/python
	grep -E '^(torch|torchvision)==' $(LOCK) > $(FLOORS_VENV)/torch-pins.txt
	$(FLOORS_VENV)/bin/pip install -r $(FLOORS_VENV)/torch-pins.txt \
	  || $(FLOORS_VENV)/bin/pip install -r $(FLOORS_VENV)/torch-pins.txt
	$(FLOORS_VENV)/bin/pip install -c $(FLOORS) -c $(FLOORS_VENV)/torch-pins.txt -e ".[dev,train]" \
	  || $(FLOORS_VENV)/bin/pip install -c $(FLOORS) -c $(FLOORS_VENV)/torch-pins.txt -e ".[dev,train]"
	touch $@

floors: $(FLOORS_VENV)/.installed
	$(FLOORS_VENV)/bin/python -m pip freeze --exclude-editable > $(FLOORS_VENV)/tested.txt
	$(FLOORS_VENV)/bin/python -m pytest -p no:cacheprovider tests/app tests/cnn_core

clean:
	rm -rf $(VENV) $(FLOORS_VENV) $(LOCK_VENV) .pytest_cache .ruff_cache .hypothesis test-artifacts

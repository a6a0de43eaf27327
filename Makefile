# One command to set up and run the offline demo, one to set up and run every test.
# Everything installs into ./.venv (reusing what the system Python already has).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# torch is installed first and pinned: an unpinned torch pulls a multi-GB CUDA build.
TORCH := torch==2.13.0
export SALESBOT_TEST_PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres

.PHONY: install demo test lint

$(PY):
	$(PYTHON) -m venv --system-site-packages $(VENV)

install: $(PY)
	$(PY) -m pip install --quiet "$(TORCH)"
	$(PY) -m pip install --quiet -e ".[dev,bench]"

demo: install
	$(VENV)/bin/salesbot demo

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

test: lint
	$(PY) -m pytest -n 2 --dist loadgroup --durations=15

# make run   - the pipeline once on config/feeds.yaml (DuckDB file db/monitor.duckdb, Prefect's ephemeral local API)
# make demo  - the pipeline on the bundled demo feeds served from 127.0.0.1
# make test  - the test suite
# make test-lake - the DuckLake tests (a real PostgreSQL, several workers) in .venv-lake, DuckDB 1.5.5 + the lake extra
# Each target creates .venv and installs the project first if needed.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
LAKE   := .venv-lake
LAKE_STAMP := $(LAKE)/.installed-stamp
export PREFECT_HOME ?= $(CURDIR)/.prefect
export PREFECT_LOGGING_EXTRA_LOGGERS := monitor
export PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW := ignore
export PREFECT_SERVER_ANALYTICS_ENABLED := false
# Prefect waits 20 s for its temporary local API by default; a busy 2-core machine can need more
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 90
export DO_NOT_TRACK := 1
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run demo test test-lake lint bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

$(LAKE_STAMP): pyproject.toml
	@test -x $(LAKE)/bin/python || $(PYTHON) -m venv $(LAKE)
	$(LAKE)/bin/python -m pip install --quiet torch==2.13.0
	$(LAKE)/bin/python -m pip install --quiet -e '.[test,lake]'
	@touch $(LAKE_STAMP)

run: $(STAMP)
	$(VENV)/bin/monitor run

demo: $(STAMP)
	$(VENV)/bin/monitor demo --db db/demo.duckdb

test: $(STAMP)
	$(VENV)/bin/ruff check monitor flows tests bench
	$(PY) -m pytest -q

test-lake: $(LAKE_STAMP)
	$(LAKE)/bin/python -m pytest -q tests/test_lake.py

bench: $(STAMP)
	$(PY) bench/ingest.py
	$(PY) bench/stance.py

clean:
	rm -rf $(VENV) $(LAKE) .prefect .pytest_cache db/*.duckdb db/*.duckdb.wal

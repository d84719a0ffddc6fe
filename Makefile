# Set-up commands: `make run` (solve a bundled sample) and `make test` (ruff + pytest).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
SAMPLE ?= instances/smtt/sample_wt40_1.json

.PHONY: run test lint bench-smtt bench-bnb-classes clean

SUITES := $(basename $(notdir $(wildcard benchmarks/suites/*.toml)))

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,plot,dask]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/schedkit solve $(SAMPLE)

test: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/mypy schedkit
	$(BIN)/python -m pytest -q

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/mypy schedkit

bench-smtt: $(STAMP_DEV)
	$(BIN)/python benchmarks/smtt_heuristics.py --out benchmarks/reports/smtt_heuristics.md

bench-bnb-classes: $(STAMP_DEV)  # after `make bench-bnb`: its per-(TF, RDD) table
	$(BIN)/python benchmarks/bnb_classes.py

# One target per committed suite: `make bench-wt40` runs benchmarks/suites/wt40.toml (resumable).
$(addprefix bench-,$(SUITES)): bench-%: $(STAMP_DEV)
	$(BIN)/schedkit bench benchmarks/suites/$*.toml --out benchmarks/reports --resume $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis

# RCPSP/max (issue 21): the three ProGen/max suites, then the headline report.
.PHONY: bench-rcpsp-max bench-rcpsp-large
bench-rcpsp-max: bench-rcpsp_max_j10 bench-rcpsp_max_j20 bench-rcpsp_max_j30
	$(BIN)/python benchmarks/rcpsp_max_report.py --out benchmarks/reports/rcpsp_max.md

# Large RCPSP projects (issue 21): cpsat against cpsat-lns on a j60 sample and generated 120/300.
bench-rcpsp-large: bench-rcpsp_j60_lns bench-rcpsp_large
	$(BIN)/python benchmarks/rcpsp_large_report.py --out benchmarks/reports/rcpsp_large_summary.md

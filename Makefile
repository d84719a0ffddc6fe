# Set-up commands: `make run` (solve a bundled sample) and `make test` (ruff + pytest).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
SAMPLE ?= instances/smtt/sample_wt40_1.json

.PHONY: run test lint bench-smtt bench-bnb-classes fuzz bench-time-limits clean

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
	$(BIN)/schedkit warmup
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

# Fuzz every input format of every family: FUZZ_CASES damaged files per format (seeded).
FUZZ_CASES ?= 1000
fuzz: $(STAMP_DEV)
	$(BIN)/python benchmarks/fuzz.py --cases $(FUZZ_CASES) --seed 1 --jobs 2 --out benchmarks/reports/fuzz.md

# Caller-side wall time of every exact method and auto at 1, 3, 10 s, cold and warm numba cache.
TIME_LIMITS ?= 1,3,10
bench-time-limits: $(STAMP_DEV)
	$(BIN)/python benchmarks/time_limits.py --limits $(TIME_LIMITS) --out benchmarks/reports/time_limits.md

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis

bench-vmr-unseen: $(STAMP_DEV)  # issue 23: VMR on clusters from the reserved seeds 23000-23019 (~3 h for the full grid)
	$(BIN)/python benchmarks/vmr_unseen.py $(BENCH_ARGS)

bench-serving: $(STAMP_DEV)  # serving policies vs load (issue 19); FAST=1 runs 3 seeds
	$(BIN)/python benchmarks/serving.py --seeds $(if $(FAST),3,10)

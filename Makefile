# Set-up commands: `make run` (solve a bundled sample) and `make test` (ruff + pytest).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
SAMPLE ?= instances/smtt/sample_wt40_1.json

.PHONY: run test lint docs bench-smtt bench-bnb-classes clean

SUITES := $(basename $(notdir $(wildcard benchmarks/suites/*.toml)))

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,plot,dask,docs]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/schedkit solve $(SAMPLE)

test: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/mypy schedkit
	$(BIN)/python -m pytest -q
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir build/site

# The documentation site (mkdocs.yml, docs/), built strictly into build/site.
docs: $(STAMP_DEV)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir build/site

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

bench-vmr-unseen: $(STAMP_DEV)  # issue 23: VMR on clusters from the reserved seeds 23000-23019 (~3 h for the full grid)
	$(BIN)/python benchmarks/vmr_unseen.py $(BENCH_ARGS)

bench-serving: $(STAMP_DEV)  # serving policies vs load (issue 19); FAST=1 runs 3 seeds
	$(BIN)/python benchmarks/serving.py --seeds $(if $(FAST),3,10)

# Groundstation (issue 18): the SatNet weeks (heuristics and cpsat at 60 s), the generated
# CS-GSNSP networks, then the report beside the published Delta-MILP and PPO rows.
GS_SUITES := groundstation_satnet_60 groundstation_satnet_cpsat_60 groundstation_satnet_fair_60 \
	groundstation_csgsnsp
.PHONY: bench-groundstation
bench-groundstation: $(STAMP_DEV)
	for s in $(GS_SUITES); do $(BIN)/schedkit bench benchmarks/suites/$$s.toml --jobs 1 --out benchmarks/reports --resume $(BENCH_ARGS) || exit 1; done
	$(BIN)/python benchmarks/groundstation_report.py --out benchmarks/reports/groundstation.md

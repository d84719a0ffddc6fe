# Set-up commands: `make run` (solve a bundled sample) and `make test` (ruff + pytest).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
SAMPLE ?= instances/smtt/sample_wt40_1.json

.PHONY: run test lint docs bench-smtt bench-bnb-classes fuzz bench-time-limits bench-time-limits-loaded clean

SUITES := $(basename $(notdir $(wildcard benchmarks/suites/*.toml)))

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python  # with the plot extra: the README's examples draw Gantt charts
	$(BIN)/pip install --quiet -e '.[plot]'
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,plot,dask,docs]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/schedkit warmup
	$(BIN)/schedkit solve $(SAMPLE)

test: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/mypy schedkit
	$(BIN)/python -m pytest -q -n auto  # one worker per core (pytest-xdist)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir build/site  # not --quiet: it hides the warnings --strict fails on

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

# Fuzz every input format of every family: FUZZ_CASES damaged files per format (seeded).
FUZZ_CASES ?= 1000
fuzz: $(STAMP_DEV)
	$(BIN)/python benchmarks/fuzz.py --cases $(FUZZ_CASES) --seed 1 --jobs 2 --out benchmarks/reports/fuzz.md

# Caller-side wall time of every exact method and auto at 1, 3, 10 s, cold and warm numba cache.
TIME_LIMITS ?= 1,3,10
bench-time-limits: $(STAMP_DEV)
	rm -f benchmarks/reports/time_limits.jsonl
	$(BIN)/python benchmarks/time_limits.py --limits $(TIME_LIMITS) --store benchmarks/reports/time_limits.jsonl \
		--out benchmarks/reports/time_limits.md

# The same on a loaded machine (CI runs at load 5): 3 busy-loop processes beside the runs.
bench-time-limits-loaded: $(STAMP_DEV)
	rm -f benchmarks/reports/time_limits_loaded.jsonl
	$(BIN)/python benchmarks/time_limits.py --background 3 --limits 1,3 --uncompiled-limits '' \
		--store benchmarks/reports/time_limits_loaded.jsonl --out benchmarks/reports/time_limits_loaded.md

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis

bench-vmr-unseen: $(STAMP_DEV)  # issue 23: VMR on clusters from the reserved seeds 24000-24019 (full grid: 11 min at load 5-7)
	$(BIN)/python benchmarks/vmr_unseen.py $(BENCH_ARGS)

bench-serving: $(STAMP_DEV)  # serving policies vs load (issue 19); FAST=1 runs 3 seeds
	$(BIN)/python benchmarks/serving.py --seeds $(if $(FAST),3,10)

# Blocking job shop (issue 20): a representative subset at 60 s against the OptalCP/CPO references
BLOCKING_SUBSET ?= ft06 la01 ft10 la11 la16 la21 la26 la31 orb01 abz5 ta01 ta11
bench-jobshop-blocking: $(STAMP_DEV)
	rm -f benchmarks/reports/jobshop_blocking_cpsat.csv benchmarks/reports/jobshop_blocking_ig.csv
	$(BIN)/python benchmarks/jobshop_blocking_static.py run --methods cpsat --time-limit 60 --workers 2 \
		--csv benchmarks/reports/jobshop_blocking_cpsat.csv $(BLOCKING_SUBSET)
	$(BIN)/python benchmarks/jobshop_blocking_static.py run --methods ig --time-limit 60 --workers 1 \
		--csv benchmarks/reports/jobshop_blocking_ig.csv $(BLOCKING_SUBSET)
	$(BIN)/python benchmarks/jobshop_blocking_static.py report benchmarks/reports/jobshop_blocking_cpsat.csv \
		benchmarks/reports/jobshop_blocking_ig.csv --out benchmarks/reports/jobshop_blocking.md

# Issue 20's interruption set: la01-40 and ta01-10, 20 seeds (reschedule 5: 1 s re-solves).
# The run resumes an existing CSV; the plans are solved once and kept in the plans JSON.
SHUTDOWN_SET := $(foreach i,01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40,la$(i)) \
	$(foreach i,01 02 03 04 05 06 07 08 09 10,ta$(i))
bench-jobshop-shutdowns: $(STAMP_DEV)
	$(BIN)/python benchmarks/jobshop_shutdowns.py run --seeds 20 --reschedule-seeds 20 \
		--plans benchmarks/reports/jobshop_shutdowns_plans.json \
		--csv benchmarks/reports/jobshop_shutdowns_full.csv $(SHUTDOWN_SET)
	$(BIN)/python benchmarks/jobshop_shutdowns.py report benchmarks/reports/jobshop_shutdowns_full.csv \
		--out benchmarks/reports/jobshop_shutdowns_full.md

# Every instance issue 20 names (la01-40, orb01-10, ft06/10/20, abz5-9, ta01-20) at a short limit
BLOCKING_ALL := $(foreach i,01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40,la$(i)) \
	$(foreach i,01 02 03 04 05 06 07 08 09 10,orb$(i)) ft06 ft10 ft20 abz5 abz6 abz7 abz8 abz9 \
	$(foreach i,01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20,ta$(i))
bench-jobshop-blocking-all: $(STAMP_DEV)
	rm -f benchmarks/reports/jobshop_blocking_all10s_cpsat.csv
	$(BIN)/python benchmarks/jobshop_blocking_static.py run --methods cpsat --time-limit 10 --workers 2 \
		--csv benchmarks/reports/jobshop_blocking_all10s_cpsat.csv $(BLOCKING_ALL)
	$(BIN)/python benchmarks/jobshop_blocking_static.py report benchmarks/reports/jobshop_blocking_all10s_cpsat.csv \
		--out benchmarks/reports/jobshop_blocking_all10s.md

# Issue 20's static goal set (la21-la40, ta01-ta20) and the 29 instances its goal says a reference
# proves optimal (la01-10, la16-20, orb01-10, ft06, ft10, abz5, abz6): cpsat at 60 s / 2 workers, one
# process (~45 and ~30 min). A run refuses to start over an existing _cpsat.csv (move it to _before.csv
# to keep it as the report's before columns); the report is appended to the .md as a dated section.
BLOCKING_GOAL := $(foreach i,21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40,la$(i)) \
	$(foreach i,01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20,ta$(i))
BLOCKING_REFOPT := $(foreach i,01 02 03 04 05 06 07 08 09 10 16 17 18 19 20,la$(i)) \
	$(foreach i,01 02 03 04 05 06 07 08 09 10,orb$(i)) ft06 ft10 abz5 abz6
# $(1): target suffix, $(2): report name (benchmarks/reports/jobshop_blocking_$(2)*), $(3): instances, $(4): title
define blocking_60s
bench-jobshop-blocking-$(1): $$(STAMP_DEV)
	$$(BIN)/python benchmarks/jobshop_blocking_static.py run --methods cpsat --time-limit 60 --workers 2 \
		--csv benchmarks/reports/jobshop_blocking_$(2)_cpsat.csv \
		--load-log benchmarks/reports/jobshop_blocking_$(2)_load.txt $(3)
	$$(BIN)/python benchmarks/jobshop_blocking_static.py report benchmarks/reports/jobshop_blocking_$(2)_cpsat.csv \
		--before benchmarks/reports/jobshop_blocking_$(2)_before.csv --title "$(4)" \
		--command-line "make bench-jobshop-blocking-$(1)" --out benchmarks/reports/jobshop_blocking_$(2).md
endef
$(eval $(call blocking_60s,goal,goal60s,$(BLOCKING_GOAL),Blocking job shop: cpsat on the goal set la21-la40 + ta01-ta20 at 60 s / 2 workers))
$(eval $(call blocking_60s,refopt,refopt60s,$(BLOCKING_REFOPT),Blocking job shop: cpsat on the 29 reference optima at 60 s / 2 workers))
# The 9 named instances in neither set (la11-15, ft20, abz7-9), and every named one (78) in one table:
# the rules (instant, deterministic: their CSV is kept once written) and cpsat's rows of the three
# 60 s runs (BLOCKING_ALL60S_CPSAT names other runs' CSVs, e.g. a seed's or a commit's).
BLOCKING_REST := $(foreach i,11 12 13 14 15,la$(i)) ft20 abz7 abz8 abz9
$(eval $(call blocking_60s,rest,rest60s,$(BLOCKING_REST),Blocking job shop: cpsat on la11-15, ft20 and abz7-9 at 60 s / 2 workers))
# the latest quiet seed-0 run of each set (the goal set's own _cpsat.csv is an older run)
BLOCKING_ALL60S_CPSAT ?= $(addprefix benchmarks/reports/jobshop_blocking_,goal60s_f412ae0.csv refopt60s_e24e496.csv \
	rest60s_cpsat.csv)
bench-jobshop-blocking-all60s: $(STAMP_DEV)
	test -f benchmarks/reports/jobshop_blocking_all60s_rules.csv || $(BIN)/python benchmarks/jobshop_blocking_static.py \
		run --methods mwkr spt mor --workers 1 --csv benchmarks/reports/jobshop_blocking_all60s_rules.csv $(BLOCKING_ALL)
	$(BIN)/python benchmarks/jobshop_blocking_static.py report $(BLOCKING_ALL60S_CPSAT) \
		benchmarks/reports/jobshop_blocking_all60s_rules.csv --title "Blocking job shop: every instance issue 20 names at 60 s / 2 workers" \
		--command-line "make bench-jobshop-blocking-all60s" --out benchmarks/reports/jobshop_blocking_all60s.md

bench-smtt-bdp: $(STAMP_DEV)  # issue 22: bdp on OR-Library wt40/wt50/wt100 and generated n = 150-300 (a new file under bench-runs/; the dated rounds live in benchmarks/reports/smtt_bdp.md)
	mkdir -p bench-runs && $(BIN)/python benchmarks/smtt_bdp.py --out bench-runs/smtt_bdp_$$(date +%Y%m%d-%H%M%S).md $(BENCH_ARGS)

bench-walks-per-worker: $(STAMP_DEV)  # ig, tabu, RCPSP ga, groundstation ga/ffeea: workers=1 against 2, side by side (a new file under bench-runs/; about 35 min)
	mkdir -p bench-runs && $(BIN)/python benchmarks/walks_per_worker.py --out bench-runs/walks_per_worker_$$(date +%Y%m%d-%H%M%S).md $(BENCH_ARGS)

bench-cold-cache: $(STAMP_DEV)  # every method's first call on an empty numba cache at 2 s (a new file under bench-runs/)
	mkdir -p bench-runs && $(BIN)/python benchmarks/cold_cache.py --time-limit 2 --out bench-runs/cold_cache_$$(date +%Y%m%d-%H%M%S).md

bench-warmup-coverage: $(STAMP_DEV)  # after `schedkit warmup`, does any method still compile a kernel inside its run? (a new file under bench-runs/)
	$(BIN)/schedkit warmup && mkdir -p bench-runs && NUMBA_DEBUG_CACHE=1 $(BIN)/python benchmarks/warmup_coverage.py --out bench-runs/warmup_coverage_$$(date +%Y%m%d-%H%M%S).md

# RCPSP/max (issue 21): the three ProGen/max suites, then the headline report.
.PHONY: bench-rcpsp-max bench-rcpsp-large
bench-rcpsp-max: bench-rcpsp_max_j10 bench-rcpsp_max_j20 bench-rcpsp_max_j30
	$(BIN)/python benchmarks/rcpsp_max_report.py --out benchmarks/reports/rcpsp_max.md

# RCPSP side by side with PyJobShop (issue 21): the peer in its own venv in a temporary folder.
PEER_VENV ?= /tmp/schedkit-peer-pyjobshop
RCPSP_PEER_INSTANCES := instances/rcpsp/j60/j609_1.sm instances/rcpsp/j60/j6013_1.sm \
	instances/rcpsp/j60/j6025_1.sm instances/rcpsp/j60/j6029_1.sm instances/rcpsp/j60/j6045_1.sm \
	instances/rcpsp/large/*.sm
.PHONY: bench-rcpsp-pyjobshop
bench-rcpsp-pyjobshop: $(STAMP_DEV)
	test -x $(PEER_VENV)/bin/python || ($(PYTHON) -m venv $(PEER_VENV) && $(PEER_VENV)/bin/pip install --quiet pyjobshop)
	rm -f benchmarks/reports/rcpsp_pyjobshop.jsonl
	$(BIN)/python benchmarks/rcpsp_pyjobshop.py --peer-python $(PEER_VENV)/bin/python --time-limit 60 \
		--store benchmarks/reports/rcpsp_pyjobshop.jsonl --out benchmarks/reports/rcpsp_pyjobshop.md \
		$(RCPSP_PEER_INSTANCES)

# The same side by side on 16 of the j120 sample whose best known value is not proven (every 5th of them).
RCPSP_PEER_J120 := $(addprefix instances/rcpsp/j120/,$(addsuffix .sm,j1201_1 j1208_6 j12013_1 \
	j12017_1 j12021_1 j12024_1 j12027_6 j12032_1 j12036_6 j12040_1 j12043_1 j12047_6 j12052_1 \
	j12054_6 j12057_1 j12059_6))
.PHONY: bench-rcpsp-pyjobshop-j120
bench-rcpsp-pyjobshop-j120: $(STAMP_DEV)
	test -x $(PEER_VENV)/bin/python || ($(PYTHON) -m venv $(PEER_VENV) && $(PEER_VENV)/bin/pip install --quiet pyjobshop)
	rm -f benchmarks/reports/rcpsp_pyjobshop_j120.jsonl
	$(BIN)/python benchmarks/rcpsp_pyjobshop.py --peer-python $(PEER_VENV)/bin/python --time-limit 60 \
		--store benchmarks/reports/rcpsp_pyjobshop_j120.jsonl --out benchmarks/reports/rcpsp_pyjobshop_j120.md \
		$(RCPSP_PEER_J120)

# Job shop side by side with PyJobShop's plain CP-SAT model: Taillard 20x20 and 30x20 at 30 s, 2 workers.
JOBSHOP_PEER_INSTANCES := $(addprefix instances/jobshop/classic/,ta21 ta22 ta23 ta24 ta25 ta26 \
	ta27 ta28 ta29 ta30 ta41 ta42 ta43 ta44 ta45 ta46 ta47 ta48 ta49 ta50)
.PHONY: bench-jobshop-pyjobshop
bench-jobshop-pyjobshop: $(STAMP_DEV)
	test -x $(PEER_VENV)/bin/python || ($(PYTHON) -m venv $(PEER_VENV) && $(PEER_VENV)/bin/pip install --quiet pyjobshop)
	$(BIN)/schedkit warmup
	$(BIN)/python benchmarks/jobshop_pyjobshop.py --peer-python $(PEER_VENV)/bin/python --time-limit 30 \
		--workers 2 --store benchmarks/reports/jobshop_pyjobshop.jsonl --out benchmarks/reports/jobshop_pyjobshop.md \
		$(JOBSHOP_PEER_INSTANCES)

# Job shop dispatching rules against job-shop-lib's, time per instance: Taillard ta01-ta80.
PEER_JSL_VENV ?= /tmp/schedkit-peer-jobshoplib
JOBSHOP_SPEED_INSTANCES := $(addprefix instances/jobshop/classic/ta,$(shell seq -w 1 80))
.PHONY: bench-jobshop-rules-speed
bench-jobshop-rules-speed: $(STAMP_DEV)
	test -x $(PEER_JSL_VENV)/bin/python || ($(PYTHON) -m venv $(PEER_JSL_VENV) && $(PEER_JSL_VENV)/bin/pip install --quiet job-shop-lib)
	$(BIN)/schedkit warmup
	$(BIN)/python benchmarks/jobshop_rules_speed.py --peer-python $(PEER_JSL_VENV)/bin/python --repeats 5 --budget 2 \
		--store benchmarks/reports/jobshop_rules_speed.jsonl --out benchmarks/reports/jobshop_rules_speed.md \
		$(JOBSHOP_SPEED_INSTANCES)

# Large RCPSP projects (issue 21): cpsat against cpsat-lns on a j60 sample and generated 120/300.
bench-rcpsp-large: bench-rcpsp_j60_lns bench-rcpsp_large
	$(BIN)/python benchmarks/rcpsp_large_report.py --out benchmarks/reports/rcpsp_large_summary.md

# PSPLIB j120, every 5th instance (issue 21's 1.5 % goal): cpsat-lns at 60 s, then the summary.
.PHONY: bench-rcpsp-j120
bench-rcpsp-j120: bench-rcpsp_j120
	$(BIN)/python benchmarks/rcpsp_j120_report.py --out benchmarks/reports/rcpsp_j120_summary.md \
		--context "written $$(date -u '+%Y-%m-%d %H:%M') UTC at main $$(git rev-parse --short HEAD 2>/dev/null || echo '?'); the runs' loads are in rcpsp_j120.md"

# Groundstation (issue 18): the SatNet weeks (heuristics and cpsat at 60 s and at 300 s), the generated
# CS-GSNSP networks, the interval LP bounds per week, then the report beside the published rows.
GS_SUITES := groundstation_satnet_60 groundstation_satnet_cpsat_60 groundstation_satnet_fair_60 \
	groundstation_csgsnsp groundstation_satnet_300 groundstation_satnet_cpsat_300 groundstation_satnet_lns_300
.PHONY: bench-groundstation
bench-groundstation: $(STAMP_DEV)
	for s in $(GS_SUITES); do $(BIN)/schedkit bench benchmarks/suites/$$s.toml --jobs 1 --out benchmarks/reports --resume $(BENCH_ARGS) || exit 1; done
	$(BIN)/python benchmarks/groundstation_bounds.py --grid 3600 --seconds 600
	$(BIN)/python benchmarks/groundstation_report.py --out benchmarks/reports/groundstation.md

.PHONY: bench-doc-figures
bench-doc-figures: $(STAMP_DEV)  # the figures the docs quote that no other benchmark measures (31 min at load 6-9); SECTIONS=lp,vmr re-runs some
	$(BIN)/python benchmarks/doc_figures.py --out benchmarks/reports/doc_figures.md --runs 3 $(if $(SECTIONS),--sections $(SECTIONS))

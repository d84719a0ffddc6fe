"""`workers` goes up to 10,000 (CP-SAT's ceiling); what else it sizes is capped: the walks of
walk-per-worker heuristics at MAX_WALKS, the MIP solvers' threads at MAX_MIP_THREADS."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import schedkit
from schedkit.common.mip import MAX_MIP_THREADS, mip_threads
from schedkit.common.walks import MAX_WALKS, walk_count
from schedkit.groundstation.heuristics.lns import spawned_walks
from tests.jobshop.conftest import CLASSIC
from tests.rcpsp.conftest import psplib


@given(st.integers(1, schedkit.api.MAX_WORKERS))
def test_walk_count_is_one_per_worker_up_to_the_cap(workers):
    assert walk_count(workers) == min(workers, MAX_WALKS)
    assert spawned_walks(workers, 60.0) == walk_count(workers) - 1
    assert spawned_walks(workers, 1.0) == 0


def test_the_largest_worker_count_runs_capped_walks():
    """ig and the RCPSP ga under a count, with the top of the workers range: MAX_WALKS walks, checked."""
    shop = schedkit.load(CLASSIC / "la01", blocking=True)
    ig = schedkit.solve(shop, "ig", workers=schedkit.api.MAX_WORKERS, iterations=2)
    assert ig.stats["workers"] == MAX_WALKS == len(ig.stats["walk_objectives"])
    assert schedkit.check(shop, ig).feasible
    project = psplib("j301_1")
    ga = schedkit.solve(project, "ga", workers=schedkit.api.MAX_WORKERS, generations=1)
    assert ga.stats["workers"] == MAX_WALKS == len(ga.stats["walk_spans"])
    assert schedkit.check(project, ga).feasible


@given(st.integers(1, schedkit.api.MAX_WORKERS))
def test_mip_threads_stay_below_cbcs_special_range(workers):
    assert mip_threads(workers) == min(workers, MAX_MIP_THREADS) < 100


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_a_mip_with_100_workers_proves_the_true_optimum(solver):
    """CBC read threads=100 as another mode and claimed 57 optimal on ft06 (optimum 55): with the
    cap both solvers prove 55 (no time limit: at any speed)."""
    x = schedkit.load(CLASSIC / "ft06")
    result = schedkit.solve(x, "mip", time_limit=None, workers=100, solver=solver)
    assert (result.status, result.objective, result.bound) == ("optimal", 55, 55)
    assert schedkit.check(x, result).objective == 55

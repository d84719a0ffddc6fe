"""The time limit as a promise (issue 16), asserted the way it holds at any speed: compile time
is reported, a run cut short returns a checked plan and a valid bound."""

from __future__ import annotations

from pathlib import Path

import pytest

import schedkit
from schedkit.vmr.heuristics.arrays import build_arrays
from schedkit.vmr.heuristics.methods import unmoved_result
from schedkit.vmr.solvers import cpsat as vmr_cpsat
from schedkit.vmr.solvers import mip as vmr_mip
from schedkit.vmr.solvers.common import MIN_MODEL_FLOOR, min_model_seconds
from tests.vmr.conftest import two_machines

ROOT = Path(__file__).resolve().parents[2]
LARGE = ROOT / "instances" / "vmr" / "vmr_m300_u95_k50_s3.json"


@pytest.mark.parametrize("method", [row.name for row in schedkit.methods("vmr")])
def test_compile_seconds_is_reported(method):
    """Every method says how long it waited for numba (0 once the kernels are loaded)."""
    result = schedkit.solve(two_machines(2), method, time_limit=2, workers=1)
    assert result.stats["compile_seconds"] >= 0


def test_the_plan_without_migrations_is_a_valid_answer():
    """What a method returns when its kernels are still compiling at the deadline: no
    migrations, the initial objective, the migration bound, through the checker."""
    x = two_machines(2)
    result = unmoved_result(x, build_arrays(x), {"compile_seconds": 1.0, "kernels_compiled": False})
    report = schedkit.check(x, result)
    assert report.feasible and report.objective == result.objective == x.initial_objective == 44
    assert result.solution.migrations == () and result.bound <= result.objective
    assert result.status == "feasible"


@pytest.mark.parametrize("method", ["auto", "mip", "cpsat"])
def test_a_run_cut_by_the_deadline_is_still_valid(method):
    """At 1 s on a 300-machine cluster the MIP is cancelled (or never built): the plan passes
    the checker, the bound stays below the objective and the status is not a false optimal."""
    x = schedkit.load(LARGE)
    result = schedkit.solve(x, method, time_limit=1, workers=2)
    report = schedkit.check(x, result)
    assert report.feasible and report.objective == result.objective
    assert result.bound is None or result.bound <= result.objective
    if result.status == "optimal":
        assert result.bound == result.objective


def test_the_least_model_time_scales_with_the_cluster():
    """A 12-machine sample gets its model with 0.2 s left; a 300-machine cluster keeps the time
    its model was sized on (a 1 s limit no longer skips the sample's model)."""
    small = build_arrays(schedkit.load(str(ROOT / "instances" / "vmr" / "sample_m12.json")))
    large = build_arrays(schedkit.load(str(ROOT / "instances" / "vmr" / "vmr_m300_u95_k50_s4.json")))
    assert min_model_seconds(small, vmr_mip.MIN_MODEL_SECONDS) == MIN_MODEL_FLOOR
    assert min_model_seconds(large, vmr_mip.MIN_MODEL_SECONDS) == vmr_mip.MIN_MODEL_SECONDS
    assert min_model_seconds(large, vmr_cpsat.MIN_MODEL_SECONDS) == vmr_cpsat.MIN_MODEL_SECONDS

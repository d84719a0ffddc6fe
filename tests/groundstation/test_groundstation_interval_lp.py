"""The non-preemptive bucketed LP bound: never above a proven optimum (hand-made and drawn
instances), and tighter than the preemptive LP on the mixed fixture."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings

import schedkit
from schedkit.groundstation.heuristics.board import request_options
from schedkit.groundstation.solvers.bound_job import BoundJob
from schedkit.groundstation.solvers.interval_lp import interval_bound_and_guide, interval_unserved_bound
from schedkit.groundstation.solvers.lp_bound import lp_unserved_bound
from tests.groundstation.cases import (
    KNOWN,
    blocked,
    cpsat_optimum,
    generated_networks,
    mixed,
    networks,
    straddle,
)

GRIDS = (900, 1800, 3600, 7200)


def test_interval_bound_is_tighter_than_the_preemptive_one_on_the_mixed_fixture():
    """Mixed (optimum 10800): 5448 s at 15 min buckets (4885 s with the earlier mission rows)
    against the preemptive LP's 2111 s."""
    x = mixed()
    options = request_options(x)
    assert interval_unserved_bound(x, options, grid=900) == 5448
    assert interval_unserved_bound(x, options, grid=900, tracking_rows=False) == 4885
    assert lp_unserved_bound(x, options) == 2111


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_interval_bound_never_cuts_off_the_cpsat_optimum(x):
    """On drawn instances where cpsat proves the optimum, the bound at each grid is at most it."""
    optimum = cpsat_optimum(x, 5)
    options = request_options(x)
    for grid in GRIDS:
        assert interval_unserved_bound(x, options, grid=grid) <= optimum


@settings(max_examples=10, deadline=None)
@given(generated_networks())
def test_interval_bound_never_cuts_off_a_generated_optimum(x):
    """Generated networks (set-up, tear-down, arrays, maintenance): bound <= proven optimum."""
    optimum = cpsat_optimum(x, 3)
    options = request_options(x)
    for grid in (900, 3600):
        assert interval_unserved_bound(x, options, grid=grid) <= optimum
        assert interval_unserved_bound(x, options, grid=grid, crossing_rows=True) <= optimum


def test_cpsat_reports_the_interval_lp_bound():
    """cpsat runs the interval LP (the preemptive one is off then) and keeps the best bound (no
    time limit: the LP is waited for and the optimum proved at any speed)."""
    x = mixed()
    result = schedkit.solve(x, "cpsat", time_limit=None, workers=1, interval_grid=900)
    assert result.stats["interval_lp_grids"] == [900]
    assert result.stats["lp_bound"] == "off"
    assert result.stats["interval_lp_bound"] <= result.bound <= result.objective == 10800


def test_mission_caps_carry_the_spacecraft_rule():
    """One spacecraft in two places (optimum 7200): the earlier whole-bucket rows alone miss the
    rule at 1 h buckets (bound 0), the transportation caps bring it back to within the 1 s
    margin, and the per-bucket tracking rows alone give it exactly."""
    build_case, optimum = KNOWN["two_places"]
    x = build_case()
    options = request_options(x)
    assert interval_unserved_bound(x, options, grid=3600, mission_caps=False, tracking_rows=False) == 0
    assert optimum - 1 <= interval_unserved_bound(x, options, grid=3600, tracking_rows=False) <= optimum
    assert interval_unserved_bound(x, options, grid=3600, mission_caps=False) == optimum
    assert interval_unserved_bound(x, options, grid=3600) == optimum


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_interval_bound_never_cuts_off_the_mip_optimum(x):
    """Cross-check with the other exact method: where mip proves the optimum, the interval LP
    bound at each grid is at most it, and so at most every plan's unserved seconds."""
    result = schedkit.solve(x, "mip", time_limit=5, workers=1)
    assume(result.status == "optimal")
    assert schedkit.check(x, result).feasible
    options = request_options(x)
    for grid in (1800, 3600):
        assert interval_unserved_bound(x, options, grid=grid) <= result.objective
        assert interval_unserved_bound(x, options, grid=grid, crossing_rows=True) <= result.objective


def test_tracking_rows_carry_the_spacecraft_rule_where_the_caps_miss_it():
    """Blocked (optimum 3600, mip and cpsat prove it): at 30 min and 1 h buckets the per-bucket
    tracking rows give the optimum; the earlier rows (whole tracked buckets only) and the
    transportation caps give 0."""
    x = blocked()
    for method in ("mip", "cpsat"):
        result = schedkit.solve(x, method, time_limit=None, workers=1)  # proofs at any speed
        assert schedkit.check(x, result).feasible
        assert result.status == "optimal" and result.objective == 3600
    options = request_options(x)
    for grid in (1800, 3600):
        assert interval_unserved_bound(x, options, grid=grid) == 3600
        assert interval_unserved_bound(x, options, grid=grid, tracking_rows=False) == 0


def test_the_guide_is_the_lp_solution_and_never_part_of_the_bound():
    """Mixed at 30 min: the guide names real (request, option) pairs and its total (the LP's
    primal value) is at most the proven tracked-seconds bound (weak duality), within rounding."""
    x = mixed()
    options = request_options(x)
    bound, guide = interval_bound_and_guide(x, options, grid=1800)
    assert bound == interval_unserved_bound(x, options, grid=1800)
    assert guide and all(0 <= o < len(options[i]) for i, o in guide)
    assert 0 < sum(guide.values()) <= x.requested - bound + 1.0


def test_bound_job_runs_every_stage_without_a_limit():
    """Without a time limit no stage is skipped; the finest stage's solution is the guide."""
    x = mixed()
    job = BoundJob(x, request_options(x), None, 10800, (7200, 3600, 1800))
    job.run()
    assert all(isinstance(job.stages[f"interval_lp_{g}"], tuple) for g in (7200, 3600, 1800))
    assert job.value == max(v for v, _ in job.stages.values())
    assert job.guide


def test_crossing_rows_keep_two_tracks_off_one_bucket_boundary():
    """Straddle (optimum 3600, mip and cpsat prove it): at 1 h buckets the bucket rows give 0,
    the crossing rows the optimum; on the mixed fixture they stay below its optimum and never
    loosen the bound."""
    x = straddle()
    for method in ("mip", "cpsat"):
        result = schedkit.solve(x, method, time_limit=None, workers=1)  # proofs at any speed
        assert schedkit.check(x, result).feasible
        assert result.status == "optimal" and result.objective == 3600
    options = request_options(x)
    assert interval_unserved_bound(x, options, grid=3600) == 0
    assert interval_unserved_bound(x, options, grid=3600, crossing_rows=True) == 3600
    x = mixed()
    options = request_options(x)
    for grid in (900, 3600):
        plain = interval_unserved_bound(x, options, grid=grid)
        assert plain <= interval_unserved_bound(x, options, grid=grid, crossing_rows=True) <= 10800

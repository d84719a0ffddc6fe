"""The time-bucketed LP bound on unserved seconds: never above a proven optimum, and weak
duality holds for any row prices (so a time-limited HiGHS still gives a valid bound)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.groundstation.heuristics.board import request_options
from schedkit.groundstation.solvers.bounds import mission_flow_bound
from schedkit.groundstation.solvers.interval_lp import build as build_interval
from schedkit.groundstation.solvers.interval_lp import interval_unserved_bound
from schedkit.groundstation.solvers.lp_bound import (
    build,
    dual_bound,
    lp_unserved_bound,
    most_tracked,
    trivial_bound,
)
from tests.groundstation.cases import KNOWN, cpsat_optimum, mixed, networks

GRIDS = (None, 3600, 2 * 3600)


@pytest.mark.parametrize(("bound", "grids"), [(lp_unserved_bound, (None, 3600, 7200)),
                                             (interval_unserved_bound, (900, 1800, 3600, 7200))],
                         ids=["preemptive", "interval"])
@pytest.mark.parametrize("case", sorted(KNOWN))
def test_lp_bounds_never_exceed_the_hand_derived_optimum(case, bound, grids):
    """split 1800, array 7200, clash 1800, two places 7200: each LP bound, at each grid, is at
    most the optimum."""
    build_case, optimum = KNOWN[case]
    x = build_case()
    for grid in grids:
        assert 0 <= bound(x, request_options(x), grid=grid) <= optimum


def test_lp_bound_is_tight_where_the_relaxation_is_exact():
    """One spacecraft in two places (7200 s) and the array (A and B full beside it: 7200 s)."""
    for case in ("two_places", "array"):
        build_case, optimum = KNOWN[case]
        x = build_case()
        assert lp_unserved_bound(x, request_options(x)) == optimum


def test_lp_bound_on_the_mixed_fixture_and_a_relaxed_mission():
    """Mixed: optimum 10800 s (cpsat and mip agree). Two places relaxed: nothing unserved."""
    x = mixed()
    assert lp_unserved_bound(x, request_options(x)) <= 10800
    relaxed = KNOWN["two_places"][0]().replace(spacecraft_exclusive=False)
    assert lp_unserved_bound(relaxed, request_options(relaxed)) == 0


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_lp_bound_never_cuts_off_the_cpsat_optimum(x):
    """On drawn instances cpsat proves the optimum; every bound (LP at each grid, transportation)
    is at most it, i.e. the upper bound on tracked seconds is at least the optimum's."""
    optimum = cpsat_optimum(x, 5)
    options = request_options(x)
    for grid in GRIDS:
        assert lp_unserved_bound(x, options, grid=grid) <= optimum
    assert mission_flow_bound(x, options) <= optimum


@pytest.mark.parametrize(("build_lp", "grid"), [(build, 3600), (build_interval, 1800)],
                         ids=["preemptive", "interval"])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_weak_duality_holds_for_any_prices(build_lp, grid, seed):
    """Any row prices y >= 0 give a value at least the LP optimum (what a time-limited run uses),
    for the preemptive and the non-preemptive LP alike."""
    x = mixed()
    lp = build_lp(x, request_options(x), grid)
    best = most_tracked(lp)
    prices = np.random.default_rng(seed).exponential(0.5, len(lp.row_upper))
    prices[np.random.default_rng(seed + 1).random(len(prices)) < 0.5] = 0.0
    assert dual_bound(lp, prices) >= best - 1e-6 * max(1.0, best)


@pytest.mark.parametrize(("build_lp", "grid"), [(build, 3600), (build_interval, 3600)],
                         ids=["preemptive", "interval"])
def test_the_no_duals_fallback_is_at_least_the_lp_optimum(build_lp, grid):
    """When HiGHS stops without duals the LP claims its trivial value: never below the optimum
    (a column's cost is seconds per unit in the interval LP, so it is cost * upper summed)."""
    x = mixed()
    lp = build_lp(x, request_options(x), grid)
    assert trivial_bound(lp) >= most_tracked(lp) - 1e-6


def test_lp_value_matches_the_duals():
    """At HiGHS's optimum the dual-derived bound is the primal value (within tolerance)."""
    import highspy  # noqa: F401

    x = mixed()
    lp = build(x, request_options(x), None)
    most = most_tracked(lp)
    assert x.requested - 10800 <= most + 1e-6 <= x.requested


def test_interior_point_path_gives_a_valid_bound(monkeypatch):
    """Large LPs go to IPM without crossover; forced on the small cases it stays valid."""
    from schedkit.groundstation.solvers import lp_bound

    monkeypatch.setattr(lp_bound, "SIMPLEX_COLUMNS", 0)
    for case in sorted(KNOWN):
        build_case, optimum = KNOWN[case]
        x = build_case()
        assert 0 <= lp_unserved_bound(x, request_options(x), grid=3600) <= optimum
    assert lp_unserved_bound(mixed(), request_options(mixed())) <= 10800


def test_cpsat_reports_the_lp_bound_it_ran():
    """With the interval LP off (interval_grid=-1) cpsat runs the preemptive LP beside its
    search and keeps the best bound (no time limit: the LP finishes, the optimum is proved)."""
    x = mixed()
    result = schedkit.solve(x, "cpsat", time_limit=None, workers=1, interval_grid=-1)
    assert isinstance(result.stats["lp_bound"], int)
    assert result.stats["lp_bound"] <= result.bound <= result.objective == 10800

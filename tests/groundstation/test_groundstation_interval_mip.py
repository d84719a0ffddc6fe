"""The interval LP with integer track keys (an experiment, not used by cpsat): never above a
proven optimum, never below the LP's own bound, and stronger than it where the LP mixes keys."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from schedkit.groundstation.heuristics.board import request_options
from schedkit.groundstation.solvers.interval_lp import interval_unserved_bound
from schedkit.groundstation.solvers.interval_mip import mip_unserved_bound
from tests.groundstation.cases import (
    KNOWN,
    blocked,
    cpsat_optimum,
    generated_networks,
    mixed,
    networks,
    straddle,
)

H = 3600


def test_integer_keys_close_the_lp_gap_on_the_mixed_fixture():
    """Mixed (optimum 10800): the 1 h LP proves 5029 s; with integer keys HiGHS proves the
    optimum within the 1 s margin, and with integer keys for the 8 h+ requests only, between."""
    x = mixed()
    options = request_options(x)
    assert interval_unserved_bound(x, options, grid=H) == 5029
    bound, stats = mip_unserved_bound(x, options, grid=H)
    assert stats["integer_keys"] > 0 and stats["status"] == "Optimal"
    assert 10799 <= bound <= 10800
    assert 5029 <= mip_unserved_bound(x, options, grid=H, integer_from=8 * H)[0] <= 10800


def test_no_track_possible_means_every_second_is_unserved():
    """With no option for any request the relaxation has no column: the bound is everything
    requested (hypothesis once found it returned 0, valid but useless)."""
    x = mixed()
    bound, stats = mip_unserved_bound(x, [[] for _ in x.requests], grid=H)
    assert stats["columns"] == 0 and bound == x.requested


def test_known_optima_are_never_cut_off_whatever_gets_integer_keys():
    """Hand-made cases with known optima, every grid, integer keys for all, for long requests
    only, and for none (then the LP's weak-duality bound is used: HiGHS reports no MIP bound)."""
    cases = [(f, optimum) for f, optimum in KNOWN.values()] + [(blocked, 3600), (mixed, 10800),
                                                                (straddle, 3600)]
    for build_case, optimum in cases:
        x = build_case()
        options = request_options(x)
        for grid in (1800, H, 2 * H):
            lp = interval_unserved_bound(x, options, grid=grid)
            for integer_from in (0, 8 * H, 100 * H):
                bound = mip_unserved_bound(x, options, grid=grid, integer_from=integer_from)[0]
                assert lp - 1 <= bound <= optimum


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_mip_bound_never_cuts_off_the_cpsat_optimum(x):
    """Drawn instances where cpsat proves the optimum: the bound is at most it, at least the LP's."""
    optimum = cpsat_optimum(x, 3)
    options = request_options(x)
    for grid in (1800, H):
        bound = mip_unserved_bound(x, options, grid=grid)[0]
        assert interval_unserved_bound(x, options, grid=grid) - 1 <= bound <= optimum


@settings(max_examples=8, deadline=None)
@given(generated_networks())
def test_mip_bound_never_cuts_off_a_generated_optimum(x):
    """Generated networks (set-up, tear-down, arrays, maintenance), a node limit of 50."""
    optimum = cpsat_optimum(x, 3)
    options = request_options(x)
    for grid in (900, H):
        assert mip_unserved_bound(x, options, grid=grid, node_limit=50)[0] <= optimum

"""The feasible-subset LP bound after a wide CP-SAT gap (solvers/cpsat_bound.py, option
`cg_share`): never above a known optimum, the result's bound the higher of CP-SAT's and the LP's
and never past the objective, the gap rule, and the option's range."""

from __future__ import annotations

import math

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from ortools.sat.python import cp_model

import schedkit
from schedkit import InvalidOption
from schedkit.cli import main
from schedkit.rcpsp.bounds import lower_bound
from schedkit.rcpsp.solvers.cpsat_bound import WIDE_GAP, Checkpoint, lp_bound
from tests.rcpsp.conftest import RCPSP, optimum, psplib
from tests.rcpsp.strategies import projects


@settings(max_examples=8, deadline=None)
@given(projects(max_activities=9, max_resources=2))
def test_lp_bound_never_exceeds_the_optimum(instance):
    """From LB0/LB1 towards an upper bound above the optimum, the LP's bound stays at or below
    the optimum CP-SAT proves, and at or above where it started."""
    result = schedkit.solve(instance, "cpsat", time_limit=None, workers=1)
    assert result.status == "optimal"
    best = int(result.objective)
    start = min(lower_bound(instance), best)
    stats: dict[str, object] = {}
    lifted = lp_bound(instance, start, best + 3, math.inf, stats)
    assert start <= lifted <= best
    assert stats["cg_from"] == start


def _assert_bound_relation(instance, result, best):
    """The plan checks; bound <= objective and <= the known optimum; with the LP run, the bound
    is the higher of CP-SAT's and the LP's; optimal exactly when bound meets objective."""
    assert schedkit.check(instance, result.solution, result.objective)
    assert result.bound <= result.objective and result.bound <= best
    assert (result.status == "optimal") == (result.bound == result.objective)
    stats = result.stats
    if "cg_from" in stats:
        assert stats["cg_from"] == stats["cpsat_bound"]
        assert result.bound == max(stats["cpsat_bound"], stats.get("cg_bound", stats["cpsat_bound"]))


def test_cpsat_hands_a_wide_gap_to_the_lp():
    """j6045_2 (optimum 144; CP-SAT's bound stays near LB0/LB1 = 118 for 30 s): with
    cg_share 0.9 the checkpoint at a tenth of the time finds the gap wide and the LP runs."""
    instance = psplib("j6045_2")
    result = schedkit.solve(instance, "cpsat", time_limit=3, workers=1, cg_share=0.9)
    assert "cg_from" in result.stats and result.stats["solver_status"] != "OPTIMAL"
    _assert_bound_relation(instance, result, optimum("j6045_2"))


def test_cpsat_lns_probe_hands_over_and_the_default_is_off():
    """The mid-size cpsat-lns probe takes the same checkpoint (its LP stats reach the result);
    by default (cg_share 0) no checkpoint runs at all."""
    instance = psplib("j6045_2")
    on = schedkit.solve(instance, "cpsat-lns", time_limit=3, workers=1, cg_share=0.9)
    assert "cg_from" in on.stats
    _assert_bound_relation(instance, on, optimum("j6045_2"))
    off = schedkit.solve(instance, "cpsat", time_limit=1.5, workers=1)
    assert "cg_from" not in off.stats and "cpsat_bound" not in off.stats
    _assert_bound_relation(instance, off, optimum("j6045_2"))


@pytest.mark.parametrize(("bound", "stops"), [(89, True), (90, True), (91, False), (100, False)])
def test_checkpoint_stops_only_a_wide_gap(bound, stops):
    """At objective 100 a gap of WIDE_GAP * 100 = 10 or more stops the search; a bound from
    CP-SAT's callback is rounded up."""
    assert WIDE_GAP == 0.10
    checkpoint = Checkpoint(cp_model, cp_model.CpSolver(), 100, 80)
    checkpoint.on_bound(bound - 0.5)  # CP-SAT's float bound proves the integer above it
    assert checkpoint.bound == bound
    checkpoint.check_gap()
    assert bool(checkpoint.stopped) is stops


@pytest.mark.parametrize("share", [-0.1, 0.95, 1.0])
def test_cg_share_out_of_range_is_refused(share):
    for method in ("cpsat", "cpsat-lns"):
        with pytest.raises(InvalidOption, match="cg_share"):
            schedkit.solve(psplib("j301_1"), method, time_limit=1, workers=1, cg_share=share)


def test_cg_share_is_a_number():
    with pytest.raises(InvalidOption, match="cg_share"):
        schedkit.solve(psplib("j301_1"), "cpsat", time_limit=1, workers=1, cg_share=True)


@pytest.mark.parametrize("value", ["2", "nan", "true"])
def test_cli_bad_cg_share_is_one_line(value):
    """`-o cg_share=...` out of range, NaN or a boolean: exit status 2, one line, no traceback."""
    out = CliRunner().invoke(main, ["solve", str(RCPSP / "j30" / "j301_1.sm"), "-m", "cpsat",
                                    "-t", "1", "-o", f"cg_share={value}"])
    assert out.exit_code == 2, out.output
    assert "cg_share" in out.output and "Traceback" not in out.output
    assert len(out.output.strip().splitlines()) == 1

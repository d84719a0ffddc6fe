"""One splittable request whose views overlap (found by the claims tests' hypothesis search):
cpsat with one worker and no time limit did not prove it in 300 s (CP-SAT scanned unserved
seconds one at a time), and mip's bound was 0. The capacity rows (solvers/energy.py) prove each
at once; the optimum is the union of the usable views (or, with set-up, hand-checked below)."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

import schedkit
from schedkit.common.cpsat import new_solver
from schedkit.groundstation.heuristics.board import request_options
from schedkit.groundstation.model import Alternative, GroundStationInstance, Maintenance, Request, ViewPeriod
from schedkit.groundstation.solvers import cpsat, cpsat_model, energy

H = 3600


def _one(duration: int, setup: int, window: tuple[int, int], alone: tuple[str, list[tuple[int, int]]],
         array: list[tuple[int, int]], down: Maintenance) -> GroundStationInstance:
    """One request with minimum 1 h: views on one antenna and on the array A+B."""
    antenna, views = alone
    alternatives = (Alternative((antenna,), tuple(ViewPeriod(p, q) for p, q in views)),
                    Alternative(("A", "B"), tuple(ViewPeriod(p, q) for p, q in array)))
    request = Request("r0", "m1", duration, H, setup, setup, window[0], window[1], alternatives)
    return GroundStationInstance((request,), antennas=("A", "B"), maintenance=(down,),
                                 spacecraft_exclusive=False)


CASES = [
    # B sees [1 h, 7 h) (two overlapping views, the array's within it; A is down until 1 h):
    # 6 of 8 h
    _one(8 * H, 0, (H, 15 * H), ("B", [(2 * H, 7 * H), (0, 4 * H)]), [(0, 5 * H)], Maintenance("A", 0, H)),
    _one(8 * H, 0, (H, 15 * H), ("B", [(2 * H, 7 * H), (0, 5 * H)]), [(0, 5 * H)], Maintenance("A", 0, H)),
    # 9 h, set-up and tear-down 1 h, all on A in [0, 11 h): a 6 h track in [1 h, 7 h) and
    # the 1 h left in [9 h, 10 h) (set-up from 8 h): 7 h; k pieces in the 9 h of views lose
    # 2 h between each two, and one piece lasts at most 6 h
    _one(9 * H, H, (0, 14 * H), ("A", [(5 * H, 10 * H), (H, 7 * H)]), [(3 * H, 6 * H)],
         Maintenance("A", 6 * H, 6 * H)),
]


@pytest.mark.parametrize("x", CASES)
@pytest.mark.parametrize("method, workers", [("cpsat", 1), ("cpsat", 2), ("mip", 1)])
def test_overlapping_views_are_proven_without_a_time_limit(x, method, workers):
    """Unserved 7200 s, proven (bound 7200) by cpsat with 1 and 2 workers and by mip."""
    result = schedkit.solve(x, method, time_limit=None, workers=workers)
    assert schedkit.check(x, result).feasible
    assert (result.status, result.objective, result.bound) == ("optimal", 2 * H, 2 * H)


@pytest.mark.parametrize("x", CASES)
def test_one_worker_proves_without_the_warm_start(x):
    """The bare model (no hint), capacity rows and one worker at cpsat's linearisation level:
    proven with no time limit (at CP-SAT's default level the first case found only 14400 in 15 s)."""
    model = cp_model.CpModel()
    slots, tracked = cpsat_model.build(model, x, request_options(x))
    cpsat_model.capacity_rows(model, x, slots)
    model.Minimize(x.requested - sum(tracked))
    solver = new_solver(cp_model, 1, 0, None)
    solver.parameters.linearization_level = cpsat.LINEARIZATION
    assert solver.Solve(model) == cp_model.OPTIMAL
    assert (solver.ObjectiveValue(), solver.BestObjectiveBound()) == (2 * H, 2 * H)


def test_capacity_rows_of_one_request():
    """The first case: one time row over [1 h, 7 h) and one B row over the same span, each
    holding all three options' slots."""
    x = CASES[0]
    options = request_options(x)[0]
    keys = [(0, option) for option in options]
    assert sorted((row.occupied, row.capacity, len(row.slots)) for row in energy.rows(x, keys)) == [
        (False, 6 * H, 3), (True, 6 * H, 3)]

"""The one place CP-SAT solvers get their threads, seed and time limit."""

from __future__ import annotations

from ortools.sat.python import cp_model

from schedkit.common.cpsat import MIN_SECONDS, new_solver


def test_new_solver_sets_workers_seed_and_limit():
    """Workers and seed as given (never CP-SAT's own default), the limit as given, a spent
    budget becomes the minimum instead of CP-SAT's 'no limit', None leaves it unlimited."""
    solver = new_solver(cp_model, 2, 7, 3.5)
    assert solver.parameters.num_workers == 2 and solver.parameters.random_seed == 7
    assert solver.parameters.max_time_in_seconds == 3.5
    assert new_solver(cp_model, 1, 0, 0.0).parameters.max_time_in_seconds == MIN_SECONDS
    assert new_solver(cp_model, 1, 0, None).parameters.max_time_in_seconds > 1e300

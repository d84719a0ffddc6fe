"""The one place CP-SAT solvers get their threads, seed and time limit."""

from __future__ import annotations

from ortools.sat.python import cp_model

from schedkit.common.cpsat import MIN_SECONDS, cpsat_bound, new_solver, objective_span, settle


def test_new_solver_sets_workers_seed_and_limit():
    """Workers and seed as given (never CP-SAT's own default), the limit as given, a spent
    budget becomes the minimum instead of CP-SAT's 'no limit', None leaves it unlimited."""
    solver = new_solver(cp_model, 2, 7, 3.5)
    assert solver.parameters.num_workers == 2 and solver.parameters.random_seed == 7
    assert solver.parameters.max_time_in_seconds == 3.5
    assert new_solver(cp_model, 1, 0, 0.0).parameters.max_time_in_seconds == MIN_SECONDS
    assert new_solver(cp_model, 1, 0, None).parameters.max_time_in_seconds > 1e300


def _big_model(big: int) -> tuple[cp_model.CpModel, cp_model.IntVar]:
    """min big·b + x with b in {1, 2} and x >= 3 (or >= 50 when y): the optimum is big + 3."""
    model = cp_model.CpModel()
    b, x, y = model.new_int_var(1, 2, "b"), model.new_int_var(0, 100, "x"), model.new_bool_var("y")
    model.add(x >= 3)
    model.add(x >= 50).only_enforce_if(y)
    model.minimize(big * b + x)
    return model, x


def test_objective_span_sums_coefficients_times_the_widest_domain_end():
    """|2|·5 + |−3|·10 + |7| for min 2x − 3y + 7 with x in [−5, 3], y in [0, 10]; the same
    maximised (CP-SAT stores it negated)."""
    for sense in ("minimize", "maximize"):
        model = cp_model.CpModel()
        x, y = model.new_int_var(-5, 3, "x"), model.new_int_var(0, 10, "y")
        getattr(model, sense)(2 * x - 3 * y + 7)
        assert objective_span(model) == 47


def test_settle_trusts_optimal_within_2_53_without_a_recheck():
    """A normal model: CP-SAT's OPTIMAL is the proof, nothing solved again, no stats."""
    model, _ = _big_model(10**6)
    solver = new_solver(cp_model, 1, 0, None)
    status = solver.solve(model)
    stats: dict = {}
    assert settle(cp_model, model, solver, status, 1, 0, None, stats) == (solver, True)
    assert stats == {} and cpsat_bound(model, solver) == 10**6 + 3


def test_settle_rechecks_beyond_2_53_and_finds_the_better_solution():
    """Beyond 2^53 an OPTIMAL is rechecked below the solution's exact value: handed a solver
    stopped at x = 100 and told OPTIMAL, settle finds x = 3 and proves it (infeasible below);
    with no time for the recheck the claim is not trusted and stats say so."""
    model, x = _big_model(2**60)
    model.add_hint(x, 100)
    first = new_solver(cp_model, 1, 0, None)
    first.parameters.fix_variables_to_their_hinted_value = True
    assert first.solve(model) == cp_model.OPTIMAL and first.value(x) == 100
    stats: dict = {}
    solver, proved = settle(cp_model, model, first, cp_model.OPTIMAL, 1, 0, None, stats)
    assert proved and solver.value(x) == 3 and stats == {"optimal_rechecks": 2}
    stats = {}
    assert settle(cp_model, model, first, cp_model.OPTIMAL, 1, 0, 0.0, stats) == (first, False)
    assert stats == {"optimal_rechecks": 0, "untrusted_optimal": True}
    assert cpsat_bound(model, first) <= 2**60 + 3  # the false OPTIMAL's bound, rounded down

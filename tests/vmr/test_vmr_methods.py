"""VMR methods: known optima, exact against brute force, heuristics never below the optimum,
every plan through the checker, bounds never above the optimum."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

import schedkit
from schedkit.common.mip import RunControl, import_pulp
from schedkit.registry import SolveOptions
from schedkit.vmr.bounds import migration_bound
from schedkit.vmr.heuristics.arrays import build_arrays
from schedkit.vmr.heuristics.methods import greedy_plan, plan_result
from schedkit.vmr.solvers.mip import build_model, solve_model
from tests.verdicts import assert_agrees
from tests.vmr.conftest import TWO_MACHINES_OPTIMUM, brute_force, tiny_clusters, two_machines

METHODS = ["greedy", "lns", "cpsat", "mip", "auto"]
EXACT = ["cpsat", "mip", "auto"]
LIMIT = 2.0  # seconds: every model here is tiny


def _solve(instance, method):
    """One worker; LNS (which searches until its limit unless it meets the migration bound)
    gets a quarter of LIMIT."""
    limit = LIMIT / 4 if method == "lns" else LIMIT
    return schedkit.solve(instance, method, time_limit=limit, workers=1)


def _agrees(instance, result, optimum, proven=False):
    """The shared verdict, and never more migrations than the limit."""
    assert_agrees(instance, result, optimum, proven)
    assert len(result.solution.migrations) <= instance.migration_limit


def test_methods_registered():
    """The five method names of issue 9, the exact ones tagged exact."""
    rows = {row.name: row.kind for row in schedkit.methods("vmr")}
    assert rows == {"greedy": "heuristic", "lns": "heuristic", "cpsat": "exact", "mip": "exact",
                    "auto": "exact"}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("limit", [0, 1, 2, 3])
def test_two_machines_known_optimum(method, limit):
    """Hand-derived optima 44 / 28 / 12 / 12 for K = 0..3 (conftest), reached and proved by every
    method (greedy meets the migration bound), with fragment rates; no limit: at any speed."""
    x = two_machines(limit)
    result = schedkit.solve(x, method, time_limit=None, workers=1)
    _agrees(x, result, TWO_MACHINES_OPTIMUM[limit])
    assert result.objective == TWO_MACHINES_OPTIMUM[limit]
    assert result.status == "optimal"
    assert result.stats["initial_fragment_rate"] == 1.0
    assert result.stats["fragment_rate"] == pytest.approx(TWO_MACHINES_OPTIMUM[limit] / 44, abs=1e-6)


@pytest.mark.parametrize("method", METHODS)
def test_anti_affinity_changes_the_optimum(method):
    """With a and b in one group they cannot share pm1/0; a and d can (K = 2). Brute force says
    what the optimum then is, and every method respects the group."""
    x = two_machines(2, groups={"g": ["a", "c"]})
    optimum = brute_force(x)
    assert optimum == 12  # b and d join c on pm1/0 (b: 4 + c: 8 + d: 4 = 16)
    _agrees(x, _solve(x, method), optimum)


def test_brute_force_matches_hand_derivation():
    """The brute force itself reproduces the hand-derived optima."""
    for limit, optimum in TWO_MACHINES_OPTIMUM.items():
        assert brute_force(two_machines(limit)) == optimum


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_clusters())
def test_every_method_against_brute_force(instance):
    """Random tiny clusters: every method's plan passes the checker, never beats the brute-force
    optimum of ordered plans, no bound exceeds it, and the exact methods are <= the heuristics."""
    optimum = brute_force(instance)
    assert migration_bound(instance) <= optimum
    results = {m: _solve(instance, m) for m in METHODS}
    for result in results.values():
        _agrees(instance, result, optimum)
    best_heuristic = min(results["greedy"].objective, results["lns"].objective)
    for method in EXACT:
        assert results[method].objective <= best_heuristic


def test_greedy_is_deterministic_and_solution_round_trips():
    """Greedy twice on a generated cluster gives the same plan; the solution JSON reads back."""
    x = schedkit.generate.vmr(40, 0.9, seed=5, migration_limit=8)
    first, second = _solve(x, "greedy"), _solve(x, "greedy")
    assert first.solution == second.solution
    data = first.to_dict()
    assert schedkit.check(x, data).objective == first.objective
    assert first.stats["fragment_rate"] < first.stats["initial_fragment_rate"]


@pytest.mark.parametrize("method", ["cpsat", "mip"])
def test_exact_on_a_small_generated_cluster(method):
    """A 12-machine cluster at 95 %: the exact methods return checked plans no worse than
    greedy with a bound below them; `workers` is reported."""
    x = schedkit.generate.vmr(12, 0.95, seed=2, migration_limit=6, anti_affinity_groups=2)
    greedy = _solve(x, "greedy")
    result = _solve(x, method)
    assert schedkit.check(x, result).feasible
    assert result.objective <= greedy.objective
    assert result.bound is not None and result.bound <= result.objective
    assert result.stats["workers"] == 1


def test_mip_with_cbc():
    """The MIP also runs on CBC and reaches the hand-derived optimum."""
    x = two_machines(2)
    result = schedkit.solve(x, "mip", workers=1, solver="cbc")
    _agrees(x, result, 12, proven=True)


def test_lns_option_is_checked():
    """max_remove must be a positive integer, iterations a non-negative one."""
    with pytest.raises(ValueError, match="max_remove"):
        schedkit.solve(two_machines(1), "lns", time_limit=0.1, max_remove=0)
    with pytest.raises(ValueError, match="iterations"):
        schedkit.solve(two_machines(1), "lns", time_limit=0.1, iterations=-1)


def test_lns_with_iterations_is_reproducible():
    """With a fixed iteration count the same seed gives the same plan (no clock involved),
    never worse than greedy."""
    x = schedkit.generate.vmr(20, 0.9, seed=0, migration_limit=10)
    runs = [schedkit.solve(x, "lns", time_limit=60, seed=3, iterations=300, workers=1) for _ in range(2)]
    assert runs[0].solution == runs[1].solution
    assert runs[0].stats["iterations"] == 300
    assert runs[0].objective <= _solve(x, "greedy").objective
    assert schedkit.check(x, runs[0]).feasible


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_clusters())
def test_auto_side_by_side_against_brute_force(instance):
    """With two workers `auto` runs the MIP on its own thread beside LNS: the plan passes the
    checker, is no worse than greedy, bound <= brute force <= objective, and optimal only at
    it (whether 10 s bring the proof depends on the machine)."""
    optimum = brute_force(instance)
    result = schedkit.solve(instance, "auto", time_limit=10, workers=2)
    _agrees(instance, result, optimum)
    assert result.objective <= _solve(instance, "greedy").objective


def test_auto_side_by_side_on_a_generated_cluster():
    """A 12-machine cluster: `auto` (two workers) agrees with the MIP's proven optimum (a proof in
    10 s depends on the machine), says that both ran and which one gave the plan."""
    x = schedkit.generate.vmr(12, 0.95, seed=2, migration_limit=6, anti_affinity_groups=2)
    reference = schedkit.solve(x, "mip", time_limit=None, workers=1)  # the proof at any speed
    assert reference.status == "optimal"
    result = schedkit.solve(x, "auto", time_limit=10, workers=2)
    _agrees(x, result, reference.objective)
    assert result.stats["workers"] == 2
    if result.stats.get("proved_by") != "migration bound":
        assert result.stats["chosen"] == "mip+restricted+lns"
        assert result.stats["plan_from"] in ("mip", "restricted mip", "lns", "greedy")


def _run_model(x, restricted=False, control=None, limit=None):
    """Build the MIP of `x` (the whole one, or restricted to nodes with a non-zero residue)
    from greedy's plan and solve it on HiGHS, by default without a time limit (outcomes that
    do not hang on speed): (arrays, node mask or None, model, outcome)."""
    pulp = import_pulp("highs")
    a = build_arrays(x)
    allowed = (a.free_cpu0 % a.fragment) != 0 if restricted else None
    model = build_model(pulp, x, a, greedy_plan(a, float("inf")), allowed=allowed)
    outcome = solve_model(pulp, model, a, SolveOptions(time_limit=limit, workers=1), "highs", control)
    return a, allowed, model, outcome


def test_cancelled_mip_returns_its_start_and_a_valid_bound():
    """A MIP cancelled before it starts stops at once ('Interrupted by user'): the result is
    the warm start, checked, with any bound it reports below the optimum."""
    x = schedkit.generate.vmr(12, 0.95, seed=2, migration_limit=6, anti_affinity_groups=2)
    optimum = schedkit.solve(x, "mip", time_limit=None, workers=1)
    assert optimum.status == "optimal"
    optimum = optimum.objective
    control = RunControl()
    control.cancel()
    _, _, _, outcome = _run_model(x, control=control)
    assert outcome.stats["solver_status"] == "Interrupted by user"
    assert outcome.bound is None or outcome.bound <= optimum
    if outcome.found is not None:
        assert outcome.found.objective >= optimum


def test_run_control_sees_a_valid_dual_bound():
    """While HiGHS runs, `RunControl.dual_bound` follows its dual bound: after a full run on a
    hard cluster it is finite and, with the objective's constant, never above the optimum."""
    x = schedkit.load("instances/vmr/vmr_m40_u95_k10_s2.json")
    control = RunControl()
    _, _, model, outcome = _run_model(x, control=control)
    assert outcome.stats["solver_optimal"]
    seen = control.dual_bound + float(model.problem.objective.constant or 0)
    assert -1e9 < seen <= outcome.found.objective + 1e-6


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_restricted_mip_moves_only_between_allowed_nodes(seed):
    """The MIP restricted to a node mask (what `auto` runs first) gives a checked plan, never
    below the whole MIP's optimum, whose migrations leave and reach allowed nodes only; VMs of
    anti-affinity groups on other nodes still count where they stay."""
    x = schedkit.generate.vmr(16, 0.95, seed=seed, migration_limit=8, anti_affinity_groups=3)
    optimum = schedkit.solve(x, "mip", time_limit=None, workers=1)
    assert optimum.status == "optimal"
    a, allowed, _, outcome = _run_model(x, restricted=True)  # no time limit: a plan at any speed
    assert outcome.found is not None and outcome.reached
    result = plan_result(x, a, outcome.found)
    report = schedkit.check(x, result)
    assert report.feasible, report.violations
    assert report.objective == outcome.found.objective >= optimum.objective
    for vm, place in zip(outcome.found.vm.tolist(), outcome.found.dst.tolist(), strict=True):
        for p in (int(a.place0[vm]), place):
            assert allowed[a.place_a[p]] and (a.place_b[p] < 0 or allowed[a.place_b[p]])

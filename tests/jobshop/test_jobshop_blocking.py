"""The blocking job shop with swaps: model, JSON, loading, checker, and exact optima."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

import schedkit
from schedkit.cli import main
from schedkit.errors import InvalidInstance, SchedkitError
from schedkit.jobshop.heuristics import ig
from schedkit.jobshop.heuristics.blocking import evaluate_orders, machine_orders, run_blocking_rule
from schedkit.jobshop.heuristics.rules import run_rule
from schedkit.jobshop.model import JobShopInstance, JobShopSolution
from schedkit.jobshop.solvers import cpsat_blocking
from schedkit.jobshop.solvers import cpsat_blocking_model as blocking_model
from schedkit.result import Result
from schedkit.warmup import generated_instances
from tests.jobshop.blocking_fixtures import (
    DEADLOCK_JOBS,
    SWAP_JOBS,
    SWAP_OPTIMUM,
    blocking,
    blocking_makespan,
    brute_force_makespan,
)
from tests.jobshop.conftest import CLASSIC, checked

DEADLOCK_OPTIMUM = 14  # brute_force_makespan(DEADLOCK_JOBS, 3), asserted below


def test_buffers_default_and_json_round_trip(tmp_path) -> None:
    """`buffers` defaults to unlimited, is validated, and the project JSON carries it."""
    classic = JobShopInstance.from_jobs(SWAP_JOBS)
    assert classic.buffers == "unlimited" and not classic.blocking
    instance = blocking(SWAP_JOBS, "swap")
    path = tmp_path / "swap.json"
    schedkit.dump(instance, path)
    assert json.loads(path.read_text())["buffers"] == "blocking"
    assert schedkit.load(path) == instance
    with pytest.raises(InvalidInstance, match="buffers"):
        JobShopInstance.from_jobs(SWAP_JOBS, buffers="small")


def test_flexible_blocking_is_refused() -> None:
    """Flexible blocking shops are out of scope, said clearly."""
    with pytest.raises(InvalidInstance, match="flexible blocking"):
        JobShopInstance.from_jobs([[[(0, 1), (1, 2)]]], buffers="blocking")


def test_load_blocking_reads_a_classic_file_as_blocking() -> None:
    """`schedkit.load(..., blocking=True)` keeps the data and sets the buffers."""
    plain = schedkit.load(CLASSIC / "ft06")
    instance = schedkit.load(CLASSIC / "ft06", blocking=True)
    assert instance.blocking and instance.replace(buffers="unlimited") == plain


def test_blocking_flag_on_other_families_is_an_error(tmp_path) -> None:
    """--blocking on a file that is not a job shop is a schedkit error."""
    path = tmp_path / "smtt.json"
    path.write_text(json.dumps({"family": "smtt", "p": [1, 2], "d": [1, 2]}))
    with pytest.raises(SchedkitError, match="job shop"):
        schedkit.load(path, blocking=True)


def _swap_solution(leave_first: int = 1) -> dict:
    return {"start": [[0, 1], [0, 1]], "machine": [[0, 1], [1, 0]],
            "leave": [[leave_first, 2], [1, 2]]}


def test_checker_accepts_a_swap() -> None:
    """Both jobs exchange machines at t = 1: feasible, makespan 2."""
    report = schedkit.check(blocking(SWAP_JOBS, "swap"), _swap_solution())
    assert report.feasible and report.objective == SWAP_OPTIMUM


def test_checker_catches_a_held_machine_overlap() -> None:
    """Job 1 starts on machine 0 at 1 while job 0, done there, is still holding it until 3."""
    data = {"start": [[0, 3], [0, 1]], "machine": [[0, 1], [1, 0]], "leave": [[3, 4], [1, 2]]}
    report = schedkit.check(blocking(SWAP_JOBS, "swap"), data)
    assert not report.feasible
    assert any("holds it over [0, 3)" in v for v in report.violations)


def test_checker_wants_leave_equal_to_the_successor_start() -> None:
    """Leaving before the next operation starts, or a last operation leaving late, is wrong."""
    report = schedkit.check(blocking(SWAP_JOBS, "swap"), _swap_solution(leave_first=2))
    assert any("a job moves on the moment it leaves" in v for v in report.violations)
    data = _swap_solution()
    data["leave"][1][1] = 3
    assert any("not when it ends" in v for v in schedkit.check(blocking(SWAP_JOBS, "s"), data).violations)
    missing = {k: v for k, v in _swap_solution().items() if k != "leave"}
    assert not schedkit.check(blocking(SWAP_JOBS, "s"), missing).feasible


def test_solution_json_has_leave() -> None:
    """The blocking solution is start/machine plus leave, and reads back."""
    solution = JobShopSolution.from_dict(_swap_solution())
    assert solution.to_dict() == _swap_solution()


def test_swap_instance_optimum_by_every_route() -> None:
    """Brute force, a rule and cpsat (no time limit: a proof at any speed) all reach 2, which
    needs the swap."""
    instance = blocking(SWAP_JOBS, "swap")
    assert brute_force_makespan(SWAP_JOBS, 2) == SWAP_OPTIMUM
    assert run_blocking_rule(instance, "spt").objective == SWAP_OPTIMUM
    result = schedkit.solve(instance, method="cpsat", time_limit=None, workers=1)
    assert result.status == "optimal" and checked(instance, result) == SWAP_OPTIMUM


def test_naive_rule_deadlocks_where_the_blocking_rule_does_not() -> None:
    """The classic SPT schedule's machine orders deadlock without buffers; blocking SPT and
    cpsat do not, and cpsat (no time limit) proves the brute-force optimum."""
    instance = blocking(DEADLOCK_JOBS, "deadlock")
    classic = run_rule(instance.replace(buffers="unlimited"), "spt")
    on = [sorted(((j, k) for j, job in enumerate(DEADLOCK_JOBS) for k, (m, _) in enumerate(job)
                  if m == machine), key=lambda op: classic.start[instance.job_ptr[op[0]] + op[1]])
          for machine in range(3)]
    assert blocking_makespan(DEADLOCK_JOBS, tuple(tuple(o) for o in on)) is None
    assert brute_force_makespan(DEADLOCK_JOBS, 3) == DEADLOCK_OPTIMUM
    for rule in ("spt", "mwkr", "mor", "lpt", "fifo", "random"):
        result = schedkit.solve(instance, method=rule)
        assert checked(instance, result) >= DEADLOCK_OPTIMUM
    result = schedkit.solve(instance, method="cpsat", time_limit=None, workers=1)
    assert result.status == "optimal" and checked(instance, result) == DEADLOCK_OPTIMUM


def test_cli_solve_blocking(tmp_path) -> None:
    """`schedkit solve --blocking` solves a classic file as blocking and prints leave times."""
    out = tmp_path / "r.json"
    run = CliRunner().invoke(main, ["solve", str(CLASSIC / "ft06"), "--blocking", "-m", "mwkr",
                                    "--json", str(out)])
    assert run.exit_code == 0, run.output
    record = json.loads(out.read_text())[0]
    assert "leave" in record["solution"]
    check = CliRunner().invoke(main, ["check", str(CLASSIC / "ft06"), str(out), "--blocking"])
    assert check.exit_code == 0, check.output


def test_ig_is_reproducible_for_a_seed_and_never_worse_than_its_start() -> None:
    """A fixed iteration count (many kernel calls, the random state handed back each time)
    gives the same checked schedule twice, no worse than the best rule it starts from."""
    instance = schedkit.load(CLASSIC / "la01", blocking=True)
    first = schedkit.solve(instance, "ig", seed=3, iterations=200, workers=1)
    second = schedkit.solve(instance, "ig", seed=3, iterations=200, workers=1)
    assert first.stats["iterations"] == 200
    assert checked(instance, first) == second.objective <= first.stats["warm_start"]
    assert first.solution == second.solution


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 2**20), st.sampled_from(["ig", "tabu"]))
def test_walk_methods_run_one_walk_per_worker(seed: int, method: str) -> None:
    """With two workers `ig` and `tabu` run walk 0 as one worker does (seed s) beside walk 1 (seed
    s + 1) from the same start, and return the better (ties to walk 0); under an iteration count
    the same plans at any speed."""
    instance = schedkit.load(CLASSIC / "la01", blocking=True)
    both = [schedkit.solve(instance, method, seed=seed, iterations=40, workers=2) for _ in range(2)]
    one = schedkit.solve(instance, method, seed=seed, iterations=40, workers=1)
    walks = both[0].stats["walk_objectives"]
    assert len(walks) == 2 and walks[0] == one.objective and both[1].stats["walk_objectives"] == walks
    best = 0 if walks[0] <= walks[1] else 1
    assert both[0].stats["best_walk"] == best and both[0].stats["workers"] == 2
    assert checked(instance, both[0]) == walks[best] and both[0].solution == both[1].solution
    assert both[0].stats["iterations"] == 80


def test_ig_refuses_a_classic_shop() -> None:
    """ig names where to go for a job shop with buffers."""
    from schedkit.errors import UnsupportedInstance

    with pytest.raises(UnsupportedInstance, match="blocking"):
        schedkit.solve(schedkit.load(CLASSIC / "ft06"), "ig", time_limit=1)


def test_generator_blocking_switch_and_warmup_variant():
    """`generate.jobshop(..., blocking=True)` has no buffers, and `schedkit warmup` builds that
    variant too (so the blocking kernels are in the cache after it)."""
    made = schedkit.generate.jobshop(3, 3, seed=2, blocking=True)
    assert made.blocking and not schedkit.generate.jobshop(3, 3, seed=2).blocking
    assert made.to_dict()["buffers"] == "blocking"
    assert any(x.blocking for x in generated_instances("jobshop"))
    result = schedkit.solve(made, "cpsat", time_limit=5, workers=1)
    assert schedkit.check(made, result).feasible


def test_ig_restarts_from_fresh_starts_and_keeps_the_best() -> None:
    """With no patience every chunk without a new best restarts the walk from the next start
    (other rules, then random runs); the best over all walks passes the checker, no worse."""
    instance = schedkit.load(CLASSIC / "la01", blocking=True)
    start = run_blocking_rule(instance, "fifo")
    starts = ig.Starts(instance, seed=0, skip="fifo")
    found, done = ig.improve(instance, start, time.perf_counter() + 1.0, 0, None, 0, 0.0, starts)
    assert starts.taken > 0 and done > 0 and found.objective <= start.objective
    assert checked(instance, Result("feasible", found.objective, None, found.solution(instance))) \
        == found.objective


@settings(max_examples=15, deadline=None)
@given(jobs=st.lists(st.permutations([0, 1, 2]).flatmap(
    lambda order: st.tuples(*(st.tuples(st.just(m), st.integers(1, 6)) for m in order))),
    min_size=2, max_size=3))
def test_order_literals_keep_the_brute_force_optimum(jobs) -> None:
    """The whole model with and without order literals, solved to the end, both give the
    brute-force blocking optimum; the hint of a rule's schedule (order literals included) is
    feasible as it stands."""
    jobs = [list(job) for job in jobs]
    instance = blocking(jobs, "orders")
    optimum = brute_force_makespan(jobs, 3)
    for orders in (False, True):
        bm = blocking_model.build(cp_model, instance, orders=orders)
        assert len(bm.orders) == (3 * len(jobs) * (len(jobs) - 1) // 2 if orders else 0)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        assert solver.solve(bm.model) == cp_model.OPTIMAL and solver.objective_value == optimum
    rule = run_blocking_rule(instance, "spt")
    blocking_model.hint(bm, instance, rule.start, rule.leave)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.fix_variables_to_their_hinted_value = True
    assert solver.solve(bm.model) == cp_model.OPTIMAL and solver.objective_value == rule.objective


def test_zero_durations_get_no_order_literals() -> None:
    """An empty interval may sit inside another on CP-SAT's no-overlap: only pairs of positive
    duration get literals (here the one pair on machine 1)."""
    instance = blocking([[(0, 0), (1, 2)], [(1, 3), (0, 1)]], "zero")
    assert blocking_model.orders_fit(instance, 100)
    assert len(blocking_model.build(cp_model, instance, orders=True).orders) == 1
    assert not blocking_model.orders_fit(blocking([[(0, 0), (1, 2)], [(1, 0), (0, 1)]], "zeros"), 100)
    assert blocking_model.orders_fit(blocking(SWAP_JOBS, "swap"), 2)
    assert not blocking_model.orders_fit(blocking(SWAP_JOBS, "swap"), 1)


@pytest.mark.parametrize(("jobs", "makespan"), [([[(0, 3)], [(0, 0), (1, 1)]], 3),
                                                ([[(0, 3), (1, 2)], [(0, 0), (1, 1), (0, 2)]], 5)])
def test_a_zero_duration_tie_reads_as_the_schedule(jobs, makespan) -> None:
    """SPT starts the zero-duration operation and job 0's on machine 0 at 0: read in start
    order by operation id, the orders cost 4 on the first shop and deadlock on the second."""
    instance = blocking(jobs, "tie")
    found = run_blocking_rule(instance, "spt")
    head = evaluate_orders(instance, *machine_orders(instance, found.start))
    assert found.objective == makespan and head is not None
    assert int((head + instance.alt_duration)[instance.job_ptr[1:] - 1].max()) == makespan


@settings(max_examples=20, deadline=None)
@given(jobs=st.lists(st.permutations([0, 1, 2]).flatmap(
    lambda order: st.tuples(*(st.tuples(st.just(m), st.integers(0, 4)) for m in order))),
    min_size=2, max_size=3), rule=st.sampled_from(["spt", "lpt", "fifo", "mwkr"]))
def test_zero_durations_keep_orders_and_optimum(jobs, rule) -> None:
    """With zero durations, a rule's schedule read as machine orders (equal starts by leave
    time) evaluates without a deadlock and no worse (orb07's walks deadlocked on start order);
    the whole model with the literals on positive pairs has the optimum of the one without."""
    jobs = [list(job) for job in jobs]
    instance = blocking(jobs, "zero")
    found = run_blocking_rule(instance, rule)
    head = evaluate_orders(instance, *machine_orders(instance, found.start))
    assert head is not None
    assert int((head + instance.alt_duration)[instance.job_ptr[1:] - 1].max()) <= found.objective
    values = []
    for orders in (False, True):
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        assert solver.solve(blocking_model.build(cp_model, instance, orders=orders).model) == cp_model.OPTIMAL
        values.append(solver.objective_value)
    assert values[0] == values[1]


def test_cpsat_proves_a_small_shop_in_the_early_whole_model() -> None:
    """With a limit (the early whole model with order literals runs only then) cpsat uses order
    literals on a 4 x 3 shop: checked plan, bound <= brute-force optimum, equal when proved."""
    jobs = [[(0, 3), (1, 2), (2, 2)], [(1, 4), (0, 1), (2, 3)], [(2, 2), (0, 4), (1, 1)],
            [(0, 2), (2, 1), (1, 3)]]
    instance = blocking(jobs, "four")
    optimum = brute_force_makespan(jobs, 3)
    result = schedkit.solve(instance, method="cpsat", time_limit=10, workers=1)
    assert result.stats["order_literals"] is True
    assert checked(instance, result) >= optimum
    assert result.bound is None or result.bound <= optimum
    if result.status == "optimal":  # what 10 s reach depends on the machine's load
        assert result.objective == optimum


def test_stall_grows_with_the_shop() -> None:
    """A walk's patience: half the base share up to 100 operations, three times from 600."""
    small = schedkit.load(CLASSIC / "la01", blocking=True)  # 50 operations
    big = schedkit.load(CLASSIC / "la31", blocking=True)  # 300 operations
    assert cpsat_blocking.stall_seconds(small, 60) == pytest.approx(0.5 * cpsat_blocking.IG_STALL * 60)
    assert cpsat_blocking.stall_seconds(big, 60) == pytest.approx(1.5 * cpsat_blocking.IG_STALL * 60)


def test_a_tiny_shop_is_proven_before_any_walk(monkeypatch: pytest.MonkeyPatch):
    """Up to QUICK_PROOF_OPERATIONS the whole model tries first (from the best rule): the
    deadlock fixture ends proven there, with a 60 s budget, without a walk (they took 6 s)."""
    def no_walks(*args, **kwargs):
        raise AssertionError("the walks ran")

    monkeypatch.setattr(cpsat_blocking, "_iterated_greedy", no_walks)
    x = blocking(DEADLOCK_JOBS, "deadlock")
    result = schedkit.solve(x, "cpsat", time_limit=60, workers=1)
    assert result.status == "optimal" and result.objective == DEADLOCK_OPTIMUM

"""Job shop methods never claim what is false: on tiny adversarial shops (zero-length
operations first, in the middle, last or everywhere; a machine visited twice in a row; one job,
one machine, one operation; release dates equal or near 10^12; due dates far in the past or
future; weights 0 and 10^6; durations up to the model's 10^9; flexible operations with equal
alternatives or one of length 0; blocking shops needing swaps) every `optimal` is the
brute-force optimum (tests/jobshop/brute.py), every bound is at most it, and every schedule
passes the checker."""

from __future__ import annotations

import threading
import tracemalloc

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

import schedkit
from schedkit import deadline
from schedkit.errors import InvalidInstance, ProblemTooLarge, UnsupportedInstance
from schedkit.jobshop.heuristics import blocking as blocking_rules
from schedkit.jobshop.heuristics import rules
from schedkit.jobshop.model import MAX_DURATION, MAX_TIME, MAX_WEIGHT, JobShopInstance
from schedkit.jobshop.solvers import cpsat as jobshop_cpsat
from schedkit.jobshop.solvers import cpsat_blocking_model, cpsat_model
from schedkit.jobshop.solvers import mip as jobshop_mip
from tests.jobshop.brute import optimum, optimum_of
from tests.verdicts import assert_claims, cli_solve_then_check

EXACT = [("cpsat", {}, 1), ("cpsat", {}, 2), ("mip", {}, 1), ("mip", {"solver": "cbc"}, 1)]
RULES = [m.name for m in schedkit.methods("jobshop")
         if m.kind == "heuristic" and m.name not in ("ig", "tabu")]
FAR = MAX_TIME  # the largest release date and |due date|


@st.composite
def shops(draw: st.DrawFn, big: bool = False, blocking: bool | None = None) -> JobShopInstance:
    """1-3 jobs of 1-3 operations on 1-3 machines, few enough for the brute force; durations
    0..5 (zeros often) or, with `big`, multiples of 10^8 up to 10^9; flexible alternatives
    (equal ones, zero ones) unless blocking; sometimes release dates, due dates, weights."""
    blocking = draw(st.booleans()) if blocking is None else blocking
    m = draw(st.integers(1, 3))
    n = draw(st.integers(1, 3))
    durations = st.sampled_from([0, 10**8, 5 * 10**8, MAX_DURATION - 1, MAX_DURATION]) if big \
        else st.sampled_from([0, 0, 1, 2, 3, 5])
    jobs = []
    for _ in range(n):
        job = []
        for _ in range(draw(st.integers(1, 3))):
            count = 1 if blocking else draw(st.sampled_from([1, 1, 2, 3]))
            machines = draw(st.permutations(range(m)))[:count]
            if count > 1 and draw(st.booleans()):
                same = draw(durations)
                job.append([(x, same) for x in machines])
            else:
                job.append([(x, draw(durations)) for x in machines])
        jobs.append(job)
    used = np.bincount([a[0] for job in jobs for op in job for a in op], minlength=m)
    assume(sum(len(op) for job in jobs for op in job) <= 8 and used.max() <= 4)
    fields: dict = {"buffers": "blocking" if blocking else "unlimited"}
    far = FAR - 5 * MAX_DURATION if big else FAR - 20
    if draw(st.booleans()):
        fields["release"] = draw(st.lists(st.sampled_from([0, 1, 4, far]), min_size=n, max_size=n))
    fields["objective"] = draw(st.sampled_from(["makespan", "weighted_tardiness", "flow_time"]))
    if fields["objective"] != "makespan" or draw(st.booleans()):
        fields["weight"] = draw(st.lists(st.sampled_from([0, 1, 3, MAX_WEIGHT]), min_size=n, max_size=n))
        fields["due"] = draw(st.lists(st.sampled_from([-FAR, -3, 0, 4, 10, FAR]), min_size=n, max_size=n))
    try:
        return JobShopInstance.from_jobs(jobs, m, name="adversarial", **fields)
    except InvalidInstance:  # the objective could pass 2^62: the model refuses it
        fields["weight"] = [min(w, 1) for w in fields["weight"]]
        return JobShopInstance.from_jobs(jobs, m, name="adversarial", **fields)


def solve_or_skip(instance: JobShopInstance, method: str, **options: object) -> schedkit.Result | None:
    """The method's result, None when it refuses the instance (mip: blocking; ig, tabu:
    classic shops or objectives other than the makespan)."""
    try:
        return schedkit.solve(instance, method, seed=0, **options)  # type: ignore[arg-type]
    except UnsupportedInstance:
        return None


def test_brute_force_agrees_with_the_fixtures():
    """Guards the brute force: the matrix fixture's 11 (12 blocking), the swap shop's 2."""
    jobs = [[(0, 3), (1, 2), (2, 2)], [(0, 2), (2, 1), (1, 4)], [(1, 4), (2, 3), (0, 1)]]
    assert optimum(jobs, 3) == 11
    assert optimum(jobs, 3, blocking=True) == 12
    assert optimum([[(0, 1), (1, 1)], [(1, 1), (0, 1)]], 2, blocking=True) == 2
    # a zero-length middle operation on the machine the other job holds: no wait for it (job 0
    # ends at 3, not 6; flow time 3 + 5)
    assert optimum([[(0, 2), (1, 0), (0, 1)], [(1, 5)]], 2, objective="flow_time", blocking=True) == 8


@pytest.mark.parametrize(("method", "options", "workers"), EXACT, ids=str)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(instance=shops())
def test_exact_methods_hold_to_the_brute_force(method, options, workers, instance):
    """Without a time limit: a checked schedule, a bound at most the optimum, `optimal` only at
    it; cpsat always proves (the mip's bound loses 10^-6 of large objectives to rounding)."""
    result = solve_or_skip(instance, method, workers=workers, **options)
    if result is not None:
        assert_claims(instance, result, optimum_of(instance))
        assert method != "cpsat" or result.status == "optimal"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(instance=shops(big=True), workers=st.sampled_from([1, 2]))
def test_extreme_magnitudes_keep_every_claim(instance, workers):
    """Durations up to 10^9, release dates near 10^12, due dates ±10^12, weights 10^6
    (objectives up to the model's 2^62): every exact method answers with true claims."""
    best = optimum_of(instance)
    for method, options, _ in EXACT:
        result = solve_or_skip(instance, method, workers=workers, **options)
        if result is not None:
            assert_claims(instance, result, best)
    result = solve_or_skip(instance, "cpsat", workers=workers)
    assert result is not None and result.status == "optimal"


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(instance=shops(), limit=st.sampled_from([0.05, 0.3]), workers=st.sampled_from([1, 2]),
       options=st.sampled_from([{}, {"lns": False}, {"tabu": False}, {"ig_share": 0.0},
                                {"ig_share": 1.0}]),
       method=st.sampled_from(["cpsat", "auto", "mip"]))
def test_time_limited_claims_hold(instance, limit, workers, options, method):
    """Whatever a short run reaches at this machine's speed, including cpsat's phases switched
    off or given the whole budget, what it claims is true."""
    options = options if method == "cpsat" else {}
    result = solve_or_skip(instance, method, time_limit=limit, workers=workers, **options)
    if result is not None:
        assert_claims(instance, result, optimum_of(instance))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(instance=shops(), pinned=st.lists(st.integers(0, 7), min_size=1, max_size=2, unique=True),
       limit=st.sampled_from([None, 0.3]), hint=st.booleans())
def test_pinned_and_hinted_cpsat_claims_hold(instance, pinned, limit, hint):
    """Operations pinned at 0 (maybe impossible there) and a hint: the schedule keeps them at 0,
    and what is claimed holds for the instance itself (its optimum may lie below the pinned one)."""
    pinned = [o for o in pinned if o < instance.operations]
    options: dict = {"pinned": pinned}
    if hint:
        options["hint"] = schedkit.solve(instance, "spt", workers=1)
    result = solve_or_skip(instance, "cpsat", time_limit=limit, workers=1, **options)
    assert result is not None
    assert_claims(instance, result, optimum_of(instance))
    if result.solution is not None:
        flat = [s for job in result.solution.start for s in job]
        assert all(flat[o] == 0 for o in pinned)


@pytest.mark.parametrize("method", [*RULES, "ig", "tabu"])
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(instance=shops())
def test_heuristic_schedules_check(method, instance):
    """Every rule (active and non-delay), ig and tabu: a checked schedule, never a false claim."""
    result = solve_or_skip(instance, method, time_limit=0.2, workers=1)
    if result is not None:
        assert result.solution is not None
        assert_claims(instance, result, optimum_of(instance))


@pytest.mark.parametrize("jobs", [
    [[(0, 0)]],
    [[(0, 0), (1, 0)], [(1, 0), (0, 0)]],
    [[(0, 0), (1, 3), (0, 0), (1, 2), (0, 0)], [(1, 0), (0, 4), (1, 0)]],
    [[(0, 2), (0, 3), (1, 1)], [(0, 1), (1, 2)]],
    [[(0, 1), (1, 0), (2, 1)], [(2, 1), (1, 0), (0, 1)]],
], ids=["one-zero", "all-zero", "zeros-everywhere", "same-machine-twice", "zero-swap"])
@pytest.mark.parametrize("buffers", ["unlimited", "blocking"])
def test_degenerate_shops_are_proven(jobs, buffers):
    """Hand-made degenerate shops: cpsat and the mip (with buffers) prove the brute-force optimum."""
    instance = JobShopInstance.from_jobs(jobs, buffers=buffers)
    best = optimum_of(instance)
    for method in ("cpsat", "mip") if buffers == "unlimited" else ("cpsat",):
        result = schedkit.solve(instance, method, workers=1)
        assert_claims(instance, result, best)
        assert result.status == "optimal"


def test_cli_solve_then_check_agree(tmp_path):
    """The CLI path: `solve --json` then `check` on a blocking shop with release dates near 10^12,
    a zero-length last operation and a weighted tardiness near 2·10^18."""
    instance = JobShopInstance.from_jobs(
        [[(0, 0), (1, MAX_DURATION), (0, 0)], [(1, MAX_DURATION), (0, MAX_DURATION - 1)]],
        release=[FAR, 0], due=[-FAR, 5], weight=[MAX_WEIGHT, 0], objective="weighted_tardiness",
        buffers="blocking")
    record = cli_solve_then_check(instance, tmp_path)
    assert record["status"] == "optimal"
    assert record["objective"] == optimum_of(instance)


@settings(max_examples=60, deadline=None)
@given(instance=shops(blocking=False))
def test_mip_counts_its_pairs_without_listing_them(instance):
    """`pair_count` is the number of pairs the model gets (`_pairs`), flexible shops and jobs
    revisiting a machine included."""
    assert jobshop_mip.pair_count(instance) == len(jobshop_mip._pairs(instance))


def test_mip_refuses_a_crowded_machine_cheaply():
    """Regression: the mip listed every pair of operations sharing a machine before it compared
    their number with MAX_PAIRS: 6,000 one-operation jobs on one machine (18 million pairs) took
    8 s and 2.7 GB to be refused (20,000 jobs: about 30 GB), time limit or not. Now the pairs
    are counted first."""
    instance = JobShopInstance.from_jobs([[(0, 1)]] * 6000)
    tracemalloc.start()
    try:
        with pytest.raises(ProblemTooLarge, match="17997000 machine pairs"):
            schedkit.solve(instance, "mip", time_limit=1, workers=1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100 * 2**20


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_mip_reads_back_job_order_at_equal_starts(solver):
    """Regression: at release 10^12 − 20 CBC starts all three operations of the job
    [zero, one unit, zero] at once (within its tolerance), and the read-back put the zero-length
    last operation first at equal starts: it started before the one-unit operation ended, an
    infeasible schedule whose makespan (10^12 − 20) was below the optimum. Equal starts now keep
    job order."""
    instance = JobShopInstance.from_jobs([[(0, 0), (0, 1), (0, 0)]], release=[FAR - 20])
    result = schedkit.solve(instance, "mip", solver=solver, workers=1)
    assert_claims(instance, result, FAR - 19)
    assert result.objective == FAR - 19


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_mip_bound_is_not_taken_from_an_ill_conditioned_model(solver):
    """Regression: on this flexible shop (durations up to 10^9, big-M 7.3·10^9) HiGHS proved
    its MIP start, a flow time of 6,624,353,829, optimal: the result was `feasible` only because
    the bound, 6,624,347,205, had lost 10^-6 of itself to rounding, and that bound was 10^9 above
    the optimum cpsat proves. Beyond TRUSTED_BIG_M the solver's bound is no longer reported."""
    jobs = [[[(1, 10**9), (0, 0)], [(2, 999999999)], [(0, 0), (1, 333333333)]],
            [[(2, 10**9), (0, 503759748)], [(2, 275216106)], [(2, 1), (1, 1)]],
            [[(2, 965942523)], [(2, 10**9)]],
            [[(1, 525247206), (2, 35993032)], [(2, 999999999)], [(1, 0)]]]
    instance = JobShopInstance.from_jobs(jobs, 3, objective="flow_time", weight=[0, 1, 1, 1])
    proof = schedkit.solve(instance, "cpsat", workers=1)
    assert proof.status == "optimal" and proof.objective == 5_624_353_829
    result = schedkit.solve(instance, "mip", solver=solver, workers=1)
    assert_claims(instance, result, proof.objective)
    assert result.bound is None


class _Clock:
    """A stand-in for the time module whose perf_counter moves only when a rule runs."""

    def __init__(self) -> None:
        self.now = 0.0

    def perf_counter(self) -> float:
        return self.now


@pytest.mark.parametrize("buffers", ["unlimited", "blocking"])
def test_best_rule_starts_no_run_that_would_end_past_the_deadline(monkeypatch, buffers):
    """Regression: the rules' loop (the warm start of cpsat and mip, the whole of `auto` beyond
    100,000 operations) looked at the clock only after each run, so it overran its deadline by
    up to one run: 1 s (1.8 s blocking) at 100,100 operations, and `auto` with a 10 s limit
    answered `unknown` at the hard deadline, its schedules dropped. Now it stops once the next
    run, as long as the longest so far, would end past the deadline. Here each run takes one
    second of a stand-in clock and the deadline is at 2.5: two runs, not three."""
    instance = JobShopInstance.from_jobs([[(0, 2), (1, 3)], [(1, 2), (0, 1)]], buffers=buffers)
    module, name = (blocking_rules, "run_blocking_rule") if instance.blocking else (rules, "run_rule")
    clock, real, runs = _Clock(), getattr(module, name), []

    def one_second(*args, **kwargs):
        runs.append(args[1])
        clock.now += 1.0
        return real(*args, **kwargs)

    monkeypatch.setattr(rules, "time", clock)  # rules.best_of keeps the clock for both loops
    monkeypatch.setattr(module, name, one_second)
    best = (blocking_rules.best_blocking_rule if instance.blocking else rules.best_rule)(instance, 2.5)
    assert len(runs) == 2 and clock.now <= 2.5
    assert best.rule in runs


def test_cpsat_offers_its_warm_start_before_building_the_model(monkeypatch):
    """Regression: cpsat offered its first schedule only once the model was built; at 100,000
    operations the build outlasts a 10 s limit, and the guard returned the plain round-robin
    schedule (61,608) instead of the best rule cpsat already had (53,846). Here the build is
    held past the deadline: the guard returns the warm start, checked."""
    schedkit.solve(JobShopInstance.from_jobs([[(0, 1)]]), "spt")  # the rules' kernel loaded
    monkeypatch.setenv(deadline.ENVIRONMENT, "1")
    monkeypatch.setattr(deadline, "_cut_only", True)  # passes at the held stage
    release = threading.Event()
    real = jobshop_cpsat.jobshop_model.build

    def held(*args, **kwargs):
        deadline.cut_short()
        release.wait()
        return real(*args, **kwargs)

    monkeypatch.setattr(jobshop_cpsat.jobshop_model, "build", held)
    instance = JobShopInstance.from_jobs([[(0, 3), (1, 2)], [(1, 4), (0, 1)], [(0, 2), (1, 2)]])
    try:
        result = schedkit.solve(instance, "cpsat", time_limit=0.5, workers=1)
    finally:
        release.set()
        deadline.wait_for_abandoned()
    assert result.stats["hard_deadline"] is True and result.status == "feasible"
    assert result.stats["offered"] == "the warm start, before the model"
    assert_claims(instance, result, optimum_of(instance))


@pytest.mark.parametrize("buffers", ["unlimited", "blocking"])
def test_flow_time_objective_has_no_constant(buffers):
    """Σ w·(C − r) at releases of 10^12 once went to CP-SAT as Σ w·C − 10^18: its gap test, in
    doubles, could not tell 2,000,002 from the optimum 2,000,000 (CI: `optimal` at 2,000,002).
    Flow variables keep the objective's values, and its constant, small."""
    x = JobShopInstance(machines=2, job_ptr=np.array([0, 1, 4, 5]), op_ptr=np.arange(6),
                        alt_machine=np.array([0, 0, 1, 0, 1]), alt_duration=np.array([0, 0, 0, 0, 2]),
                        release=np.array([0, 10**12 - 20, 10**12 - 20]), weight=np.array([0, 1, 10**6]),
                        objective="flow_time", name="adversarial", buffers=buffers)
    build = cpsat_blocking_model.build if buffers == "blocking" else cpsat_model.build
    objective = build(cp_model, x).model.Proto().objective
    assert objective.offset == 0 and objective.integer_before_offset == 0
    result = schedkit.solve(x, "cpsat", workers=1)
    assert result.status == "optimal" and result.objective == optimum_of(x) == 2_000_000

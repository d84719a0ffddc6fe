"""The plain-Python warm starts the exact methods use while the kernels compile: every schedule
passes the checker, and a cold-cache run answers with a schedule instead of `unknown`."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.jobshop import auto as jobshop_auto
from schedkit.jobshop.heuristics import blocking_walks, plain
from schedkit.jobshop.heuristics import methods as rule_methods
from schedkit.jobshop.heuristics.methods import schedule_result
from schedkit.jobshop.solvers import cpsat_blocking
from schedkit.result import Result
from tests.jobshop.conftest import classic
from tests.jobshop.strategies import jobshops


@settings(max_examples=80, deadline=None)
@given(jobshops(max_jobs=5, max_machines=4, max_ops=4))
def test_round_robin_passes_the_checker(x: schedkit.JobShopInstance) -> None:
    """Classic and flexible shops, with release dates and any objective: a feasible schedule
    whose stated objective is the checker's."""
    schedule = plain.round_robin(x)
    result = schedule_result(x, schedule)
    verdict = schedkit.check(x, result)
    assert verdict.feasible, verdict.violations
    assert result.objective == schedule.objective
    assert (schedule.start[x.job_ptr[:-1]] >= x.release_or_zero()).all()


@settings(max_examples=80, deadline=None)
@given(jobshops(max_jobs=5, max_machines=4, max_ops=4, flexible=False, extras=False))
def test_job_after_job_is_a_blocking_schedule(x: schedkit.JobShopInstance) -> None:
    """On a blocking shop the appended jobs never hold a machine another one needs: the
    checker accepts the schedule with its leave times, and the makespan it states."""
    x = replace(x, buffers="blocking")
    schedule = plain.job_after_job_blocking(x)
    result = Result("feasible", schedule.objective, None, schedule.solution(x), {})
    verdict = schedkit.check(x, result)
    assert verdict.feasible, verdict.violations
    assert schedule.objective <= int(x.alt_duration.sum())  # never worse than one job at a time


def test_cpsat_without_the_rule_kernel_starts_from_round_robin(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the dispatching kernel cannot compile in the budget (`warm_start` gives None),
    `cpsat` starts from the plain schedule and says so; the answer is a checked schedule."""
    monkeypatch.setattr(plain, "warm_start", lambda *args: None)
    x = classic("la16")
    result = schedkit.solve(x, method="cpsat", time_limit=5, workers=1)
    assert result.solution is not None and schedkit.check(x, result).feasible
    assert result.stats["warm_start_rule"] == plain.PLAIN_RULE and result.stats["compiling"] is True
    assert result.objective <= result.stats["warm_start"]
    assert result.bound is None or result.bound <= result.objective


def test_blocking_cpsat_without_the_simulation_starts_from_job_after_job(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The blocking path's twin: no kernel affordable, so the plain blocking start, then CP-SAT."""
    monkeypatch.setattr(cpsat_blocking.compiled, "affordable", lambda *args: False)
    x = replace(classic("la16"), buffers="blocking")
    result = schedkit.solve(x, method="cpsat", time_limit=5, workers=1)
    assert result.solution is not None and schedkit.check(x, result).feasible
    assert result.stats["warm_start_rule"] == plain.PLAIN_BLOCKING_RULE
    assert result.objective <= result.stats["warm_start"]


@pytest.mark.parametrize("buffers", ["unlimited", "blocking"])
def test_auto_beyond_the_model_size_without_kernels_answers_plainly(monkeypatch: pytest.MonkeyPatch,
                                                                   buffers: str) -> None:
    """A shop too large for CP-SAT (the size lowered to 10 operations) whose rule kernel cannot
    compile in the limit: `auto` answers with the plain schedule, checked, not a compile."""
    monkeypatch.setattr(jobshop_auto, "CPSAT_MAX_OPERATIONS", 10)
    monkeypatch.setattr(jobshop_auto.compiled, "affordable", lambda *args: False)
    x = replace(classic("ft06"), buffers=buffers)
    result = schedkit.solve(x, method="auto", time_limit=1, workers=1)
    rule = plain.PLAIN_BLOCKING_RULE if buffers == "blocking" else plain.PLAIN_RULE
    assert result.stats["chosen"] == f"rules ({rule})"
    assert schedkit.check(x, result).feasible


@pytest.mark.parametrize("method", ["ig", "tabu"])
def test_walks_without_their_kernels_answer_plainly_and_compile_in_the_background(
        monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    """A limit too short to compile: the job-after-job schedule (checked), said in stats, and
    the kernels handed to a background compilation (they refused with an error before)."""
    started: list[str] = []
    monkeypatch.setattr(blocking_walks.compiled, "affordable", lambda *args: False)
    monkeypatch.setattr(blocking_walks, "compile_later", lambda key, warm: started.append(key))
    x = replace(classic("la01"), buffers="blocking")
    result = schedkit.solve(x, method=method, time_limit=1, workers=1)
    assert result.status == "feasible" and schedkit.check(x, result).feasible
    assert result.objective == plain.job_after_job_blocking(x).objective
    assert result.stats["compiling"] and result.stats["note"] == plain.PLAIN_NOTE
    assert started == [f"jobshop.{method}"]


@settings(max_examples=40, deadline=None)
@given(jobshops(max_jobs=5, max_machines=4, max_ops=4, extras=False), st.sampled_from(
    ["spt", "mwkr", "mor-nd", "edd", "random", "random-nd"]), st.booleans())
def test_rules_on_a_cold_cache_give_the_compiled_schedule_through_the_twin(
        x: schedkit.JobShopInstance, rule: str, blocking: bool) -> None:
    """A rule whose kernel cannot compile in the limit runs its Python twin: the same schedule
    as the kernel's (checked), said in stats; the kernel is handed to a background compilation."""
    if blocking and x.flexible:
        return
    x = replace(x, buffers="blocking") if blocking else x
    compiled_run = schedkit.solve(x, method=rule, seed=3)
    started: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rule_methods.compiled, "affordable", lambda *args: False)
        patch.setattr(rule_methods, "compile_later", lambda key, warm: started.append(key))
        twin_run = schedkit.solve(x, method=rule, time_limit=5, seed=3)
    assert schedkit.check(x, twin_run).feasible
    assert twin_run.objective == compiled_run.objective
    assert twin_run.solution.to_dict() == compiled_run.solution.to_dict()
    assert twin_run.stats["compiling"] and started

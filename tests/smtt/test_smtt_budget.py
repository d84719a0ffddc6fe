"""Time limits as promises (issue 16): what holds at any machine speed. Building a model or
compiling kernels that outlast the budget ends in a checked plan with a valid bound (or a
ProblemTooLarge up front), never in an overrun we could only catch by timing."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings

import schedkit
from schedkit.errors import ProblemTooLarge
from schedkit.registry import SolveOptions
from schedkit.result import Result
from schedkit.smtt.bounds import lower_bound
from schedkit.smtt.compiling import TINY_WEIGHTED, within_budget
from schedkit.smtt.heuristics import rules
from schedkit.smtt.heuristics.kernels import weighted_tardiness
from schedkit.smtt.model import SMTTSolution
from schedkit.smtt.sorting import sorting_rules
from tests.smtt.strategies import smtt_instances


def _valid(instance, result):
    report = schedkit.check(instance, result)
    assert report.feasible and report.objective == result.objective
    assert result.bound is None or 0 <= result.bound <= result.objective


def test_compilation_outlasting_the_budget_returns_the_best_sorting_rule():
    """A method whose warm-up takes a second, called with 0.2 s: the best numpy sorting rule
    (EDD, SPT, WSPT) comes back (feasible, with the cheap lower bound, `compiling` set); a later
    call without a limit waits and runs."""
    calls = []

    def slow(instance, options):
        if instance is TINY_WEIGHTED:
            time.sleep(1.0)  # stands for a cold numba compilation
        calls.append(instance.name)
        return Result("optimal", 0, 0, SMTTSolution(range(instance.n)), {})

    method = within_budget(exact=True)(slow)
    instance = schedkit.generate.smtt(30, 0.6, 0.2, seed=1, weighted=True)
    first = method(instance, SolveOptions(time_limit=0.2))
    assert first.stats["compiling"] and first.status == "feasible" and first.bound == lower_bound(instance)
    _valid(instance, first)
    assert first.objective == min(weighted_tardiness(order, instance.p, instance.d, instance.w)
                                  for order in sorting_rules(instance))
    assert instance.name not in calls
    second = method(instance, SolveOptions())
    assert second.stats["compile_seconds"] >= 0 and calls[-1] == instance.name


@pytest.mark.parametrize("weighted", [False, True])
def test_mip_on_500_jobs_keeps_a_valid_answer(weighted):
    """n = 500 at 1 s: the PuLP model cannot be built in time; the warm start comes back."""
    instance = schedkit.generate.smtt(500, 0.6, 0.2, seed=4, weighted=weighted)
    result = schedkit.solve(instance, "mip", time_limit=1, workers=1)
    _valid(instance, result)


def test_cpsat_on_500_jobs_refuses_or_answers():
    """n = 500: ProblemTooLarge (too many three-cycles) or, when counting them outlasts the
    budget, the warm start; never a late answer without a plan."""
    instance = schedkit.generate.smtt(500, 0.6, 0.2, seed=4)
    try:
        result = schedkit.solve(instance, "cpsat", time_limit=1, workers=1)
    except ProblemTooLarge:
        return
    _valid(instance, result)


def test_weighted_100_cpsat_short_budget():
    """Weighted n = 100 at 1 s: a checked plan, bound at most the objective."""
    instance = schedkit.generate.smtt(100, 0.6, 0.2, seed=2, weighted=True)
    result = schedkit.solve(instance, "cpsat", time_limit=1, workers=1)
    _valid(instance, result)


@given(smtt_instances())
@settings(max_examples=60, deadline=None)
def test_the_numpy_rules_are_the_compiled_ones(instance):
    """EDD, SPT and WSPT by numpy sorts give the compiled rules' orders (ties included)."""
    edd, spt, wspt = sorting_rules(instance)
    p, d, w = instance.p, instance.d, instance.w
    assert edd.tolist() == rules.edd(p, d, w).tolist()
    assert spt.tolist() == rules.spt(p, d, w).tolist()
    assert wspt.tolist() == rules.wspt(p, d, w).tolist()


def test_bnb_refuses_a_weighted_instance_before_loading_its_kernels(monkeypatch: pytest.MonkeyPatch):
    """At load 5 a fresh process spent the whole limit loading bnb's kernels and then answered
    a weighted instance with a sorting rule: the refusal now comes first."""
    from schedkit.errors import UnsupportedInstance
    from schedkit.smtt import compiling

    def loading(*args: object, **kwargs: object) -> float:
        raise AssertionError("bnb loaded its kernels for an instance it refuses")

    monkeypatch.setattr(compiling, "compile_within", loading)
    weighted = schedkit.generate.smtt(8, 0.6, 0.6, seed=1, weighted=True)
    assert len(set(weighted.w.tolist())) > 1
    with pytest.raises(UnsupportedInstance, match="different weights"):
        schedkit.solve(weighted, "bnb", time_limit=1)

"""Dispatching rules: feasible everywhere, reproducible, and the rule switch really switches."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

import schedkit
from schedkit.jobshop.heuristics.rules import rule_names
from schedkit.jobshop.model import JobShopInstance
from tests.jobshop.conftest import CLASSIC, FJSP, REFERENCES, checked, classic
from tests.jobshop.strategies import jobshops

RULES = rule_names()
ALL_FILES = sorted(CLASSIC.iterdir()) + sorted(FJSP.iterdir())


def test_the_method_names_are_the_contract():
    """spt, lpt, mwkr, lwkr, mor, lor, fifo, edd, random, each also with -nd, plus cpsat, mip, auto,
    ig, tabu."""
    names = {m.name for m in schedkit.methods("jobshop")}
    base = ["spt", "lpt", "mwkr", "lwkr", "mor", "lor", "fifo", "edd", "random"]
    assert names == set(base) | {f"{b}-nd" for b in base} | {"cpsat", "mip", "auto", "ig", "tabu"}


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_every_rule_is_feasible_on_every_bundled_instance(path):
    """All 18 rules on all 243 bundled files: the checker accepts the schedule, and no
    makespan beats the best known lower bound."""
    x = schedkit.load(path)
    lower = float(REFERENCES[x.name]["lower_bound"])
    for rule in RULES:
        assert checked(x, schedkit.solve(x, rule)) >= lower


def test_ft06_values_pin_the_rules():
    """Known values on ft06 (55 optimal): each rule gives its own schedule, none below 55;
    the active and non-delay variants differ somewhere."""
    x = classic("ft06")
    values = {rule: schedkit.solve(x, rule).objective for rule in RULES}
    assert min(values.values()) >= 55
    assert len(set(values.values())) >= 5
    assert any(values[r] != values[f"{r}-nd"] for r in RULES if not r.endswith("-nd"))


def test_random_is_reproducible_per_seed():
    """The same seed gives the same schedule; some other seed gives another one."""
    x = classic("la16")
    a = schedkit.solve(x, "random", seed=3)
    assert schedkit.solve(x, "random", seed=3).solution == a.solution
    assert any(schedkit.solve(x, "random", seed=s).solution != a.solution for s in range(4, 10))


def test_edd_follows_due_dates():
    """Two jobs on one machine, both ready at 0: EDD runs the earlier due date first, SPT the shorter."""
    x = JobShopInstance.from_jobs([[(0, 5)], [(0, 2)]], due=[3, 10])
    assert schedkit.solve(x, "edd").solution.start == ((0,), (5,))
    assert schedkit.solve(x, "spt").solution.start == ((2,), (0,))


def test_flexible_rule_takes_the_earliest_completing_machine():
    """One operation, M0 takes 9, M1 takes 4: the rule puts it on M1."""
    x = JobShopInstance.from_jobs([[[(0, 9), (1, 4)]]])
    assert schedkit.solve(x, "spt").solution.machine == ((1,),)


def test_nondelay_never_leaves_a_machine_idle_with_work_waiting():
    """Job 0 (M0 for 1, then M1 for 9) and job 1 (M1 for 2): non-delay starts job 1 on M1 at
    0; the active LPT schedule may wait for job 0's long operation first."""
    x = JobShopInstance.from_jobs([[(0, 1), (1, 9)], [(1, 2)]])
    assert schedkit.solve(x, "lpt-nd").solution.start[1] == (0,)
    assert schedkit.solve(x, "lpt").solution.start[1] == (10,)


@settings(max_examples=60, deadline=None)
@given(x=jobshops(max_jobs=5, max_machines=4, max_ops=4))
def test_rules_are_feasible_on_random_instances(x):
    """Random (flexible) instances with release dates, due dates and every objective: every rule
    gives a checker-approved schedule whose objective matches the claim."""
    for rule in RULES:
        checked(x, schedkit.solve(x, rule, seed=1))


def test_time_limit_is_accepted():
    """Rules take a time limit like every method (they finish well within it)."""
    assert schedkit.solve(classic("ft10"), "mwkr", time_limit=5).objective >= 930

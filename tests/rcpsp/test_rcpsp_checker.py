"""The RCPSP checker: precedences, resource profile at every time, recomputed makespan."""

from __future__ import annotations

import schedkit
from tests.rcpsp.conftest import tiny


def test_optimal_schedule_is_feasible():
    """1 at 0..3, 3 beside it at 0..2, 2 at 3..5, sink at 5: feasible with makespan 5."""
    report = schedkit.check(tiny(), {"start": [0, 0, 3, 0, 5]})
    assert report.feasible and report.objective == 5


def test_overload_is_found():
    """1 and 2 both at 0 use 4 > 3 of resource 0: the checker names the resource and time."""
    report = schedkit.check(tiny(), {"start": [0, 0, 0, 3, 5]})
    assert not report.feasible
    assert "resource 0 is used 4 > capacity 3 at time 0" in report.violations


def test_back_to_back_is_not_an_overlap():
    """An activity ending at t and another starting at t do not share time t."""
    overlap = schedkit.check(tiny(), {"start": [0, 1, 0, 0, 5]})  # 1 starts while 2 runs
    assert "resource 0 is used 5 > capacity 3 at time 1" in overlap.violations
    assert schedkit.check(tiny(), {"start": [0, 2, 0, 0, 5]}).feasible  # 1 starts as 2 ends


def test_precedence_violation():
    """The sink starting at 4 while activity 1 ends at 5: named as a precedence violation."""
    report = schedkit.check(tiny(), {"start": [0, 2, 0, 0, 4]})
    assert "activity 4 starts at 4 before its predecessor 1 ends at 5" in report.violations


def test_makespan_claim_and_malformed_solutions():
    """A wrong claimed makespan, a short list, a fraction and a negative start are violations."""
    assert not schedkit.check(tiny(), {"start": [0, 0, 3, 0, 5]}, objective=4).feasible
    assert "5 activities" in schedkit.check(tiny(), {"start": [0, 0]}).violations[0]
    assert "not an integer" in schedkit.check(tiny(), {"start": [0, 0, 3.5, 0, 5]}).violations[0]
    assert "negative" in schedkit.check(tiny(), {"start": [-1, 0, 3, 0, 5]}).violations[0]
    assert not schedkit.check(tiny(), {"begin": []}).feasible

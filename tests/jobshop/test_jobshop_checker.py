"""The job shop checker: every rule it enforces, and the objective it recomputes."""

from __future__ import annotations

import pytest

import schedkit
from schedkit.jobshop.model import JobShopInstance

# Job 0: M0 for 3 then M1 for 2; job 1: M1 for 4 then M0 for 1.
X = JobShopInstance.from_jobs([[(0, 3), (1, 2)], [(1, 4), (0, 1)]], name="x")
GOOD = {"start": [[0, 4], [0, 4]], "machine": [[0, 1], [1, 0]]}


def test_a_feasible_schedule_and_its_makespan():
    """Hand-made schedule: job 0 ends at 6, job 1 at 5: makespan 6."""
    report = schedkit.check(X, GOOD)
    assert report.feasible and report.objective == 6


@pytest.mark.parametrize(("solution", "message"), [
    ({"start": [[0, 2], [0, 4]], "machine": [[0, 1], [1, 0]]}, "job 0, operation 1 starts at 2, before"),
    ({"start": [[0, 3], [0, 4]], "machine": [[0, 1], [1, 0]]}, "machine 1: job 1 operation 0 [0, 4)"),
    ({"start": [[0, 4], [0, 4]], "machine": [[0, 0], [1, 0]]}, "machine 0 is not eligible ([1])"),
    ({"start": [[-1, 4], [0, 4]], "machine": [[0, 1], [1, 0]]}, "negative time"),
    ({"start": [[0, 4]], "machine": [[0, 1], [1, 0]]}, '"start" must list 2 jobs'),
    ({"start": [[0, 4], [0]], "machine": [[0, 1], [1, 0]]}, '"start"[1] must list the 2 operations'),
    ({"start": [[0, 4.5], [0, 4]], "machine": [[0, 1], [1, 0]]}, "must hold integers"),
    ({"sequence": [0, 1]}, 'needs "start" and "machine"'),
])
def test_each_violation_is_named(solution, message):
    """Order within a job, overlap, eligibility, negative starts, shapes: each reported."""
    report = schedkit.check(X, solution)
    assert not report.feasible
    assert any(message in v for v in report.violations), report.violations


def test_release_dates_and_a_wrong_claim():
    """A start before the release date is a violation; so is a claimed objective that differs."""
    late = X.replace(release=[1, 0])
    assert "before the release date 1" in schedkit.check(late, GOOD).violations[0]
    assert not schedkit.check(X, GOOD, objective=5).feasible


def test_zero_length_operations_overlap_nothing():
    """A zero-duration operation inside another's run on the same machine is fine."""
    x = JobShopInstance.from_jobs([[(0, 5)], [(0, 0)]])
    assert schedkit.check(x, {"start": [[0], [2]], "machine": [[0], [0]]}).feasible


def test_objectives_are_recomputed():
    """Completions 6 and 5: Σ w·T with d = (4, 5), w = (2, 1) is 4; flow time with r = 0 is 11."""
    tardy = X.replace(due=[4, 5], weight=[2, 1], objective="weighted_tardiness")
    assert schedkit.check(tardy, GOOD).objective == 4
    assert schedkit.check(X.replace(objective="flow_time"), GOOD).objective == 11


def test_flexible_duration_follows_the_chosen_machine():
    """The chosen alternative's duration counts: on M1 the operation takes 7, not 2."""
    x = JobShopInstance.from_jobs([[[(0, 2), (1, 7)]]])
    assert schedkit.check(x, {"start": [[0]], "machine": [[1]]}).objective == 7
    assert schedkit.check(x, {"start": [[0]], "machine": [[0]]}).objective == 2

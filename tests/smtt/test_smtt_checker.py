"""The checker catches a repeated job, a missing job, an unknown job and a wrong objective."""

from __future__ import annotations

import schedkit
from schedkit import SMTTInstance, SMTTSolution

INSTANCE = SMTTInstance(p=[2, 3, 1], d=[2, 3, 6], w=[1, 2, 1])


def test_feasible_sequence_and_objective_by_hand():
    """Order 0,1,2: C = 2, 5, 6; tardiness 0, 2, 0; weighted 2·2 = 4."""
    report = schedkit.check(INSTANCE, SMTTSolution([0, 1, 2]))
    assert report.feasible and report.objective == 4 and report.violations == []


def test_repeated_job():
    """A job twice is reported with both positions."""
    report = schedkit.check(INSTANCE, {"sequence": [0, 1, 1]})
    assert not report.feasible
    assert any("job 1 appears twice" in v for v in report.violations)
    assert any("missing" in v and "2" in v for v in report.violations)


def test_missing_and_unknown_jobs():
    """A short sequence misses jobs; an index beyond n does not exist."""
    assert any("missing" in v for v in schedkit.check(INSTANCE, {"sequence": [0, 1]}).violations)
    report = schedkit.check(INSTANCE, {"sequence": [0, 1, 7]})
    assert any("job 7 does not exist" in v for v in report.violations)
    report = schedkit.check(INSTANCE, {"sequence": [0, 1, "2"]})
    assert any("not a job index" in v for v in report.violations)


def test_wrong_objective():
    """A result claiming an objective the sequence does not give fails the check."""
    claimed = schedkit.Result(status="feasible", objective=3, solution=SMTTSolution([0, 1, 2]))
    report = schedkit.check(INSTANCE, claimed)
    assert not report.feasible
    assert report.objective == 4
    assert "claimed objective 3" in report.violations[0]
    assert not schedkit.check(INSTANCE, {"solution": {"sequence": [0, 1, 2]}, "objective": 5})


def test_no_solution():
    """A result without a solution is not feasible."""
    assert not schedkit.check(INSTANCE, schedkit.Result(status="unknown"))

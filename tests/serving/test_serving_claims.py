"""Serving has no exact method: every policy's answer is `feasible` with no bound (nothing is
claimed that a proof would have to back), and a simulator that breaks its own token or memory
accounting is reported as a bug (exit 3), not as bad input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
import schedkit.serving.heuristics.simulate as simulate
from schedkit.errors import SchedkitError
from tests.serving.conftest import single_turn

METHODS = [m.name for m in schedkit.methods("serving")]
jobs = st.lists(st.tuples(st.integers(0, 4), st.integers(1, 3), st.integers(1, 3)), min_size=1, max_size=3)


@settings(max_examples=10, deadline=None)
@given(jobs)
def test_no_policy_claims_an_optimum_or_a_bound(trace):
    """On 1-3 single-turn programs, every policy (srpt too, optimal there in theory) answers
    `feasible`, bound None, and the checker recomputes its mean JCT."""
    x = single_turn([(float(r), p, o) for r, p, o in trace])
    for method in METHODS:
        result = schedkit.solve(x, method, time_limit=None, workers=1)
        assert result.status == "feasible" and result.bound is None
        report = schedkit.check(x, result)
        assert report.feasible, report.violations[:3]
        assert report.objective == pytest.approx(result.objective)


def test_broken_accounting_is_a_bug_not_bad_input():
    """serve() raised SchedkitError (the CLI's bad-input class, exit 2) on its own conservation
    failure; now a RuntimeError (exit 3)."""
    x = single_turn([(0.0, 2, 2)])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(simulate, "conservation_errors", lambda instance, solution: ["forced"])
        with pytest.raises(RuntimeError, match="simulator bug, forced") as raised:
            schedkit.solve(x, "fcfs", time_limit=None, workers=1)
    assert not isinstance(raised.value, SchedkitError)

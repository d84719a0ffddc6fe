"""Every registered serving method on a tiny fixture with a known optimum, through the checker."""

from __future__ import annotations

import pytest

import schedkit
from tests.serving.conftest import single_turn

# A (0, 2+2), B (1, 0+1), C (2, 1+1) on the degenerate server: the optimal (SRPT) schedule
# runs A, B, C, A with flows 7, 1, 2, mean 10/3 (derived by hand, test_srpt_hand_example).
OPTIMUM = 10 / 3


@pytest.fixture(scope="module")
def tiny():
    return single_turn([(0, 2, 2), (1, 0, 1), (2, 1, 1)])


@pytest.fixture(scope="module")
def swe():
    return schedkit.generate.serving(12, "swe", load=0.9, seed=3)


@pytest.mark.parametrize("method", [m.name for m in schedkit.methods("serving")])
def test_method_is_checked_and_never_beats_the_optimum(method, tiny, swe):
    """Checker-verified log, objective >= the optimum (srpt equals it), status feasible, no bound;
    on a small SWE-like trace the log passes the checker too."""
    result = schedkit.solve(tiny, method)
    report = schedkit.check(tiny, result)
    assert report.feasible, report.violations
    assert result.status == "feasible" and result.bound is None
    assert result.objective >= OPTIMUM - 1e-12
    if method == "srpt":
        assert result.objective == OPTIMUM
    result = schedkit.solve(swe, method)
    assert schedkit.check(swe, result).feasible, schedkit.check(swe, result).violations

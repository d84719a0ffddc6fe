"""smtt `mip` proves optima on large weights: Σ w·T is a multiple of the weights' gcd, so the
bound (less HiGHS's 10^-6 relative slack) is rounded up to one."""

from __future__ import annotations

import pytest

import schedkit
from schedkit.smtt.model import SMTTInstance


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_weights_of_a_million_are_proven(solver):
    """Weights at the limit, 10^6 and 5·10^5: the proof came back `feasible`, a few units short."""
    instance = SMTTInstance(p=[3, 5, 2, 4], d=[4, 6, 3, 5], w=[1_000_000, 500_000, 1_000_000, 500_000])
    optimum = schedkit.solve(instance, "dp").objective
    result = schedkit.solve(instance, "mip", solver=solver)
    assert result.status == "optimal" and result.objective == result.bound == optimum
    assert schedkit.check(instance, result).feasible

"""Every registered RCPSP method on the hand-made project `tiny` (optimum 5, derived in
conftest.tiny: activities 1 and 2 cannot overlap, 3 + 2 = 5 with activity 3 beside either)."""

from __future__ import annotations

import pytest

import schedkit
from tests.rcpsp.conftest import tiny

TINY_OPTIMUM = 5
METHODS = [info.name for info in schedkit.methods("rcpsp")]


@pytest.mark.parametrize("method", METHODS)
def test_every_method_on_tiny(method):
    """Checked schedule, bound <= objective, and an exact method claiming optimal has 5."""
    instance = tiny()
    result = schedkit.solve(instance, method, time_limit=1, workers=1)
    report = schedkit.check(instance, result)
    assert report.feasible, report.violations
    assert report.objective == result.objective >= TINY_OPTIMUM
    assert result.bound is None or result.bound <= result.objective
    assert result.bound is None or result.bound <= TINY_OPTIMUM
    if result.status == "optimal":
        assert result.objective == TINY_OPTIMUM

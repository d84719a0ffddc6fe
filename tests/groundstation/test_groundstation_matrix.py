"""Every registered groundstation method on the all-features fixture, through the checker."""

from __future__ import annotations

import pytest

import schedkit
from tests.groundstation.cases import mixed

MIXED_OPTIMUM = 10800  # cpsat and mip both prove it (test_groundstation_methods)


@pytest.mark.parametrize("method", [m.name for m in schedkit.methods("groundstation")])
def test_every_method_gives_a_checked_plan(method):
    """A feasible plan whose claimed objective the checker recomputes; exact ones reach the optimum."""
    x = mixed()
    result = schedkit.solve(x, method, time_limit=1, workers=1, seed=1)
    report = schedkit.check(x, result)
    assert report.feasible, report.violations
    assert result.objective >= MIXED_OPTIMUM
    assert result.bound is None or result.bound <= MIXED_OPTIMUM
    if result.status == "optimal":
        assert result.objective == MIXED_OPTIMUM
    for key in ("tracked_hours", "requests_satisfied", "u_rms", "u_max"):
        assert key in result.stats

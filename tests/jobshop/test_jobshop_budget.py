"""Time-limit discipline (issue 16) asserted by what holds at any speed, never by wall time."""

from __future__ import annotations

import pytest

import schedkit
from schedkit.errors import ProblemTooLarge
from tests.jobshop.conftest import classic


def test_mip_refuses_up_front_a_model_it_cannot_build_in_the_budget() -> None:
    """ta71 has 99,000 machine pairs: far more than half of 3 s of PuLP building."""
    with pytest.raises(ProblemTooLarge, match="machine pairs"):
        schedkit.solve(classic("ta71"), method="mip", time_limit=3, workers=1)


def test_auto_and_cpsat_report_compile_seconds() -> None:
    """The kernels' load or compile time is reported inside the budget's stats."""
    result = schedkit.solve(classic("ft06"), method="cpsat", time_limit=2, workers=1)
    assert result.stats["compile_seconds"] >= 0
    assert result.stats["warm_start"] >= result.objective

"""The CP-SAT window LNS inside cpsat: its plans check, are never worse than the warm start,
and with the whole search budget it still returns a proven-or-not plan with a valid bound."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from tests.groundstation.cases import mixed


def test_window_lns_keeps_the_optimum_of_the_mixed_fixture():
    """window_share=1: the windows alone reach the mixed optimum (10800 s unserved)."""
    result = schedkit.solve(mixed(), "cpsat", time_limit=4, workers=1, window_share=1.0)
    assert schedkit.check(mixed(), result).feasible
    assert result.stats["solver_status"] == "not run"
    assert result.stats["window_lns"]["rounds"] >= 1
    assert result.objective == 10800 and result.bound <= 10800


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 10_000), satellites=st.integers(2, 5))
def test_window_lns_plans_check_and_never_lose_to_the_warm_start(seed, satellites):
    """Generated networks: the plan checks and is at most the warm start's unserved seconds."""
    x = schedkit.generate.groundstation(satellites, seed, stations=2, requests=2, hours=6)
    result = schedkit.solve(x, "cpsat", time_limit=2, workers=1, window_share=0.7)
    assert schedkit.check(x, result).feasible
    assert result.objective <= result.stats["warm_start"]
    assert result.bound is None or result.bound <= result.objective

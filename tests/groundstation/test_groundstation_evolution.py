"""`ga` and `ffeea`: one population, and `generations` for a run without a clock."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.groundstation.heuristics.evolution import EvolutionSetting, evolution_walk
from tests.groundstation.cases import generated_networks, mixed


def _setting(fuzzy: bool, generations: int) -> EvolutionSetting:
    return EvolutionSetting("hours", fuzzy, 30, 4, (0.5, 0.95), 0.95, generations)


@settings(max_examples=4, deadline=None)
@given(generated_networks(), st.integers(0, 3), st.booleans())
def test_one_population_whatever_the_workers(x, seed, fuzzy):
    """With `generations` and no time limit a population has no clock: `workers=2` gives the
    plan of the one population `seed` evolves (a second one did not pay), checked."""
    alone = evolution_walk(x, _setting(fuzzy, 3), seed, math.inf)
    both = schedkit.solve(x, "ffeea" if fuzzy else "ga", generations=3, seed=seed, workers=2)
    assert schedkit.check(x, both).feasible
    assert both.solution == alone.solution and both.stats["workers"] == 1 and "walks" not in both.stats
    assert both.objective == x.requested - sum(alone.tracked)
    assert both.stats["iterations"] == 3 or both.status == "optimal"  # at the proven floor: it stops


@pytest.mark.parametrize("method", ["ga", "ffeea"])
def test_generations_give_the_same_plan_twice(method):
    """A generation count without a time limit: the same plan for a seed, on any machine."""
    runs = [schedkit.solve(mixed(), method, generations=2, seed=4, workers=1) for _ in range(2)]
    assert runs[0].solution == runs[1].solution and runs[0].stats["iterations"] == 2
    assert schedkit.check(mixed(), runs[0]).feasible


def test_a_negative_generation_count_is_refused():
    with pytest.raises(schedkit.SchedkitError, match="generations must be None or a whole number"):
        schedkit.solve(mixed(), "ga", generations=-1)

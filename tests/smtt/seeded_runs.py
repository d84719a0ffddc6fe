"""Shared loop of the `bdp` stage tests: run `improve` on seeded weighted instances and check
the ones where a given stat fired against the `dp` optimum."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

import schedkit
from schedkit.registry import SolveOptions
from schedkit.smtt.solvers.bdp.method import improve
from tests.conftest import agrees_with
from tests.smtt.strategies import seeded_weighted


def check_where_fired(rng: np.random.Generator, sizes: tuple[int, int], p_max: int,
                      start: Callable[[schedkit.SMTTInstance], np.ndarray], stat: str,
                      tries: int, wanted: int = 6) -> None:
    """Of up to `tries` seeded instances, the first `wanted` whose `improve` run has `stat` > 0
    must end at the `dp` optimum, proven; fewer than `wanted` such runs fails."""
    checked = 0
    for _ in range(tries):
        instance = seeded_weighted(rng, sizes, p_max)
        result = improve(instance, start(instance), SolveOptions())
        if result.stats.get(stat, 0) == 0:
            continue
        agrees_with(instance, result, schedkit.solve(instance, "dp").objective, proven=True)
        checked += 1
        if checked == wanted:
            return
    assert checked == wanted

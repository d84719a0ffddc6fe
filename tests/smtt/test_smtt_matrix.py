"""Every registered SMTT method on tiny fixtures with known optima, through the checker."""

from __future__ import annotations

import itertools

import pytest

import schedkit
from schedkit.errors import UnsupportedInstance
from schedkit.smtt.model import SMTTInstance

# Six jobs, weights 1..4: the optimum 43 was found by enumerating all 720 orders (below).
WEIGHTED = SMTTInstance(p=[4, 7, 2, 6, 3, 5], d=[5, 9, 4, 12, 6, 10], w=[3, 1, 4, 2, 2, 1],
                        name="matrix-weighted")
# The same jobs with equal weights: optimum 34, also by enumeration.
UNWEIGHTED = SMTTInstance(p=[4, 7, 2, 6, 3, 5], d=[5, 9, 4, 12, 6, 10], name="matrix-unweighted")
OPTIMA = {"matrix-weighted": 43, "matrix-unweighted": 34}


def _enumerate(instance: SMTTInstance) -> int:
    """The optimum over all permutations, in plain Python."""
    best = None
    for order in itertools.permutations(range(instance.n)):
        time = total = 0
        for j in order:
            time += int(instance.p[j])
            total += int(instance.w[j]) * max(0, time - int(instance.d[j]))
        best = total if best is None else min(best, total)
    assert best is not None
    return best


def test_fixture_optima_are_right():
    """The hand-written optima are what enumeration finds."""
    for instance in (WEIGHTED, UNWEIGHTED):
        assert _enumerate(instance) == OPTIMA[instance.name]


@pytest.mark.parametrize("instance", [WEIGHTED, UNWEIGHTED], ids=lambda x: x.name)
@pytest.mark.parametrize("method", [m.name for m in schedkit.methods("smtt")])
def test_every_method(method, instance):
    """Checked solution, bound <= objective, and an `optimal` claim equals the optimum."""
    info = next(m for m in schedkit.methods("smtt") if m.name == method)
    optimum = OPTIMA[instance.name]
    try:
        result = schedkit.solve(instance, method, workers=1)  # no limit: compiles in full
    except UnsupportedInstance:
        assert method == "bnb" and instance is WEIGHTED  # bnb solves equal weights only
        return
    report = schedkit.check(instance, result)
    assert report.feasible, report.violations
    assert report.objective == result.objective
    assert result.objective >= optimum
    if result.bound is not None:
        assert result.bound <= result.objective and result.bound <= optimum
    if result.status == "optimal":
        assert result.objective == optimum
    if info.kind == "exact" and not result.stats.get("compiling"):  # auto has a default limit
        assert result.status == "optimal", f"{method} did not prove a six-job optimum"

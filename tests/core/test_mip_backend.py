"""The batched HiGHS loader gives the model PuLP's own loader gives."""

from __future__ import annotations

import pulp
import pytest

from schedkit.common.mip import new_variable, run
from schedkit.registry import SolveOptions


def _knapsack_like() -> tuple[pulp.LpProblem, dict[str, pulp.LpVariable]]:
    """A maximisation with integer, binary and free continuous columns, and rows of every
    sense (≤, ≥, =), one with a zero coefficient."""
    problem = pulp.LpProblem("k", pulp.LpMaximize)
    x = new_variable(pulp, problem, "x", lowBound=0, upBound=7, cat=pulp.LpInteger)
    y = new_variable(pulp, problem, "y", cat=pulp.LpBinary)
    z = new_variable(pulp, problem, "z", lowBound=None, upBound=3.5)
    w = new_variable(pulp, problem, "w", lowBound=0)
    problem += 3 * x + 5 * y + 2 * z - w + 4
    problem += 2 * x + 3 * y + z <= 12.5, "cap"
    problem += x - z >= -1, "link"
    problem += w + 0 * x == 0.5, "fix"
    return problem, {"x": x, "y": y, "z": z, "w": w}


def test_batched_loader_matches_pulps_own_loader():
    """Same optimum, same point, same bound (constant included) as pulp.HiGHS."""
    reference, ref_vars = _knapsack_like()
    reference.solve(pulp.HiGHS(msg=False))
    ours, our_vars = _knapsack_like()
    bound, stats = run(pulp, ours, SolveOptions(time_limit=None, workers=1), "highs")
    assert stats["solver_optimal"]
    assert pulp.value(ours.objective) == pytest.approx(pulp.value(reference.objective))
    for name, var in our_vars.items():
        assert var.varValue == pytest.approx(ref_vars[name].varValue), name
    assert our_vars["x"].varValue == pytest.approx(round(our_vars["x"].varValue))
    # a maximisation's dual bound is an upper bound; here the optimum is proven
    assert bound == pytest.approx(pulp.value(ours.objective))

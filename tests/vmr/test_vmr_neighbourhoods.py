"""`auto`'s MIP-guided LNS (issue 23): neighbourhood node masks, and `auto` on a cluster large
enough to take the neighbourhood path; every plan through the checker."""

from __future__ import annotations

import numpy as np
import pytest

import schedkit
from schedkit.vmr.auto import RESTRICT_ABOVE_NODES, neighbourhood_nodes
from schedkit.vmr.heuristics.arrays import build_arrays
from schedkit.vmr.heuristics.methods import greedy_plan
from schedkit.vmr.solvers.mip import plan_nodes


@pytest.mark.parametrize("extra", [0, 5, 10_000])
def test_neighbourhood_holds_the_plan_and_extra_nodes_at_a_residue(extra):
    """The mask keeps every node the plan touches (so the plan is the MIP start) and adds
    `extra` other nodes (all there are when fewer), each at a non-zero residue."""
    x = schedkit.generate.vmr(30, 0.95, seed=4, migration_limit=6)
    a = build_arrays(x)
    plan = greedy_plan(a, float("inf"))
    touched = plan_nodes(a, plan)
    mask = neighbourhood_nodes(a, plan, extra, np.random.default_rng(0))
    assert np.all(mask[touched])
    added = mask & ~touched
    candidates = ((a.free_cpu0 % a.fragment) != 0) & ~touched
    assert np.all(candidates[added])
    assert int(added.sum()) == min(extra, int(candidates.sum()))


def test_auto_takes_the_neighbourhood_path_on_a_large_cluster():
    """Above RESTRICT_ABOVE_NODES nodes `auto` (two workers) solves neighbourhood MIPs beside
    LNS: the plan passes the checker, is no worse than greedy, and its bound is below it."""
    x = schedkit.generate.vmr(110, 0.95, seed=7, migration_limit=20)
    assert build_arrays(x).nodes > RESTRICT_ABOVE_NODES
    result = schedkit.solve(x, "auto", time_limit=4, workers=2)
    report = schedkit.check(x, result)
    assert report.feasible, report.violations
    assert report.objective == result.objective <= schedkit.solve(x, "greedy").objective
    assert result.bound is not None and result.bound <= result.objective
    if result.stats.get("proved_by") != "migration bound":
        assert result.stats["chosen"] == "mip+restricted+lns"
        assert "neighbourhoods" in result.stats

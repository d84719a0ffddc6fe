"""`bdp` stage 1 as one pass over 1-D tables (`relax_free`, issue 22): the same relaxed optimum
as the 2-D forward DP without the adjacency restriction, a path of that value, and a bound
that never passes the `dp` optimum."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.smtt.solvers.bdp import ssdp
from schedkit.smtt.solvers.bdp import ssdp_kernels as k
from schedkit.smtt.solvers.bdp.search import Search
from schedkit.smtt.solvers.dominance import precedences
from tests.smtt.strategies import smtt_instances


@settings(max_examples=20, deadline=None)
@given(smtt_instances(max_jobs=10), st.integers(0, 2**32 - 1))
def test_relax_free_matches_the_2d_forward(instance, seed):
    """For random multipliers: equal values, counts summing to a path through 0..T, and the
    path's own arc costs add up to the value."""
    p, d, w = instance.p, instance.d, instance.w
    search = Search(p, d, w, precedences(p, d, w), 10**9, 64, float("inf"), 2**30)
    mult = np.random.default_rng(seed).integers(0, 64 * int(w.sum()) * int(p.sum()) + 1, p.size)
    expected = ssdp._relaxed(search, mult, False)
    horizon = search.costs.shape[0] - 1
    f1 = np.empty(horizon + 1, dtype=np.int64)
    last = np.empty(horizon + 1, dtype=np.int64)
    counts = np.zeros(p.size, dtype=np.int64)
    value = int(k.relax_free(p, search.costs, search.ok, mult, 64, f1, last, counts))
    assert (value if value >= k.INF else value + int(mult.sum())) == expected
    if value < k.INF:
        path = k.free_path(p, last)
        assert int(p[path].sum()) == horizon
        assert np.array_equal(np.bincount(path, minlength=p.size), counts)
        t = np.cumsum(p[path])
        assert int(sum(64 * search.costs[t[r], path[r]] - mult[path[r]]
                       for r in range(path.size))) == value


@settings(max_examples=15, deadline=None)
@given(smtt_instances(max_jobs=10))
def test_stage1_bound_never_passes_the_optimum(instance):
    """Stage 1 alone, run to its stall test, proves at most the `dp` optimum."""
    p, d, w = instance.p, instance.d, instance.w
    optimum = schedkit.solve(instance, "dp").objective
    search = Search(p, d, w, precedences(p, d, w), optimum + 1, 64, float("inf"), 2**30)
    ssdp.subgradient(search, False, 10 * p.size)
    assert search.bound <= optimum


@settings(max_examples=15, deadline=None)
@given(smtt_instances(max_jobs=10))
def test_stage1_elimination_keeps_the_optimum(instance):
    """With stage-1 arc elimination on (STAGE1_ELIMINATE, off by default), the stage-1 bound
    stays at most the `dp` optimum and `bdp` still proves that optimum."""
    p, d, w = instance.p, instance.d, instance.w
    optimum = schedkit.solve(instance, "dp").objective
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ssdp, "STAGE1_ELIMINATE", True)
        search = Search(p, d, w, precedences(p, d, w), optimum + 1, 64, float("inf"), 2**30)
        ssdp.subgradient(search, False, 10 * p.size)
        assert search.bound <= optimum
        result = schedkit.solve(instance, "bdp")
    assert result.status == "optimal" and result.objective == optimum

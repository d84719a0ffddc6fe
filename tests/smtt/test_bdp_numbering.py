"""`bdp` numbers the jobs of its stages by a linear extension of the precedences (EDD among
free jobs), so adjacency ties follow it: the order is right and `dp`'s optimum stays proven."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.registry import SolveOptions
from schedkit.smtt.solvers.bdp import method
from schedkit.smtt.solvers.bdp import search as bdp_search
from schedkit.smtt.solvers.bdp.numbering import stage_order
from schedkit.smtt.solvers.dominance import precedences
from tests.conftest import agrees_with
from tests.smtt.strategies import smtt_instances


@settings(max_examples=40, deadline=None)
@given(smtt_instances(max_jobs=12, weighted=True))
def test_order_extends_the_precedences(instance):
    """A permutation; each job after its known predecessors; among the jobs free at a step,
    the earliest due date is taken."""
    before = precedences(instance.p, instance.d, instance.w)
    order = stage_order(instance.d, before)
    assert sorted(order.tolist()) == list(range(instance.n))
    position = np.empty(instance.n, dtype=np.int64)
    position[order] = np.arange(instance.n)
    i, j = np.nonzero(before)
    assert np.all(position[i] < position[j])
    for k, job in enumerate(order):
        rest = order[k:]
        free = [r for r in rest if not before[rest, r].any()]
        assert instance.d[job] == min(instance.d[r] for r in free)


@settings(max_examples=25, deadline=None)
@given(smtt_instances(max_jobs=12, weighted=True), st.booleans())
def test_either_numbering_matches_dp(instance, renumber):
    """With and without the numbering (and without repaired paths, so that stages 2 and 3
    do the work): the `dp` optimum, proven."""
    saved = method.RENUMBER, bdp_search.REPAIR_SHARE
    method.RENUMBER, bdp_search.REPAIR_SHARE = renumber, 0.0
    try:
        start = np.arange(instance.n)
        result = method.improve(instance, start, SolveOptions())
    finally:
        method.RENUMBER, bdp_search.REPAIR_SHARE = saved
    agrees_with(instance, result, schedkit.solve(instance, "dp").objective, proven=True)


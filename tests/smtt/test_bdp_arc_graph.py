"""`bdp` stage 2 over the arc graph (issue 22): the same relaxed optimum, least path and arc
eliminations as the passes over the whole table, and `bdp` with the graph built as soon as
possible still ends at the `dp` optimum."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.smtt.solvers.bdp import arc_graph, ssdp
from schedkit.smtt.solvers.bdp import ssdp_kernels as k
from schedkit.smtt.solvers.bdp.arc_graph import ArcGraph
from schedkit.smtt.solvers.bdp.search import Search
from schedkit.smtt.solvers.dominance import precedences
from tests.conftest import agrees_with
from tests.smtt.strategies import smtt_instances


@settings(max_examples=25, deadline=None)
@given(smtt_instances(max_jobs=12, weighted=True), st.integers(0, 2**32 - 1))
def test_graph_passes_match_the_table(instance, seed):
    """For random multipliers and upper bounds: equal values and paths, then the same arcs
    deleted, and equal values again over what is left."""
    p, d, w = instance.p, instance.d, instance.w
    rng = np.random.default_rng(seed)
    upper = int(rng.integers(1, int(w.sum()) * int(p.sum()) + 2))
    search = Search(p, d, w, precedences(p, d, w), upper, 64, float("inf"), 2**30)
    graph = ArcGraph.build(p, search.costs, search.before, search.ok.copy(), 2**30, share=1.0)
    assert graph is not None
    for _ in range(2):
        search.mult = rng.integers(0, 64 * int(w.max()) * int(p.sum()) + 1, p.size)
        expected = ssdp._relaxed(search, search.mult, True)
        assert graph.relax(search.mult, 64) == expected
        if expected < k.INF:
            assert np.array_equal(graph.path(), ssdp._path_of(search, True))
        removed = ssdp.stage2_eliminate_table(search)
        assert graph.eliminate(search.mult, 64, search.limit) == removed
        assert np.array_equal(graph.ok, search.ok)


def test_bdp_with_the_graph_from_the_start(monkeypatch):
    """Graph built at the first elimination whatever its size: `dp` optima on seeded
    20-job instances, proven, through the checker."""
    monkeypatch.setattr(arc_graph, "CELL_SHARE", 1.0)
    rng = np.random.default_rng(5)
    built = 0
    for _ in range(4):
        p = rng.integers(1, 15, 20)
        instance = schedkit.SMTTInstance(p=p, d=rng.integers(0, int(0.6 * p.sum()), 20),
                                         w=rng.integers(1, 10, 20))
        result = schedkit.solve(instance, "bdp", workers=1)
        agrees_with(instance, result, schedkit.solve(instance, "dp").objective, proven=True)
        built += "graph_arcs" in result.stats
    assert built >= 2

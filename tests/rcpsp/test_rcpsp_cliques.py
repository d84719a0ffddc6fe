"""The redundant no_overlap cliques of `cpsat` (off by default, cpsat.CLIQUES): sound (no
schedule overlaps two members) and harmless (the optimum is the same with and without them)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from hypothesis import given, settings

import schedkit
from schedkit.rcpsp.model import RCPSPInstance
from schedkit.rcpsp.solvers import cpsat
from schedkit.rcpsp.solvers.cpsat_cliques import MIN_CLIQUE, conflicts, no_overlap_cliques
from tests.rcpsp.conftest import agrees_with, optimum, psplib
from tests.rcpsp.strategies import projects


@contextmanager
def cliques_on(on: bool) -> Iterator[None]:
    """cpsat with (or without) the cliques, the default restored afterwards."""
    default = cpsat.CLIQUES
    cpsat.CLIQUES = on
    try:
        yield
    finally:
        cpsat.CLIQUES = default


def _cliques(instance: RCPSPInstance) -> list[list[int]]:
    dist = cpsat._distances(instance)
    return no_overlap_cliques(instance.demands, instance.capacities, instance.durations, dist)


def test_hand_made_clique_mixes_a_precedence_and_two_resources():
    """1 clashes with 2 on resource 0, 2 with 3 on resource 1, and 1 precedes 3: {1, 2, 3} is
    a clique no single cumulative sees (0 and 4: dummies)."""
    x = RCPSPInstance(durations=[0, 2, 3, 2, 0], successors=[[1, 2], [3], [4], [4], []],
                      capacities=[2, 2], demands=[[0, 0], [2, 0], [1, 1], [0, 2], [0, 0]],
                      name="mixed")
    assert _cliques(x) == [[1, 2, 3]]
    with cliques_on(True):
        result = schedkit.solve(x, "cpsat", time_limit=None, workers=1)  # a proof at any speed
    assert (result.status, result.objective) == ("optimal", 7)
    agrees_with(x, result, 7)


def test_psplib_cliques_are_pairwise_conflicting_and_counted():
    """On a scarce-resource j60 instance every clique has >= 3 members, all pairs conflict,
    and cpsat reports how many it added."""
    x = psplib("j6025_9")
    dist = cpsat._distances(x)
    conflict = conflicts(x.demands, x.capacities, x.durations, dist)
    cliques = _cliques(x)
    assert cliques
    for members in cliques:
        index = np.array(members)
        block = conflict[np.ix_(index, index)]
        assert len(members) >= MIN_CLIQUE
        assert block.sum() == len(members) * (len(members) - 1)


@settings(max_examples=12, deadline=None)
@given(projects(max_activities=8, max_resources=2))
def test_cliques_sound_and_optimum_unchanged(project):
    """No clique member overlaps another in an optimal schedule found without cliques, and
    cpsat proves the same optimum with them (no time limit: proofs at any speed)."""
    with cliques_on(False):
        plain = schedkit.solve(project, "cpsat", time_limit=None, workers=1)
    start = np.asarray(plain.solution.start)
    end = start + project.durations
    for members in _cliques(project):
        for a in members:
            for b in members:
                if a < b:
                    assert end[a] <= start[b] or end[b] <= start[a]
    with cliques_on(True):
        strong = schedkit.solve(project, "cpsat", time_limit=None, workers=1)
    assert plain.status == strong.status == "optimal"
    assert strong.objective == plain.objective
    assert schedkit.check(project, strong).feasible


def test_cpsat_with_cliques_proves_j30_optimum():
    """A j30 instance of the scarce-resource class: cliques added, published optimum proven."""
    x = psplib("j3025_7")
    with cliques_on(True):
        result = schedkit.solve(x, "cpsat", time_limit=None, workers=1)  # a proof at any speed
    assert "cliques" in result.stats
    agrees_with(x, result, optimum("j3025_7"))
    assert result.status == "optimal"

"""Heuristics that run a walk per worker cap the walks at MAX_WALKS: `workers=10_000` (valid for
CP-SAT) starts no thousands of threads or child interpreters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import schedkit
from schedkit.common.walks import MAX_WALKS, walk_count
from schedkit.groundstation.heuristics.lns import spawned_walks
from tests.jobshop.conftest import CLASSIC
from tests.rcpsp.conftest import psplib


@given(st.integers(1, schedkit.api.MAX_WORKERS))
def test_walk_count_is_one_per_worker_up_to_the_cap(workers):
    assert walk_count(workers) == min(workers, MAX_WALKS)
    assert spawned_walks(workers, 60.0) == walk_count(workers) - 1
    assert spawned_walks(workers, 1.0) == 0


def test_the_largest_worker_count_runs_capped_walks():
    """ig and the RCPSP ga under a count, with the top of the workers range: MAX_WALKS walks, checked."""
    shop = schedkit.load(CLASSIC / "la01", blocking=True)
    ig = schedkit.solve(shop, "ig", workers=schedkit.api.MAX_WORKERS, iterations=2)
    assert ig.stats["workers"] == MAX_WALKS == len(ig.stats["walk_objectives"])
    assert schedkit.check(shop, ig).feasible
    project = psplib("j301_1")
    ga = schedkit.solve(project, "ga", workers=schedkit.api.MAX_WORKERS, generations=1)
    assert ga.stats["workers"] == MAX_WALKS == len(ga.stats["walk_spans"])
    assert schedkit.check(project, ga).feasible

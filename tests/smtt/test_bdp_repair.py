"""`bdp` upper bounds from relaxed paths (issue 22): a path with repeated and missing jobs is
repaired into a permutation whose value is its true weighted tardiness; a run that improves
its upper bound this way still ends at the `dp` optimum."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.smtt.heuristics.kernels import weighted_tardiness
from schedkit.smtt.solvers.bdp.repair import insert_missing, repair
from tests.smtt.seeded_runs import check_where_fired
from tests.smtt.strategies import smtt_instances


@settings(max_examples=30, deadline=None)
@given(smtt_instances(max_jobs=10, weighted=True), st.data())
def test_repair_gives_a_permutation(instance: schedkit.SMTTInstance, data: st.DataObject) -> None:
    """Any path over the jobs (repeats, gaps, empty) becomes a permutation; the value returned
    is its weighted tardiness and no worse than the kept-and-inserted sequence."""
    n = instance.n
    path = np.array(data.draw(st.lists(st.integers(0, n - 1), max_size=2 * n)), dtype=np.int64)
    p, d, w = instance.p, instance.d, instance.w
    inserted = insert_missing(path, p, d, w)
    assert sorted(inserted.tolist()) == list(range(n))
    sequence, value = repair(path, p, d, w, np.zeros(1, dtype=np.uint8))
    assert sorted(sequence.tolist()) == list(range(n))
    assert value == weighted_tardiness(sequence, p, d, w)
    assert value <= weighted_tardiness(inserted, p, d, w)


def test_repaired_upper_bounds_stay_exact():
    """Seeded 10-14-job instances from poor (reversed EDD) starting sequences, kept when a
    repaired relaxed path beat the start: the `dp` optimum, proven."""
    check_where_fired(np.random.default_rng(11), (10, 15), 40,
                      lambda instance: np.argsort(-instance.d, kind="stable"),
                      "repair_improvements", tries=200)

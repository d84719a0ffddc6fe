"""The dynasearch step prices its compound move exactly: after applying the chosen moves the
sequence's objective equals the value the DP returned (with dense and with walked pricing)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from schedkit.smtt.heuristics import local as smtt_local
from schedkit.smtt.heuristics.kernels import weighted_tardiness
from tests.smtt.strategies import smtt_instances


@settings(max_examples=80, deadline=None)
@given(instance=smtt_instances(max_jobs=14), dense=st.booleans(), seed=st.integers(0, 10**6))
def test_pass_value_equals_the_objective_after_its_moves(instance, dense, seed):
    """DP value == recomputed Σ wT after _apply_moves, from a random starting sequence."""
    p, d, w = instance.p, instance.d, instance.w
    n = instance.n
    sequence = np.random.default_rng(seed).permutation(n).astype(np.int64)
    before = weighted_tardiness(sequence, p, d, w)
    work = np.zeros((6, n + 1), dtype=np.int64)
    forward = np.zeros((n, n), dtype=np.int64)
    tables = np.zeros((4, n + 1), dtype=np.int64)
    reach = int(p.max() - p.min() + 1)
    gains = np.zeros((2, n + 1, reach if dense else 1), dtype=np.int64)
    value = smtt_local._dynasearch_pass(sequence, p, d, w, work, forward, tables, gains)
    assert value <= before
    smtt_local._apply_moves(sequence, work[2], work[3])
    assert sorted(sequence.tolist()) == list(range(n))
    assert weighted_tardiness(sequence, p, d, w) == value

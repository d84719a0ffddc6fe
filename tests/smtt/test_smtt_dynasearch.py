"""The dynasearch step prices its compound move exactly: after applying the chosen moves the
sequence's objective equals the value the DP returned (with dense and with walked pricing)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.errors import InvalidOption
from schedkit.smtt.heuristics import local as smtt_local
from schedkit.smtt.heuristics.kernels import weighted_tardiness
from tests.smtt.strategies import smtt_instances

WT40 = Path(__file__).resolve().parents[2] / "instances" / "smtt" / "wt40.txt"


def _pass(instance, sequence, dense, width):
    """One dynasearch pass on `sequence` (in place) with moves up to `width`: (value, move, start)."""
    p, d, w = instance.p, instance.d, instance.w
    n = instance.n
    work = np.zeros((6, n + 1), dtype=np.int64)
    forward = np.zeros((n, width + 1), dtype=np.int64)
    tables = np.zeros((4, n + 1), dtype=np.int64)
    reach = int(p.max() - p.min() + 1)
    gains = np.zeros((2, n + 1, reach if dense else 1), dtype=np.int64)
    value = smtt_local._dynasearch_pass(sequence, p, d, w, work, forward, tables, gains,
                                        np.zeros(1, dtype=np.uint8))
    return value, work[2].copy(), work[3].copy()


@settings(max_examples=80, deadline=None)
@given(instance=smtt_instances(max_jobs=14), dense=st.booleans(), seed=st.integers(0, 10**6),
       width=st.integers(1, 14))
def test_pass_value_equals_the_objective_after_its_moves(instance, dense, seed, width):
    """DP value == recomputed Σ wT after _apply_moves, from a random starting sequence; a table
    narrower than n keeps every move within its width, and finds no better value than the full one."""
    p, d, w = instance.p, instance.d, instance.w
    n = instance.n
    width = max(1, min(width, n - 1))
    sequence = np.random.default_rng(seed).permutation(n).astype(np.int64)
    before = weighted_tardiness(sequence, p, d, w)
    full, _, _ = _pass(instance, sequence.copy(), dense, max(1, n - 1))
    value, move, start = _pass(instance, sequence, dense, width)
    assert full <= value <= before
    assert all(j - 1 - start[j] <= width for j in range(1, n + 1) if move[j])
    smtt_local._apply_moves(sequence, move, start)
    assert sorted(sequence.tolist()) == list(range(n))
    assert weighted_tardiness(sequence, p, d, w) == value


def test_the_forward_table_is_full_to_4000_jobs_and_bounded_beyond():
    """Every move up to 4,000 jobs (the neighbourhood of the paper); beyond, n x (width + 1)
    stays within FORWARD_CELLS + n cells (an n x n table was 12.8 GB at 40,000 jobs)."""
    for n in (2, 100, 4000):
        assert smtt_local.forward_width(n) == n - 1
    for n in (4001, 40_000, 1_000_000):
        width = smtt_local.forward_width(n)
        assert 1 <= width < n - 1 and n * (width + 1) <= smtt_local.FORWARD_CELLS + n


def test_zero_iterations_mean_no_kicks_and_bad_counts_are_refused():
    """iterations=0 is a descent with no kicks (it ran the default 40); a negative count, a
    negative kick or a huge one (a numba loop no deadline stops) is an InvalidOption."""
    instance = schedkit.load(f"{WT40}#1")
    result = schedkit.solve(instance, "dynasearch", iterations=0)
    assert result.stats["iterations"] == 0 and schedkit.check(instance, result).feasible
    for options in ({"iterations": -1}, {"kick": -1}, {"kick": 1001}):
        with pytest.raises(InvalidOption, match=next(iter(options))):
            schedkit.solve(instance, "dynasearch", **options)

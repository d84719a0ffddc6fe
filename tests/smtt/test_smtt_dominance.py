"""Dominance precedences: a partial order that keeps an optimal sequence, on ties and weights too."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from schedkit import SMTTInstance
from schedkit.smtt.solvers.dominance import completion_windows, precedences
from tests.conftest import CLASS_IDS_N20, brute_force_optimum
from tests.smtt.strategies import smtt_instances


def _best_respecting(instance: SMTTInstance, before: np.ndarray) -> int:
    """Least Σ wT over the permutations that respect every pair of `before`, by enumeration."""
    p, d, w = instance.p.tolist(), instance.d.tolist(), instance.w.tolist()
    pairs = list(zip(*np.nonzero(before), strict=True))
    best = None
    for order in itertools.permutations(range(instance.n)):
        position = {job: k for k, job in enumerate(order)}
        if any(position[i] > position[j] for i, j in pairs):
            continue
        time = total = 0
        for j in order:
            time += p[j]
            total += w[j] * max(0, time - d[j])
        best = total if best is None else min(best, total)
    assert best is not None, "the precedences exclude every sequence"
    return best


@st.composite
def tied_instances(draw: st.DrawFn) -> SMTTInstance:
    """n <= 7 with p in 1..3 and due dates on a short grid: many exact ties for the rules."""
    n = draw(st.integers(2, 7))
    p = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    d = draw(st.lists(st.integers(-2, sum(p) + 2), min_size=n, max_size=n))
    w = draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    return SMTTInstance(p=p, d=d, w=w, name="tied")


def _arrays(instance: SMTTInstance) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return instance.p, instance.d, instance.w


@settings(max_examples=200, deadline=None)
@given(st.one_of(smtt_instances(max_jobs=7), tied_instances()))
def test_some_optimal_sequence_respects_all_pairs(instance):
    """Ties, zero weights, negative and far due dates: the precedences never cut off the optimum."""
    before = precedences(*_arrays(instance))
    assert _best_respecting(instance, before) == brute_force_optimum(instance)


@settings(max_examples=100, deadline=None)
@given(smtt_instances(max_jobs=8))
def test_is_a_strict_partial_order(instance):
    """Irreflexive, antisymmetric and transitively closed, so CP-SAT and the MIP get no cycle."""
    before = precedences(*_arrays(instance))
    assert not before.diagonal().any()
    assert not np.any(before & before.T)
    closure = before.astype(np.int64)
    assert np.array_equal((closure @ closure > 0) & ~before, np.zeros_like(before))


def test_identical_jobs_are_chained_by_index():
    """Three identical jobs: the tie is broken 0 -> 1 -> 2, never both ways."""
    instance = SMTTInstance(p=[4, 4, 4], d=[5, 5, 5])
    before = precedences(*_arrays(instance))
    assert before[0, 1] and before[1, 2] and before[0, 2]
    assert not before[1, 0] and not before[2, 1]


def test_shorter_and_earlier_goes_first():
    """Emmons' first rule on a pair: p 2 <= 5 and d 3 <= 9 puts job 1 before job 0."""
    instance = SMTTInstance(p=[5, 2], d=[9, 3])
    before = precedences(*_arrays(instance))
    assert before[1, 0] and not before[0, 1]


def test_heavier_weight_blocks_the_unweighted_rule():
    """Weighted: the shorter, earlier job with a much smaller weight is not forced first."""
    instance = SMTTInstance(p=[5, 2], d=[0, 1], w=[10, 1])
    before = precedences(*_arrays(instance))
    assert not before[1, 0]
    assert brute_force_optimum(instance) == _best_respecting(instance, before)


def test_windows_hold_the_published_optima(smtt_n20):
    """n = 20, one instance per class: most pairs are fixed, windows are non-empty and nested."""
    fixed = []
    for ident in CLASS_IDS_N20:
        instance = smtt_n20[ident]
        before = precedences(*_arrays(instance))
        earliest, latest = completion_windows(instance.p, before)
        assert np.all(earliest <= latest)
        assert np.all(earliest >= instance.p) and np.all(latest <= instance.p.sum())
        fixed.append(int(before.sum()))
    assert np.mean(fixed) > 150  # of 190 pairs: what makes the exact models fast

"""SMTT kernels stop when the hard deadline abandons their run (the stop flag), and a flag never
raised changes nothing: the same sequences, draw for draw, as before the flag existed."""

from __future__ import annotations

import hashlib
import threading
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit import SMTTInstance, deadline
from schedkit.smtt.heuristics import local as smtt_local
from schedkit.smtt.heuristics import rules as smtt_rules
from schedkit.smtt.heuristics.kernels import weighted_tardiness
from schedkit.smtt.solvers.bdp.repair import repair
from schedkit.smtt.solvers.dominance import precedence_matrix, precedences
from tests.smtt.strategies import smtt_instances

SEEDED_METHODS = ("mdd", "mddc", "mdd-aug", "mddc-aug", "atc", "psk", "eddc", "api", "insertion",
                  "dynasearch")
# sha256[:12] of the int64 sequences each method gave on main before the stop flag (commit 78e8a2b)
BEFORE = {
    0: ("4f2b42f26b21", "d6f4cb443d6f", "1843a006466b", "f21dd7762ace", "7239f429b25f", "6b884f791538",
        "e987f84cecd4", "3c4ccf273678", "3c4ccf273678", "3e53ef82c90d", "3a8710320b99"),
    1: ("75c7c8aed74e", "b67fc1f728aa", "885747e0379a", "84f264f81889", "7745098f0935", "b62240d2fc21",
        "c81d3ce60b86", "0b7a5fdd4ef2", "4aee374f03f9", "619cd5e93ef9", "fd3ee68ce999"),
    2: ("ae95c82316c6", "ee0d1a0d07a9", "ea98f8284e84", "4e0685bb399d", "0abf4d39a0d9", "750ddfa76664",
        "98398ce4ee02", "5f0065da03f3", "56e2a1a0106e", "8c30db452273", "47e356b729b1"),
    3: ("cb2296bb5861", "16b2c2213d66", "a73e0004cbc0", "2a749b4b59eb", "0189d3f9a99a", "617a742bd45d",
        "1157897ac377", "a73e0004cbc0", "e5746e5d5692", "e5746e5d5692", "58538dff5096"),
}
THREAD_END_SECONDS = 30.0  # how long an abandoned run may take to notice its flag, at any load


def _seeded(seed: int) -> SMTTInstance:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 80))
    p = rng.integers(1, 100, n)
    return SMTTInstance(p=p, d=rng.integers(0, int(p.sum() * 0.7), n), w=rng.integers(1, 10, n))


def _digest(sequence: np.ndarray) -> str:
    return hashlib.sha256(np.asarray(sequence, dtype=np.int64).tobytes()).hexdigest()[:12]


def _never() -> np.ndarray:
    return np.zeros(1, dtype=np.uint8)


def _raised() -> np.ndarray:
    return np.ones(1, dtype=np.uint8)


@pytest.mark.parametrize("seed", sorted(BEFORE))
def test_a_flag_never_raised_changes_no_sequence(seed: int) -> None:
    """The heuristics (and bdp's repair of a relaxed path) give the sequences they gave before."""
    x = _seeded(seed)
    digests = [_digest(schedkit.solve(x, method, seed=seed).solution.sequence) for method in SEEDED_METHODS]
    path = np.random.default_rng(seed).integers(0, x.n, x.n + 5)
    digests.append(_digest(repair(path, x.p, x.d, x.w, _never())[0]))
    assert tuple(digests) == BEFORE[seed]


@settings(max_examples=60, deadline=None)
@given(instance=smtt_instances(max_jobs=12), augment=st.booleans(), seed=st.integers(0, 2**32 - 1),
       rule=st.sampled_from([smtt_rules.MDD, smtt_rules.ATC, smtt_rules.MDDC]))
def test_raised_flags_leave_sequences(instance: SMTTInstance, rule: int, augment: bool, seed: int) -> None:
    """With the flag raised every kernel returns at once with a permutation of the jobs: the
    rules with the jobs in index order, the descents with their input unchanged (the value they
    return is its own), precedences with none."""
    p, d, w = instance.p, instance.d, instance.w
    n = instance.n
    index_order = list(range(n))
    assert smtt_rules.dispatch(p, d, w, rule, 1.0, augment, _raised()).tolist() == index_order
    assert smtt_rules.psk(p, d, w, _raised()).tolist() == index_order
    assert sorted(smtt_rules.eddc(p, d, w, _raised()).tolist()) == index_order
    start = np.random.default_rng(seed).permutation(n).astype(np.int64)
    value = weighted_tardiness(start, p, d, w)
    for descent in (smtt_local.adjacent_interchange, smtt_local.insertion, smtt_local.dynasearch):
        sequence = start.copy()
        assert descent(sequence, p, d, w, _raised()) == value
        assert sequence.tolist() == start.tolist()
    best, current = start.copy(), start.copy()
    state = np.uint64(seed)
    assert smtt_local.iterated_dynasearch(best, current, p, d, w, 10, 3, state, _raised())[0] == value
    assert best.tolist() == start.tolist()
    assert not precedence_matrix(p, d, w, _raised()).any()


@settings(max_examples=40, deadline=None)
@given(instance=smtt_instances(max_jobs=12), seed=st.integers(0, 2**32 - 1))
def test_precedences_outside_a_solve_are_never_stopped(instance: SMTTInstance, seed: int) -> None:
    """Outside a guarded solve the flag `precedences` polls is never raised: its full matrix."""
    p, d, w = instance.p, instance.d, instance.w
    assert (precedences(p, d, w) == precedence_matrix(p, d, w, _never())).all()


def _large(n: int, p_max: int, weighted: bool) -> SMTTInstance:
    rng = np.random.default_rng(1)
    p = rng.integers(1, p_max + 1, n)
    total = int(p.sum())
    w = rng.integers(1, 11, n) if weighted else None
    return SMTTInstance(p=p, d=rng.integers(total // 5, 4 * total // 5, n), w=w, name="large")


def _solve_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate()
            if thread.name == "schedkit-solve" and thread.is_alive()]


@pytest.mark.parametrize(("method", "n", "p_max", "weighted"), [
    ("mddc-aug", 5000, 100, True),  # O(n³): ran over 600 s in the background before the flag
    ("insertion", 5000, 100, True),  # a descent of O(n²) steps: over 60 s
    ("dynasearch", 5000, 100, True),
    ("bnb", 5000, 100, False),
    ("bdp", 1500, 8, True),  # the cubic precedences, then the stages' tables
])
def test_an_abandoned_run_ends(monkeypatch: pytest.MonkeyPatch, method: str, n: int, p_max: int,
                               weighted: bool) -> None:
    """A short limit on a large instance: the answer is checked and the abandoned thread ends
    soon after (polled for up to THREAD_END_SECONDS, so that no machine speed fails it)."""
    x = _large(n, p_max, weighted)
    schedkit.solve(SMTTInstance(p=x.p[:8], d=x.d[:8] // 500, w=x.w[:8]), method)  # kernels compiled
    monkeypatch.setenv(deadline.ENVIRONMENT, "1")
    before = set(_solve_threads())
    result = schedkit.solve(x, method, time_limit=0.5)
    assert schedkit.check(x, result).feasible
    until = time.perf_counter() + THREAD_END_SECONDS
    while set(_solve_threads()) - before and time.perf_counter() < until:
        time.sleep(0.05)
    assert not set(_solve_threads()) - before

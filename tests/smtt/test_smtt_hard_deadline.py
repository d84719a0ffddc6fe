"""SMTT heuristics past the hard deadline: a kernel that never looks at the clock (a descent step
of thousands of jobs) leaves the caller a checked `feasible` sequence, never `unknown`."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import schedkit
from schedkit import Result, SMTTInstance, deadline
from schedkit.smtt.bounds import cheap_bound
from schedkit.smtt.heuristics import methods as smtt_methods


def _instance() -> SMTTInstance:
    rng = np.random.default_rng(5)
    return SMTTInstance(p=rng.integers(1, 50, 60), d=rng.integers(0, 900, 60), w=rng.integers(1, 10, 60),
                        name="late")


def _solve_stuck(monkeypatch: pytest.MonkeyPatch, stage: str, method: str) -> tuple[SMTTInstance, Result]:
    """`method` at 0.5 s with `stage` (a name in heuristics.methods) held past the deadline; its
    kernels compiled first, without a limit, so only the held stage can be late."""
    x = _instance()
    schedkit.solve(x, "dynasearch" if method == "auto" else method)
    monkeypatch.setenv(deadline.ENVIRONMENT, "1")
    monkeypatch.setattr("schedkit.smtt.auto.plan", lambda instance: (["dynasearch"], 60.0))
    release = threading.Event()

    def stuck(*args: object, **kwargs: object) -> None:
        release.wait()

    monkeypatch.setattr(smtt_methods, stage, stuck)
    try:
        result = schedkit.solve(x, method, time_limit=0.5)
    finally:
        release.set()
        deadline.wait_for_abandoned()
    assert result.stats["hard_deadline"] is True
    assert result.status == "feasible" and schedkit.check(x, result).feasible
    return x, result


@pytest.mark.parametrize("method", ["dynasearch", "auto"])
def test_a_stuck_descent_leaves_the_best_rule(monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    """The search after the best rule held past the deadline: the rule's sequence comes back,
    for `auto` (exact) with the cheap bound the sorting rules' offer had (it had none)."""
    x, result = _solve_stuck(monkeypatch, "iterated_dynasearch", method)
    assert result.stats["offered"] == "the best rule's sequence"
    assert result.bound == (cheap_bound(x) if method == "auto" else None)


@pytest.mark.parametrize("method", ["insertion", "api", "dynasearch"])
def test_a_stuck_start_leaves_the_sorting_rules(monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    """Even the best rule held past the deadline: the best of EDD, SPT and WSPT comes back."""
    _, result = _solve_stuck(monkeypatch, "best_rule", method)
    assert result.stats["offered"].startswith("the best of the EDD, SPT and WSPT orders")

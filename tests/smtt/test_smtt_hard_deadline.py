"""SMTT heuristics past the hard deadline: a kernel that never looks at the clock (a descent step
of thousands of jobs) leaves the caller a checked `feasible` sequence, never `unknown`."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import numpy as np
import pytest

import schedkit
from schedkit import Result, SMTTInstance, deadline
from schedkit.smtt.bounds import cheap_bound
from schedkit.smtt.heuristics import methods as smtt_methods
from schedkit.smtt.heuristics import search


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
    monkeypatch.setattr(deadline, "_cut_only", True)  # passes at the held stage
    monkeypatch.setattr("schedkit.smtt.auto.plan", lambda instance: (["dynasearch"], 60.0))
    release = threading.Event()

    def stuck(*args: object, **kwargs: object) -> None:
        deadline.cut_short()
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
    """The search after the best rule held past the deadline: the rule's sequence comes back
    with the cheap bound of the family's early plan (`solve` offers the sorting rules with it
    before any method loads; the rule's offer had none)."""
    x, result = _solve_stuck(monkeypatch, "iterated_dynasearch", method)
    assert result.stats["offered"] == "the best rule's sequence"
    assert result.bound == cheap_bound(x)


@pytest.mark.parametrize("method", ["insertion", "api", "dynasearch"])
def test_a_stuck_start_leaves_the_sorting_rules(monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    """Even the best rule held past the deadline: the best of EDD, SPT and WSPT comes back."""
    _, result = _solve_stuck(monkeypatch, "best_rule", method)
    assert result.stats["offered"].startswith("the best of the EDD, SPT and WSPT orders")


def test_a_stuck_kick_leaves_the_descents_best(monkeypatch: pytest.MonkeyPatch) -> None:
    """The kicks held past the deadline after the first descent: what the descent reached comes
    back (a descent step of 5,000 jobs takes a second or more; the guard gave the rule's before)."""
    x = _instance()
    rule = schedkit.solve(x, "dynasearch", iterations=0)  # compiled, and where the descent ends
    monkeypatch.setenv(deadline.ENVIRONMENT, "1")
    monkeypatch.setattr(deadline, "_cut_only", True)  # passes at the held stage
    release = threading.Event()

    def stuck(*args: object, **kwargs: object) -> None:
        deadline.cut_short()
        release.wait()

    monkeypatch.setattr(search.smtt_local, "iterated_dynasearch", stuck)
    try:
        result = schedkit.solve(x, "dynasearch", time_limit=3)  # the rules' share: 0.9 s for 60 jobs
    finally:
        release.set()
        deadline.wait_for_abandoned()
    assert result.stats["hard_deadline"] is True and schedkit.check(x, result).feasible
    assert result.stats["offered"] == "the descent's best so far"
    assert result.objective == rule.objective


def test_the_rules_stop_when_the_last_ones_time_does_not_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Candidates that take 10 (fake) seconds each, deadline at 15: one is built, not two (the
    deadline was looked at only after each, so O(n²) rules ran on for minutes at 40,000 jobs)."""
    clock = [0.0]
    monkeypatch.setattr(search, "time", SimpleNamespace(perf_counter=lambda: clock[0]))
    x = _instance()
    built = []

    def build(tag: str):  # type: ignore[no-untyped-def]
        def run() -> np.ndarray:
            built.append(tag)
            clock[0] += 10.0
            return np.arange(x.n, dtype=np.int64)
        return run

    sequence, tag = search._best_of([(t, build(t)) for t in "abc"], x.p, x.d, x.w, 15.0)
    assert built == ["a"] and tag == "a"
    built.clear()
    clock[0] = 0.0
    search._best_of([(t, build(t)) for t in "abc"], x.p, x.d, x.w, 25.0)
    assert built == ["a", "b"]

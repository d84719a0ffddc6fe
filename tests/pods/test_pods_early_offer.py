"""`kube-default` (and `auto` through it) offers the plan that changes nothing before waiting for
its numba kernel: a compile wait held past the hard deadline answers that plan, not `unknown`."""

from __future__ import annotations

import threading

import pytest

import schedkit
from schedkit import deadline
from schedkit.pods.generate import pods
from schedkit.pods.heuristics import methods as pods_methods


@pytest.mark.parametrize("method", ["kube-default", "auto"])
def test_a_compile_wait_past_the_deadline_leaves_the_unchanged_plan(monkeypatch: pytest.MonkeyPatch,
                                                                    method: str) -> None:
    instance = pods(300, 10, 3, 0.95, 1)  # beyond auto's cpsat size: auto runs kube-default
    monkeypatch.setenv(deadline.ENVIRONMENT, "1")
    release = threading.Event()

    def held(until: float) -> tuple[bool, float]:
        release.wait()
        return False, 0.0

    monkeypatch.setattr(pods_methods, "ensure_compiled", held)
    try:
        result = schedkit.solve(instance, method, time_limit=0.5, workers=1)
    finally:
        release.set()
        deadline.wait_for_abandoned()
    assert result.stats["hard_deadline"] is True and result.status in ("optimal", "feasible")
    assert result.stats["offered"] == "the plan that changes nothing"
    assert (result.solution.to_array(instance) == instance.pod_node).all()
    assert schedkit.check(instance, result).feasible

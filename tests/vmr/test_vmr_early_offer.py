"""Every VMR method offers the plan without migrations before waiting for its numba kernels: a
compile wait held past the hard deadline answers that plan, checked, not `unknown`."""

from __future__ import annotations

import threading
from typing import Any

import pytest

import schedkit
from schedkit import deadline
from schedkit.vmr.generate import vmr
from schedkit.vmr.heuristics import methods as vmr_methods


@pytest.mark.parametrize("method", ["greedy", "lns", "cpsat", "mip", "auto"])
def test_a_compile_wait_past_the_deadline_leaves_the_unmoved_plan(monkeypatch: pytest.MonkeyPatch,
                                                                   method: str) -> None:
    """The kernels' compile wait held past the hard deadline: the guard returns the offered plan."""
    instance = vmr(20, 0.9, 0, 5)
    monkeypatch.setenv(deadline.ENVIRONMENT, "1")
    release = threading.Event()

    def held(until: float) -> tuple[bool, float]:
        release.wait()
        return False, 0.0

    monkeypatch.setattr(vmr_methods, "ensure_compiled", held)
    try:
        result = schedkit.solve(instance, method, time_limit=0.5, workers=1)
    finally:
        release.set()
        deadline.wait_for_abandoned()
    assert result.stats["hard_deadline"] is True and result.status in ("optimal", "feasible")
    assert result.stats["offered"] == "the plan without migrations"
    assert result.objective == instance.initial_objective
    assert result.bound is not None and result.bound <= result.objective
    assert schedkit.check(instance, result).feasible


def test_no_offer_without_a_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a time limit nothing can cut the run, so nothing is offered (no wasted result)."""
    offered: list[Any] = []
    monkeypatch.setattr(vmr_methods, "offer", offered.append)
    result = schedkit.solve(vmr(20, 0.9, 0, 5), "greedy", workers=1)
    assert offered == [] and result.status in ("optimal", "feasible")

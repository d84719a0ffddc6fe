"""Every VMR method offers the plan without migrations before waiting for its numba kernels: a
compile wait held past the hard deadline answers that plan, checked, not `unknown`."""

from __future__ import annotations

from typing import Any

import pytest

import schedkit
from schedkit.vmr.generate import vmr
from schedkit.vmr.heuristics import methods as vmr_methods
from tests.cold_cache import answer_past_a_held_call


@pytest.mark.parametrize("method", ["greedy", "lns", "cpsat", "mip", "auto"])
def test_a_compile_wait_past_the_deadline_leaves_the_unmoved_plan(monkeypatch: pytest.MonkeyPatch,
                                                                   method: str) -> None:
    """The kernels' compile wait held past the hard deadline: the guard returns the offered plan."""
    instance = vmr(20, 0.9, 0, 5)
    result = answer_past_a_held_call(monkeypatch, vmr_methods, "ensure_compiled", instance, method,
                                     lambda until: (False, 0.0), workers=1)
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

"""`kube-default` (and `auto` through it) offers the plan that changes nothing before waiting for
its numba kernel: a compile wait held past the hard deadline answers that plan, not `unknown`."""

from __future__ import annotations

import pytest

import schedkit
from schedkit.pods.generate import pods
from schedkit.pods.heuristics import methods as pods_methods
from tests.cold_cache import answer_past_a_held_call


@pytest.mark.parametrize("method", ["kube-default", "auto"])
def test_a_compile_wait_past_the_deadline_leaves_the_unchanged_plan(monkeypatch: pytest.MonkeyPatch,
                                                                    method: str) -> None:
    instance = pods(300, 10, 3, 0.95, 1)  # beyond auto's cpsat size: auto runs kube-default
    result = answer_past_a_held_call(monkeypatch, pods_methods, "ensure_compiled", instance, method,
                                     lambda until: (False, 0.0), workers=1)
    assert result.stats["hard_deadline"] is True and result.status in ("optimal", "feasible")
    assert result.stats["offered"] == "the plan that changes nothing"
    assert (result.solution.to_array(instance) == instance.pod_node).all()
    assert schedkit.check(instance, result).feasible

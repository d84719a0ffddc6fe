"""`cpsat` in a fresh process offers the plan that changes nothing before importing OR-Tools (1-3 s
under load): an import held past the deadline still answers that, checked, not `unknown`."""

from __future__ import annotations

import pytest

import schedkit
from schedkit.pods.generate import pods
from schedkit.pods.solvers import cpsat as pods_cpsat
from tests.cold_cache import answer_past_a_held_import


@pytest.mark.parametrize("method", ["cpsat", "auto"])
def test_a_solver_import_past_the_deadline_leaves_the_plain_answer(monkeypatch: pytest.MonkeyPatch,
                                                                 method: str) -> None:
    """OR-Tools' import held past the hard deadline: the guard returns the unchanged plan."""
    instance = pods(12, 6, 3, 0.9, 0)
    result = answer_past_a_held_import(monkeypatch, pods_cpsat, instance, method)
    assert result.stats["hard_deadline"] is True and result.status in ("optimal", "feasible")
    assert result.stats["offered"] == "the plan that changes nothing, before the solver's import"
    assert result.bound is None or result.bound <= result.objective
    assert schedkit.check(instance, result).feasible

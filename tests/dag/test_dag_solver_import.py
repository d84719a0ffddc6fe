"""`cpsat` in a fresh process offers the one-processor schedule before importing OR-Tools (1-3 s
under load): an import held past the deadline still answers that, checked, not `unknown`."""

from __future__ import annotations

import pytest

import schedkit
from schedkit.dag.generate import dag
from schedkit.dag.solvers import cpsat as dag_cpsat
from tests.cold_cache import answer_past_a_held_import


@pytest.mark.parametrize("method", ["cpsat", "auto"])
def test_a_solver_import_past_the_deadline_leaves_the_plain_answer(monkeypatch: pytest.MonkeyPatch,
                                                                 method: str) -> None:
    """OR-Tools' import held past the hard deadline: the guard returns the one-processor schedule."""
    instance = dag(12, 3, 0)
    result = answer_past_a_held_import(monkeypatch, dag_cpsat, instance, method)
    assert result.stats["hard_deadline"] is True and result.status in ("optimal", "feasible")
    assert result.stats["offered"] == "the one-processor schedule, before the solver's import"
    assert result.bound is not None and result.bound <= result.objective
    assert schedkit.check(instance, result).feasible

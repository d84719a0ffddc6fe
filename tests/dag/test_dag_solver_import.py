"""`cpsat` in a fresh process offers the one-processor schedule before importing OR-Tools (1-3 s
under load): an import held past the deadline still answers that, checked, not `unknown`."""

from __future__ import annotations

import sys
import threading
from typing import Any

import pytest

import schedkit
from schedkit import deadline
from schedkit.dag.generate import dag
from schedkit.dag.solvers import cpsat as dag_cpsat


@pytest.mark.parametrize("method", ["cpsat", "auto"])
def test_a_solver_import_past_the_deadline_leaves_the_plain_answer(monkeypatch: pytest.MonkeyPatch,
                                                                 method: str) -> None:
    """OR-Tools' import held past the hard deadline: the guard returns the one-processor schedule."""
    instance = dag(12, 3, 0)
    monkeypatch.setenv(deadline.ENVIRONMENT, "1")
    release = threading.Event()
    real = dag_cpsat.import_cp_model

    def slow_import() -> Any:
        release.wait()
        return real()

    monkeypatch.setattr(dag_cpsat, "import_cp_model", slow_import)
    monkeypatch.delitem(sys.modules, "ortools.sat.python.cp_model", raising=False)  # a fresh process
    try:
        result = schedkit.solve(instance, method, time_limit=0.5)
    finally:
        release.set()
        deadline.wait_for_abandoned()
    assert result.stats["hard_deadline"] is True and result.status in ("optimal", "feasible")
    assert result.stats["offered"] == "the one-processor schedule, before the solver's import"
    assert result.bound is not None and result.bound <= result.objective
    assert schedkit.check(instance, result).feasible

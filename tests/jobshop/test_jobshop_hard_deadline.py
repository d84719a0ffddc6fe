"""`cpsat` past the hard deadline: the caller gets the schedule the method offered before its
last phase (checked), not `unknown`."""

from __future__ import annotations

import sys
import threading
from dataclasses import replace
from types import SimpleNamespace

import pytest

import schedkit
from schedkit import deadline
from schedkit.jobshop.solvers import cpsat as jobshop_cpsat
from tests.jobshop.conftest import classic


def test_a_stuck_phase_still_leaves_the_offered_schedule(monkeypatch: pytest.MonkeyPatch):
    """ta01 with 2 s, the LNS phase held until after the deadline: a checked `feasible`
    schedule comes back, marked hard_deadline."""
    schedkit.solve(classic("ft06"), "mwkr")  # the rules' kernel loaded: the warm start fits 2 s
    monkeypatch.setenv(deadline.ENVIRONMENT, "1")
    release = threading.Event()

    def stuck(cp_model, jm, instance, incumbent, *rest):
        release.wait()
        return incumbent, SimpleNamespace(steps=0, improved=0, closed=0, size=0, seconds=0.0)

    monkeypatch.setattr(jobshop_cpsat.jobshop_lns, "search", stuck)
    x = classic("ta01")
    try:
        result = schedkit.solve(x, "cpsat", time_limit=2, workers=1)
    finally:
        release.set()
        deadline.wait_for_abandoned()
    assert result.stats["hard_deadline"] is True
    assert result.stats["offered"] in ("after the first whole-model solve", "after tabu search")
    assert result.status == "feasible"
    assert result.bound is None or result.bound <= result.objective
    assert schedkit.check(x, result).feasible


@pytest.mark.parametrize("blocking", [False, True])
def test_a_solver_import_past_the_deadline_leaves_the_plain_schedule(monkeypatch: pytest.MonkeyPatch,
                                                                     blocking: bool):
    """OR-Tools' import held past the deadline (a fresh process under load): the guard returns
    the plain-Python schedule `cpsat` offered before importing, checked, not `unknown`."""
    monkeypatch.setenv(deadline.ENVIRONMENT, "1")
    release = threading.Event()
    real = jobshop_cpsat.import_cp_model

    def slow_import():
        release.wait()
        return real()

    monkeypatch.setattr(jobshop_cpsat, "import_cp_model", slow_import)
    monkeypatch.delitem(sys.modules, "ortools.sat.python.cp_model")  # as in a fresh process
    x = replace(classic("la16"), buffers="blocking" if blocking else "unlimited")
    try:
        result = schedkit.solve(x, "cpsat", time_limit=0.5, workers=1)
    finally:
        release.set()
        deadline.wait_for_abandoned()
    assert result.stats["hard_deadline"] is True and result.status == "feasible"
    assert "plain-Python" in result.stats["offered"]
    assert schedkit.check(x, result).feasible

"""RCPSP `cpsat` offers its warm start before it imports OR-Tools: a fresh process at load 5
spent a whole 1 s limit on that import and the hard deadline had nothing to return (`unknown`)."""

from __future__ import annotations

from typing import Any

import pytest

import schedkit
from schedkit.errors import SolverUnavailable
from schedkit.rcpsp.solvers import cpsat, lns
from tests.rcpsp.conftest import psplib


def test_the_warm_start_is_offered_before_ortools_is_imported(monkeypatch: pytest.MonkeyPatch):
    """The import is stopped (as if it were still running): the offer came before it."""
    events: list[tuple[str, Any]] = []
    monkeypatch.setattr(cpsat, "offer", lambda result, box=None: events.append(("offer", result)))

    def importing() -> Any:
        events.append(("import", None))
        raise SolverUnavailable("still importing")

    monkeypatch.setattr(cpsat, "import_cp_model", importing)
    instance = psplib("j301_1")
    with pytest.raises(SolverUnavailable):
        schedkit.solve(instance, "cpsat", time_limit=5, workers=1)
    assert [kind for kind, _ in events] == ["offer", "import"]
    offered = events[0][1]
    assert offered.stats["offered"] == "warm start"
    assert schedkit.check(instance, offered).feasible


def test_cpsat_lns_offers_its_sampling_before_ortools_is_imported(monkeypatch: pytest.MonkeyPatch):
    """The same for `cpsat-lns` (and `auto` above 50 activities): forward-backward sampling's
    schedule is offered, then OR-Tools is imported."""
    events: list[tuple[str, Any]] = []
    monkeypatch.setattr(lns, "offer", lambda result, box=None: events.append(("offer", result)))

    def importing() -> Any:
        events.append(("import", None))
        raise SolverUnavailable("still importing")

    monkeypatch.setattr(lns, "import_cp_model", importing)
    monkeypatch.setattr(lns, "ensure_compiled", lambda wait: (True, 0.0))  # (they compile on call:
    monkeypatch.setattr(lns, "ensure_ga_compiled", lambda wait: (True, 0.0))  # no cold-cache path)
    instance = psplib("j301_1")
    with pytest.raises(SolverUnavailable):
        schedkit.solve(instance, "cpsat-lns", time_limit=5, workers=1)
    assert [kind for kind, _ in events] == ["offer", "import"]
    offered = events[0][1]
    assert offered.stats["offered"] == "fbi"
    assert schedkit.check(instance, offered).feasible

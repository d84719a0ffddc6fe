"""RCPSP `cpsat` offers its warm start before it imports OR-Tools: a fresh process at load 5
spent a whole 1 s limit on that import and the hard deadline had nothing to return (`unknown`)."""

from __future__ import annotations

from typing import Any

import pytest

import schedkit
from schedkit.errors import SolverUnavailable
from schedkit.rcpsp.solvers import cpsat, lns
from tests.rcpsp.conftest import psplib


def _offer_then_import(monkeypatch: pytest.MonkeyPatch, module: Any, method: str) -> Any:
    """Run `method` on j301_1 with `module`'s offers recorded and its OR-Tools import stopped (as
    if it were still running): the offer must come first; returns what was offered."""
    events: list[tuple[str, Any]] = []
    monkeypatch.setattr(module, "offer", lambda result, box=None: events.append(("offer", result)))

    def importing() -> Any:
        events.append(("import", None))
        raise SolverUnavailable("still importing")

    monkeypatch.setattr(module, "import_cp_model", importing)
    instance = psplib("j301_1")
    with pytest.raises(SolverUnavailable):
        schedkit.solve(instance, method, time_limit=5, workers=1)
    assert [kind for kind, _ in events] == ["offer", "import"]
    assert schedkit.check(instance, events[0][1]).feasible
    return events[0][1]


def test_the_warm_start_is_offered_before_ortools_is_imported(monkeypatch: pytest.MonkeyPatch):
    """`cpsat`: its warm start."""
    assert _offer_then_import(monkeypatch, cpsat, "cpsat").stats["offered"] == "warm start"


def test_cpsat_lns_offers_its_sampling_before_ortools_is_imported(monkeypatch: pytest.MonkeyPatch):
    """`cpsat-lns` (and `auto` above 50 activities): forward-backward sampling's schedule."""
    monkeypatch.setattr(lns, "ensure_compiled", lambda wait: (True, 0.0))  # (they compile on call:
    monkeypatch.setattr(lns, "ensure_ga_compiled", lambda wait: (True, 0.0))  # no cold-cache path)
    assert _offer_then_import(monkeypatch, lns, "cpsat-lns").stats["offered"] == "fbi"

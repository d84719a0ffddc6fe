"""The CP-SAT models stop adding redundant constraints (implied precedences, order literals:
up to n² of them) at their build deadline. Regression: they added every one whatever the time
limit, so the model building alone outlasted it: `cpsat` at 5 s on 1,999 unrelated activities
(800,000 order literals) returned after 38 s, and with time lags (1,500 activities, no build
deadline at all) after 26 s, both with SCHEDKIT_HARD_DEADLINE=0. The lag model also offered its
warm start to the hard-deadline guard now, which answered `unknown` there before."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

import schedkit
from schedkit import deadline
from schedkit.rcpsp.model import RCPSPInstance
from schedkit.rcpsp.solvers import build_deadline, cpsat
from schedkit.rcpsp.solvers.cpsat import _disjunctions, _distances, _implied_precedences, _variables
from tests.verdicts import assert_checked

ROOT = Path(__file__).resolve().parents[2]


def _chain_beside_clashes(n: int) -> RCPSPInstance:
    """Activities 0..n-2 in a chain (every later pair joined by a path), n-1 apart; every
    pair over the capacity together."""
    successors = [[j + 1] for j in range(n - 2)] + [[], []]
    return RCPSPInstance([2] * n, successors, [3], [[2]] * n)


def test_past_the_build_deadline_no_redundant_constraint_is_added():
    """With the deadline already past, none are added; without one, all of them."""
    cp_model = cpsat.import_cp_model()
    instance = _chain_beside_clashes(12)
    dist = _distances(instance)
    hint = np.arange(12, dtype=np.int64) * 2
    counts = []
    for until in (time.perf_counter(), float("inf")):
        model = cp_model.CpModel()
        mirrored, _ = _variables(model, instance, 40)
        counts.append((_implied_precedences(model, instance, mirrored, dist, until),
                       _disjunctions(model, instance, mirrored, dist, hint, until)))
    assert counts[0] == (0, 0)
    assert counts[1] == (45, 11)  # pairs i < j - 1 of the chain; the loose one against each


def _lag_project(n: int) -> RCPSPInstance:
    """A source with lag 0 to every other activity, all clashing pairwise."""
    return RCPSPInstance([0] + [2] * (n - 1), [list(range(1, n))] + [[] for _ in range(n - 1)],
                         [3], [[0]] + [[2]] * (n - 1), lags=[[0] * (n - 1)] + [[] for _ in range(n - 1)])


def test_the_lag_model_returns_its_warm_start_past_the_build_deadline(monkeypatch):
    """No time to build: the checked warm start, `feasible`, saying why; and it was offered."""
    monkeypatch.setattr(build_deadline, "BUILD_SHARE", 0.0)
    instance = _lag_project(8)
    since = time.perf_counter()
    result = schedkit.solve(instance, "cpsat", workers=1, time_limit=30)
    assert result.stats["solver_status"] == "model not built within the time limit"
    assert result.status == "feasible" and result.objective == result.stats["warm_start"] == 14
    assert_checked(instance, result)
    offered = deadline.latest_offer(since)
    assert offered is not None and offered.stats["offered"] == "warm start"
    assert offered.objective == result.objective


def test_the_whole_model_returns_its_warm_start_past_the_build_deadline(monkeypatch):
    """The model without lags shares the build deadline (solvers/build_deadline.py): no time to
    build, the checked warm start comes back `feasible`, saying why."""
    monkeypatch.setattr(build_deadline, "BUILD_SHARE", 0.0)
    instance = schedkit.load(ROOT / "instances" / "rcpsp" / "j30" / "j3010_1.sm")
    result = schedkit.solve(instance, "cpsat", workers=1, time_limit=30, seed=0)
    assert result.stats["solver_status"] == "model not built within the time limit"
    assert result.status == "feasible" and result.objective == result.stats["warm_start"]
    assert_checked(instance, result)


def test_the_lag_model_is_built_and_proven_with_time():
    """With time enough nothing changes: the optimum 14 (seven activities in turn) is proven."""
    instance = _lag_project(8)
    result = schedkit.solve(instance, "cpsat", workers=1, time_limit=30)
    assert result.status == "optimal" and result.objective == 14
    assert result.stats["disjunctions"] == 21

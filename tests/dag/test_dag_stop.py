"""DAG kernels stop when the hard deadline abandons their run (the stop flag), and a flag never
raised changes nothing: the same schedules as before the flag existed."""

from __future__ import annotations

import numpy as np
import pytest

import schedkit
from schedkit import deadline
from schedkit.dag.generate import dag
from schedkit.dag.heuristics import graph as dag_graph
from schedkit.dag.heuristics import kernels
from schedkit.dag.model import DAGInstance
from tests.stopping import abandoned_threads_end, digest, raised, solve_threads

METHODS = ("heft", "cpop", "peft")
# tests.stopping.digest of each method's solution on main before the stop flag (commit 158cb99)
BEFORE = {0: ("7ae1e924d58b", "56f5629fa068", "2060730a51eb"),
          1: ("0439400f000f", "9c11684e2fe1", "da73bfee867f")}


@pytest.mark.parametrize("seed", sorted(BEFORE))
def test_a_flag_never_raised_changes_no_schedule(seed: int) -> None:
    """HEFT, CPOP and PEFT give the schedules they gave before."""
    instance = dag(60, 4, seed)
    assert tuple(digest(schedkit.solve(instance, method).solution) for method in METHODS) == BEFORE[seed]


def test_raised_flags_compute_nothing() -> None:
    """With the flag raised the long kernels return at once: no delay averaged, no optimistic
    cost, no task placed."""
    g = dag_graph.build(dag(30, 3, seed=2))
    bw = np.array([[1, 2, 3], [4, 1, 5], [6, 7, 1]], np.int64)
    assert not kernels.average_delays(g.data, bw, np.ones(3, np.int64), raised()).any()
    assert not kernels.optimistic_costs(g.topo, g.succ_ptr, g.succ_idx, g.succ_edge, g.cost, g.cbar,
                                        raised()).any()
    n, p = g.cost.shape
    processor, start = kernels.list_schedule(
        g.wbar, g.topo_pos, g.pred_ptr, g.pred_idx, g.pred_edge, g.succ_ptr, g.succ_idx, g.cost, g.data,
        g.bw, g.lat, np.full(n, -1, np.int64), np.zeros((n, p)), raised())
    assert (processor == -1).all() and not start.any()


def _dense_network(tasks: int, processors: int) -> DAGInstance:
    """Every pair of tasks an edge, and more distinct bandwidths than average_delays groups:
    its pair-by-pair sum, edges x processors² divisions, runs for minutes unstopped."""
    rng = np.random.default_rng(5)
    first, second = np.triu_indices(tasks, 1)
    return DAGInstance(cost=rng.integers(1, 100, (tasks, processors)),
                       edges=np.column_stack((first, second)), data=rng.integers(1, 10**6, first.size),
                       bandwidth=rng.integers(1, 10**6, (processors, processors)),
                       latency=np.zeros(processors, np.int64), name="dense")


@pytest.mark.parametrize("method", ["heft", "auto"])
def test_an_abandoned_run_ends(monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    """A short limit where averaging the delays alone takes minutes: the abandoned thread ends
    soon after (polled for up to THREAD_END_SECONDS, so that no machine speed fails it)."""
    instance = _dense_network(200, 1000)
    schedkit.solve(dag(60, 4, 0), "heft")  # kernels compiled
    monkeypatch.setenv(deadline.ENVIRONMENT, "1")
    before = solve_threads()
    result = schedkit.solve(instance, method, time_limit=0.5)
    assert result.solution is None or schedkit.check(instance, result).feasible
    assert abandoned_threads_end(before)


def test_an_abandoned_cpsat_builds_no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """The flag raised by the time the warm start ends: cpsat answers `unknown` (dropped) without
    building or solving the CP-SAT model."""
    instance = dag(12, 3, 0)
    assert schedkit.solve(instance, "cpsat").stats["solver_status"] == "OPTIMAL"
    monkeypatch.setattr(deadline, "stop_flag", raised)  # what deadline.stopped() reads
    result = schedkit.solve(instance, "cpsat")
    assert result.status == "unknown" and result.solution is None
    assert "solver_status" not in result.stats

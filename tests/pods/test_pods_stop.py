"""The scheduler kernel stops when the hard deadline abandons its run (the stop flag), and a flag
never raised changes nothing: the same placements as before the flag existed."""

from __future__ import annotations

import threading

import pytest

import schedkit
from schedkit import deadline
from schedkit.pods.generate import pods
from schedkit.pods.heuristics import methods as pods_methods
from schedkit.pods.model import Node, Pod, PodsInstance
from tests.stopping import abandoned_threads_end, digest, raised, solve_threads

SCORINGS = ("LeastAllocated", "MostAllocated")
# tests.stopping.digest of kube-default's solution per scoring on main before the stop flag (158cb99)
BEFORE = {0: ("37cbc0aa3ed8", "f44a582b4b0f"), 1: ("45c3f960fc6a", "579b5eee913d")}


@pytest.mark.parametrize("seed", sorted(BEFORE))
def test_a_flag_never_raised_changes_no_placement(seed: int) -> None:
    """kube-default places the pods as it did before, under either scoring."""
    cluster = pods(12, 6, 3, 0.9, seed)
    found = tuple(digest(schedkit.solve(cluster, "kube-default", scoring=scoring).solution)
                  for scoring in SCORINGS)
    assert found == BEFORE[seed]


def _full(nodes: int, running: int, pending: int) -> PodsInstance:
    """Nodes full of low-priority pods and more pending high-priority pods than nodes: every
    pending pod (and every victim) makes DefaultPreemption scan all nodes and all pods."""
    cluster = [Node(f"n{k}", cpu=1000, memory=1000, max_pods=running) for k in range(nodes)]
    low = [Pod(f"low-{k}-{i}", cpu=1000 // running, memory=1, node=f"n{k}", order=k * running + i)
           for k in range(nodes) for i in range(running)]
    high = [Pod(f"high-{i}", cpu=1000, memory=1, priority=10, order=nodes * running + i)
            for i in range(pending)]
    return PodsInstance(nodes=tuple(cluster), pods=tuple(low + high))


def test_a_raised_flag_schedules_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the flag raised the cycle ends at once: every pod keeps its state."""
    x = _full(3, 2, 4)
    monkeypatch.setattr(pods_methods, "stop_flag", raised)  # the kernel's production signature
    assign, preemptions = pods_methods.kube_default(x)
    assert assign.tolist() == list(x.pod_node) and preemptions == 0


def test_an_abandoned_run_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    """A short limit where the preemptions take minutes unstopped: the abandoned thread ends
    soon after (polled for up to THREAD_END_SECONDS, so that no machine speed fails it)."""
    x = _full(1000, 10, 6000)
    schedkit.solve(_full(2, 2, 3), "kube-default")  # kernel compiled
    monkeypatch.setenv(deadline.ENVIRONMENT, "1")
    before = solve_threads()
    result = schedkit.solve(x, "kube-default", time_limit=0.5)
    assert result.solution is None or schedkit.check(x, result).feasible
    assert abandoned_threads_end(before)


def test_a_cycle_past_the_deadline_leaves_the_unchanged_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scheduling cycle held past the deadline (50,000 pods on 1,000 nodes take 3 s): the plan
    that changes nothing comes back `feasible`, not `unknown`."""
    cluster = pods(12, 6, 3, 0.9, 0)
    schedkit.solve(cluster, "kube-default")  # compiled, so only the held cycle can be late
    monkeypatch.setenv(deadline.ENVIRONMENT, "1")
    monkeypatch.setattr(deadline, "_cut_only", True)  # passes at the held stage
    release = threading.Event()

    def stuck(*args: object, **kwargs: object) -> None:
        deadline.cut_short()
        release.wait()

    monkeypatch.setattr(pods_methods, "kube_default", stuck)
    try:
        result = schedkit.solve(cluster, "kube-default", time_limit=0.5)
    finally:
        release.set()
        deadline.wait_for_abandoned()
    assert result.stats["hard_deadline"] is True and result.status == "feasible"
    assert result.stats["offered"].startswith("the plan that changes nothing")
    assert schedkit.check(cluster, result).feasible


def test_an_abandoned_cpsat_builds_no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """The flag raised by the time the warm start ends: cpsat answers `unknown` (dropped) without
    building or solving the CP-SAT model."""
    cluster = _full(3, 2, 4)
    assert schedkit.solve(cluster, "cpsat").stats["stages_solved"] > 0
    monkeypatch.setattr(deadline, "stop_flag", raised)  # what deadline.stopped() reads
    result = schedkit.solve(cluster, "cpsat")
    assert result.status == "unknown" and result.solution is None
    assert "stages_solved" not in result.stats

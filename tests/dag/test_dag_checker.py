"""The DAG checker: every rule it enforces, on hand-made schedules of small graphs."""

from __future__ import annotations

import schedkit
from schedkit.dag.model import DAGInstance

# Two tasks, 1 -> 2 with communication 5; costs 3 and 4 on both processors.
CHAIN = DAGInstance(cost=[[3, 3], [4, 4]], edges=[[0, 1]], data=[5], name="chain")


def _check(instance, processor, start, objective=None):
    return schedkit.check(instance, {"processor": processor, "start": start}, objective)


def test_same_processor_pays_no_communication():
    """1 then 2 on P1: 2 may start at 3; makespan 7."""
    report = _check(CHAIN, [0, 0], [0, 3])
    assert report.feasible and report.objective == 7


def test_other_processor_pays_the_communication():
    """2 on P2 must wait 3 + 5 = 8: at 7 it is a violation, at 8 fine."""
    bad = _check(CHAIN, [0, 1], [0, 7])
    assert not bad.feasible and "task 2 starts at 7 before 8" in bad.violations[0]
    assert _check(CHAIN, [0, 1], [0, 8]).objective == 12


def test_overlap_on_a_processor():
    """Two independent tasks on one processor at overlapping times are refused."""
    x = DAGInstance(cost=[[3], [4]])
    report = _check(x, [0, 0], [0, 2])
    assert not report.feasible and "overlap" in report.violations[0]
    assert _check(x, [0, 0], [4, 0]).feasible


def test_zero_cost_task_occupies_nothing():
    """A zero-cost task may sit inside another task's interval on the same processor."""
    x = DAGInstance(cost=[[5], [0]])
    assert _check(x, [0, 0], [0, 2]).objective == 5


def test_network_delay_is_latency_plus_rounded_up_transfer():
    """data 5 over bandwidth 2 with latency 1 from P1: 1 + ceil(5 / 2) = 4."""
    x = CHAIN.replace(bandwidth=[[1, 2], [2, 1]], latency=[1, 0])
    assert not _check(x, [0, 1], [0, 6]).feasible
    assert _check(x, [0, 1], [0, 7]).objective == 11
    assert _check(x, [0, 0], [0, 3]).objective == 7


def test_malformed_solutions():
    """Wrong lengths, non-integers, unknown processors and negative starts are listed."""
    assert "lists 1 values" in _check(CHAIN, [0], [0, 3]).violations[0]
    assert "not an integer" in _check(CHAIN, [0, 0.5], [0, 3]).violations[0]
    assert "processor 2 does not exist" in _check(CHAIN, [0, 2], [0, 3]).violations[0]
    assert "before time 0" in _check(CHAIN, [0, 0], [-1, 3]).violations[0]
    assert 'no "start" list' in schedkit.check(CHAIN, {"processor": [0, 0]}).violations[0]


def test_claimed_objective_must_match():
    """A claimed makespan other than the recomputed one is a violation."""
    report = _check(CHAIN, [0, 0], [0, 3], objective=6)
    assert not report.feasible and "claimed objective 6" in report.violations[0]

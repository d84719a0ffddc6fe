"""DAG `cpsat` builds its model against a deadline (solvers/build_deadline.py): its loops look at
the clock every CHUNK tasks or edges and, once the deadline has passed, the warm start comes back
`feasible`, as offered. Regression: nothing looked at the clock while the model was built, so
40,000 tasks on 2 processors at 2 s (hard deadline off) returned after 4.4 s, outside the
promise (2.5 s); 50,000 tasks on 1 processor after 5.0 s. No assertion depends on speed: the
clock here is a share of 0 or a clock that counts its reads."""

from __future__ import annotations

import time

import pytest

import schedkit
from schedkit import deadline
from schedkit.dag.solvers import build_deadline, cpsat
from schedkit.dag.solvers.build_deadline import CHUNK, OutOfTime, polled
from tests.verdicts import assert_checked

NOT_BUILT = "model not built within the time limit"
READS = 115  # fig. 2 with CHUNK 1: 10 tasks x (variables, one processor each, makespan, hint),
# 3 processors x 10 tasks x (no overlap, loads), 15 edges (precedences); no symmetry cuts


def _counting_clock(past_after: int):
    """A clock that reads 0 for its first `past_after` reads and +inf from then on."""
    reads = [0]

    def clock() -> float:
        reads[0] += 1
        return 0.0 if reads[0] <= past_after else float("inf")

    return clock, reads


def test_the_clock_is_read_once_a_chunk():
    """Ten chunks, the clock past on its third read: two chunks pass, then OutOfTime; a clock
    never past lets every item pass, read once a chunk."""
    clock, reads = _counting_clock(2)
    taken: list[int] = []
    with pytest.raises(OutOfTime):
        taken.extend(polled(range(10 * CHUNK), 1.0, clock))
    assert len(taken) == 2 * CHUNK and reads[0] == 3
    clock, reads = _counting_clock(10**9)
    assert list(polled(range(10 * CHUNK), 1.0, clock)) == list(range(10 * CHUNK))
    assert reads[0] == 10


def test_no_time_to_build_returns_the_offered_warm_start(monkeypatch, fig2):
    """A build share of 0 (the deadline passed as the build starts): HEFT's 80, checked, `feasible`
    with the instance's bound, saying why; the same schedule was offered to the guard before."""
    monkeypatch.setattr(build_deadline, "BUILD_SHARE", 0.0)
    since = time.perf_counter()
    result = schedkit.solve(fig2, "cpsat", time_limit=30, workers=1)
    assert result.stats["solver_status"] == NOT_BUILT
    assert result.status == "feasible" and result.objective == result.stats["warm_start"] == 80
    assert result.bound == fig2.lower_bound()
    assert_checked(fig2, result)
    offered = deadline.latest_offer(since)
    assert offered is not None and offered.stats["offered"] == "the warm start"
    assert offered.solution == result.solution


@pytest.mark.parametrize("past_after", [0, 5, 25, 50, 70, 90, 110])
def test_a_deadline_passing_anywhere_in_the_build_returns_the_warm_start(monkeypatch, fig2, past_after):
    """The clock past at any read (inside the variables, each constraint family, the hint): the
    warm start, checked."""
    monkeypatch.setattr(build_deadline, "CHUNK", 1)
    clock, reads = _counting_clock(past_after)
    monkeypatch.setattr(cpsat, "polled", lambda items, until: polled(items, until, clock))
    result = schedkit.solve(fig2, "cpsat", time_limit=30, workers=1)
    assert reads[0] == past_after + 1
    assert result.stats["solver_status"] == NOT_BUILT and result.objective == 80
    assert_checked(fig2, result)


def test_a_deadline_never_reached_builds_and_proves(monkeypatch, fig2):
    """The same clock never past: every read made, and the model proves the optimum 73."""
    monkeypatch.setattr(build_deadline, "CHUNK", 1)
    clock, reads = _counting_clock(READS)
    monkeypatch.setattr(cpsat, "polled", lambda items, until: polled(items, until, clock))
    result = schedkit.solve(fig2, "cpsat", time_limit=None, workers=1)
    assert reads[0] == READS
    assert result.status == "optimal" and result.objective == 73

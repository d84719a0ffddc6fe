"""`cpsat`'s LP bound thread does not outlive the method: on return it is cancelled and handed to
the HiGHS leftovers that the interpreter's exit waits for (a HiGHS thread alive at exit aborted
the process, exit code 134, after a correct answer)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

import schedkit
from schedkit.common.mip import LEFTOVERS, wait_for_leftovers
from schedkit.groundstation.solvers import bound_job

CONTROLS: list[Any] = []  # the controls the stand-in LP ran under


def _lp_until_cancelled(instance: Any, options: Any, seconds: Any, grid: int, *, control: Any
                        ) -> tuple[int, dict]:
    """A stand-in for the interval LP that runs until its control is cancelled (10 s at most)."""
    CONTROLS.append(control)
    for _ in range(1000):
        if control.requested:
            break
        threading.Event().wait(0.01)
    return 0, {}


def test_an_early_answer_cancels_the_lp_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every request served by the warm start: `cpsat` answers optimal at once; the LP thread
    it started is cancelled and listed with the leftovers, and then ends."""
    monkeypatch.setattr(bound_job, "interval_bound_and_guide", _lp_until_cancelled)
    x = schedkit.generate.groundstation(25, seed=0, requests=3)
    before = set(threading.enumerate())
    result = schedkit.solve(x, "cpsat", time_limit=15, workers=1)
    assert result.status == "optimal" and schedkit.check(x, result).feasible
    jobs = [t for t in set(threading.enumerate()) - before if isinstance(t, bound_job.BoundJob)]
    assert CONTROLS and all(control.requested for control in CONTROLS)  # the LP ran, and was told to stop
    for job in jobs:
        assert job.control.requested and job.stopping
        assert not job.is_alive() or job in LEFTOVERS
    assert wait_for_leftovers()
    assert not any(job.is_alive() for job in jobs)

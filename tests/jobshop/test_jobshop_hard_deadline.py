"""`cpsat` past the hard deadline: the caller gets the schedule the method offered before its
last phase (checked), not `unknown`."""

from __future__ import annotations

import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

import schedkit
from schedkit import deadline
from schedkit.jobshop.solvers import cpsat as jobshop_cpsat
from tests.cold_cache import answer_past_a_held_import
from tests.jobshop.conftest import classic


def test_a_stuck_phase_still_leaves_the_offered_schedule(monkeypatch: pytest.MonkeyPatch):
    """ta01 with 2 s, the LNS phase held until after the deadline: a checked `feasible`
    schedule comes back, marked hard_deadline."""
    schedkit.solve(classic("ft06"), "mwkr")  # the rules' kernel loaded: the warm start fits 2 s
    monkeypatch.setenv(deadline.ENVIRONMENT, "1")
    monkeypatch.setattr(deadline, "_cut_only", True)  # passes at the held stage
    release = threading.Event()

    def stuck(cp_model, jm, instance, incumbent, *rest):
        deadline.cut_short()
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
    x = replace(classic("la16"), buffers="blocking" if blocking else "unlimited")
    result = answer_past_a_held_import(monkeypatch, jobshop_cpsat, x, "cpsat", workers=1)
    assert result.stats["hard_deadline"] is True and result.status == "feasible"
    assert "plain-Python" in result.stats["offered"]
    assert schedkit.check(x, result).feasible


ABANDONED_RUN_CANCELLING_HIGHS = """
import sys, threading, time
from schedkit import deadline
from schedkit.common import mip

def highs_ending():  # a cancelled HiGHS run takes a moment to return
    time.sleep(0.5)
    open(sys.argv[1], "w").write("ended")

def abandoned_solve():  # the mip's thread, left by the hard deadline, meets its own deadline
    time.sleep(0.3)
    run = threading.Thread(target=highs_ending, daemon=True)
    run.start()
    mip.LEFTOVERS.append(run)

thread = threading.Thread(target=abandoned_solve, daemon=True)
thread.start()
deadline._abandoned.append(thread)
"""


def test_exit_waits_for_the_highs_run_an_abandoned_solve_cancels(tmp_path: Path):
    """Regression: `schedkit.solve(x, "mip", time_limit=1)` on 10,000 operations, each on its
    own machine, then the script's end: 4 of 12 runs under load aborted ("terminate called
    without an active exception", exit 134). At exit the HiGHS leftovers were waited for before
    the abandoned solve, which then cancelled its HiGHS run and left it running at teardown."""
    flag = tmp_path / "ended"
    done = subprocess.run([sys.executable, "-c", ABANDONED_RUN_CANCELLING_HIGHS, str(flag)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert flag.exists()

"""Every family's `mip` when HiGHS runs past the deadline: the call still answers by it, keeps its
checked warm start and reports a bound on the right side (common/highs_deadline.py)."""

from __future__ import annotations

import pytest

import schedkit
from schedkit.common import highs_deadline
from schedkit.common.mip import wait_for_leftovers
from tests.conftest import WT40_OPT
from tests.conftest import wt40 as _wt40
from tests.groundstation.cases import mixed
from tests.jobshop.conftest import classic

FT10_OPTIMUM = 930
MIXED_OPTIMUM = 10800  # unserved seconds, proven by cpsat and mip in the groundstation tests


@pytest.fixture(autouse=True)
def no_leftover_after():
    """A cancelled HiGHS run ends before the next test of this worker needs HiGHS."""
    yield
    wait_for_leftovers()


def test_jobshop_mip_keeps_its_warm_start_when_highs_runs_on(monkeypatch):
    """ft10's big-M MIP is never proven in 3 s: HiGHS, told to stop 60 s after the deadline, is
    cancelled at it, and the answer is the best rule's schedule with a bound <= the optimum."""
    schedkit.solve(classic("ft06"), "mwkr")  # the rules' kernel loaded: the warm start fits 3 s
    monkeypatch.setattr(highs_deadline, "RESERVE", -60.0)
    x = classic("ft10")
    result = schedkit.solve(x, "mip", time_limit=3, workers=1)
    assert schedkit.check(x, result).feasible
    assert result.status == "feasible"
    if result.stats.get("model_built", True):  # else a loaded machine spent 3 s before HiGHS
        assert result.stats["solver_status"] == "cancelled at the deadline"
        assert result.objective == result.stats["warm_start"]
    assert result.bound is None or result.bound <= FT10_OPTIMUM
    # the next HiGHS run waits for the cancelled one, then works as usual (no time limit: it
    # waits as long as the leftover takes and proves 55 at any speed)
    assert schedkit.solve(classic("ft06"), "mip", time_limit=None, workers=1).objective == 55


def test_smtt_mip_answers_by_the_deadline_with_a_valid_bound(monkeypatch):
    """wt40 #7 with 2 s and HiGHS told to run 60 s longer: a checked sequence, never worse than
    the warm start's, and a bound <= the optimum."""
    monkeypatch.setattr(highs_deadline, "RESERVE", -60.0)
    x = _wt40(7)
    result = schedkit.solve(x, "mip", time_limit=2, workers=1)
    assert schedkit.check(x, result).feasible
    assert result.status in {"feasible", "optimal"}
    assert result.objective >= WT40_OPT[6]
    assert result.bound is None or result.bound <= WT40_OPT[6]
    if result.stats.get("solver_status") == "cancelled at the deadline":
        assert result.status == "feasible"


def test_groundstation_mip_cancelled_has_no_false_claim(monkeypatch):
    """The mixed fixture with a time limit HiGHS may or may not meet: either the proven optimum,
    or no claim beyond a bound <= it (the MIP has no warm start)."""
    monkeypatch.setattr(highs_deadline, "RESERVE", -60.0)
    x = mixed()
    result = schedkit.solve(x, "mip", time_limit=0.6, workers=1)
    if result.status == "optimal":
        assert result.objective == MIXED_OPTIMUM
    else:
        assert result.bound is None or result.bound <= MIXED_OPTIMUM
    if result.solution is not None:
        assert schedkit.check(x, result).feasible
        assert result.objective >= MIXED_OPTIMUM

"""RCPSP `mip` when HiGHS overruns its own time limit: the warm start survives the deadline."""

from __future__ import annotations

import schedkit
from schedkit.common import highs_deadline
from tests.rcpsp.conftest import REFERENCES, psplib


def test_a_highs_run_past_the_deadline_leaves_the_warm_start(monkeypatch):
    """HiGHS told to stop 60 s after the deadline (as when it overruns its own limit, seen on
    j6013_1 at 10 s): the call still answers with its checked warm start and a valid bound."""
    monkeypatch.setattr(highs_deadline, "RESERVE", -60.0)
    x = psplib("j6013_1")
    result = schedkit.solve(x, "mip", time_limit=4, workers=1)
    assert schedkit.check(x, result).feasible
    assert result.status == "feasible"
    assert result.objective == result.stats["warm_start"]
    assert result.bound is not None and result.bound <= int(REFERENCES["j6013_1"]["upper_bound"])
    if result.stats["solver_status"] != "model not built within the time limit":
        assert result.stats["solver_status"] == "cancelled at the deadline"
    # the next HiGHS run waits for the cancelled one and still proves what it should (no time
    # limit: it waits as long as the leftover takes, and the proof does not hang on speed)
    tiny_result = schedkit.solve(psplib("j301_1"), "mip", time_limit=None, workers=1)
    assert tiny_result.status == "optimal"

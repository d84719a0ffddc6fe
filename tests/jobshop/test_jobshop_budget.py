"""Time-limit discipline (issue 16) asserted by what holds at any speed, never by wall time."""

from __future__ import annotations

import numpy as np
import pytest

import schedkit
from schedkit.errors import ProblemTooLarge
from schedkit.jobshop.solvers import mip as jobshop_mip
from tests.jobshop.conftest import classic


def test_mip_skips_a_model_it_cannot_build_in_the_budget() -> None:
    """ta71 has 99,000 machine pairs: far more than half of 3 s of PuLP building, so the answer
    is the best rule's schedule, checked, with the reason (not a size refusal)."""
    x = classic("ta71")
    result = schedkit.solve(x, method="mip", time_limit=3, workers=1)
    assert result.stats["model_built"] is False and "not built" in result.stats["solver_status"]
    # a schedule even when the rules' kernel could not load in time (then the plain round robin)
    assert result.status == "feasible" and schedkit.check(x, result).feasible


def test_mip_counts_operations_in_its_build_estimate() -> None:
    """Regression: 10,000 operations, each on a machine of its own, have no machine pair, so the
    estimate was 0 s and the model was built: 100,000 took 19 s against a limit of 2 (listing
    the pairs scanned all 10^5 machines: 10 s; PuLP's rows and variables: 4 s). At 40 µs per
    operation and more, 10,000 cannot be built in half of 1 s: the best rule's schedule."""
    ops = 10_000
    x = schedkit.JobShopInstance(machines=ops, job_ptr=np.arange(0, ops + 1, 100), op_ptr=np.arange(ops + 1),
                                 alt_machine=np.arange(ops), alt_duration=np.ones(ops, np.int64))
    result = schedkit.solve(x, method="mip", time_limit=1, workers=1)
    assert result.stats["model_built"] is False and "10000 operations" in result.stats["solver_status"]
    assert result.status == "feasible" and schedkit.check(x, result).feasible


def test_mip_beyond_its_pair_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """More machine pairs than MAX_PAIRS is a size refusal whatever the time limit (ft06 has
    90; the limit lowered to 50)."""
    monkeypatch.setattr(jobshop_mip, "MAX_PAIRS", 50)
    with pytest.raises(ProblemTooLarge, match="machine pairs"):
        schedkit.solve(classic("ft06"), method="mip", time_limit=60, workers=1)


def test_auto_and_cpsat_report_compile_seconds() -> None:
    """The kernels' load or compile time is reported inside the budget's stats."""
    result = schedkit.solve(classic("ft06"), method="cpsat", time_limit=2, workers=1)
    assert result.stats["compile_seconds"] >= 0
    assert result.stats["warm_start"] >= result.objective

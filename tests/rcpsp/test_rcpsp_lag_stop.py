"""The lag SGS polls the solve's stop flag (raised when the hard deadline abandons the run): a
first pass of 1,500 activities with maximum lags ran minutes of restarts on after the answer."""

from __future__ import annotations

import numpy as np
import pytest

import schedkit
from schedkit.common.compile import python_twin
from schedkit.common.rng import seed_state
from schedkit.rcpsp.heuristics import lag_kernels
from schedkit.rcpsp.heuristics.lags import tail_priority
from schedkit.rcpsp.temporal import NO_PATH, analyse, lag_horizon
from tests.rcpsp.test_rcpsp_cold_cache import DATA


@pytest.mark.parametrize("compiled", [True, False], ids=["kernel", "twin"])
@pytest.mark.parametrize("name", ["PSP1.SCH"])
def test_a_raised_flag_ends_the_passes_with_no_schedule(name: str, compiled: bool) -> None:
    """Flag down: the passes find schedules; raised: not one pass runs to a schedule."""
    x = schedkit.load(DATA / name)
    temporal = analyse(x)
    assert temporal.feasible
    kernel = lag_kernels.lag_sample if compiled else python_twin(lag_kernels.lag_sample)
    args = (x.durations, x.demands, x.capacities, temporal.distances, temporal.earliest,
            lag_horizon(x), tail_priority(x, temporal), 1.0, 3 * x.n, NO_PATH)
    down = kernel(*args, np.zeros(1, dtype=np.uint8), 20, seed_state(1))
    raised = kernel(*args, np.ones(1, dtype=np.uint8), 20, seed_state(1))
    assert down[2] >= 1 and down[1] >= 0
    assert raised[2] == 0 and raised[1] == -1 and raised[0].size == 0

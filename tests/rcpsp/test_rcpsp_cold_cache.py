"""A cold numba cache: while the SGS kernels compile, RCPSP methods answer from plain Python
(heuristics/plain.py) instead of running out their time limit. Asserted the way it holds at any
machine speed: a compilation made slow on purpose, and a real cold cache whose run may or may
not finish compiling in time (either way the answer is a checked schedule)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.common.compile import python_twin
from schedkit.common.rng import seed_state
from schedkit.rcpsp.bounds import lower_bound
from schedkit.rcpsp.heuristics import compiled as rcpsp_compiled
from schedkit.rcpsp.heuristics import lag_kernels, plain
from schedkit.rcpsp.heuristics.lags import tail_priority
from schedkit.rcpsp.heuristics.methods import schedule_result, sgs
from schedkit.rcpsp.temporal import NO_PATH, analyse, lag_horizon
from tests.cold_cache import cold_answer, slow_warm_ups
from tests.rcpsp.conftest import optimum, psplib
from tests.rcpsp.strategies import projects

ROOT = Path(__file__).resolve().parents[2]
COLD_METHODS = ("sgs-serial", "sgs-parallel", "sampling", "fbi", "ga", "cpsat", "cpsat-lns",
                "auto", "mip")


@settings(max_examples=60, deadline=None)
@given(projects(max_activities=12, max_resources=3))
def test_the_plain_schedule_is_the_serial_lft_pass_and_feasible(instance):
    """The plain pass is the kernels' serial SGS with the LFT rule, start for start, and it
    passes the checker."""
    start = plain.serial_lft(instance)
    assert start is not None
    assert np.array_equal(start, sgs(instance, "lft", parallel=False))
    result = schedule_result(instance, start, lower_bound(instance))
    report = schedkit.check(instance, result)
    assert report.feasible and report.objective == result.objective


def test_the_plain_windows_are_the_kernels_python_code():
    """Earliest and latest starts from the kernels' py_func equal the compiled kernels'."""
    x = psplib("j3010_1")
    horizon = int(x.durations.sum())
    compiled_es, compiled_ls = plain.earliest_starts(x), plain.latest_starts(x, horizon)
    python_es = plain.kernels.earliest_starts.py_func(x.order, x.durations, x.pred_ptr, x.pred_idx)
    python_ls = plain.kernels.latest_starts.py_func(x.order, x.durations, x.succ_ptr, x.succ_idx,
                                                    horizon)
    assert np.array_equal(compiled_es, python_es) and np.array_equal(compiled_ls, python_ls)


@pytest.fixture
def slow_compilation(monkeypatch):
    """The SGS and GA kernels look uncompiled and their warm-ups wait until the test ends."""
    with slow_warm_ups(monkeypatch, rcpsp_compiled, ("_warm_sgs", "_warm_ga"),
                       ("compiled", "_ga_compiled")):
        yield


@pytest.mark.parametrize("method", COLD_METHODS)
def test_a_compilation_outlasting_the_limit_still_answers(slow_compilation, method):
    """Every method at 1 s while its kernels 'compile': a checked schedule, a bound below the
    objective, `optimal` only at j3010_1's optimum, and the heuristics say they fell back."""
    x = psplib("j3010_1")
    result = schedkit.solve(x, method, time_limit=1, workers=1)
    report = schedkit.check(x, result)
    assert report.feasible and report.objective == result.objective
    assert result.bound is not None and result.bound <= result.objective
    if result.status == "optimal":
        assert result.objective == optimum("j3010_1")
    assert result.stats["compiling"] is True and result.stats["compile_seconds"] >= 0


@pytest.mark.parametrize("method", ["cpsat", "fbi"])
def test_a_real_cold_cache_answers_within_a_second(tmp_path, method):
    """An empty numba cache, 1 s: a checked schedule (whether the kernels compiled in time or
    the plain pass answered), never `unknown`."""
    answer = cold_answer(ROOT / "instances" / "rcpsp" / "j30" / "j3010_1.sm", method, tmp_path)
    assert answer["status"] in ("optimal", "feasible") and answer["checked"]


DATA = ROOT / "tests" / "data" / "rcpsp"


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(["PSP1.SCH", "PSP2.SCH"]), st.integers(0, 2**31 - 2),
       st.sampled_from([-1.0, 1.0]))
def test_the_lag_sampler_twin_draws_exactly_as_the_kernel(name, seed, alpha):
    """The lag SGS as plain Python repeats the compiled kernel's passes, random draws included
    (uint64 state arithmetic wraps the same way)."""
    x = schedkit.load(DATA / name)
    temporal = analyse(x)
    if not temporal.feasible:
        return
    args = (x.durations, x.demands, x.capacities, temporal.distances, temporal.earliest,
            lag_horizon(x), tail_priority(x, temporal), alpha, 3 * x.n, NO_PATH,
            np.zeros(1, dtype=np.uint8), 3, seed_state(seed))
    compiled = lag_kernels.lag_sample(*args)
    twin = python_twin(lag_kernels.lag_sample)(*args)
    assert np.array_equal(compiled[0], twin[0]) and compiled[1:3] == twin[1:3]
    assert int(compiled[3]) == int(twin[3])


@pytest.fixture
def slow_lag_compilation(monkeypatch):
    """The lag kernels look uncompiled and their warm-up waits until the test ends."""
    with slow_warm_ups(monkeypatch, rcpsp_compiled, ("_warm_lags",), ("_lags_compiled",)):
        yield


@pytest.mark.parametrize("method", ["cpsat", "sgs-lags", "auto"])
def test_lag_methods_answer_while_their_kernels_compile(slow_lag_compilation, method):
    """At 1 s with the lag kernels 'compiling': on PSP1 (optimum 26) a checked schedule (or
    `unknown` from the heuristic), on PSP2 (unsat) never a schedule; the runs say they fell back."""
    x = schedkit.load(DATA / "PSP1.SCH")
    result = schedkit.solve(x, method, time_limit=1, workers=1)
    assert result.stats["compiling"] is True
    assert result.status in ("optimal", "feasible", "unknown")
    if result.solution is not None:
        report = schedkit.check(x, result)
        assert report.feasible and report.objective == result.objective
        assert result.bound is None or result.bound <= result.objective
        assert result.status != "optimal" or result.objective == 26
    unsat = schedkit.solve(schedkit.load(DATA / "PSP2.SCH"), method, time_limit=1, workers=1)
    assert unsat.status in ("infeasible", "unknown") and unsat.solution is None


@settings(max_examples=60, deadline=None)
@given(projects(max_activities=12, max_resources=3))
def test_one_activity_after_another_is_feasible(instance):
    """The O(n) fallback checks, and its makespan is the sum of the durations."""
    result = schedule_result(instance, plain.one_after_another(instance), lower_bound(instance))
    report = schedkit.check(instance, result)
    assert report.feasible and report.objective == result.objective == int(instance.durations.sum())


@pytest.mark.parametrize("method", COLD_METHODS)
def test_a_plain_pass_longer_than_the_time_left_is_not_started(slow_compilation, monkeypatch, method):
    """Regression: every size ran the plain serial pass (about n² steps) while the kernels
    compiled: 20,000 activities took minutes under a 2 s limit (2,000 unrelated ones 7.5 s).
    With the pass made an hour per activity pair, the activities run one after another at once."""
    monkeypatch.setattr(plain, "SECONDS_PER_PAIR", 3600.0)
    x = psplib("j3010_1")
    result = schedkit.solve(x, method, time_limit=1, workers=1)
    report = schedkit.check(x, result)
    assert report.feasible and report.objective == result.objective
    assert result.stats["compiling"] is True
    assert result.stats["note"] == plain.SEQUENTIAL_NOTE or method in ("cpsat", "cpsat-lns", "auto")
    assert result.objective <= int(x.durations.sum())
    assert result.bound is not None and result.bound <= result.objective


def test_without_a_time_limit_the_plain_pass_always_runs(monkeypatch):
    """No limit: the serial LFT pass, whatever its estimate."""
    monkeypatch.setattr(plain, "SECONDS_PER_PAIR", 3600.0)
    x = psplib("j3010_1")
    start, note = plain.fallback(x, None)
    assert note == plain.LFT_NOTE and np.array_equal(start, plain.serial_lft(x))
    start, note = plain.fallback(x, 1.0)
    assert note == plain.SEQUENTIAL_NOTE and np.array_equal(start, plain.one_after_another(x))

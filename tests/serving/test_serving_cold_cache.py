"""A cold numba cache: while the simulator compiles, serving methods run its Python twin (the
same simulation, slower) instead of running out their time limit. Asserted at any speed: the
twin's output equals the kernel's, a compilation made slow on purpose, and a real cold cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.common import compile as compile_module
from schedkit.common.compile import python_twin
from schedkit.serving.heuristics import kernel
from schedkit.serving.heuristics import simulate as serving_simulate
from schedkit.serving.heuristics.policies import continuum_policy
from schedkit.serving.heuristics.simulate import Policy, run_kernel
from tests.cold_cache import cold_answer, slow_warm_ups

ROOT = Path(__file__).resolve().parents[2]
TRACES = ROOT / "instances" / "serving"
POLICIES = (Policy("request", "drop"), Policy("request", "lru"), Policy("program", "lru"),
            Policy("las", "lru"), Policy("srpt", "lru"))


def _same(left: tuple, right: tuple) -> bool:
    return all(np.array_equal(a, b, equal_nan=True) if isinstance(a, np.ndarray) else a == b
               for a, b in zip(left, right, strict=True))


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 12), st.sampled_from(["swe", "bfcl"]), st.integers(0, 10**6),
       st.sampled_from(range(len(POLICIES) + 1)))
def test_the_python_twin_simulates_exactly_as_the_kernel(programs, workload, seed, which):
    """Every log of the twin equals the compiled kernel's, on generated traces."""
    x = schedkit.generate.serving(programs, workload, seed=seed)
    policy = continuum_policy(x) if which == len(POLICIES) else POLICIES[which]
    twin = python_twin(kernel.simulate)
    assert _same(run_kernel(x, policy), run_kernel(x, policy, twin))


@pytest.fixture
def slow_compilation(monkeypatch):
    """The simulator's warm-up waits until the test ends, as a cold compilation would."""
    with slow_warm_ups(monkeypatch, serving_simulate, ("_warm",)):
        yield


@pytest.mark.parametrize("method", [row.name for row in schedkit.methods("serving")])
def test_a_compilation_outlasting_the_limit_gives_the_same_answer(slow_compilation, method):
    """Every method at 1 s while the simulator 'compiles': the twin's answer, through the
    checker, equal to the compiled run's (ttl-opt's tuning stops on the clock: checked only)."""
    x = schedkit.load(TRACES / "swe-8.jsonl")
    cold = schedkit.solve(x, method, time_limit=1)
    assert cold.stats["compiling"] is True and schedkit.check(x, cold).feasible
    compile_module._DONE.add("serving")  # the kernel itself is compiled in this process
    warm = schedkit.solve(x, method, time_limit=1)
    if method != "ttl-opt":
        assert cold.objective == warm.objective


def test_a_real_cold_cache_answers_within_a_second(tmp_path):
    """An empty numba cache, 1 s: a checked simulation, never `unknown`."""
    answer = cold_answer(TRACES / "swe-8.jsonl", "continuum", tmp_path)
    assert answer["status"] == "feasible" and answer["checked"]

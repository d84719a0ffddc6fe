"""A cold numba cache (a fresh install): pods methods answer a short time limit with the plan
that changes nothing while kube-default's kernel compiles, asserted the way it holds at any
speed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.pods.heuristics import methods as pods_methods
from schedkit.pods.heuristics.methods import UNCHANGED_NOTE, placement_result, unchanged
from schedkit.pods.objective import objective
from schedkit.pods.solvers.cpsat import DEFAULT_STATS
from tests.cold_cache import cold_answer, slow_warm_ups
from tests.pods.strategies import clusters
from tests.verdicts import assert_checked

ROOT = Path(__file__).resolve().parents[2]
GRID = ROOT / "instances" / "pods" / "grid.jsonl"
FIRST = f"{GRID}#1"


def assert_unchanged(instance: schedkit.PodsInstance, result: schedkit.Result) -> None:
    """Valid, and nothing bound, moved or evicted: running pods stay, pending ones wait."""
    assert_checked(instance, result)
    assert result.stats["binds"] == result.stats["moves"] == result.stats["evictions"] == 0
    assert result.stats["pending"] == int(np.sum(instance.pod_node < 0))


def test_the_unchanged_plan_is_valid_on_the_bundled_clusters():
    """The current state of every bundled cluster passes the checker as a plan."""
    for instance in schedkit.load_all(GRID):
        assert_unchanged(instance, placement_result(instance, unchanged(instance)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clusters(max_nodes=4, max_pods=9))
def test_the_unchanged_plan_is_valid_on_random_clusters(instance):
    """Taints, selectors, cordons, immovable pods: the unchanged plan always checks, and is
    optimal exactly when no pod is pending."""
    result = placement_result(instance, unchanged(instance))
    assert_unchanged(instance, result)
    assert (result.status == "optimal") == bool(np.all(instance.pod_node >= 0))


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 3), st.floats(0.1, 1.2),
       st.integers(0, 10_000))
def test_the_unchanged_plan_is_valid_on_generated_clusters(nodes, per_node, priorities, load, seed):
    """The same on the generator's clusters."""
    instance = schedkit.generate.pods(nodes, per_node, priorities, load, seed=seed)
    assert_unchanged(instance, placement_result(instance, unchanged(instance)))


@pytest.fixture
def slow_compilation(monkeypatch):
    """kube-default's kernel looks uncompiled and its warm-up waits until the test ends (the
    real kernel compiled first, for the runs after)."""
    pods_methods.ensure_compiled()
    with slow_warm_ups(monkeypatch, pods_methods, ("_warm_kernels",), ("compiled",)):
        yield


@pytest.mark.parametrize("method", ["kube-default", "cpsat", "auto"])
def test_a_compilation_outlasting_the_limit_still_answers(slow_compilation, method):
    """The kernel compiling past a 0.5 s limit: every method returns a checked plan built
    without it (stats `compiling`, a note); CP-SAT starts from the unchanged plan and never
    ends behind it."""
    instance = schedkit.load(FIRST)
    result = schedkit.solve(instance, method, time_limit=0.5, workers=1)
    assert_checked(instance, result)
    assert result.stats["compiling"] and result.stats["note"] == UNCHANGED_NOTE
    assert result.stats["compile_seconds"] >= 0
    if method == "kube-default":
        assert_unchanged(instance, result)
    else:
        assert result.stats["warm_start"] == "unchanged"
        assert all(result.stats[key] is None for key in DEFAULT_STATS)
        assert result.objective <= objective(instance, unchanged(instance))


def test_a_bad_scoring_is_refused_while_compiling(slow_compilation):
    """The option is checked before the fallback: a typo is an error, not a silent plan."""
    instance = schedkit.load(FIRST)
    for method in ("kube-default", "cpsat"):
        with pytest.raises(schedkit.SchedkitError, match="scoring"):
            schedkit.solve(instance, method, time_limit=0.5, scoring="Nope")


def test_a_real_cold_cache_answers_within_the_limit(tmp_path):
    """A fresh process with an empty numba cache: kube-default at 1 s answers (its kernel
    compiled in time, or the unchanged plan), never `unknown`."""
    answer = cold_answer(FIRST, "kube-default", tmp_path)
    assert answer["status"] != "unknown" and answer["checked"]

"""A cold numba cache (a fresh install): DAG methods answer a short time limit with the
one-processor schedule while their kernels compile, asserted the way it holds at any speed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.dag.heuristics import compiled as dag_compiled
from schedkit.dag.heuristics import plain
from schedkit.dag.heuristics.methods import plain_result
from tests.cold_cache import cold_answer, slow_warm_ups
from tests.dag.strategies import dag_instances
from tests.verdicts import assert_checked

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = [ROOT / "instances" / "dag" / name for name in
           ("topcuoglu2002_fig2.json", "random_small.jsonl", "random_v100.jsonl", "random_v1000.jsonl")]
FIG2 = BUNDLED[0]
HEURISTICS = ("heft", "peft", "cpop")


def _bundled() -> list[schedkit.DAGInstance]:
    return [instance for path in BUNDLED for instance in schedkit.load_all(path)]


def test_the_plain_schedule_is_valid_on_the_bundled_instances():
    """Every task on the cheapest processor, back to back: it passes the checker, its makespan
    is that processor's total cost, and its bound is the instance's lower bound."""
    for instance in _bundled():
        result = plain_result(instance, 0.0)
        assert_checked(instance, result)
        assert result.objective == int(instance.cost.sum(axis=0).min())
        assert result.bound == instance.lower_bound()
        assert result.stats["compiling"] and result.stats["note"] == plain.NOTE


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dag_instances(max_tasks=9, max_processors=4))
def test_the_plain_schedule_is_valid_on_random_graphs(instance):
    """Zero costs, networks, any edge order: the one-processor schedule always checks."""
    assert_checked(instance, plain_result(instance, 0.0))


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 30), st.integers(1, 5), st.integers(0, 10_000))
def test_the_plain_schedule_is_valid_on_generated_graphs(tasks, processors, seed):
    """The same on the generator's graphs."""
    instance = schedkit.generate.dag(tasks, processors, seed)
    assert_checked(instance, plain_result(instance, 0.0))


@pytest.fixture
def slow_compilation(monkeypatch):
    """The DAG kernels look uncompiled and their warm-up waits until the test ends (the real
    kernels compiled first, for the runs after)."""
    dag_compiled.ensure_compiled()
    with slow_warm_ups(monkeypatch, dag_compiled, ("_warm_kernels",), ("compiled",)):
        yield


@pytest.mark.parametrize("method", [*HEURISTICS, "cpsat", "auto"])
def test_a_compilation_outlasting_the_limit_still_answers(slow_compilation, method):
    """Kernels compiling past a 0.5 s limit: every method returns a checked plan, built without
    them (stats `compiling`, a note); CP-SAT starts from the one-processor schedule."""
    instance = schedkit.load(FIG2)
    result = schedkit.solve(instance, method, time_limit=0.5, workers=1)
    assert_checked(instance, result)
    assert result.stats["compiling"] and result.stats["note"] == plain.NOTE
    assert result.stats["compile_seconds"] >= 0
    if method in HEURISTICS:
        assert result.status == "feasible" and result.objective == 127  # P2's total cost
    if method in ("cpsat", "auto"):
        assert result.stats["warm_start_method"] == "one-processor"
        assert result.objective <= result.stats["warm_start"] == 127


def test_a_graph_of_one_processor_is_proven_without_kernels(slow_compilation):
    """On one processor the back-to-back schedule meets the total-work bound: optimal."""
    instance = schedkit.generate.dag(12, 1, 3)
    result = schedkit.solve(instance, "heft", time_limit=0.5)
    assert result.stats["compiling"] and result.status == "optimal"
    assert_checked(instance, result)


def test_a_real_cold_cache_answers_within_the_limit(tmp_path):
    """A fresh process with an empty numba cache: heft at 1 s answers (its kernels compiled in
    time, or the plain schedule), never `unknown`."""
    answer = cold_answer(FIG2, "heft", tmp_path)
    assert answer["status"] != "unknown" and answer["checked"]

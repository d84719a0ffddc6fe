"""A cold numba cache (a fresh install): DAG methods answer a short time limit with the
one-processor schedule while their kernels compile, asserted the way it holds at any speed."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import schedkit
from schedkit import deadline
from schedkit.common import compile as compile_module
from schedkit.common.compile import python_twin
from schedkit.dag.heuristics import compiled as dag_compiled
from schedkit.dag.heuristics import graph as dag_graph
from schedkit.dag.heuristics import listsched as dag_listsched
from schedkit.dag.heuristics import methods as dag_methods
from schedkit.dag.heuristics import plain
from schedkit.dag.heuristics.methods import TWIN_NOTE, plain_result
from schedkit.registry import SolveOptions
from schedkit.result import Result
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
    """The DAG kernels look uncompiled (so they run as their Python twins) and their warm-up
    waits until the test ends (the real kernels compiled first, for the runs after)."""
    dag_compiled.ensure_compiled()
    for module in (compile_module, dag_methods):
        monkeypatch.setattr(module, "compiled_or_twin", python_twin)
    monkeypatch.setattr(dag_methods, "compiled", lambda: False)
    with slow_warm_ups(monkeypatch, dag_compiled, ("_warm_kernels",), ("compiled",)):
        yield


PAPER = {"heft": 80, "peft": 85, "cpop": 86}  # fig. 2 of Topcuoglu et al., as the kernels give


@pytest.mark.parametrize("method", [*HEURISTICS, "cpsat", "auto"])
def test_a_compilation_outlasting_the_limit_still_answers(slow_compilation, method):
    """Kernels compiling past a 0.5 s limit: the heuristics run as plain Python and give their
    own schedules (stats `compiling`, a note); CP-SAT starts from the best of them."""
    instance = schedkit.load(FIG2)
    result = schedkit.solve(instance, method, time_limit=0.5, workers=1)
    assert_checked(instance, result)
    assert result.stats["compiling"] and result.stats["note"] == TWIN_NOTE
    assert result.stats["compile_seconds"] >= 0
    if method in HEURISTICS:
        assert result.objective == PAPER[method]
    if method in ("cpsat", "auto"):
        assert result.stats["warm_start_method"] == "heft"
        assert result.objective <= result.stats["warm_start"] == 80


@pytest.mark.parametrize("method", [*HEURISTICS, "cpsat"])
def test_beyond_the_twin_size_the_one_processor_schedule_answers(slow_compilation, monkeypatch, method):
    """A graph larger than MAX_TWIN_TASKS (here: any) gets the one-processor schedule."""
    monkeypatch.setattr(dag_methods, "MAX_TWIN_TASKS", 0)
    result = _one_processor_answer(method)
    if method in HEURISTICS:
        assert result.status == "feasible"


def _one_processor_answer(method: str) -> Result:
    """`method` on FIG2 at 0.5 s, asserted to answer with the one-processor schedule (as itself,
    or as cpsat's warm start), checked."""
    instance = schedkit.load(FIG2)
    result = schedkit.solve(instance, method, time_limit=0.5, workers=1)
    assert_checked(instance, result)
    assert result.stats["compiling"] and result.stats["note"] == plain.NOTE
    if method in HEURISTICS:
        assert result.objective == 127  # P1's total cost
    else:
        assert result.stats["warm_start_method"] == "one-processor"
    return result


def test_a_graph_of_one_processor_is_proven_without_kernels(slow_compilation):
    """On one processor the schedule meets the total-work bound: optimal."""
    instance = schedkit.generate.dag(12, 1, 3)
    result = schedkit.solve(instance, "heft", time_limit=0.5)
    assert result.stats["compiling"] and result.status == "optimal"
    assert_checked(instance, result)


def test_a_real_cold_cache_answers_within_the_limit(tmp_path):
    """A fresh process with an empty numba cache: heft at 1 s answers (its kernels compiled in
    time, or the plain schedule), never `unknown`."""
    answer = cold_answer(FIG2, "heft", tmp_path)
    assert answer["status"] != "unknown" and answer["checked"]


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 40), st.integers(1, 5), st.integers(0, 10_000))
def test_the_heuristics_as_plain_python_schedule_as_compiled(tasks, processors, seed):
    """HEFT, PEFT and CPOP through the kernels' Python twins give the compiled schedules."""
    instance = schedkit.generate.dag(tasks, processors, seed)
    dag_compiled.ensure_compiled()
    graph = dag_graph.build(instance)
    compiled = [dag_listsched.heft(graph), dag_listsched.peft(graph), dag_listsched.cpop(graph)[:2]]
    choose = compile_module.compiled_or_twin
    compile_module.compiled_or_twin = python_twin  # what a cold cache gives
    try:
        graph = dag_graph.build(instance)
        twins = [dag_listsched.heft(graph), dag_listsched.peft(graph), dag_listsched.cpop(graph)[:2]]
    finally:
        compile_module.compiled_or_twin = choose
    for (p1, s1), (p2, s2) in zip(compiled, twins, strict=True):
        assert np.array_equal(p1, p2) and np.array_equal(s1, s2)


@pytest.mark.parametrize("method", [*HEURISTICS, "cpsat"])
def test_a_twin_pass_longer_than_the_time_left_is_not_started(slow_compilation, monkeypatch, method):
    """Regression: only the task count chose the Python twins, so 2,000 tasks with 38,000 edges
    on 2,000 processors ran HEFT as plain Python for 198 s under a 2 s limit. The twins' work,
    (tasks + edges) x processors at TWIN_SECONDS_PER_UNIT (here made an hour per unit), must fit
    the time left; otherwise the one-processor schedule answers at once."""
    monkeypatch.setattr(dag_methods, "TWIN_SECONDS_PER_UNIT", 3600.0)
    _one_processor_answer(method)


def test_without_a_time_limit_the_twins_always_fit(monkeypatch):
    """No limit, no time left to exceed: the twins' size rule alone decides."""
    monkeypatch.setattr(dag_methods, "TWIN_SECONDS_PER_UNIT", 3600.0)
    instance = schedkit.load(FIG2)
    assert dag_methods.twin_fits(instance, SolveOptions(time_limit=None))
    assert not dag_methods.twin_fits(instance, SolveOptions(time_limit=0.5))


def _held_past_its_deadline(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The kernels as the heuristics see them: not compiled, and a wait for them held until the
    returned event is set, then not ready; the hard deadline passes when the wait starts (so at
    any machine speed)."""
    release = threading.Event()
    monkeypatch.setattr(dag_methods, "compiled", lambda: False)
    monkeypatch.setattr(deadline, "_cut_only", True)

    def held(until: float) -> tuple[bool, float]:
        deadline.cut_short()
        release.wait()
        return False, 0.0

    monkeypatch.setattr(dag_methods, "ensure_compiled", held)
    return release


@pytest.mark.parametrize("method", [*HEURISTICS, "auto"])
def test_a_compile_wait_past_the_deadline_leaves_the_offered_one_processor_schedule(monkeypatch, method):
    """Regression: a heuristic offered nothing before its compile wait, so a wait (or the
    one-processor pass after it) that outlasted the hard deadline answered `unknown`. When the
    twins cannot fit, the one-processor schedule is built and offered first: the guard returns it."""
    monkeypatch.setattr(dag_methods, "MAX_TWIN_TASKS", 0)
    monkeypatch.setenv(deadline.ENVIRONMENT, "1")
    instance = schedkit.generate.dag(60, 3, 4)
    release = _held_past_its_deadline(monkeypatch)
    try:
        result = schedkit.solve(instance, method, time_limit=0.5, workers=1)
    finally:
        release.set()
        deadline.wait_for_abandoned()
    assert result.stats["hard_deadline"] is True
    assert result.stats["offered"] == "the one-processor schedule, before the compile wait"
    assert result.objective == int(instance.cost.sum(axis=0).min())
    assert_checked(instance, result)


@pytest.mark.parametrize("method", HEURISTICS)
def test_the_one_processor_schedule_is_built_once_before_the_wait(slow_compilation, monkeypatch, method):
    """Twins that cannot fit: the one-processor schedule is built before the compile wait (and
    offered), and after the wait returned as it is, not built again in the time left."""
    monkeypatch.setattr(dag_methods, "TWIN_SECONDS_PER_UNIT", 3600.0)
    built: list[int] = []
    one_processor = plain.one_processor
    monkeypatch.setattr(plain, "one_processor", lambda x: built.append(1) or one_processor(x))
    since = time.perf_counter()
    result = _one_processor_answer(method)
    assert len(built) == 1 and "offered" not in result.stats
    offered = deadline.latest_offer(since)
    assert offered is not None and offered.solution == result.solution

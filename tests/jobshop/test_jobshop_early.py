"""The early plan of a large shop (heuristics/early): the kernels build the plain-Python schedules,
the cold-cache serial schedule is feasible, the plan is offered before a rule's run, each better
rule of the warm start is offered, and solutions from integer arrays are built as before."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from hypothesis import given, settings

import schedkit
from schedkit import deadline
from schedkit.common.textfile import SNIFF_CHARS, prefix
from schedkit.deadline import latest_offer
from schedkit.jobshop import auto, formats, model
from schedkit.jobshop.heuristics import blocking_walks, early, methods, plain
from schedkit.jobshop.heuristics.blocking import BlockingSchedule, best_blocking_rule, leave_times
from schedkit.jobshop.heuristics.blocking import objective as blocking_objective
from schedkit.jobshop.heuristics.methods import schedule_result
from schedkit.jobshop.heuristics.rules import Schedule, best_rule, objective
from schedkit.jobshop.model import JobShopInstance, JobShopSolution
from schedkit.loading import sniff
from schedkit.result import Result
from tests.jobshop.conftest import checked, classic
from tests.jobshop.strategies import jobshops


@settings(max_examples=25, deadline=None)
@given(jobshops(max_jobs=5, max_machines=4, max_ops=4))
def test_kernels_build_the_plain_python_schedules(instance):
    """round_robin_kernel is `plain.round_robin` (classic and flexible), job_after_job_kernel is
    `plain.job_after_job_blocking`; both checked feasible."""
    early.warm_up()
    fast, slow = early.early_schedule(instance), plain.round_robin(instance)
    assert fast.rule == early.ROUND_ROBIN
    assert fast.start.tolist() == slow.start.tolist() and fast.alt.tolist() == slow.alt.tolist()
    checked(instance, schedule_result(instance, fast))
    if not instance.flexible:
        shop = instance.replace(buffers="blocking")
        fast_b, slow_b = early.early_blocking(shop), plain.job_after_job_blocking(shop)
        assert fast_b.start.tolist() == slow_b.start.tolist() and fast_b.objective == slow_b.objective
        checked(shop, Result("feasible", fast_b.objective, None, fast_b.solution(shop)))


@settings(max_examples=25, deadline=None)
@given(jobshops(max_jobs=5, max_machines=4, max_ops=4))
def test_serial_schedule_is_feasible(instance):
    """The cold-cache plan (every operation after the one before it, on its shortest alternative)
    passes the checker, classic, flexible and blocking, with release dates; its makespan is
    at most the latest release plus the total work."""
    alt = early.shortest_alternatives(instance)
    durations = instance.alt_duration[alt]
    for a, o in zip(alt.tolist(), range(instance.operations), strict=True):
        options = instance.alt_duration[instance.op_ptr[o]:instance.op_ptr[o + 1]]
        assert instance.op_ptr[o] <= a < instance.op_ptr[o + 1] and durations[o] == options.min()
    start = early.serial_starts(instance, durations)
    checked(instance, schedule_result(instance, Schedule(start, alt, objective(instance, start, alt), "s")))
    assert (start + durations).max() <= int(instance.release_or_zero().max()) + int(durations.sum())
    if not instance.flexible:
        shop = instance.replace(buffers="blocking")
        start = early.serial_starts(shop, shop.alt_duration)
        found = BlockingSchedule(start, leave_times(shop, start), blocking_objective(shop, start), "s")
        checked(shop, Result("feasible", found.objective, None, found.solution(shop)))


def test_a_rule_offers_the_early_plan_first():
    """spt on a shop of EARLY_OPERATIONS operations with a limit hands the guard a checked plan
    before its run (what the hard deadline answers when the run outlasts the limit)."""
    shop = schedkit.generate.jobshop(100, early.EARLY_OPERATIONS // 100, seed=3)
    since = time.perf_counter()
    result = schedkit.solve(shop, "spt", time_limit=60)
    offered = latest_offer(since)
    assert offered is not None and "before spt's run" in offered.stats["offered"]
    checked(shop, offered)
    checked(shop, result)
    since = time.perf_counter()
    schedkit.solve(shop, "spt")  # no limit, no guard to hand anything
    assert latest_offer(since) is None


def test_blocking_early_plan_is_offered_and_feasible():
    """The same for a blocking shop (job after job, or serial while the kernel compiles)."""
    shop = schedkit.generate.jobshop(100, early.EARLY_OPERATIONS // 100, seed=4, blocking=True)
    since = time.perf_counter()
    early.offer_early(shop, schedkit.registry.SolveOptions(time_limit=5.0), "mwkr")
    offered = latest_offer(since)
    assert offered is not None
    checked(shop, offered)


def test_best_rule_offers_each_better_schedule():
    """`on_better` sees strictly better schedules, the last one the answer."""
    shop = schedkit.generate.jobshop(8, 6, seed=1)
    seen: list[int] = []
    found = best_rule(shop, on_better=lambda schedule: seen.append(schedule.objective))
    assert seen and seen == sorted(set(seen), reverse=True) and seen[-1] == found.objective


def test_solution_from_integer_arrays_equals_the_checked_path():
    """`from_flat` on integer arrays (no per-entry check) builds what the checked path builds."""
    shop = JobShopInstance.from_jobs([[(0, 2), (1, 3)], [(1, 1)], [(0, 4), (1, 1), (0, 2)]], 2)
    start = np.array([0, 2, 0, 2, 6, 7], np.int64)
    machine = np.array([0, 1, 1, 0, 1, 0], np.int64)
    fast = JobShopSolution.from_flat(shop, start, machine, start + 1)
    slow = JobShopSolution.from_flat(shop, *(a.astype(float) for a in (start, machine, start + 1)))
    assert fast == slow == JobShopSolution([[0, 2], [0], [2, 6, 7]], [[0, 1], [1], [0, 1, 0]],
                                           [[1, 3], [1], [3, 7, 8]])
    assert all(type(x) is int for job in fast.start for x in job)
    assert JobShopSolution.from_flat(shop, start, machine).leave is None


def test_sniff_recognises_files_longer_than_its_prefix(tmp_path):
    """A standard or Taillard file over SNIFF_CHARS is sniffed from its start (both were refused
    as no known format: the prefix held fewer rows than the header counts)."""
    rng = np.random.default_rng(0)
    n, m = 2_000, 100
    machines = np.argsort(rng.random((n, m)), axis=1)
    times = rng.integers(1, 100, size=(n, m))
    pairs = np.stack([machines, times], axis=2).reshape(n, 2 * m)
    standard = f"{n} {m}\n" + "\n".join(" ".join(map(str, row)) for row in pairs.tolist()) + "\n"
    taillard = (f"{n} {m}\n" + "\n".join(" ".join(map(str, row)) for row in times.tolist()) + "\n"
                + "\n".join(" ".join(map(str, row)) for row in (machines + 1).tolist()) + "\n")
    for text, name in ((standard, "jobshop"), (taillard, "taillard")):
        assert len(text) > SNIFF_CHARS
        assert sniff(tmp_path / "shop.txt", text) == name
    assert formats.sniff(tmp_path / "x", prefix(standard[: SNIFF_CHARS // 4])) is None  # short: whole rows


HELD = {  # method, blocking: the module and name of the call a held run waits in
    ("spt", False): (methods, "run_rule"),
    ("mwkr-nd", True): (methods, "run_blocking_rule"),
    ("auto", False): (plain, "warm_start"),
    ("auto", True): (plain, "best_blocking_rule"),
    ("cpsat", False): (plain, "warm_start"),
    ("ig", True): (blocking_walks, "best_blocking_rule"),
}


@pytest.mark.parametrize(("method", "blocking"), list(HELD))
def test_a_held_run_answers_the_early_plan(monkeypatch: pytest.MonkeyPatch, method: str, blocking: bool):
    """A large shop's first rule held past the deadline (as a run of 27 s at a million operations):
    the guard answers the early plan, checked, not `unknown` (auto: its size threshold lowered)."""
    schedkit.solve(classic("ft06"), "mwkr")  # the kernels loaded: the rules fit the limit
    schedkit.solve(classic("ft06").replace(buffers="blocking"), "mwkr")
    monkeypatch.setenv(deadline.ENVIRONMENT, "1")
    monkeypatch.setattr(deadline, "_cut_only", True)  # passes at the held stage
    monkeypatch.setattr(auto, "CPSAT_MAX_OPERATIONS", early.EARLY_OPERATIONS - 1)
    release = threading.Event()
    module, name = HELD[method, blocking]
    real = getattr(module, name)

    def held(*args, **kwargs):
        deadline.cut_short()
        release.wait()
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, held)
    shop = schedkit.generate.jobshop(100, early.EARLY_OPERATIONS // 100, seed=5, blocking=blocking)
    try:
        result = schedkit.solve(shop, method, time_limit=2, workers=1)
    finally:
        release.set()
        deadline.wait_for_abandoned()
    assert result.stats["hard_deadline"] is True and result.status == "feasible"
    assert "schedule, before" in result.stats["offered"]
    checked(shop, result)


@pytest.mark.parametrize("blocking", [False, True])
def test_auto_on_a_large_shop_answers_the_better_of_early_plan_and_rules(monkeypatch: pytest.MonkeyPatch,
                                                                        blocking: bool):
    """Beyond its CP-SAT size (lowered here) `auto` answers min(early plan, best rule): it answered
    the best rule even where the round-robin plan it had offered was better (73,087 against
    spt's 85,107 on a 1,000 x 200 shop). 200 x 50: the rules run fast."""
    early.warm_up()
    monkeypatch.setattr(auto, "CPSAT_MAX_OPERATIONS", early.EARLY_OPERATIONS - 1)
    shop = schedkit.generate.jobshop(200, early.EARLY_OPERATIONS // 200, seed=6, blocking=blocking)
    result = schedkit.solve(shop, "auto", time_limit=600, workers=1)
    plan = early.early_blocking(shop) if blocking else early.early_schedule(shop)
    rules = best_blocking_rule(shop) if blocking else best_rule(shop)
    assert result.objective == min(plan.objective, rules.objective)
    expected = "the early plan" if plan.objective < rules.objective else "rules"
    assert result.stats["chosen"].startswith(expected)
    checked(shop, result)


@pytest.mark.parametrize("chunk", [1, 2, 3, 5])
def test_solution_split_in_chunks_equals_the_checked_path(monkeypatch: pytest.MonkeyPatch, chunk: int):
    """Integer arrays go to Python ints SPLIT_CHUNK entries at a time (the GIL passes between):
    jobs across chunk edges and jobs longer than a chunk come out as the checked path has them."""
    monkeypatch.setattr(model, "SPLIT_CHUNK", chunk)
    rng = np.random.default_rng(chunk)
    for _ in range(20):
        lengths = rng.integers(1, 9, size=int(rng.integers(1, 7))).tolist()
        shop = JobShopInstance.from_jobs([[(0, 1)] * k for k in lengths], 1)
        start = rng.integers(0, 100, shop.operations)
        arrays = (start, np.zeros_like(start), start + 1)
        fast = JobShopSolution.from_flat(shop, *arrays)
        slow = JobShopSolution.from_flat(shop, *(a.astype(float) for a in arrays))
        assert fast == slow and [len(job) for job in fast.start] == lengths

"""Anytime heuristics offer their incumbents while they run (`common.incumbents`): what the
progress line of `schedkit solve` shows and what the hard-deadline guard would return. Each
offer is a checked plan, never better than what the method returns in the end."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

import schedkit
from schedkit import deadline
from schedkit.common.incumbents import Incumbents
from schedkit.jobshop.heuristics import tabu
from schedkit.jobshop.heuristics.rules import run_rule
from schedkit.result import Result
from schedkit.smtt.model import SMTTSolution
from tests.verdicts import assert_checked

ROOT = Path(__file__).resolve().parents[2]

# (instance path, blocking, method, options): budgets by count where the method has one, so
# that what runs does not depend on the machine's speed; every method offers its start at once.
CASES = [
    ("instances/jobshop/classic/la01", True, "ig", {"iterations": 300}),
    ("instances/jobshop/classic/la01", True, "tabu", {"iterations": 60}),
    ("instances/rcpsp/j60/j6013_1.sm", False, "ga", {"generations": 3}),
    ("instances/rcpsp/j60/j6013_1.sm", False, "fbi", {"schedules": 40}),
    ("instances/rcpsp/j60/j6013_1.sm", False, "sampling", {"schedules": 40}),
    ("tests/data/rcpsp/PSP1.SCH", False, "sgs-lags", {"schedules": 20}),
    # deterministic: no clock at all (iterations alone keep lns's default 5 s limit, which a
    # cold numba cache can spend compiling: then it returns the unmoved plan and offers nothing)
    ("instances/vmr/sample_m12.json", False, "lns", {"iterations": 50, "deterministic": True}),
]
TIMED = [  # no count budget: a short limit; the start is offered before the loop all the same
    ("instances/pods/grid.jsonl#100", "cpsat"),  # its warm start, before the model is built
    ("tests/data/groundstation/W10_tiny", "lns"),
    ("tests/data/groundstation/W10_tiny", "ga"),
    ("tests/data/groundstation/W10_tiny", "ffeea"),
]


def _run(instance: Any, method: str, **options: Any) -> tuple[Result, Result]:
    since = time.perf_counter()
    result = schedkit.solve(instance, method, seed=1, **options)
    offered = deadline.latest_offer(since)
    assert offered is not None, f"{method} offered nothing"
    return result, offered


def _verdict(instance: Any, result: Result, offered: Result) -> None:
    assert "offered" in offered.stats
    assert_checked(instance, offered)
    assert_checked(instance, result)
    assert offered.objective is not None and result.objective is not None
    assert offered.objective >= result.objective  # the method returns its best


@pytest.mark.parametrize(("path", "blocking", "method", "options"), CASES,
                         ids=[f"{c[2]}-{Path(c[0]).name}" for c in CASES])
def test_a_counted_run_offers_checked_incumbents(path: str, blocking: bool, method: str,
                                                 options: dict[str, Any]) -> None:
    instance = schedkit.load(ROOT / path, blocking=blocking)
    result, offered = _run(instance, method, **options)
    _verdict(instance, result, offered)


@pytest.mark.parametrize(("path", "method"), TIMED, ids=[f"{m}-{Path(p).name}" for p, m in TIMED])
def test_a_timed_heuristic_offers_checked_incumbents(path: str, method: str) -> None:
    instance = schedkit.load(ROOT / path)
    result, offered = _run(instance, method, time_limit=1.0)
    _verdict(instance, result, offered)


def _plain(value: int) -> Result:
    return Result("feasible", value, None, SMTTSolution([0]), {"offered": str(value)})


def test_incumbents_offer_only_improvements_and_hold_back_the_rest_until_due() -> None:
    """The first value is offered at once; within `every` a better one waits for a due poll; a
    worse or equal one is dropped."""
    since = time.perf_counter()
    incumbents = Incumbents(every=3600)
    incumbents.improved(10, lambda: _plain(10))
    assert deadline.latest_offer(since) == _plain(10)
    incumbents.improved(7, lambda: _plain(7))
    incumbents.improved(9, lambda: _plain(9))  # not better than 7: dropped
    incumbents.poll()  # not due
    assert deadline.latest_offer(since) == _plain(10)
    incumbents.every = 0
    incumbents.poll()
    assert deadline.latest_offer(since) == _plain(7)
    incumbents.improved(7, lambda: _plain(7))
    assert incumbents.offers == 2


def test_a_known_value_is_not_offered_again() -> None:
    since = time.perf_counter()
    incumbents = Incumbents(best=5, every=0)
    incumbents.improved(5, lambda: _plain(5))
    assert deadline.latest_offer(since) is None
    incumbents.improved(4, lambda: _plain(4))
    assert deadline.latest_offer(since) == _plain(4)


def test_keys_order_plans_too() -> None:
    """A tuple key (U_max, unserved) is compared as a tuple."""
    since = time.perf_counter()
    incumbents = Incumbents(every=0)
    incumbents.improved((2, 50), lambda: _plain(50))
    incumbents.improved((1, 90), lambda: _plain(90))
    incumbents.improved((1, 95), lambda: _plain(95))
    assert deadline.latest_offer(since) == _plain(90)


def test_a_phase_adds_its_stats_to_every_offer() -> None:
    """A warm start inside a method with several workers says so in what it offers."""
    since = time.perf_counter()
    Incumbents(every=0, stats={"workers": 4}).improved(3, lambda: _plain(3))
    offered = deadline.latest_offer(since)
    assert offered is not None and offered.stats == {"offered": "3", "workers": 4}


def test_a_warm_up_thread_offers_nothing() -> None:
    """Warm-ups (common.compile) run methods on tiny instances: neither their offers nor those
    of an Incumbents made there (whose loops may run on other threads) reach progress lines."""
    since = time.perf_counter()
    made: list[Incumbents] = []

    def warm_up() -> None:
        deadline.mute_offers()
        deadline.offer(_plain(1))
        made.append(Incumbents(every=0))

    thread = threading.Thread(target=warm_up)
    thread.start()
    thread.join()
    made[0].improved(2, lambda: _plain(2))  # from another thread, as a walk's pool would
    assert deadline.latest_offer(since) is None
    assert not deadline.offers_muted()  # this thread is not a warm-up


def test_the_job_shop_tabu_phase_offers_its_best_schedule() -> None:
    """Classic `cpsat` runs tabu search for half its budget: each new best is offered, checked,
    and the last one offered is the schedule it returns (offers unthrottled here)."""
    instance = schedkit.load(ROOT / "instances/jobshop/classic/ft06")
    start = run_rule(instance, "spt", 0)
    since = time.perf_counter()
    found, _ = tabu.improve(instance, start, time.perf_counter() + 60, seed=0, lower_bound=55,
                            incumbents=Incumbents(every=0))
    assert found.objective < start.objective  # SPT's 83 is far from the optimum 55
    offered = deadline.latest_offer(since)
    assert offered is not None and offered.stats["offered"] == "tabu search"
    assert offered.objective == found.objective
    assert_checked(instance, offered)

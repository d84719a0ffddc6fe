"""Glue for blocking job shops: run a rule through the deadlock-free simulation, evaluate machine
orders on the alternative graph, and the shared schedule type (start and leave per operation)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from schedkit.deadline import stop_flag
from schedkit.errors import UnsupportedInstance
from schedkit.jobshop.generate import jobshop
from schedkit.jobshop.heuristics.blocking_kernels import heads, simulate_blocking
from schedkit.jobshop.heuristics.dispatch import RULES, kernel_state
from schedkit.jobshop.heuristics.rules import RANDOM_RUNS_IN_WARM_START, best_of, kernel_arrays, run_rule
from schedkit.jobshop.model import JobShopInstance, JobShopSolution
from schedkit.result import Result

BLOCKING_METHODS = "cpsat, ig, tabu, auto and the rules (spt, mwkr, mor, ...)"


@dataclass(frozen=True)
class BlockingSchedule:
    """Per operation id: start and leave times, and the schedule's objective."""

    start: np.ndarray
    leave: np.ndarray
    objective: int
    rule: str

    def solution(self, instance: JobShopInstance) -> JobShopSolution:
        """The JSON-ready solution (machine = the operation's only machine)."""
        return JobShopSolution.from_flat(instance, self.start, instance.alt_machine, self.leave)


def refuse_blocking(method: str, instance: JobShopInstance) -> None:
    """UnsupportedInstance when `instance` is blocking (for methods that serve only buffers)."""
    if instance.blocking:
        raise UnsupportedInstance(f"{method} does not solve blocking job shops; use {BLOCKING_METHODS}")


def objective(instance: JobShopInstance, start: np.ndarray) -> int:
    """The instance's objective from start times (the classic operation's only alternative)."""
    end = start + instance.alt_duration
    completion = end[instance.job_ptr[1:] - 1]
    if instance.objective == "makespan":
        return int(completion.max())
    weight = instance.weight_or_one()
    if instance.objective == "weighted_tardiness":
        return int(np.sum(weight * np.maximum(0, completion - instance.due)))
    return int(np.sum(weight * (completion - instance.release_or_zero())))


def leave_times(instance: JobShopInstance, start: np.ndarray) -> np.ndarray:
    """Each operation leaves when its job's next one starts; the last one when it ends."""
    leave = np.empty_like(start)
    leave[:-1] = start[1:]
    last = instance.job_ptr[1:] - 1
    leave[last] = start[last] + instance.alt_duration[last]
    return leave


def run_blocking_rule(instance: JobShopInstance, name: str, seed: int = 0,
                      arrays: tuple[np.ndarray, ...] | None = None,
                      kernel: Any = simulate_blocking) -> BlockingSchedule:
    """Rule `name` (`spt`, ..., `random`; a `-nd` suffix is the same simulation, which is
    non-delay already) on a blocking instance; `kernel` is `simulate_blocking` or its twin."""
    base = name.removesuffix("-nd")
    arrays = kernel_arrays(instance) if arrays is None else arrays
    job_ptr, _, machine, duration, release, due, work = arrays
    start, leave, _ = kernel(job_ptr, machine, duration, release, due, work, instance.m,
                             RULES[base], kernel_state(seed), stop_flag())
    return BlockingSchedule(start, leave, objective(instance, start), name)


def best_blocking_rule(instance: JobShopInstance, deadline: float = float("inf"), seed: int = 0,
                       random_runs: int = RANDOM_RUNS_IN_WARM_START,
                       on_better: Callable[[BlockingSchedule], None] | None = None) -> BlockingSchedule:
    """The best schedule of every deterministic rule and `random_runs` seeded random ones;
    once one exists, stops before a run that would end past `deadline` (`rules.best_of`: 1.8 s
    a run at 100,000 operations)."""
    arrays = kernel_arrays(instance)
    plan = [(name, seed) for name in RULES if name != "random"]
    plan += [("random", seed + i) for i in range(random_runs)]
    found: BlockingSchedule = best_of(
        plan, lambda name, rule_seed: run_blocking_rule(instance, name, rule_seed, arrays), deadline,
        on_better)
    return found


def machine_orders(instance: JobShopInstance, start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(seq, mach_ptr): the operations of each machine in start order, CSR by machine. Equal
    starts go by leave time: a zero-duration operation that leaves at once comes before the one
    that starts there after it (start order alone deadlocked orb07's every walk)."""
    machine = instance.alt_machine
    leave = leave_times(instance, start)
    seq = np.lexsort((np.arange(instance.operations), leave, start, machine)).astype(np.int64)
    counts = np.bincount(machine, minlength=instance.m)
    mach_ptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    return seq, mach_ptr


def evaluate_orders(instance: JobShopInstance, seq: np.ndarray, mach_ptr: np.ndarray
                    ) -> np.ndarray | None:
    """Earliest starts under blocking for machine orders `seq`; None when they deadlock."""
    head = np.empty(instance.operations, np.int64)
    present = np.ones(instance.operations, np.bool_)
    ok = heads(instance.job_ptr, instance.job_of(), instance.alt_duration,
               instance.release_or_zero(), seq, mach_ptr, present, head)
    return head if ok else None


def orders_result(instance: JobShopInstance, seq: np.ndarray, mach_ptr: np.ndarray, phase: str) -> Result:
    """A walk's machine orders as a feasible Result, for `deadline.offer` (`phase` says where)."""
    head = evaluate_orders(instance, seq, mach_ptr)
    assert head is not None  # a walk only keeps orders that evaluate
    value = objective(instance, head)
    solution = BlockingSchedule(head, leave_times(instance, head), value, phase).solution(instance)
    return Result("feasible", value, None, solution, {"workers": 1, "offered": phase})


def kernel_kind(instance: JobShopInstance) -> str:
    """`blocking`, `flexible` or `classic`: which dispatching kernel the shop's rules run."""
    return "blocking" if instance.blocking else "flexible" if instance.flexible else "classic"


def warm_rule_kernel(kind: str) -> None:
    """Compile the dispatching kernel of a shop kind (`kernel_kind`: `simulate_blocking`, `dispatch`
    or `dispatch_classic`) on a tiny shop of that kind."""
    tiny = jobshop(2, 2, seed=0, blocking=kind == "blocking", flexible=int(kind == "flexible"))
    if kind == "blocking":
        run_blocking_rule(tiny, "spt")
    else:
        run_rule(tiny, "spt")


def warm_up() -> None:
    """Load (or compile) `heads` and the arc kernels it calls, with the dtypes of
    `evaluate_orders`, on a tiny blocking shop: a short run can end before its first
    evaluation, which would then compile inside a later run's budget."""
    instance = jobshop(2, 2, seed=0, blocking=True)
    evaluate_orders(instance, *machine_orders(instance, np.zeros(instance.operations, np.int64)))

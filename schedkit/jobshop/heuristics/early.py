"""The first plan of a large shop, handed to the hard deadline (`deadline.offer`) before a rule
runs: one rule's run costs operations x jobs steps (about 27 s at 2,000 jobs x 500 machines),
so a short limit ran out with nothing to answer (`unknown`).

The plan is the round-robin schedule (blocking: job after job) from a linear numba kernel when
that is compiled (milliseconds at a million operations); on a cold cache, every operation after
the one before it in a vectorised numpy pass (a feasible plan whatever the shop, its makespan
the total work), while the kernel compiles in the background for the next run.
"""

from __future__ import annotations

import numpy as np

from schedkit.common.compile import compile_later
from schedkit.deadline import offer_better, stop_flag
from schedkit.jobshop.heuristics import compiled
from schedkit.jobshop.heuristics.blocking import BlockingSchedule, leave_times
from schedkit.jobshop.heuristics.blocking import objective as blocking_objective
from schedkit.jobshop.heuristics.early_kernels import job_after_job_kernel, round_robin_kernel
from schedkit.jobshop.heuristics.rules import Schedule, objective
from schedkit.jobshop.model import JobShopInstance, JobShopSolution
from schedkit.registry import SolveOptions
from schedkit.result import Result

EARLY_OPERATIONS = 10_000  # from here on a rule's run can outlast a short limit: offer a plan first
ROUND_ROBIN = "round-robin"
JOB_AFTER_JOB = "job after job"
SERIAL = "serial (one operation at a time, numpy)"


def shortest_alternatives(instance: JobShopInstance) -> np.ndarray:
    """Per operation id, its shortest alternative (the first of equals), vectorised."""
    op_ptr, duration = instance.op_ptr, instance.alt_duration
    counts = np.diff(op_ptr)
    if duration.size == counts.size:  # classic: the only one
        return op_ptr[:-1].copy()
    shortest = np.minimum.reduceat(duration, op_ptr[:-1])
    candidates = np.flatnonzero(duration == np.repeat(shortest, counts))
    owner = np.repeat(np.arange(counts.size), counts)[candidates]
    keep = np.ones(candidates.size, dtype=bool)
    keep[1:] = owner[1:] != owner[:-1]
    return candidates[keep]


def serial_starts(instance: JobShopInstance, duration: np.ndarray) -> np.ndarray:
    """Starts of every operation after the one before it in id order (job after job, each job no
    earlier than its release): end_i = max(release_i, end_{i-1}) + d_i as a running maximum."""
    total = np.cumsum(duration)
    before = total - duration  # the work ahead of each operation
    earliest = np.full(duration.size, np.iinfo(np.int64).min // 2, dtype=np.int64)
    earliest[instance.job_ptr[:-1][np.diff(instance.job_ptr) > 0]] = instance.release_or_zero()[
        np.diff(instance.job_ptr) > 0]
    earliest[0] = max(int(earliest[0]), 0)
    slack = np.maximum.accumulate(earliest - before)
    return before + slack  # type: ignore[no-any-return]


def serial_schedule(instance: JobShopInstance) -> Schedule:
    """Every operation after the one before it, each on its shortest alternative (numpy only)."""
    alt = shortest_alternatives(instance)
    start = serial_starts(instance, instance.alt_duration[alt])
    return Schedule(start, alt, objective(instance, start, alt), SERIAL)


def serial_blocking(instance: JobShopInstance) -> BlockingSchedule:
    """The same for a blocking shop: each operation leaves its machine as it ends."""
    start = serial_starts(instance, instance.alt_duration)
    return BlockingSchedule(start, leave_times(instance, start), blocking_objective(instance, start), SERIAL)


def early_schedule(instance: JobShopInstance) -> Schedule:
    """The round-robin schedule (kernel compiled), else the serial one (`compile_later_if_cold`
    then starts the kernel's compilation: after the plan is out, not beside it, for the GIL)."""
    if not compiled.ready(round_robin_kernel):
        return serial_schedule(instance)
    release = np.ascontiguousarray(instance.release_or_zero())
    start, alt = round_robin_kernel(instance.job_ptr, instance.op_ptr, instance.alt_machine,
                                    instance.alt_duration, release, instance.m, stop_flag())
    return Schedule(start, alt, objective(instance, start, alt), ROUND_ROBIN)


def early_blocking(instance: JobShopInstance) -> BlockingSchedule:
    """Job after job (kernel compiled), else the serial schedule (see `early_schedule`)."""
    if not compiled.ready(job_after_job_kernel):
        return serial_blocking(instance)
    release = np.ascontiguousarray(instance.release_or_zero())
    start = job_after_job_kernel(instance.job_ptr, instance.alt_machine, instance.alt_duration, release,
                                 instance.m, stop_flag())
    return BlockingSchedule(start, leave_times(instance, start), blocking_objective(instance, start),
                            JOB_AFTER_JOB)


def offer_early(instance: JobShopInstance, options: SolveOptions, before: str) -> Result | None:
    """Offer the early plan of a shop of EARLY_OPERATIONS or more, when a limit is set (`before`
    names the phase it comes before, in stats["offered"]; the plan's rule in stats["rule"]), and
    return it; None otherwise. A process that has not loaded the kernel yet offers the serial plan
    first: loading it from the cache costs about 0.3 s of CPU (10x that in wall time at load 13)."""
    if options.time_limit is None or instance.operations < EARLY_OPERATIONS:
        return None
    kernel = job_after_job_kernel if instance.blocking else round_robin_kernel
    best = None
    if not kernel.signatures:
        best = _offer(instance, serial_blocking(instance) if instance.blocking else serial_schedule(instance),
                      before, best)
    if compiled.ready(kernel):
        best = _offer(instance, early_blocking(instance) if instance.blocking else early_schedule(instance),
                      before, best)
    compile_later_if_cold()
    return best


def _offer(instance: JobShopInstance, plan: Schedule | BlockingSchedule, before: str,
           held: Result | None) -> Result:
    """`plan` as a Result, offered, unless `held` (offered before) is as good: then `held`."""
    if held is not None and held.objective is not None and held.objective <= plan.objective:
        return held
    if isinstance(plan, BlockingSchedule):
        solution = plan.solution(instance)
    else:
        solution = JobShopSolution.from_flat(instance, plan.start, plan.machine(instance))
    stats = {"workers": 1, "offered": f"the {plan.rule} schedule, before {before}", "rule": plan.rule}
    result = Result("feasible", plan.objective, None, solution, stats)
    offer_better(result)
    return result


def compile_later_if_cold() -> None:
    """Start compiling the kernels in the background unless they are ready (`compile_later`)."""
    if not (compiled.ready(round_robin_kernel) and compiled.ready(job_after_job_kernel)):
        compile_later("jobshop.early", warm_up)


def warm_up() -> None:
    """Load (or compile) both kernels on a one-operation shop."""
    one = np.ones(1, np.int64)
    zero = np.zeros(1, np.int64)
    ptr = np.array([0, 1], np.int64)
    flag = np.zeros(1, np.uint8)
    round_robin_kernel(ptr, ptr, zero.copy(), one, zero.copy(), 1, flag)
    job_after_job_kernel(ptr, zero.copy(), one, zero.copy(), 1, flag)



"""What the walk methods of blocking job shops (`ig`, `tabu`) share: the refusals, the best
blocking rule as the start, one walk per worker up to `common.walks.MAX_WALKS` (seeds seed,
seed + 1, ...; the kernels release the GIL) within the time limit (or `iterations` each), the
best walk's schedule, and the stats."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from schedkit.common.compile import compile_later
from schedkit.common.incumbents import Incumbents
from schedkit.common.walks import run_walks, walk_count
from schedkit.deadline import dropped, stopped
from schedkit.errors import ProblemTooLarge, UnsupportedInstance
from schedkit.jobshop.heuristics import blocking, compiled
from schedkit.jobshop.heuristics.blocking import BlockingSchedule, best_blocking_rule
from schedkit.jobshop.heuristics.blocking_kernels import simulate_blocking
from schedkit.jobshop.heuristics.early import offer_early
from schedkit.jobshop.heuristics.plain import PLAIN_NOTE, plain_blocking
from schedkit.jobshop.model import JobShopInstance
from schedkit.registry import SolveOptions
from schedkit.result import Result


@dataclass(frozen=True)
class Walk:
    """One walk method: its kernel (compile cost checked against the budget) and its loop."""

    name: str
    kernel: Any
    kernel_seconds: float  # cold-compile estimate of `kernel`
    warm_up: Callable[[], None]
    improve: Callable[..., tuple[BlockingSchedule, int]]
    starts: Callable[[JobShopInstance, int, str], Any]  # fresh starts after a stall
    default_iterations: int  # without a time limit
    stall_share: float  # of the time limit without a new best: a fresh start
    max_operations: int | None = None
    too_large: str = ""  # why, when over max_operations


def solve_by_walk(walk: Walk, instance: JobShopInstance, options: SolveOptions) -> Result:
    """Best blocking rule, then `walk` until the time limit (or `iterations`)."""
    name = walk.name
    if not instance.blocking:
        raise UnsupportedInstance(f"{name} solves blocking job shops (buffers = blocking); for this one "
                                  "use cpsat, mip, auto or the rules")
    if instance.objective != "makespan":
        raise UnsupportedInstance(f"{name} minimises the makespan; use cpsat for other objectives")
    if walk.max_operations is not None and instance.operations > walk.max_operations:
        raise ProblemTooLarge(f"{name}: {instance.operations} operations, at most {walk.max_operations} "
                              f"{walk.too_large}")
    if not compiled.affordable(simulate_blocking, compiled.BLOCKING_SECONDS, options.remaining()):
        return _plain_answer(walk, instance, options)
    offer_early(instance, options, f"{name}'s best rule")  # its first run can outlast the limit
    clock = compiled.CompileClock()
    start = clock.run(simulate_blocking, lambda: best_blocking_rule(instance, options.deadline, options.seed))
    if stopped():
        return dropped({"workers": 1})
    walks = walk_count(options.workers)
    stats: dict[str, Any] = {"workers": walks, "warm_start": start.objective, "warm_start_rule": start.rule}
    incumbents = Incumbents()
    incumbents.improved(start.objective, lambda: Result(
        "feasible", start.objective, None, start.solution(instance), {**stats, "offered": "the best rule"}))
    limit = options.get("iterations")
    budget = options.remaining()
    runs = [(start, 0)]
    if compiled.affordable(walk.kernel, walk.kernel_seconds, budget):
        clock.run(walk.kernel, walk.warm_up)
        stall = None if options.time_limit is None else walk.stall_share * options.time_limit
        steps = walk.default_iterations if limit is None and budget is None else limit
        starts = walk.starts(instance, options.seed, start.rule)  # shared: each restart a new one

        def one(i: int) -> tuple[BlockingSchedule, int]:
            return walk.improve(instance, start, options.deadline, options.seed + i, steps, patience=stall,
                                starts=starts, incumbents=incumbents)

        runs = run_walks(one, walks)
        stats["walk_objectives"] = [schedule.objective for schedule, _ in runs]
    else:
        stats[f"{name}_skipped"] = "its kernel would compile longer than the time limit"
        stats.update(compiling=True, note=PLAIN_NOTE)
        compile_in_background(walk)
    best = min(range(len(runs)), key=lambda i: runs[i][0].objective)  # ties: the lower walk
    found = runs[best][0]
    stats.update(iterations=sum(done for _, done in runs), best_walk=best,
                 compile_seconds=round(clock.seconds, 3))
    return Result("feasible", found.objective, None, found.solution(instance), stats)


def compile_in_background(walk: Walk) -> None:
    """Start compiling the blocking rules' and `walk`'s kernels on a helper thread and return:
    the `schedkit` command waits for it before it exits, so the next run starts compiled."""
    def warm() -> None:
        blocking.warm_rule_kernel("blocking")
        blocking.warm_up()
        walk.warm_up()

    compile_later(f"jobshop.{walk.name}", warm)


def _plain_answer(walk: Walk, instance: JobShopInstance, options: SolveOptions) -> Result:
    """The answer of a run too short for the kernels to compile: each job appended behind the
    others (plain Python, no deadlock), while they compile in the background."""
    compile_in_background(walk)
    found = plain_blocking(instance)
    stats = {"workers": 1, "warm_start": found.objective, "warm_start_rule": found.rule,
             "compiling": True, "note": PLAIN_NOTE, "iterations": 0}
    return Result("feasible", found.objective, None, found.solution(instance), stats)

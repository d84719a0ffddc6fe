"""`auto` for the job shop: CP-SAT (warm start, whole model, LNS) with a default budget; when the
instance is too large for a model in that budget, the early plan (`heuristics.early`, offered at
once) and the best dispatching rule (the plain schedule when the rules' kernel could not compile
in the time limit), whichever is better."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import partial
from typing import Any

from schedkit.common.auto import run_plan
from schedkit.deadline import dropped, offer_better, stopped
from schedkit.jobshop.heuristics import compiled
from schedkit.jobshop.heuristics.blocking import BlockingSchedule
from schedkit.jobshop.heuristics.early import offer_early
from schedkit.jobshop.heuristics.methods import schedule_result
from schedkit.jobshop.heuristics.plain import blocking_start_or_plain, warm_start_or_plain
from schedkit.jobshop.heuristics.rules import Schedule
from schedkit.jobshop.model import JobShopInstance
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

AUTO_DEFAULT_TIME_LIMIT = 60.0
CPSAT_MAX_OPERATIONS = 100_000  # beyond, building the CP-SAT model alone outlasts a short budget


@register(
    "jobshop", "auto", exact=True,
    description=f"cpsat (with LNS; default budget {AUTO_DEFAULT_TIME_LIMIT:g} s) up to "
    f"{CPSAT_MAX_OPERATIONS} operations, the best dispatching rule beyond (blocking too)",
)
def solve_auto(instance: JobShopInstance, options: SolveOptions) -> Result:
    """Pick by size; the choice is in `stats["chosen"]`."""
    if instance.operations > CPSAT_MAX_OPERATIONS:
        return _solve_large(instance, options)
    return run_plan("jobshop", instance, options, ["cpsat"], AUTO_DEFAULT_TIME_LIMIT)


def _solve_large(instance: JobShopInstance, options: SolveOptions) -> Result:
    """The early plan, offered at once (one rule's run can outlast the limit), then the best rule,
    each better one offered as it ends; the better of the early plan and the best rule."""
    early = offer_early(instance, options, "the rules")
    held = [early.objective if early is not None and early.objective is not None else None]
    note = "a rule's schedule, before the next rules"

    def offer_if_better(objective: int, build: Callable[[], Result]) -> None:
        if held[0] is None or objective < held[0]:  # else no Result built (a second at 10^6)
            held[0] = objective
            offer_better(build())

    def better_blocking(found: BlockingSchedule) -> None:
        offer_if_better(found.objective, partial(_blocking_result, instance, found, {"offered": note}))

    def better_rule(found: Schedule) -> None:
        offer_if_better(found.objective, partial(schedule_result, instance, found, offered=note))

    stats: dict[str, Any] = {"workers": 1}
    clock = compiled.CompileClock()
    if instance.blocking:
        plan = blocking_start_or_plain(instance, options, clock, stats, better_blocking)
        value, rule = plan.objective, plan.rule
    else:
        schedule = warm_start_or_plain(instance, options, clock, stats, better_rule)
        value, rule = schedule.objective, schedule.rule
    if stopped():
        return dropped(stats)
    if early is not None and early.objective is not None and early.objective < value:
        chosen = f"the early plan ({early.stats['rule']})"
        return dataclasses.replace(early, stats={**stats, "chosen": chosen})
    if instance.blocking:
        return _blocking_result(instance, plan, {**stats, "chosen": f"rules ({rule})"})
    return schedule_result(instance, schedule, **stats, chosen=f"rules ({rule})")


def _blocking_result(instance: JobShopInstance, found: BlockingSchedule, stats: dict[str, Any]) -> Result:
    return Result("feasible", found.objective, None, found.solution(instance), {"workers": 1, **stats})

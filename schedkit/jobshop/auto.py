"""`auto` for the job shop: CP-SAT (warm start, whole model, LNS) with a default budget; the
best dispatching rule instead when the instance is too large for a model in that budget (the
plain-Python schedule when the rules' kernel could not compile in the time limit)."""

from __future__ import annotations

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
    """Pick by size; the choice is in `stats["chosen"]`. Beyond CPSAT_MAX_OPERATIONS an early
    plan, then each better rule's schedule, is offered as it comes (one run can outlast a limit)."""
    if instance.operations > CPSAT_MAX_OPERATIONS:
        offer_early(instance, options, "the rules")
    if instance.operations > CPSAT_MAX_OPERATIONS and instance.blocking:
        stats: dict[str, Any] = {"workers": 1}
        found = blocking_start_or_plain(instance, options, compiled.CompileClock(), stats,
                                        partial(_offer_blocking, instance))
        if stopped():
            return dropped(stats)
        return Result("feasible", found.objective, None, found.solution(instance),
                      {**stats, "chosen": f"rules ({found.rule})"})
    if instance.operations > CPSAT_MAX_OPERATIONS:
        stats = {}
        schedule = warm_start_or_plain(instance, options, compiled.CompileClock(), stats,
                                       partial(_offer_rule, instance))
        if stopped():
            return dropped(stats)
        return schedule_result(instance, schedule, **stats, chosen=f"rules ({schedule.rule})")
    return run_plan("jobshop", instance, options, ["cpsat"], AUTO_DEFAULT_TIME_LIMIT)


def _offer_rule(instance: JobShopInstance, schedule: Schedule) -> None:
    offer_better(schedule_result(instance, schedule, offered=f"rule {schedule.rule}, before the next rules"))


def _offer_blocking(instance: JobShopInstance, found: BlockingSchedule) -> None:
    offer_better(Result("feasible", found.objective, None, found.solution(instance),
                        {"workers": 1, "offered": f"rule {found.rule}, before the next rules"}))

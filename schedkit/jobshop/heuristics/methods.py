"""Job shop dispatching rules as registered methods: `spt`, ..., `random` (active schedules) and
the same names with `-nd` (non-delay schedules), all thin wrappers around one kernel. On a
blocking instance the same names run the deadlock-free blocking simulation (non-delay by nature)."""

from __future__ import annotations

from typing import Any

from schedkit.jobshop.heuristics.blocking import run_blocking_rule
from schedkit.jobshop.heuristics.rules import Schedule, rule_names, run_rule
from schedkit.jobshop.model import JobShopInstance, JobShopSolution
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

_DESCRIPTIONS = {
    "spt": "shortest processing time", "lpt": "longest processing time",
    "mwkr": "most work remaining", "lwkr": "least work remaining",
    "mor": "most operations remaining", "lor": "least operations remaining",
    "fifo": "first in first out (earliest ready)", "edd": "earliest due date",
    "random": "random priority (seeded)",
}


def schedule_result(instance: JobShopInstance, schedule: Schedule, **stats: Any) -> Result:
    """A heuristic's Result (feasible; no bound)."""
    solution = JobShopSolution.from_flat(instance, schedule.start, schedule.machine(instance))
    return Result("feasible", schedule.objective, None, solution, {"workers": 1, **stats})


def _rule_method(name: str) -> None:
    base = name.removesuffix("-nd")
    kind = "non-delay" if name.endswith("-nd") else "Giffler–Thompson active"
    description = (f"{_DESCRIPTIONS[base]}, {kind} schedule (flexible: earliest-completing machine; "
                   "blocking: deadlock-free simulation with swaps)")

    def method(instance: JobShopInstance, options: SolveOptions) -> Result:
        if instance.blocking:
            found = run_blocking_rule(instance, name, options.seed)
            return Result("feasible", found.objective, None, found.solution(instance), {"workers": 1})
        return schedule_result(instance, run_rule(instance, name, options.seed))

    method.__name__ = f"solve_{name.replace('-', '_')}"
    method.__doc__ = description
    register("jobshop", name, exact=False, description=description)(method)


for _name in rule_names():
    _rule_method(_name)

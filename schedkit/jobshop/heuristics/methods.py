"""Job shop dispatching rules as registered methods: `spt`, ..., `random` (active schedules) and
the same names with `-nd` (non-delay schedules), all thin wrappers around one kernel. On a
blocking instance the same names run the deadlock-free blocking simulation (non-delay by nature)."""

from __future__ import annotations

from functools import partial
from typing import Any

from schedkit.common.compile import compile_later, python_twin
from schedkit.deadline import dropped, stopped
from schedkit.jobshop.heuristics import compiled
from schedkit.jobshop.heuristics.blocking import kernel_kind, run_blocking_rule, warm_rule_kernel
from schedkit.jobshop.heuristics.blocking_kernels import simulate_blocking
from schedkit.jobshop.heuristics.compiled import BLOCKING_SECONDS, DISPATCH_SECONDS
from schedkit.jobshop.heuristics.early import offer_early
from schedkit.jobshop.heuristics.rules import Schedule, dispatch_kernel, rule_names, run_rule
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


TWIN_NOTE = ("the rule's kernel was not compiled yet: it ran as plain Python (same schedule, "
             "slower) while it compiles; `schedkit warmup` compiles every kernel ahead")


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
        kernel: Any = simulate_blocking if instance.blocking else dispatch_kernel(instance)
        estimate = BLOCKING_SECONDS if instance.blocking else DISPATCH_SECONDS
        stats: dict[str, Any] = {"workers": 1}
        offer_early(instance, options, f"{name}'s run")  # a large shop's run can outlast the limit
        cold = not compiled.affordable(kernel, estimate, options.remaining())
        if cold:  # the same code as plain Python, then the compilation (not beside it: the GIL)
            kernel = python_twin(kernel)
            stats.update(compiling=True, note=TWIN_NOTE)
        if instance.blocking:
            found = run_blocking_rule(instance, name, options.seed, kernel=kernel)
        else:
            schedule = run_rule(instance, name, options.seed, kernel=kernel)
        if stopped():
            result = dropped(stats)
        elif instance.blocking:
            result = Result("feasible", found.objective, None, found.solution(instance), stats)
        else:
            result = schedule_result(instance, schedule, **stats)
        if cold:
            kind = kernel_kind(instance)
            compile_later(f"jobshop.rules.{kind}", partial(warm_rule_kernel, kind))
        return result

    method.__name__ = f"solve_{name.replace('-', '_')}"
    method.__doc__ = description
    register("jobshop", name, exact=False, description=description)(method)


for _name in rule_names():
    _rule_method(_name)

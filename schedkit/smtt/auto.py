"""`auto` for SMTT. Equal weights (1||ΣTj): the branch and bound `bnb` at any size. Weighted:
the successive sublimation DP `bdp` wherever its time-indexed tables fit in memory, iterated
dynasearch beyond (bdp refuses with ProblemTooLarge)."""

from __future__ import annotations

from schedkit.common.auto import run_plan
from schedkit.deadline import offer_better
from schedkit.registry import SolveOptions, register
from schedkit.result import Result
from schedkit.smtt.bounds import strengthen
from schedkit.smtt.model import SMTTInstance
from schedkit.smtt.sorting import OFFERED, sorting_result

AUTO_DEFAULT_TIME_LIMIT = 60.0  # weighted: the bdp budget of issue 22
BNB_DEFAULT_TIME_LIMIT = 60.0  # proves every benchmarked 500-job instance (benchmarks/reports/bnb.md)


def plan(instance: SMTTInstance) -> tuple[list[str], float | None]:
    """The methods to try in order (the next one when a method refuses the size) and the
    default budget."""
    if len(set(instance.w.tolist())) <= 1:
        return ["bnb"], BNB_DEFAULT_TIME_LIMIT
    return ["bdp", "dynasearch"], AUTO_DEFAULT_TIME_LIMIT


@register(
    "smtt", "auto", exact=True,
    description=f"unweighted: bnb (default budget {BNB_DEFAULT_TIME_LIMIT:g} s); weighted: bdp "
    f"wherever its tables fit in memory (default budget {AUTO_DEFAULT_TIME_LIMIT:g} s), "
    "dynasearch beyond",
)
def solve_auto(instance: SMTTInstance, options: SolveOptions) -> Result:
    """Pick by size; the choice is recorded in `stats["chosen"]`. A heuristic's answer (beyond
    bdp's size) gets the cheap lower bound, offered first with the sorting rules' sequence so
    that the offers after it keep it too."""
    candidates, default_limit = plan(instance)
    if options.time_limit is not None:
        offer_better(sorting_result(instance, True, {"workers": 1, "offered": OFFERED}))
    return strengthen(instance, run_plan("smtt", instance, options, candidates, default_limit))

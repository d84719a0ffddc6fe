"""`auto` for VMR: the MIP on HiGHS and LNS side by side (default budget 30 s).

With two or more workers, greedy gives the MIP start (and the result at once when it meets the
migration bound); HiGHS then solves the MIP on its own thread while LNS improves the greedy
plan in this one (HiGHS and the numba kernels both run without Python's lock, so each has a
core): the run ends when the MIP is done, when LNS's plan meets the MIP's dual bound so far
or the migration bound (the MIP is then cancelled), or at the time limit, with the better plan
and the MIP's bound. On the hardest
benchmark cluster (benchmarks/reports/vmr.md) the MIP proves the optimum in about 4 s, where
LNS alone stops one gain short on half of the seeds. With one worker it is the `mip` method.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from schedkit.heuristics.vmr_arrays import build_arrays
from schedkit.heuristics.vmr_bounds import migration_bound, round_to_residue
from schedkit.heuristics.vmr_methods import greedy_plan
from schedkit.heuristics.vmr_search import lns
from schedkit.model.vmr import VMRInstance
from schedkit.registry import SolveOptions, lookup, register
from schedkit.result import Result
from schedkit.solvers.bounds import integral_bound
from schedkit.solvers.mip.backend import RunControl, import_pulp
from schedkit.solvers.mip.vmr import Outcome, build_model, solve_model
from schedkit.solvers.vmr.common import exact_result, proven_start

AUTO_DEFAULT_TIME_LIMIT = 30.0


@register("vmr", "auto", exact=True,
          description=f"mip on HiGHS beside LNS on a second thread (greedy + LNS warm start; stops "
                      f"at once when the migration bound proves it), default budget "
                      f"{AUTO_DEFAULT_TIME_LIMIT:g} s")
def solve_auto(instance: VMRInstance, options: SolveOptions) -> Result:
    """The MIP beside LNS (or the MIP alone with one worker); `stats["chosen"]` says which
    ran and `stats["plan_from"]` which one gave the plan."""
    limit = AUTO_DEFAULT_TIME_LIMIT if options.time_limit is None else options.time_limit
    options = replace(options, time_limit=limit)
    if options.workers < 2:
        method = lookup("vmr", "mip")
        result = method.function(instance, replace(options, extra=dict(method.options)))
        return result.with_context(stats={**result.stats, "chosen": "mip"})
    return _side_by_side(instance, options)


def _side_by_side(instance: VMRInstance, options: SolveOptions) -> Result:
    """Greedy, then HiGHS (workers − 1 threads) on a thread of its own and LNS here."""
    pulp = import_pulp("highs")
    a = build_arrays(instance)
    start = greedy_plan(a, options.deadline)  # LNS improves it below, beside the MIP
    chosen = {"workers": options.workers, "chosen": "mip+lns"}
    done = proven_start(instance, a, start, dict(chosen))
    if done is not None:
        return done
    model = build_model(pulp, instance, a, start)
    control = RunControl()
    outcome: list[Outcome] = []
    failure: list[BaseException] = []
    mip_options = replace(options, workers=options.workers - 1)

    def run_mip() -> None:
        try:
            outcome.append(solve_model(pulp, model, a, mip_options, "highs", control))
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread below
            failure.append(error)

    constant = float(model.problem.objective.constant or 0)

    def settled(best: int) -> bool:
        """The MIP is done, or its dual bound so far proves LNS's best plan optimal."""
        bound = integral_bound(control.dual_bound + constant)
        proven = bound is not None and round_to_residue(
            bound, instance.total_free_cpu, instance.fragment_size) >= best
        return proven or not thread.is_alive()

    thread = threading.Thread(target=run_mip, name="schedkit-vmr-mip", daemon=True)
    thread.start()
    try:
        searched, counters = lns(a, start, options.deadline, options.seed,
                                 stop_at=migration_bound(instance), stop=settled)
    finally:  # LNS met a bound, the time is up, or Ctrl-C: the MIP has nothing left to do
        control.cancel()
        thread.join()
    if failure:
        raise failure[0]
    mip = outcome[0]
    stats: dict[str, Any] = {**mip.stats, **chosen, "greedy_objective": start.objective,
                             "lns_objective": searched.objective,
                             "lns_iterations": counters["iterations"]}
    best = searched if searched.objective < start.objective else start
    if mip.found is not None and mip.found.objective < best.objective:
        stats["plan_from"] = "mip"
    else:
        stats["plan_from"] = "lns" if best is searched else "greedy"
    return exact_result(instance, a, best, mip.found, mip.reached, mip.bound, stats)

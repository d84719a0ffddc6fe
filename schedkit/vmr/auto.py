"""`auto` for VMR: the whole MIP on one thread, a restricted MIP and LNS on the other
(default budget 30 s).

With two or more workers: greedy gives the MIP start (and the result at once when it meets
the migration bound). HiGHS then solves the whole MIP on its own thread, for the bound, while
this thread first solves the MIP restricted to the nodes whose free CPU is not a multiple of F
(a third of the nodes on the benchmark clusters, where it finds the optimum in 1–2.5 s, the
whole MIP in 3–8 s), then runs LNS from the better plan. HiGHS and the numba kernels both run
without Python's lock, so each thread has a core. The run ends when the whole MIP is done,
when the best plan meets its dual bound so far (rounded to the residue class) or the migration
bound (the MIPs are then cancelled), or at the time limit. With one worker it is `mip`.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from schedkit.common.auto import run_method
from schedkit.common.finish import integral_bound
from schedkit.common.mip import RunControl, import_pulp
from schedkit.registry import SolveOptions, register
from schedkit.result import Result
from schedkit.vmr.bounds import migration_bound, round_to_residue
from schedkit.vmr.heuristics.arrays import build_arrays
from schedkit.vmr.heuristics.methods import greedy_plan
from schedkit.vmr.heuristics.search import lns
from schedkit.vmr.model import VMRInstance
from schedkit.vmr.solvers.common import exact_result, proven_start
from schedkit.vmr.solvers.mip import Outcome, build_model, restricted_plan, solve_model

AUTO_DEFAULT_TIME_LIMIT = 30.0
RESTRICTED_SHARE = 0.6  # of the time left, at most, for the restricted MIP before LNS takes over


@register("vmr", "auto", exact=True,
          description=f"greedy, then the whole MIP (HiGHS) for the bound beside a MIP restricted to "
                      f"nodes with a non-zero residue and LNS on a second thread; one worker: mip; "
                      f"default budget {AUTO_DEFAULT_TIME_LIMIT:g} s")
def solve_auto(instance: VMRInstance, options: SolveOptions) -> Result:
    """The whole MIP beside the restricted MIP and LNS (or `mip` alone with one worker);
    `stats["chosen"]` says which ran and `stats["plan_from"]` which part gave the plan."""
    limit = AUTO_DEFAULT_TIME_LIMIT if options.time_limit is None else options.time_limit
    options = replace(options, time_limit=limit)
    if options.workers < 2:
        result = run_method("vmr", "mip", instance, options, limit)
        return result.with_context(stats={**result.stats, "chosen": "mip"})
    return _side_by_side(instance, options)


def _side_by_side(instance: VMRInstance, options: SolveOptions) -> Result:
    """Greedy; then HiGHS on the whole MIP (workers − 1 threads) on a thread of its own, and
    here first the restricted MIP, then LNS from the better plan."""
    pulp = import_pulp("highs")
    a = build_arrays(instance)
    start = greedy_plan(a, options.deadline)
    chosen = {"workers": options.workers, "chosen": "mip+restricted+lns"}
    done = proven_start(instance, a, start, dict(chosen))
    if done is not None:
        return done
    model = build_model(pulp, instance, a, start)
    control, quick_control = RunControl(), RunControl()
    outcome: list[Outcome] = []
    failure: list[BaseException] = []
    mip_options = replace(options, workers=options.workers - 1)

    def run_mip() -> None:
        try:
            outcome.append(solve_model(pulp, model, a, mip_options, "highs", control))
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread below
            failure.append(error)
        finally:
            quick_control.cancel()  # the whole MIP is done: the restricted one has no purpose

    constant = float(model.problem.objective.constant or 0)

    def settled(best: int) -> bool:
        """The MIP is done, or its dual bound so far proves the plan `best` optimal."""
        bound = integral_bound(control.dual_bound + constant)
        proven = bound is not None and round_to_residue(
            bound, instance.total_free_cpu, instance.fragment_size) >= best
        return proven or not thread.is_alive()

    thread = threading.Thread(target=run_mip, name="schedkit-vmr-mip", daemon=True)
    thread.start()
    try:
        remaining = options.remaining()
        quick = restricted_plan(pulp, instance, a, start,
                                None if remaining is None else RESTRICTED_SHARE * remaining,
                                options.seed, quick_control)
        better = quick if quick is not None and quick.objective < start.objective else start
        searched, counters = lns(a, better, options.deadline, options.seed,
                                 stop_at=migration_bound(instance), stop=settled)
    finally:  # a bound met, the time up, or Ctrl-C: the MIP has nothing left to do
        quick_control.cancel()
        control.cancel()
        thread.join()
    if failure:
        raise failure[0]
    mip = outcome[0]
    stats: dict[str, Any] = {**mip.stats, **chosen, "greedy_objective": start.objective,
                             "restricted_objective": None if quick is None else quick.objective,
                             "lns_objective": searched.objective, "lns_iterations": counters["iterations"]}
    found = [(name, plan) for name, plan in (("greedy", start), ("restricted mip", quick), ("lns", searched))
             if plan is not None]
    name, best = min(found, key=lambda entry: entry[1].objective)  # the first of equals
    better_mip = mip.found is not None and mip.found.objective < best.objective
    stats["plan_from"] = "mip" if better_mip else name
    return exact_result(instance, a, best, mip.found, mip.reached, mip.bound, stats)

"""`auto` for VMR: LNS on one thread, restricted then whole MIP on the other (default budget 30 s).

With two or more workers: greedy gives the start (and the result at once when it meets the
migration bound). A second thread then solves the MIP restricted to the nodes whose free CPU
is not a multiple of F and the nodes greedy touches (about a third of the nodes; greedy is its
MIP start; on the bundled clusters its optimum is the optimum), for at most RESTRICTED_SHARE of
the budget, then builds the whole MIP warm-started from the better plan and solves it (HiGHS,
workers − 1 threads) for the bound. This thread runs LNS from greedy from the start, and
restarts it from the restricted MIP's plan when that is better. Model building is Python and
slow on a loaded machine; LNS never waits for it. HiGHS and the numba kernels both run without
Python's lock, so each thread has a core. The run ends when the whole MIP is done, when the
best plan meets its dual bound so far (rounded to the residue class) or the migration bound,
or at the time limit.

Nondeterministic under a time limit: the two threads race (when the restricted plan arrives,
when a bound proves the plan) and every stage stops on the clock. `deterministic=True` runs
`mip` with fixed work limits instead (one sequence, no race): the same answer every run.
With one worker it is `mip`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from typing import Any

from schedkit.common.auto import run_method
from schedkit.common.finish import integral_bound
from schedkit.common.mip import import_pulp
from schedkit.registry import SolveOptions, register
from schedkit.result import Result
from schedkit.vmr.bounds import migration_bound, round_to_residue
from schedkit.vmr.heuristics.arrays import VMRArrays, build_arrays
from schedkit.vmr.heuristics.methods import (
    compile_within,
    deterministic_flag,
    greedy_plan,
    plan_result,
    unmoved_result,
)
from schedkit.vmr.heuristics.search import Plan, lns
from schedkit.vmr.model import VMRInstance
from schedkit.vmr.solvers.common import exact_result, proven_start
from schedkit.vmr.solvers.deadline import RESERVE, Background, DeadlineControl
from schedkit.vmr.solvers.mip import MIN_MODEL_SECONDS, Outcome, build_model, plan_nodes, solve_model

AUTO_DEFAULT_TIME_LIMIT = 30.0
RESTRICT_ABOVE_NODES = 200  # smaller clusters (100 two-NUMA machines) go straight to the whole MIP
RESTRICTED_SHARE = 0.4  # of the budget left after greedy, at most, for the restricted MIP
JOIN_GRACE = 0.2  # seconds past the deadline the whole MIP may take to hand over its result


@register("vmr", "auto", exact=True, options={"deterministic": False},
          description=f"greedy, then the whole MIP (HiGHS) for the bound beside restricted MIPs and LNS "
                      f"on a second thread; one worker or deterministic=True: mip; "
                      f"default budget {AUTO_DEFAULT_TIME_LIMIT:g} s")
def solve_auto(instance: VMRInstance, options: SolveOptions) -> Result:
    """The whole MIP beside restricted MIPs and LNS (or `mip` alone with one worker or
    deterministic=True); `stats["chosen"]` says which ran and `stats["plan_from"]` which part
    gave the plan."""
    limit = AUTO_DEFAULT_TIME_LIMIT if options.time_limit is None else options.time_limit
    deterministic = deterministic_flag(options, "auto")
    if deterministic or options.workers < 2:
        result = run_method("vmr", "mip", instance, options, limit, deterministic=deterministic)
        return result.with_context(stats={**result.stats, "chosen": "mip"})
    return _side_by_side(instance, replace(options, time_limit=limit))


@dataclass
class _Shared:
    """What the MIP thread hands to this one: the restricted MIP's plan when it beats greedy,
    the whole model's objective constant once built, and whether the whole MIP has returned."""

    restricted: Plan | None = None
    restricted_objective: int | None = None
    constant: float | None = None
    whole_done: bool = False


def _mip_thread(pulp: Any, instance: VMRInstance, a: VMRArrays, start: Plan, options: SolveOptions,
                quick: DeadlineControl, control: DeadlineControl, shared: _Shared,
                stopping: threading.Event) -> Outcome:
    """The restricted MIP (nodes at a non-zero residue and those greedy touches, warm-started
    from greedy; only above RESTRICT_ABOVE_NODES nodes, where the whole MIP is slow) until its
    share of the budget, then the whole MIP warm-started from the better plan, until the
    deadline. Its Outcome carries a bound only from the whole model."""
    first = None
    if a.nodes > RESTRICT_ABOVE_NODES:
        allowed = ((a.free_cpu0 % a.fragment) != 0) | plan_nodes(a, start)
        small = build_model(pulp, instance, a, start, allowed=allowed)
        one = replace(options, workers=1, time_limit=None)
        first = solve_model(pulp, small, a, one, "highs", quick) if not stopping.is_set() else None
    warm = start
    if first is not None and first.found is not None:
        shared.restricted_objective = first.found.objective
        if first.found.objective < start.objective:
            warm = shared.restricted = first.found
    if stopping.is_set() or options.deadline - time.perf_counter() < MIN_MODEL_SECONDS:
        return Outcome(warm if warm is not start else None, True, None, {"solver": "highs",
                       "solver_status": "whole model not run: too little time left"})
    model = build_model(pulp, instance, a, warm)
    shared.constant = float(model.problem.objective.constant or 0)
    whole = replace(options, workers=max(1, options.workers - 1), time_limit=None)
    outcome = solve_model(pulp, model, a, whole, "highs", control)
    shared.whole_done = True
    return outcome


def _side_by_side(instance: VMRInstance, options: SolveOptions) -> Result:
    """Greedy; then on a thread of its own the restricted MIP and after it the whole MIP, while
    this thread runs LNS (restarted from the restricted MIP's plan when that is better)."""
    pulp = import_pulp("highs")
    ready, compile_stats = compile_within(options)
    a = build_arrays(instance)
    stats: dict[str, Any] = {"workers": options.workers, "chosen": "mip+restricted+lns", **compile_stats}
    if not ready:
        return unmoved_result(instance, a, stats)
    start = greedy_plan(a, options.deadline)
    done = proven_start(instance, a, start, dict(stats))
    if done is not None:
        return done
    bound = migration_bound(instance)
    remaining = options.remaining() or 0.0
    if remaining < MIN_MODEL_SECONDS:
        searched, counters = lns(a, start, options.deadline, options.seed, stop_at=bound)
        best = searched if searched.objective < start.objective else start
        stats.update(chosen="lns", greedy_objective=start.objective, lns_iterations=counters["iterations"])
        return plan_result(instance, a, best, None, **stats)
    quick = DeadlineControl(time.perf_counter() + RESTRICTED_SHARE * remaining + RESERVE)
    control = DeadlineControl(options.deadline)
    shared, stopping = _Shared(), threading.Event()
    worker = Background(control, lambda: _mip_thread(pulp, instance, a, start, options, quick, control,
                                                     shared, stopping))

    def settled(best: int) -> bool:
        """The whole MIP is done, or its dual bound so far proves `best` optimal."""
        if shared.constant is not None:
            proven = integral_bound(control.dual_bound + shared.constant)
            if proven is not None and round_to_residue(proven, instance.total_free_cpu,
                                                       instance.fragment_size) >= best:
                return True
        return shared.whole_done

    def interrupt(best: int) -> bool:
        """Stop LNS when settled or when the restricted MIP has a better plan to restart from."""
        better = shared.restricted is not None and shared.restricted.objective < best
        return better or settled(best)

    best, source, iterations, restarts = start, "greedy", 0, 0
    while True:
        searched, counters = lns(a, best, options.deadline, options.seed + restarts, stop_at=bound,
                                 stop=interrupt)
        iterations += counters["iterations"]
        if searched.objective < best.objective:
            best, source = searched, "lns"
        offered = shared.restricted
        if offered is None or offered.objective >= best.objective or settled(best.objective) or (
                time.perf_counter() >= options.deadline):
            break
        best, source, restarts = offered, "restricted mip", restarts + 1
    stopping.set()
    quick.cancel()
    control.cancel()
    mip = worker.join_by(options.deadline + JOIN_GRACE)
    if mip is None:  # still busy: the whole model's bound so far is still a bound
        proven = None if shared.constant is None else integral_bound(control.dual_bound + shared.constant)
        mip = Outcome(shared.restricted, True, proven,
                      {"solver": "highs", "solver_status": "cancelled at the deadline"})
    stats.update(mip.stats)
    stats.update(chosen="mip+restricted+lns", workers=options.workers, greedy_objective=start.objective,
                 restricted_objective=shared.restricted_objective, lns_iterations=iterations,
                 lns_restarts=restarts)
    better_mip = mip.found is not None and mip.found.objective < best.objective
    from_mip = "restricted mip" if mip.found is shared.restricted else "mip"
    stats["plan_from"] = from_mip if better_mip else source
    return exact_result(instance, a, best, mip.found, mip.reached, mip.bound, stats)

"""`auto` for VMR: the whole MIP on one thread; restricted MIPs, then LNS, on the other
(default budget 30 s).

With two or more workers: greedy gives the MIP start (and the result at once when it meets
the migration bound). HiGHS then solves the whole MIP on its own thread, for the bound, while
this thread solves MIPs restricted to part of the nodes, each warm-started from the best plan
so far (`neighbourhood`): first the nodes whose free CPU is not a multiple of F (a third of the
nodes; on the benchmark clusters its optimum is the optimum); when that model is solved and
the plan is not yet proven, it grows by random machines at residue 0 (their room lets the
others rearrange); when it is not solved in its share, the next models shrink to a random half
of it around the plan's own machines. LNS from the best plan takes the last LNS_SHARE of the
budget. HiGHS and the numba kernels both run without Python's lock, so each thread has a
core. The run ends when the whole MIP is done, when the best plan meets its dual bound so far
(rounded to the residue class) or the migration bound, or at the time limit.

Nondeterministic under a time limit: the two threads race (which plan the whole MIP sees,
when a bound arrives) and every stage stops on the clock. `deterministic=True` runs `mip`
with fixed work limits instead (one sequence, no race): the same answer every run.
With one worker it is `mip`.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import numpy as np

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
from schedkit.vmr.heuristics.search import Plan, final_placement, lns
from schedkit.vmr.model import VMRInstance
from schedkit.vmr.solvers.common import exact_result, proven_start
from schedkit.vmr.solvers.deadline import Background, DeadlineControl
from schedkit.vmr.solvers.mip import MIN_MODEL_SECONDS, Outcome, build_model, restricted_outcome, solve_model

AUTO_DEFAULT_TIME_LIMIT = 30.0
RESTRICTED_SHARE = 0.7  # of the time left before LNS, at most, for the first restricted MIP
NEIGHBOURHOOD_SHARE = 0.4  # of the time left, at most, for each later one
LNS_SHARE = 0.1  # of the budget, at the end, for LNS
GROW_FRACTION = 0.25  # of the machines at residue 0 added to a grown model
MIN_ROUND_SECONDS = 1.5  # a restricted MIP needs about 0.7 s to build on 300 machines, then time to solve
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


def neighbourhood(a: VMRArrays, plan: Plan, solved: bool, rng: np.random.Generator) -> np.ndarray:
    """The node mask of the next restricted MIP around `plan`: the nodes at a non-zero residue
    and every node of a machine the plan touches, grown by GROW_FRACTION of the other machines
    when the last model was `solved`, else shrunk to a random half of them."""
    residue = (a.free_cpu0 % a.fragment) != 0
    machine_of = a.node_machine
    machines = int(machine_of.max(initial=-1)) + 1
    touched = np.zeros(machines, dtype=np.bool_)
    place = final_placement(a, plan)
    for p in np.concatenate((a.place0[plan.vm], place[plan.vm])).tolist():
        touched[machine_of[a.place_a[p]]] = True
    if solved:
        pick = rng.random(machines) < GROW_FRACTION
        allowed = residue | pick[machine_of]
    else:
        pick = rng.random(machines) < 0.5
        allowed = residue & pick[machine_of]
    return allowed | touched[machine_of]


def _side_by_side(instance: VMRInstance, options: SolveOptions) -> Result:
    """Greedy; then HiGHS on the whole MIP (workers − 1 threads) on a thread of its own, and
    here restricted MIPs, then LNS from the best plan."""
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
    model = build_model(pulp, instance, a, start)
    control = DeadlineControl(options.deadline)
    whole_options = replace(options, workers=options.workers - 1, time_limit=None)
    whole = Background(control, lambda: solve_model(pulp, model, a, whole_options, "highs", control))
    constant = float(model.problem.objective.constant or 0)

    def settled(best: int) -> bool:
        """The whole MIP is done, or its dual bound so far proves the plan `best` optimal."""
        proven = integral_bound(control.dual_bound + constant)
        if proven is not None and round_to_residue(proven, instance.total_free_cpu,
                                                   instance.fragment_size) >= best:
            return True
        return not whole.running()

    best, source = start, "greedy"
    rounds, restricted_objective = 0, None
    rng = np.random.default_rng(options.seed)
    lns_from = options.deadline - LNS_SHARE * (options.time_limit or 0.0)
    allowed = None
    while not settled(best.objective):
        left = lns_from - time.perf_counter()
        if left < MIN_ROUND_SECONDS:
            break
        share = RESTRICTED_SHARE if rounds == 0 else NEIGHBOURHOOD_SHARE
        outcome = restricted_outcome(pulp, instance, a, best, time.perf_counter() + share * left,
                                     options.seed + rounds, allowed=allowed,
                                     wait_until=lns_from + LNS_SHARE * (options.time_limit or 0.0) / 2)
        rounds += 1
        if outcome.found is not None and outcome.found.objective < best.objective:
            best, source = outcome.found, "restricted mip" if rounds == 1 else "neighbourhood mip"
        if rounds == 1:
            restricted_objective = None if outcome.found is None else outcome.found.objective
        solved = bool(outcome.stats.get("solver_optimal"))
        allowed = neighbourhood(a, best, solved, rng)
    searched, counters = lns(a, best, options.deadline, options.seed, stop_at=bound, stop=settled)
    control.cancel()
    mip = whole.join_by(options.deadline + JOIN_GRACE)
    if mip is None:  # still busy: its bound so far is still a bound
        mip = Outcome(None, False, integral_bound(control.dual_bound + constant),
                      {"solver": "highs", "solver_status": "cancelled at the deadline"})
    stats.update(mip.stats)
    stats.update(chosen="mip+restricted+lns", workers=options.workers, greedy_objective=start.objective,
                 restricted_objective=restricted_objective, restricted_rounds=rounds,
                 lns_objective=searched.objective, lns_iterations=counters["iterations"])
    found = [("greedy", start), (source, best), ("lns", searched)]
    name, plan = min(found, key=lambda entry: entry[1].objective)  # the first of equals
    better_mip = mip.found is not None and mip.found.objective < plan.objective
    stats["plan_from"] = "mip" if better_mip else name
    return exact_result(instance, a, plan, mip.found, mip.reached, mip.bound, stats)
